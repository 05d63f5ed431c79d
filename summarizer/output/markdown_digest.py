"""Render an EventDigest as Markdown: merged items with their sources, conflicts side by side."""

from __future__ import annotations

from summarizer.output.digest import DigestAnswer, DigestSlot, EventDigest, Failure, Version
from summarizer.output.markdown import code, span_references, text
from summarizer.output.summary import QUESTIONS


def _version(v: Version) -> str:
    return (f"{text(v.value)} \u2014 {', '.join(code(s) for s in v.sources)} "
            f"({span_references(v.spans)})")


def _versions_section(title: str, groups: list[tuple[str, list[Version]]]) -> list[str]:
    """A section listing each group's header and its versions side by side; none when empty."""
    if not groups:
        return []
    lines = [f"## {title}", ""]
    for header, versions in groups:
        lines.append(f"- {header}")  # the caller's header is already escaped
        lines += [f"  - {_version(v)}" for v in versions]
    return [*lines, ""]


def _one_line(text: str, limit: int = 160) -> str:
    """Whitespace collapsed and long passages cut, so one difference stays one list item."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def _digest_answer(answer: DigestAnswer) -> str:
    return (f"{text(answer.text)} — {answer.corroboration} independent "
            f"({', '.join(code(s) for s in answer.sources)}; {span_references(answer.spans)})")


def _slot(question: str, slot: DigestSlot) -> list[str]:
    shown = (f"{_digest_answer(slot.answer)}: {text(slot.rule)}" if slot.answer
             else f"none ({text(slot.reason)})")
    lines = [f"- **{question.capitalize()}:** {shown}"]
    if slot.versions:
        lines.append("  - the sources' first answers differ (a conflict):")
        lines += [f"    - {_digest_answer(v)}" for v in slot.versions]
    return lines


def digest_to_markdown(digest: EventDigest) -> str:
    titles = [s.title or s.doc_id for s in digest.sources]
    lines = [f"# Event digest: {text(titles[0])}", "",
             f"{len(digest.sources)} articles, {digest.independent_sources} independent "
             "(copies of one story count once).", ""]
    lines += ["## The main event", ""]
    for question in QUESTIONS:
        lines += _slot(question, getattr(digest.event, question))
    lines.append("")
    if digest.summary:
        lines += ["## Summary", ""]
        lines += [f"- {text(' '.join(s.text.split()))} ({span_references(s.spans)})"
                  + (" [only one outlet says this]" if s.single_outlet else "")
                  for s in digest.summary]
        lines.append("")
    lines += ["## Sources", ""]
    lines += [f"- {code(s.doc_id)} ({text(s.story)}){': ' + text(s.title) if s.title else ''}"
              + (f", published {text(s.published)}" if s.published else "") for s in digest.sources]
    lines.append("")
    copies = [g for g in digest.duplicate_groups if len(g.members) > 1]
    if copies:
        lines += ["## Copies of one story", ""]
        for group in copies:
            lines.append(f"- {text(group.story)}: {', '.join(code(m) for m in group.members)} "
                         f"(shingle similarity {group.similarity:.2f}); they differ on:")
            lines += [f"  - \u201c{text(_one_line(d.first_text))}\u201d ({code(d.first_doc)}) vs "
                      f"\u201c{text(_one_line(d.second_text))}\u201d ({code(d.second_doc)})"
                      for d in group.differences]
        lines.append("")
    lines += _versions_section("Conflicts", [
        (f"**{text(c.kind)}: {text(c.about)}** ({text(c.rule)})", c.versions)
        for c in digest.conflicts])
    lines += _versions_section("Figures side by side (not asserted to conflict)",
                               [(text(c.about), c.versions) for c in digest.side_by_side])
    if digest.timeline:
        lines += ["## Timeline", ""]
        for entry in digest.timeline:
            lines.append(f"- **{text(entry.day)}**")
            lines += [f"  - {text(m.text)} \u2014 {text(m.event)} ({span_references(m.spans[:1])}): "
                      f"\u201c{text(m.spans[-1].text)}\u201d" for m in entry.mentions]
        lines.append("")
    if digest.model_decisions:
        lines += ["## Asked the model (the rules could not decide)", ""]
        verdicts = {True: "same fact, merged", False: "not the same", None: "no answer, kept apart"}
        lines += [f"- {verdicts[d.same]} ({text(d.model)}): \u201c{text(d.statements[0])}\u201d / "
                  f"\u201c{text(d.statements[1])}\u201d ({span_references(d.spans)})"
                  for d in digest.model_decisions]
        lines.append("")
    if digest.items:
        lines += ["## Items", ""]
        lines += [f"- {text(item.kind)}: {text(item.text)} \u2014 {item.corroboration} independent "
                  f"({', '.join(code(s) for s in item.sources)}; {span_references(item.spans)})"
                  + (" [matched by the model]" if item.matched_by == "model" else "")
                  for item in digest.items]
        lines.append("")
    return "\n".join(lines)


def failures_to_markdown(failures: list[Failure]) -> str:
    """What failed in a run of several articles (the summaries and digests hold the rest)."""
    if not failures:
        return ""
    lines = ["# Failures", ""]
    lines += [f"- {code(f.article)} not summarized: {text(f.error)}" if f.article is not None
              else f"- merge: {text(f.error)}" for f in failures]
    return "\n".join([*lines, ""])
