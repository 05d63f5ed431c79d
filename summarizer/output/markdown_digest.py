"""Render an EventDigest as Markdown: merged items with their sources, conflicts side by side."""

from __future__ import annotations

from summarizer.output.digest import DigestAnswer, DigestSlot, EventDigest, Version
from summarizer.output.markdown import span_references


def _version(v: Version) -> str:
    return f"{v.value} \u2014 {', '.join(f'`{s}`' for s in v.sources)} ({span_references(v.spans)})"


def _versions_section(title: str, groups: list[tuple[str, list[Version]]]) -> list[str]:
    """A section listing each group's header and its versions side by side; none when empty."""
    if not groups:
        return []
    lines = [f"## {title}", ""]
    for header, versions in groups:
        lines.append(f"- {header}")
        lines += [f"  - {_version(v)}" for v in versions]
    return [*lines, ""]


def _one_line(text: str, limit: int = 160) -> str:
    """Whitespace collapsed and long passages cut, so one difference stays one list item."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def _digest_answer(answer: DigestAnswer) -> str:
    return (f"{answer.text} — {answer.corroboration} independent "
            f"({', '.join(f'`{s}`' for s in answer.sources)}; {span_references(answer.spans)})")


def _slot(question: str, slot: DigestSlot) -> list[str]:
    shown = f"{_digest_answer(slot.answer)}: {slot.rule}" if slot.answer else f"none ({slot.reason})"
    lines = [f"- **{question.capitalize()}:** {shown}"]
    if slot.versions:
        lines.append("  - the sources' first answers differ (a conflict):")
        lines += [f"    - {_digest_answer(v)}" for v in slot.versions]
    return lines


def digest_to_markdown(digest: EventDigest) -> str:
    titles = [s.title or s.doc_id for s in digest.sources]
    lines = [f"# Event digest: {titles[0]}", "",
             f"{len(digest.sources)} articles, {digest.independent_sources} independent "
             "(copies of one story count once).", ""]
    lines += ["## The main event", ""]
    for question in ("who", "what", "when", "where"):
        lines += _slot(question, getattr(digest.event, question))
    lines.append("")
    if digest.summary:
        lines += ["## Summary", ""]
        lines += [f"- {' '.join(s.text.split())} ({span_references(s.spans)})"
                  + (" [only one outlet says this]" if s.single_outlet else "")
                  for s in digest.summary]
        lines.append("")
    lines += ["## Sources", ""]
    lines += [f"- `{s.doc_id}` ({s.story}){': ' + s.title if s.title else ''}"
              + (f", published {s.published}" if s.published else "") for s in digest.sources]
    lines.append("")
    copies = [g for g in digest.duplicate_groups if len(g.members) > 1]
    if copies:
        lines += ["## Copies of one story", ""]
        for group in copies:
            lines.append(f"- {group.story}: {', '.join(f'`{m}`' for m in group.members)} "
                         f"(shingle similarity {group.similarity:.2f}); they differ on:")
            lines += [f"  - \u201c{_one_line(d.first_text)}\u201d (`{d.first_doc}`) vs "
                      f"\u201c{_one_line(d.second_text)}\u201d (`{d.second_doc}`)"
                      for d in group.differences]
        lines.append("")
    lines += _versions_section("Conflicts", [(f"**{c.kind}: {c.about}** ({c.rule})", c.versions)
                                             for c in digest.conflicts])
    lines += _versions_section("Figures side by side (not asserted to conflict)",
                               [(c.about, c.versions) for c in digest.side_by_side])
    if digest.timeline:
        lines += ["## Timeline", ""]
        for entry in digest.timeline:
            lines.append(f"- **{entry.day}**")
            lines += [f"  - {m.text} \u2014 {m.event} ({span_references(m.spans[:1])}): "
                      f"\u201c{m.spans[-1].text}\u201d" for m in entry.mentions]
        lines.append("")
    if digest.model_decisions:
        lines += ["## Asked the model (the rules could not decide)", ""]
        verdicts = {True: "same fact, merged", False: "not the same", None: "no answer, kept apart"}
        lines += [f"- {verdicts[d.same]} ({d.model}): \u201c{d.statements[0]}\u201d / "
                  f"\u201c{d.statements[1]}\u201d ({span_references(d.spans)})"
                  for d in digest.model_decisions]
        lines.append("")
    if digest.items:
        lines += ["## Items", ""]
        lines += [f"- {item.kind}: {item.text} \u2014 {item.corroboration} independent "
                  f"({', '.join(f'`{s}`' for s in item.sources)}; {span_references(item.spans)})"
                  + (" [matched by the model]" if item.matched_by == "model" else "")
                  for item in digest.items]
        lines.append("")
    return "\n".join(lines)
