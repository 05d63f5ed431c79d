"""Render an EventSummary as Markdown for people; every item shows where it stands in the article."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from summarizer.output.amounts import amount
from summarizer.output.summary import (
    QUESTIONS,
    DateMention,
    EventAnswer,
    EventBlock,
    EventSummary,
    Span,
    Support,
)

# A link destination ("](dest" or a "]: dest" definition) a renderer would follow.
_LINK_DESTINATION = re.compile(r"\](?P<mark>\(|:)[ \t]*<?(?P<dest>[^)\s>]*)")
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:")
_SAFE_SCHEMES = ("http:", "https:", "mailto:")


def text(value: object) -> str:
    """Article or model text made inert in Markdown: HTML escaped (no tag, no event handler, no
    entity trick), and a link to any scheme but http(s) and mailto broken (`javascript:`...)."""
    escaped = html.escape(str(value), quote=False)
    return _LINK_DESTINATION.sub(_inert_link, escaped)


def _inert_link(match: re.Match[str]) -> str:
    destination, previous = match["dest"], ""
    while destination != previous:  # as a renderer and then a browser would decode it
        previous, destination = destination, html.unescape(destination)
    destination = "".join(ch for ch in destination if ch > " " and ch not in "\\<").lower()
    scheme = _SCHEME.match(destination)
    if scheme is None or scheme[0] in _SAFE_SCHEMES:
        return match[0]
    return "]\\" + match[0][1:]  # "]\(": no longer a link, the text stays readable


def code(value: str) -> str:
    """An identifier as inline code; a backtick in it could end the code span, so it becomes '."""
    return f"`{value.replace('`', chr(39))}`"

# how each item was checked against its evidence; "rules" is the norm and goes unmarked
_SUPPORT_MARKS: dict[Support, str] = {
    "rules": "", "judged": " _(judged)_", "evidence-only": " _(the article's words)_"}


_ANSWER = {True: "supported", False: "not supported", None: "no answer"}


def _mark(support: Support) -> str:
    return _SUPPORT_MARKS[support]


def span_references(spans: Iterable[Span]) -> str:
    return "; ".join(f"{code(s.doc_id)} [{s.start}:{s.end}]" for s in spans)


def describe_date(d: DateMention) -> str:
    """The value with how it was read: "2023-11-15 (day, inferred-year) \u26a0 after-publication-date",
    or "unresolved (why)"."""
    if d.value is None:
        shown = f"unresolved ({text(d.unresolved_reason)})" if d.unresolved_reason else "unresolved"
    else:
        how = ", ".join(part for part in (d.granularity, d.resolution) if part)
        shown = f"{text(d.value)} ({text(how)})" if how else text(d.value)
    return shown + "".join(f" \u26a0 {text(flag)}" for flag in d.flags)


def _answer(answer: EventAnswer) -> str:
    where = answer.section if answer.index is None else f"{answer.section}[{answer.index}]"
    value = f" → {text(answer.value)}" if answer.value and answer.value != answer.text else ""
    return f"{text(answer.text)}{value} ({text(where)}: {text(answer.rule)}; {span_references(answer.spans)})"


def event_lines(event: EventBlock) -> list[str]:
    """The event block: one line per question, its answer (or why none) and its runners-up."""
    lines = []
    for question in QUESTIONS:
        slot = getattr(event, question)
        shown = _answer(slot.answer) if slot.answer else f"none ({text(slot.reason)})"
        lines.append(f"- **{question.capitalize()}:** {shown}")
        lines += [f"  - runner-up: {_answer(r)}" for r in slot.runners_up]
    return lines


