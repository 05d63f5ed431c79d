"""Render a summary or an article set as one self-contained HTML report a person checks by clicking.

Left: the structured summary (and, for several articles, each digest); right: each article's raw
text with every span highlighted. Everything is rendered here from the output models and the raw
texts alone: the marks are placed by Python (so the report prints without JavaScript) and the small
inline script only links items and marks. Jinja2 autoescapes every model and article string; the
one JSON blob for the script has `<`, `>` and `&` escaped so no text can close its <script>.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

import jinja2
from markupsafe import Markup

from summarizer.errors import InputError
from summarizer.output.amounts import amount
from summarizer.output.digest import ArticleSet, EventDigest, Version
from summarizer.output.markdown import describe_date
from summarizer.output.summary import QUESTIONS, EventBlock, EventSummary, Span

# A worse alignment wins when spans overlap: the mark shows the weakest evidence under it.
_ALIGNMENT_RANK = {"exact": 0, "normalized": 1, "fuzzy": 2}
_LEGEND = (("summary", "summary"), ("meta", "source"), ("date", "when"), ("place", "where"),
           ("actor", "who"), ("fact", "fact"), ("quantity", "number"), ("quote", "quote"),
           ("conflict", "conflict"), ("comparison", "side by side"), ("difference", "copies differ"),
           ("decision", "asked the model"))
_VERDICTS = {True: "same fact, merged", False: "not the same", None: "no answer, kept apart"}


@dataclass(frozen=True)
class Entry:
    """One line of the left pane; `item` links it to its marks (None: a heading with no spans)."""

    item: str | None
    kind: str
    text: str
    details: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()
    children: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    entries: tuple[Entry, ...]
    note: str = ""


@dataclass(frozen=True)
class Segment:
    text: str
    items: tuple[str, ...] = ()
    kind: str = ""
    alignment: str = "exact"


@dataclass(frozen=True)
class Article:
    doc_id: str
    title: str
    segments: tuple[Segment, ...]
    marks: int


@dataclass
class _Items:
    """Hands out item ids and remembers each item's label and spans for the marks and the script."""

    labels: dict[str, str] = field(default_factory=dict)
    marks: list[tuple[Span, str, str]] = field(default_factory=list)

    def entry(self, kind: str, text: str, spans: Iterable[Span], *, label: str = "",
              details: Iterable[str] = (), flags: Iterable[str] = (),
              children: Iterable[Entry] = ()) -> Entry:
        item = f"i{len(self.labels)}"
        self.labels[item] = f"{kind}: {label or text}"
        spans = tuple(spans)
        self.marks += [(span, item, kind) for span in spans]
        return Entry(item, kind, text, tuple(details), tuple(flags), spans, tuple(children))


_QUESTION_KINDS = {"who": "actor", "what": "summary", "when": "date", "where": "place",
                   "why": "fact", "how": "fact"}


def _event_section(event: EventBlock, items: _Items) -> Section:
    """The main event first: each question's answer (its rule and runners-up below it)."""
    entries = []
    for question in QUESTIONS:
        slot = getattr(event, question)
        kind = _QUESTION_KINDS[question]
        if slot.answer is None:
            entries.append(Entry(None, kind, f"{question}: none", details=(slot.reason or "",)))
            continue
        answer = slot.answer
        runners = tuple(items.entry(kind, f"runner-up: {r.text}", r.spans, details=[r.rule])
                        for r in slot.runners_up)
        entries.append(items.entry(kind, f"{question}: {answer.text}", answer.spans,
                                   details=[x for x in (answer.value, answer.rule) if x],
                                   children=runners))
    return Section("The main event", tuple(entries), "One ranked answer per question.")


def _digest_event_sections(digest: EventDigest, items: _Items) -> list[Section]:
    entries = []
    for question in QUESTIONS:
        slot = getattr(digest.event, question)
        kind = _QUESTION_KINDS[question]
        versions = tuple(items.entry("conflict", v.text, v.spans, details=[
            f"first answer of {', '.join(v.sources)} ({v.corroboration} independent)"])
            for v in slot.versions)
        if slot.answer is None:
            entries.append(Entry(None, kind, f"{question}: none", details=(slot.reason or "",),
                                 children=versions))
        else:
            entries.append(items.entry(kind, f"{question}: {slot.answer.text}", slot.answer.spans,
                                       details=[slot.rule or ""], children=versions))
    told = tuple(items.entry("summary", s.text, s.spans, details=[", ".join(s.sources)],
                             flags=["only one outlet says this"] if s.single_outlet else [])
                 for s in digest.summary)
    return [Section("The main event", tuple(entries), "Reconciled across the sources; where "
                    "their first answers differ, each version is shown."),
            Section("Summary", told, "Source sentences, chosen and ordered by code.")]


