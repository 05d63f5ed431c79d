"""Render an EventSummary as Markdown for people; every item shows where it stands in the article."""

from __future__ import annotations

from collections.abc import Iterable

from summarizer.output.amounts import amount
from summarizer.output.summary import QUESTIONS, DateMention, EventAnswer, EventBlock, EventSummary, Span


def span_references(spans: Iterable[Span]) -> str:
    return "; ".join(f"`{s.doc_id}` [{s.start}:{s.end}]" for s in spans)


def describe_date(d: DateMention) -> str:
    """The value with how it was read: "2023-11-15 (day, inferred-year) \u26a0 after-publication-date",
    or "unresolved (why)"."""
    if d.value is None:
        shown = f"unresolved ({d.unresolved_reason})" if d.unresolved_reason else "unresolved"
    else:
        how = ", ".join(part for part in (d.granularity, d.resolution) if part)
        shown = f"{d.value} ({how})" if how else d.value
    return shown + "".join(f" \u26a0 {flag}" for flag in d.flags)


def _answer(answer: EventAnswer) -> str:
    where = answer.section if answer.index is None else f"{answer.section}[{answer.index}]"
    value = f" → {answer.value}" if answer.value and answer.value != answer.text else ""
    return f"{answer.text}{value} ({where}: {answer.rule}; {span_references(answer.spans)})"


def event_lines(event: EventBlock) -> list[str]:
    """The event block: one line per question, its answer (or why none) and its runners-up."""
    lines = []
    for question in QUESTIONS:
        slot = getattr(event, question)
        shown = _answer(slot.answer) if slot.answer else f"none ({slot.reason})"
        lines.append(f"- **{question.capitalize()}:** {shown}")
        lines += [f"  - runner-up: {_answer(r)}" for r in slot.runners_up]
    return lines


def to_markdown(summary: EventSummary) -> str:
    doc = summary.document
    lines = [f"# {summary.headline.text}", ""]
    details = [("Source", doc.title or doc.id), ("Published", doc.published), ("URL", doc.url),
               ("Event type", summary.event_type)]
    lines += [f"- **{label}:** {value}" for label, value in details if value]
    lines += ["", "## The main event", "", *event_lines(summary.event), ""]
    sections: list[tuple[str, list[str]]] = [
        ("Summary", [f"{s.text} ({span_references(s.spans)})" for s in summary.summary]),
        ("When", [f"{d.text} \u2192 {describe_date(d)}: {d.event} ({span_references(d.spans)})"
                  for d in summary.when]),
        ("Where", [f"{p.name} ({span_references(p.spans)})" for p in summary.where]),
        ("Who", [f"{a.name} ({a.kind}): {a.role} ({span_references(a.spans)})" for a in summary.actors]),
        ("Facts", [f"{f.claim} ({span_references(f.spans)})" for f in summary.facts]),
        ("Numbers", [f"{amount(q)} {q.counted} ({q.qualifier}) \u2014 \u201c{q.spans[0].text}\u201d "
                     f"({span_references(q.spans)})"
                     + (f" [corrected: {q.correction}]" if q.correction else "")
                     for q in summary.quantities]),
        ("Quotes", [f"{q.speaker}: \u201c{q.text}\u201d ({span_references(q.spans)})"
                    + "".join(f" \u2014 warning: {w}" for w in q.warnings)
                    for q in summary.quotes]),
        ("Rejected (not grounded, not presented as fact)",
         [f"{r.section}: {r.reason}" for r in summary.rejected]),
    ]
    for title, items in sections:
        if items:
            lines += [f"## {title}", "", *(f"- {item}" for item in items), ""]
    meta = summary.metadata
    lines.append(f"_{meta.model} ({meta.endpoint_kind}), {meta.llm_calls} calls, "
                 f"{meta.usage.prompt_tokens}+{meta.usage.completion_tokens} tokens, "
                 f"{meta.elapsed_seconds:.1f} s_")
    return "\n".join(lines) + "\n"
