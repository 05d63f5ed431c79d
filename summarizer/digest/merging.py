"""Several articles' summaries to one `EventDigest` per event: deterministic rules first, a model only
for what they cannot decide.

1. Stories: near-duplicate copies are grouped (`summarizer.digest.duplicates`); a group is one source.
2. Events: stories that report one happening, by the names of their titles and leads, their
   titles' words and their days (`summarizer.digest.grouping`).
3. Items of one event are merged: quantities on equal value, range and unit and a similar counted
   noun (`similar_counted`); dates on equal resolved value (a copy's unresolved date takes the
   value its group-mate resolved for the same expression); places and actors on their normalized
   name; quotes on the same normalized speaker and overlapping words (`QUOTE_OVERLAP`); facts on
   content-word Jaccard of the claims >= `FACT_SIMILARITY` unless they state different figures
   (those are versions, not one fact). Every item keeps the spans of each
   source; `corroboration` counts distinct stories. Facts of different stories whose Jaccard is in
   [`FACT_UNDECIDED`, `FACT_SIMILARITY`) and no differing figures are undecided: with a `Judge`
   (the model), they are asked in one call per event and merged where it says they report the
   same fact (`matched_by: model`, each question and answer in `model_decisions`); without one
   they stay apart.
4. Conflicts between items: see `summarizer.digest.conflicts`.
5. Side by side: counts of a similar counted noun from two or more stories that are neither merged
   nor in conflict are listed together (the 60, 80 and 600 Russians of one outlet next to the 70
   and 37 of another), without claiming that they disagree.
6. Timeline: day-resolved dates (the article's own date line left out) ordered by day, each mention
   with the date's span and its sentence's span.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from summarizer.digest.conflicts import (
    after_publication,
    date_conflicts,
    quantity_conflicts,
    quote_conflicts,
    toll_conflicts,
)
from summarizer.digest.duplicates import components, duplicate_groups, jaccard
from summarizer.digest.grouping import events, evidence_of
from summarizer.digest.matching import (
    DAY,
    Entry,
    kindred_counted,
    sentence_span,
    similar_counted,
    unique,
    version_of,
)
from summarizer.digest.narrative import digest_summary
from summarizer.digest.reconciled_event import digest_event
from summarizer.errors import InputError
from summarizer.normalize.lexicon import content_words, normalized_name
from summarizer.normalize.quantities import figures
from summarizer.output.amounts import amount
from summarizer.output.digest import (
    Comparison,
    Conflict,
    DigestSource,
    DuplicateGroup,
    EventDigest,
    ItemKind,
    MatchedBy,
    MergedItem,
    ModelDecision,
    TimelineEntry,
    TimelineMention,
)
from summarizer.output.summary import DateMention, EventSummary, Quantity, Span
from summarizer.text.document import Document

FACT_SIMILARITY = 0.5
FACT_UNDECIDED = 0.2
QUOTE_OVERLAP = 0.5

P = TypeVar("P")


# --- events ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Story:
    group: DuplicateGroup
    summaries: tuple[EventSummary, ...]
    documents: tuple[Document, ...]

    @property
    def names(self) -> set[str]:
        names = [a.name for s in self.summaries for a in s.actors]
        names += [p.name for s in self.summaries for p in s.where]
        return {normalized_name(name) for name in names if normalized_name(name)}

    @property
    def text(self) -> str:
        return "\n".join(doc.view for doc in self.documents)

    @property
    def days(self) -> set[str]:
        return {d.value[:10] for s in self.summaries for d in s.when if d.value and DAY.match(d.value)}


# --- merging items --------------------------------------------------------------------------------


def _cluster(entries: Sequence[Entry[P]], same: Callable[[Entry[P], Entry[P]], bool]
             ) -> list[list[Entry[P]]]:
    """Greedy: each entry joins the first cluster whose first entry it matches."""
    clusters: list[list[Entry[P]]] = []
    for entry in entries:
        for cluster in clusters:
            if same(cluster[0], entry):
                cluster.append(entry)
                break
        else:
            clusters.append([entry])
    return clusters


class Judge(Protocol):
    """Decides pairs of claims the rules cannot: True (same fact), False, or None (no answer)."""

    @property
    def name(self) -> str: ...

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[bool | None]: ...


def _merged(cluster: Sequence[Entry[object]], matched_by: MatchedBy = "value") -> MergedItem:
    spans = list(dict.fromkeys(span for entry in cluster for span in entry.spans))
    if matched_by != "model" and len(cluster) > 1 and cluster[0].kind in ("quote", "fact"):
        matched_by = "text"
    return MergedItem(kind=cluster[0].kind, text=cluster[0].text, key=cluster[0].key,
                      sources=unique(e.doc_id for e in cluster),
                      corroboration=len({e.story for e in cluster}),
                      matched_by=matched_by, spans=spans)


def _quantity_text(q: Quantity) -> str:
    qualifier = "" if q.qualifier == "exact" else f"{q.qualifier} "
    return f"{qualifier}{amount(q, compact=True)} {q.counted}"


def _same_quantity(a: Entry[Quantity], b: Entry[Quantity]) -> bool:
    qa, qb = a.payload, b.payload
    if qa.malformed or qb.malformed:
        return qa.malformed and qb.malformed and qa.written == qb.written and \
            similar_counted(qa.counted, qb.counted)
    return ((qa.value, qa.range_high, qa.unit) == (qb.value, qb.range_high, qb.unit)
            and similar_counted(qa.counted, qb.counted))


class _Event:
    def __init__(self, stories: Sequence[_Story], judge: Judge | None = None) -> None:
        self.stories = stories
        self.judge = judge
        self.decisions: list[ModelDecision] = []
        self.docs = {doc.id: doc for story in stories for doc in story.documents}
        self.story_of = {doc_id: story.group.story for story in stories
                         for doc_id in story.group.members}
        self.summaries = [s for story in stories for s in story.summaries]
        self._context: dict[Span, set[str]] = {}

    def context(self, span: Span) -> set[str]:
        if span not in self._context:
            self._context[span] = content_words(sentence_span(self.docs[span.doc_id], span).text)
        return self._context[span]

    def after(self, span: Span) -> str:
        """The words of the span's sentence after it ("were killed" after "Seven people")."""
        raw = self.docs[span.doc_id].raw
        sentence = sentence_span(self.docs[span.doc_id], span)
        return raw[span.end:sentence.end]

    def entry(self, kind: ItemKind, key: str, text: str, summary: EventSummary,
              spans: Iterable[Span], payload: P) -> Entry[P]:
        doc_id = summary.document.id
        return Entry(kind, key, text, doc_id, self.story_of[doc_id], tuple(spans), payload)

    def date_value(self, date: DateMention, summary: EventSummary) -> str | None:
        """The resolved value; a copy's unresolved date takes its group-mate's for the same text."""
        if date.value is not None:
            return date.value
        story = self.story_of[summary.document.id]
        for other in self.summaries:
            if other is not summary and self.story_of[other.document.id] == story:
                for candidate in other.when:
                    if candidate.text == date.text and candidate.value is not None:
                        return candidate.value
        return None

    # -- items

    def items(self) -> tuple[list[MergedItem], list[Conflict], list[Comparison]]:
        merged: list[MergedItem] = []
        conflicts: list[Conflict] = []
        quantities = [self.entry("quantity", _quantity_text(q), _quantity_text(q), s, q.spans, q)
                      for s in self.summaries for q in s.quantities]
        quantity_clusters = _cluster(quantities, _same_quantity)
        merged += [_merged(c) for c in quantity_clusters]
        conflicts += quantity_conflicts(quantity_clusters, self.context)
        tolls = toll_conflicts(quantities, self.after)
        conflicts += [c for c in tolls if not any(
            {v.value for v in c.versions} <= {v.value for v in other.versions} for other in conflicts)]
        compared = self._side_by_side(quantity_clusters)

        dates = [self.entry("date", value, d.text, s, d.spans, d) for s in self.summaries
                 for d in s.when if (value := self.date_value(d, s)) and not value.endswith("_REF")]
        merged += [_merged(c) for c in _cluster(dates, lambda a, b: a.key == b.key)]
        conflicts += date_conflicts(dates)

        places = [self.entry("place", normalized_name(p.name), p.name, s, p.spans, None)
                  for s in self.summaries for p in s.where]
        actors = [self.entry("actor", normalized_name(a.name), a.name, s, a.spans, None)
                  for s in self.summaries for a in s.actors]
        for named in (places, actors):
            merged += [_merged(c) for c in _cluster(named, lambda a, b: a.key == b.key)]

        quotes = [self.entry("quote", normalized_name(q.speaker), f"{q.speaker}: \u201c{q.text}\u201d",
                             s, q.spans, content_words(q.text)) for s in self.summaries
                  for q in s.quotes]
        merged += [_merged(c) for c in _cluster(quotes, _same_quote)]
        conflicts += quote_conflicts(quotes)

        facts = [self.entry("fact", " ".join(sorted(content_words(f.claim))), f.claim, s, f.spans,
                            content_words(f.claim)) for s in self.summaries for f in s.facts]
        merged += self._judged_facts(_cluster(facts, _same_fact))
        merged.sort(key=lambda item: -item.corroboration)  # stable: kinds keep their order
        conflicts += after_publication(self.summaries)
        return merged, conflicts, compared

    def _judged_facts(self, clusters: list[list[Entry[set[str]]]]) -> list[MergedItem]:
        """Fact clusters as merged items, after the judge joined the undecided pairs it could."""
        undecided = []
        for i, first in enumerate(clusters):
            for j in range(i + 1, len(clusters)):
                second = clusters[j]
                if {e.story for e in first} & {e.story for e in second}:
                    continue  # one story's own facts: copies are matched by the rules alone
                closest = max((jaccard(a.payload, b.payload) for a in first for b in second
                               if a.payload and b.payload), default=0.0)
                if FACT_UNDECIDED <= closest < FACT_SIMILARITY and \
                        not _different_figures(first[0].text, second[0].text):
                    undecided.append((closest, i, j))
        if self.judge is None or not undecided:
            return [_merged(c) for c in clusters]
        undecided.sort(key=lambda pair: -pair[0])  # the closest first, should the judge cap them
        verdicts = self.judge([(clusters[i][0].text, clusters[j][0].text) for _, i, j in undecided])
        joined: list[tuple[int, int]] = []
        for (_, i, j), same in zip(undecided, verdicts, strict=False):
            self.decisions.append(ModelDecision(
                kind="fact", statements=[clusters[i][0].text, clusters[j][0].text], same=same,
                model=self.judge.name, spans=[*clusters[i][0].spans, *clusters[j][0].spans]))
            if same:
                joined.append((i, j))
        return [_merged([e for i in members for e in clusters[i]],
                        "model" if len(members) > 1 else "value")  # >1: clusters the model joined
                for members in components(len(clusters), joined)]

    def _side_by_side(self, clusters: list[list[Entry[Quantity]]]) -> list[Comparison]:
        def counted(cluster: list[Entry[Quantity]]) -> str:
            return cluster[0].payload.counted

        found = []
        kinds: list[list[list[Entry[Quantity]]]] = []
        for cluster in clusters:
            for kind in kinds:
                if kindred_counted(counted(kind[0]), counted(cluster)):
                    kind.append(cluster)
                    break
            else:
                kinds.append([cluster])
        for kind in kinds:
            if len(kind) > 1 and len({e.story for cluster in kind for e in cluster}) > 1:
                found.append(Comparison(about=counted(kind[0]),
                                        versions=[version_of(cluster) for cluster in kind]))
        return found

    # -- timeline

    def timeline(self) -> list[TimelineEntry]:
        days: dict[str, list[TimelineMention]] = {}
        for summary in self.summaries:
            own = summary.document.published_span
            doc = self.docs[summary.document.id]
            for date in summary.when:
                value = self.date_value(date, summary)
                if not value or not DAY.match(value):
                    continue
                if own is not None and any(s.start >= own.start and s.end <= own.end
                                           for s in date.spans):
                    continue  # the article's own date line is no event
                context = sentence_span(doc, date.spans[0])
                spans = [*date.spans, context] if context != date.spans[0] else list(date.spans)
                days.setdefault(value[:10], []).append(TimelineMention(
                    doc_id=doc.id, text=date.text, event=date.event, spans=spans))
        return [TimelineEntry(day=day, sources=unique(m.doc_id for m in mentions), mentions=mentions)
                for day, mentions in sorted(days.items())]


