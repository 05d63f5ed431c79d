"""Render an EventSummary as Markdown for people; every item shows where it stands in the article."""

from __future__ import annotations

from collections.abc import Iterable

from summarizer.output.amounts import amount
from summarizer.output.summary import DateMention, EventSummary, Span, Support

# how each item was checked against its evidence; "rules" is the norm and goes unmarked
_SUPPORT_MARKS: dict[Support, str] = {
    "rules": "", "judged": " _(judged)_", "evidence-only": " _(the article's words)_"}


def _mark(support: Support) -> str:
    return _SUPPORT_MARKS[support]


def span_references(spans: Iterable[Span]) -> str:
    return "; ".join(f"`{s.doc_id}` [{s.start}:{s.end}]" for s in spans)


def _date(d: DateMention) -> str:
    """The value with how it was read: "2023-11-15 (day, inferred-year) \u26a0 after-publication-date",
    or "unresolved (why)"."""
    if d.value is None:
        shown = f"unresolved ({d.unresolved_reason})" if d.unresolved_reason else "unresolved"
    else:
        how = ", ".join(part for part in (d.granularity, d.resolution) if part)
        shown = f"{d.value} ({how})" if how else d.value
    return shown + "".join(f" \u26a0 {flag}" for flag in d.flags)


def to_markdown(summary: EventSummary) -> str:
    doc = summary.document
    lines = [f"# {summary.headline.text}", ""]
    if summary.headline.support != "rules":
        lines += [f"_Headline: {_mark(summary.headline.support).strip(' _()')}_", ""]
    details = [("Source", doc.title or doc.id), ("Published", doc.published), ("URL", doc.url),
               ("Event type", summary.event_type)]
    lines += [f"- **{label}:** {value}" for label, value in details if value]
    lines.append("")
    sections: list[tuple[str, list[str]]] = [
        ("Summary", [f"{s.text}{_mark(s.support)} ({span_references(s.spans)})"
                     for s in summary.summary]),
        ("When", [f"{d.text} \u2192 {_date(d)}: {d.event}{_mark(d.support)} "
                  f"({span_references(d.spans)})" for d in summary.when]),
        ("Where", [f"{p.name} ({span_references(p.spans)})" for p in summary.where]),
        ("Who", [f"{a.name} ({a.kind}): {a.role}{_mark(a.support)} ({span_references(a.spans)})"
                 for a in summary.actors]),
        ("Facts", [f"{f.claim}{_mark(f.support)} ({span_references(f.spans)})"
                   for f in summary.facts]),
        ("Numbers", [f"{amount(q)} {q.counted}{_mark(q.support)} ({q.qualifier}) \u2014 "
                     f"\u201c{q.spans[0].text}\u201d ({span_references(q.spans)})"
                     + (f" [corrected: {q.correction}]" if q.correction else "")
                     for q in summary.quantities]),
        ("Quotes", [f"{q.speaker or 'speaker not named nearby'}{_mark(q.support)}: "
                    f"\u201c{q.text}\u201d ({span_references(q.spans)})"
                    + "".join(f" \u2014 warning: {w}" for w in q.warnings)
                    for q in summary.quotes]),
        ("Planted instructions (ignored: never used as evidence)",
         [f"\u201c{p.text}\u201d ({span_references(p.spans)})"
          for p in summary.planted_instructions]),
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