def _summary_sections(summary: EventSummary, items: _Items) -> list[Section]:
    doc = summary.document
    meta = [items.entry("meta", f"{name}: {value}", [span])
            for name, value, span in (("Title", doc.title, doc.title_span),
                                      ("Published", doc.published, doc.published_span),
                                      ("URL", doc.url, doc.url_span)) if value and span]
    # the model's own words (a date's event, what a figure counts, a role) are flagged where the
    # rules alone did not accept them, as the summary sentences are
    when = [items.entry("date", d.text, d.spans, details=[f"\u2192 {describe_date(d)}", d.event],
                        flags=[*d.flags, *_checked(d.support)]) for d in summary.when]
    numbers = [items.entry(
        "quantity", f"{amount(q)} {q.counted}", q.spans,
        details=[f"qualifier: {q.qualifier}", f"written: \u201c{q.written or q.spans[0].text}\u201d"],
        flags=[*(["malformed figure"] if q.malformed else []),
               *([f"model said {q.correction}; read from the text"] if q.correction else []),
               *_checked(q.support)])
        for q in summary.quantities]
    quotes = [items.entry("quote", f"\u201c{q.text}\u201d", q.spans, label=f"{q.speaker}: {q.text}",
                          details=[f"\u2014 {q.speaker}"], flags=q.warnings) for q in summary.quotes]
    sections = [
        _event_section(summary.event, items),
        Section("Source", tuple(meta)),
        Section("Summary", tuple(items.entry("summary", s.text, s.spans, flags=_checked(s.support))
                                 for s in summary.summary)),
        Section("When", tuple(when)),
        Section("Where", tuple(items.entry("place", p.name, p.spans) for p in summary.where)),
        Section("Who", tuple(items.entry("actor", a.name, a.spans, details=[f"{a.kind}: {a.role}"],
                                         flags=_checked(a.support)) for a in summary.actors)),
        Section("Facts", tuple(items.entry("fact", f.claim, f.spans, flags=_checked(f.support))
                               for f in summary.facts)),
        Section("Why", tuple(items.entry("fact", e.text, e.spans, label=f"why: {e.text}")
                             for e in summary.why)),
        Section("How", tuple(items.entry("fact", e.text, e.spans, label=f"how: {e.text}")
                             for e in summary.how)),
        Section("Numbers", tuple(numbers)),
        Section("Quotes", tuple(quotes)),
    ]
    flagged = [e for e in (*when, *numbers, *quotes) if e.flags]
    if flagged:
        sections.append(Section("Flagged", tuple(flagged), "Kept as written; check these first."))
    planted = tuple(items.entry("planted", p.text, p.spans, details=[p.reason])
                    for p in summary.planted_instructions)
    if planted:
        sections.append(Section("Planted instructions", planted, "Sentences that give orders to "
                                "an AI: ignored, never used as evidence."))
    model_checks = tuple(
        [Entry(None, "rejected", f"re-asked ({r.section}): \u201c{r.statement}\u201d",
               details=(f"problem: {r.problem}", f"answer: {r.answer or '(none)'}",
                        f"outcome: {r.outcome}")) for r in summary.reasked]
        + [Entry(None, "rejected", f"judged ({j.section}): \u201c{j.statement}\u201d",
                 details=(f"evidence: \u201c{j.evidence}\u201d",
                          f"answer: {_JUDGE_ANSWER[j.supported]}")) for j in summary.judged])
    if model_checks:
        sections.append(Section("Checked by the model", model_checks, "Statements that broke a "
                                "support rule (re-asked once) or that the rules could not decide "
                                "(judged)."))
    rejected = tuple(Entry(None, "rejected", f"{r.section}: {r.reason}",
                           details=tuple(f"{k}: {v}" for k, v in r.item.items() if v is not None))
                     for r in summary.rejected)
    if rejected:
        sections.append(Section("Rejected", rejected, "Not grounded in the text: never presented "
                                "as fact."))
    return [s for s in sections if s.entries]


_JUDGE_ANSWER = {True: "supported", False: "not supported", None: "no answer"}


def _checked(support: str) -> list[str]:
    """A flag on a statement the rules alone did not accept."""
    return {"judged": ["accepted by the model as judge"],
            "evidence-only": ["the model's wording failed the check: the article's words"]}.get(
                support, [])


def _versions(items: _Items, kind: str, versions: list[Version]) -> tuple[Entry, ...]:
    return tuple(items.entry(kind, v.value, v.spans, details=[f"from {', '.join(v.sources)}"])
                 for v in versions)