def _same_quote(a: Entry[set[str]], b: Entry[set[str]]) -> bool:
    if a.key != b.key:
        return False
    small = min(len(a.payload), len(b.payload))
    return small > 0 and len(a.payload & b.payload) / small >= QUOTE_OVERLAP


def _different_figures(a: str, b: str) -> bool:
    """Both claims state figures (numbers, days) and not the same ones: the rules decide they are
    different facts ("Nearly 600 ... awaiting" is not "... to fly on November 15")."""
    first = {f.value for f in figures(a) if f.value is not None}
    second = {f.value for f in figures(b) if f.value is not None}
    return bool(first and second) and first != second


def _same_fact(a: Entry[set[str]], b: Entry[set[str]]) -> bool:
    return jaccard(a.payload, b.payload) >= FACT_SIMILARITY and not _different_figures(a.text, b.text)


# --- the whole ------------------------------------------------------------------------------------


def merge(summaries: Sequence[EventSummary], documents: Sequence[Document],
          judge: Judge | None = None) -> list[EventDigest]:
    """One digest per event the articles report, in input order (an article about something else
    gets a digest of its own). `documents` are the articles the summaries were made from; `judge`
    (the model) decides the fact matches the rules cannot, and without it those stay apart."""
    by_id = {doc.id: doc for doc in documents}
    missing = [s.document.id for s in summaries if s.document.id not in by_id]
    if missing:
        raise InputError(f"no document given for summaries {', '.join(missing)}")
    if len({s.document.id for s in summaries}) != len(summaries):
        raise InputError("two summaries share one doc_id; give each article a distinct id")
    ordered = [by_id[s.document.id] for s in summaries]
    summary_of = {s.document.id: s for s in summaries}
    stories = [_Story(group, tuple(summary_of[m] for m in group.members),
                      tuple(by_id[m] for m in group.members)) for group in duplicate_groups(ordered)]
    evidence = [evidence_of(story.summaries, story.documents) for story in stories]
    digests = []
    for members in events(evidence):
        event = _Event([stories[i] for i in members], judge)
        items, conflicts, compared = event.items()
        block = digest_event(event.summaries, event.story_of)
        digests.append(EventDigest(
            sources=[DigestSource(doc_id=s.document.id, title=s.document.title,
                                  published=s.document.published, story=event.story_of[s.document.id])
                     for s in event.summaries],
            independent_sources=len(members),
            event=block,
            summary=digest_summary(event.summaries, event.docs, event.story_of, block),
            duplicate_groups=[stories[i].group for i in members],
            items=items, conflicts=conflicts, side_by_side=compared, timeline=event.timeline(),
            model_decisions=event.decisions))
    return digests