def to_markdown(summary: EventSummary) -> str:
    doc = summary.document
    lines = [f"# {text(summary.headline.text)}", ""]
    if summary.headline.support != "rules":
        lines += [f"_Headline: {_mark(summary.headline.support).strip(' _()')}_", ""]
    details = [("Source", doc.title or doc.id), ("Published", doc.published), ("URL", doc.url),
               ("Event type", summary.event_type)]
    if chunks := summary.metadata.chunks:  # a long article: say it was not read in one piece
        details.append(("Read in", f"{len(chunks)} overlapping chunks (characters "
                        + ", ".join(f"{c.start}-{c.end}" for c in chunks) + ")"))
    lines += [f"- **{label}:** {text(value)}" for label, value in details if value]
    lines += ["", "## The main event", "", *event_lines(summary.event), ""]
    sections: list[tuple[str, list[str]]] = [
        ("Summary", [f"{text(s.text)}{_mark(s.support)} ({span_references(s.spans)})"
                     for s in summary.summary]),
        ("When", [f"{text(d.text)} \u2192 {describe_date(d)}: {text(d.event)}{_mark(d.support)} "
                  f"({span_references(d.spans)})" for d in summary.when]),
        ("Where", [f"{text(p.name)} ({span_references(p.spans)})" for p in summary.where]),
        ("Who", [f"{text(a.name)} ({a.kind}): {text(a.role)}{_mark(a.support)} "
                 f"({span_references(a.spans)})" for a in summary.actors]),
        ("Facts", [f"{text(f.claim)}{_mark(f.support)} ({span_references(f.spans)})"
                   for f in summary.facts]),
        ("Why (the article's words)", [f"\u201c{text(e.text)}\u201d ({span_references(e.spans)})"
                                       for e in summary.why]),
        ("How (the article's words)", [f"\u201c{text(e.text)}\u201d ({span_references(e.spans)})"
                                       for e in summary.how]),
        ("Numbers", [f"{text(amount(q))} {text(q.counted)}{_mark(q.support)} ({q.qualifier}) \u2014 "
                     f"\u201c{text(q.spans[0].text)}\u201d ({span_references(q.spans)})"
                     + (f" [corrected: {text(q.correction)}]" if q.correction else "")
                     for q in summary.quantities]),
        ("Quotes", [f"{text(q.speaker) or 'speaker not named nearby'}{_mark(q.support)}: "
                    f"\u201c{text(q.text)}\u201d ({span_references(q.spans)})"
                    + "".join(f" \u2014 warning: {text(w)}" for w in q.warnings)
                    for q in summary.quotes]),
        ("Planted instructions (ignored: never used as evidence)",
         [f"\u201c{text(p.text)}\u201d ({span_references(p.spans)})"
          for p in summary.planted_instructions]),
        ("Re-asked (a statement broke a support rule; asked once more)",
         [f"{text(r.section)}: \u201c{text(r.statement)}\u201d ({text(r.problem)}) \u2192 "
          + (f"\u201c{text(r.answer)}\u201d" if r.answer else "no answer") + f": {r.outcome}"
          for r in summary.reasked]),
        ("Judged (the rules could not decide; the model was asked)",
         [f"{text(j.section)}: \u201c{text(j.statement)}\u201d on \u201c{text(j.evidence)}\u201d"
          f" \u2192 {_ANSWER[j.supported]}" for j in summary.judged]),
        ("Rejected (not grounded, not presented as fact)",
         [f"{text(r.section)}: {text(r.reason)}" for r in summary.rejected]),
        ("Incomplete (a pass failed; its items are missing)",
         [f"{p.name}: {text(p.error)}" for p in summary.incomplete]),
    ]
    for title, items in sections:
        if items:
            lines += [f"## {title}", "", *(f"- {item}" for item in items), ""]
    meta = summary.metadata
    lines.append(f"_{text(meta.model)} ({text(meta.endpoint_kind)}), {meta.llm_calls} calls, "
                 f"{meta.usage.prompt_tokens}+{meta.usage.completion_tokens} tokens, "
                 f"{meta.elapsed_seconds:.1f} s_")
    return "\n".join(lines) + "\n"