def _digest_sections(digest: EventDigest, items: _Items) -> list[Section]:
    sources = [Entry(None, "source", f"{s.doc_id}: {s.title or '(untitled)'}",
                     details=tuple(x for x in (f"story {s.story}",
                                               s.published and f"published {s.published}") if x))
               for s in digest.sources]
    copies = [Entry(None, "source", f"{g.story}: {', '.join(g.members)} are copies of one story "
                    f"(similarity {g.similarity:.2f})", children=tuple(
                        items.entry("difference", f"\u201c{d.first_text}\u201d vs \u201c"
                                    f"{d.second_text}\u201d", [*d.first_spans, *d.second_spans],
                                    details=[f"{d.first_doc} vs {d.second_doc}"])
                        for d in g.differences))
              for g in digest.duplicate_groups if len(g.members) > 1]
    conflicts = [Entry(None, "conflict", f"{c.kind}: {c.about}", details=(c.rule,),
                       children=_versions(items, "conflict", c.versions)) for c in digest.conflicts]
    side = [Entry(None, "comparison", c.about, children=_versions(items, "comparison", c.versions))
            for c in digest.side_by_side]
    timeline = [Entry(None, "date", e.day, details=(f"from {', '.join(e.sources)}",), children=tuple(
        items.entry("date", f"{m.text} \u2014 {m.event}", m.spans, details=[m.doc_id])
        for m in e.mentions)) for e in digest.timeline]
    decisions = [items.entry("decision", f"\u201c{d.statements[0]}\u201d / \u201c{d.statements[1]}"
                             "\u201d", d.spans, details=[f"{_VERDICTS[d.same]} ({d.model})"])
                 for d in digest.model_decisions]
    merged = [items.entry(i.kind, i.text, i.spans, details=[
        f"{i.corroboration} independent ({', '.join(i.sources)})", f"matched by {i.matched_by}"])
        for i in digest.items]
    sections = [
        *_digest_event_sections(digest, items),
        Section("Sources", (*sources, *copies),
                f"{len(digest.sources)} articles, {digest.independent_sources} independent "
                "(copies of one story count once)."),
        Section("Conflicts", tuple(conflicts), "Each version is shown; none is chosen."),
        Section("Figures side by side", tuple(side), "Not asserted to conflict."),
        Section("Timeline", tuple(timeline)),
        Section("Asked the model", tuple(decisions), "Matches the rules could not decide."),
        Section("Items", tuple(merged)),
    ]
    return [s for s in sections if s.entries]


def _segments(raw: str, marks: list[tuple[Span, str, str]]) -> tuple[Segment, ...]:
    """The raw text cut at every span boundary; each piece lists the items whose spans cover it and
    takes the kind of the shortest covering span (the most specific)."""
    bounds = sorted({0, len(raw), *(s.start for s, _, _ in marks), *(s.end for s, _, _ in marks)})
    pieces: list[Segment] = []
    for start, end in pairwise(bounds):
        over = [(s, item, kind) for s, item, kind in marks if s.start <= start and end <= s.end]
        if not over:
            pieces.append(Segment(raw[start:end]))
            continue
        shortest = min(over, key=lambda m: m[0].end - m[0].start)
        worst = max((s.alignment for s, _, _ in over), key=_ALIGNMENT_RANK.__getitem__)
        pieces.append(Segment(raw[start:end], tuple(dict.fromkeys(i for _, i, _ in over)),
                              shortest[2], worst))
    return tuple(pieces)


def _articles(texts: Mapping[str, str], titles: Mapping[str, str],
              marks: list[tuple[Span, str, str]]) -> tuple[Article, ...]:
    by_doc: dict[str, list[tuple[Span, str, str]]] = {doc: [] for doc in titles}
    for mark in marks:
        span = mark[0]
        raw = texts.get(span.doc_id)
        if raw is None:
            raise InputError(f"no article text for document {span.doc_id!r}")
        if raw[span.start:span.end] != span.text:
            raise InputError(f"article {span.doc_id!r} does not match its span [{span.start}:"
                             f"{span.end}] (a different version of the file?)")
        by_doc.setdefault(span.doc_id, []).append(mark)
    return tuple(Article(doc, titles.get(doc, doc), _segments(texts[doc], found),
                         len({m[1] for m in found}))
                 for doc, found in by_doc.items())


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("summarizer.output", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


@cache
def _asset(name: str) -> str:
    """CSS or JS shipped beside the template, inlined verbatim (the report fetches nothing)."""
    loader = _environment().loader
    assert loader is not None
    return loader.get_source(_environment(), name)[0]


def _script_json(value: object) -> str:
    """JSON safe inside <script type="application/json">: no `<`, `>` or `&` survives literally."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def to_html(result: EventSummary | ArticleSet, texts: Mapping[str, str]) -> str:
    """The report of one summary or an article set; `texts` maps each doc_id to the article's raw
    text exactly as summarized (InputError when one is missing or does not match its spans)."""
    summaries = [result] if isinstance(result, EventSummary) else result.summaries
    digests = [] if isinstance(result, EventSummary) else result.digests
    items = _Items()
    digest_parts = [(f"Event digest: {d.sources[0].title or d.sources[0].doc_id}",
                     _digest_sections(d, items)) for d in digests]
    summary_parts = [(s.headline.text, s.document.id, items.entry("summary", s.headline.text,
                                                                 s.headline.spans, label="headline"),
                      s.event_type, _summary_sections(s, items), s.metadata) for s in summaries]
    titles = {s.document.id: s.document.title or s.document.id for s in summaries}
    articles = _articles(texts, titles, items.marks)
    title = (summaries[0].headline.text if len(summaries) == 1 else
             digest_parts[0][0] if digest_parts else f"{len(summaries)} articles")
    environment = _environment()
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return environment.get_template("report.html.jinja").render(
        title=title, digests=digest_parts, summaries=summary_parts, articles=articles,
        single=len(summaries) == 1, legend=_LEGEND, style=Markup(_asset("report.css")),
        script=Markup(script), script_hash=f"sha256-{digest}",
        data=Markup(_script_json({"labels": items.labels})))
