"""Render an EventSummary as Markdown for people; every item shows where it stands in the article."""

from __future__ import annotations

from collections.abc import Iterable

from summarizer.models import EventSummary, Span


def _where(spans: Iterable[Span]) -> str:
    return "; ".join(f"`{s.doc_id}` [{s.start}:{s.end}]" for s in spans)


def to_markdown(summary: EventSummary) -> str:
    doc = summary.document
    lines = [f"# {summary.headline.text}", ""]
    details = [("Source", doc.title or doc.id), ("Published", doc.published), ("URL", doc.url),
               ("Event type", summary.event_type)]
    lines += [f"- **{label}:** {value}" for label, value in details if value]
    lines.append("")
    sections: list[tuple[str, list[str]]] = [
        ("Summary", [f"{s.text} ({_where(s.spans)})" for s in summary.summary]),
        ("When", [f"{d.text} \u2192 {d.value or 'unresolved'}: {d.event} ({_where(d.spans)})"
                  for d in summary.when]),
        ("Where", [f"{p.name} ({_where(p.spans)})" for p in summary.where]),
        ("Who", [f"{a.name} ({a.kind}): {a.role} ({_where(a.spans)})" for a in summary.actors]),
        ("Facts", [f"{f.claim} ({_where(f.spans)})" for f in summary.facts]),
        ("Numbers", [f"{q.value:g} {q.counted} ({q.qualifier}) \u2014 \u201c{q.spans[0].text}\u201d "
                     f"({_where(q.spans)})" for q in summary.quantities]),
        ("Quotes", [f"{q.speaker}: \u201c{q.text}\u201d ({_where(q.spans)})"
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
