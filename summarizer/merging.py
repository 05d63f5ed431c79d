"""Several articles' summaries to one `EventDigest` per event: deterministic, no model.

1. Stories: near-duplicate copies are grouped (`summarizer.duplicates`); a group is one source.
2. Events: two stories report the same event when (a) at least `SAME_EVENT_NAMES` actor or place
   names of one are written in the other's text (or both summaries name them) and they share a
   resolved day or their content words overlap by `SAME_EVENT_OVERLAP` (Jaccard); or (b) their
   content words alone overlap by `SAME_EVENT_TEXT`. Events are the connected components.
3. Items of one event are merged: quantities on equal value, range and unit and a similar counted
   noun (`similar_counted`); dates on equal resolved value (a copy's unresolved date takes the
   value its group-mate resolved for the same expression); places and actors on their normalized
   name; quotes on the same normalized speaker and overlapping words (`QUOTE_OVERLAP`); facts on
   content-word Jaccard of the claims >= `FACT_SIMILARITY`. Every item keeps the spans of each
   source; `corroboration` counts distinct stories.
4. Conflicts (conservative: a false conflict is worse than a missed one):
   - quantities: similar counted noun, sentences around the spans sharing >= `CONTEXT_OVERLAP` of
     their content words, and values that cannot both be true given their qualifiers ("more than
     60" and "70" can; a malformed figure against a readable one cannot);
   - dates: model event descriptions with >= `EVENT_OVERLAP` word overlap (and two content words at
     least) resolved to different days;
   - quotes: the same words (>= `QUOTE_SAME`) attributed to different speakers;
   - within one article: a date temporal flagged "after-publication-date" against the article's
     own publication date.
5. Side by side: counts of a similar counted noun from two or more stories that are neither merged
   nor in conflict are listed together (the 60, 80 and 600 Russians of one outlet next to the 70
   and 37 of another), without claiming that they disagree.
6. Timeline: day-resolved dates (the article's own date line left out) ordered by day, each mention
   with the date's span and its sentence's span.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from summarizer.digest_models import (
    Comparison,
    Conflict,
    DigestSource,
    DuplicateGroup,
    EventDigest,
    ItemKind,
    MergedItem,
    TimelineEntry,
    TimelineMention,
    Version,
)
from summarizer.document import Document
from summarizer.duplicates import components, duplicate_groups, jaccard, words
from summarizer.errors import InputError
from summarizer.models import DateMention, EventSummary, Quantity, Span
from summarizer.sentences import sentence_bounds

SAME_EVENT_NAMES = 2
SAME_EVENT_OVERLAP = 0.05
SAME_EVENT_TEXT = 0.3
FACT_SIMILARITY = 0.5
QUOTE_OVERLAP = 0.5
QUOTE_SAME = 0.8
CONTEXT_OVERLAP = 0.6
EVENT_OVERLAP = 0.6
COUNTED_SIMILARITY = 0.6

_STOP = frozenset((
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but",
    "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "it", "its",
    "this", "that", "these", "those", "which", "who", "whom", "whose", "what", "when", "where",
    "while", "than", "then", "there", "their", "they", "them", "he", "she", "his", "her", "we",
    "our", "you", "your", "not", "no", "said", "says", "say", "will", "would", "could", "should",
    "may", "might", "can", "also", "into", "over", "after", "before", "about", "more", "most",
    "some", "such", "only", "other", "all", "any", "each",
))
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def content_words(text: str) -> set[str]:
    """Lowercased words minus stop words and one-letter words, a plural's "s" dropped."""
    found = set()
    for word in words(text.replace("\u2019", "'")):
        word = word.removesuffix("'s")
        if word in _STOP or len(word) < 2:
            continue
        found.add(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss")
                  else word)
    return found


def normalized_name(name: str) -> str:
    kept = " ".join(words(name.replace("\u2019", "'")))
    return kept.removeprefix("the ")


def similar_counted(a: str, b: str) -> bool:
    """"Russian citizens" ~ "number of Russian citizens"; "people" !~ "Palestinians"."""
    left, right = content_words(a) - {"number"}, content_words(b) - {"number"}
    if not left or not right:
        return False
    return jaccard(left, right) >= COUNTED_SIMILARITY


def kindred_counted(a: str, b: str) -> bool:
    """Loosely the same kind of thing, for side-by-side listing only: similar, or sharing a proper
    word ("Russian citizens", "evacuated Russians"; not "citizens" and "Russian citizens")."""
    if similar_counted(a, b):
        return True
    proper = content_words(" ".join(re.findall(r"\b[A-Z]\w+", f"{a} {b}")))
    return bool(content_words(a) & content_words(b) & proper)


def sentence_span(doc: Document, span: Span) -> Span:
    """The sentence around a span, as a raw-text span."""
    start, end = sentence_bounds(doc.raw, span.start, span.end)
    if start > span.start or end < span.end:
        start, end = span.start, span.end
    return Span(doc_id=doc.id, start=start, end=end, text=doc.raw[start:end])


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
        return {d.value[:10] for s in self.summaries for d in s.when if d.value and _DAY.match(d.value)}


def _written_in(name: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", " ".join(words(text))) is not None


def same_event_evidence(a: _Story, b: _Story) -> tuple[int, int, float]:
    """(shared names, shared days, content-word Jaccard) of two stories."""
    text_a, text_b = a.text, b.text
    shared = {n for n in a.names | b.names if _written_in(n, text_a) and _written_in(n, text_b)}
    shared |= a.names & b.names
    overlap = jaccard(content_words(text_a), content_words(text_b))
    return len(shared), len(a.days & b.days), overlap


def same_event(a: _Story, b: _Story) -> bool:
    names, days, overlap = same_event_evidence(a, b)
    if names >= SAME_EVENT_NAMES and (days >= 1 or overlap >= SAME_EVENT_OVERLAP):
        return True
    return overlap >= SAME_EVENT_TEXT


# --- merging items --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    kind: ItemKind
    key: str
    text: str
    doc_id: str
    story: str
    spans: tuple[Span, ...]
    payload: object = None


def _cluster(entries: Sequence[_Entry], same: Callable[[_Entry, _Entry], bool]) -> list[list[_Entry]]:
    """Greedy: each entry joins the first cluster whose first entry it matches."""
    clusters: list[list[_Entry]] = []
    for entry in entries:
        for cluster in clusters:
            if same(cluster[0], entry):
                cluster.append(entry)
                break
        else:
            clusters.append([entry])
    return clusters


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _merged(cluster: list[_Entry]) -> MergedItem:
    spans = list(dict.fromkeys(span for entry in cluster for span in entry.spans))
    return MergedItem(kind=cluster[0].kind, text=cluster[0].text, key=cluster[0].key,
                      sources=_unique(e.doc_id for e in cluster),
                      corroboration=len({e.story for e in cluster}), spans=spans)


def _amount(q: Quantity) -> str:
    if q.value is None:
        return f"{q.written} (malformed)"
    high = f"-{q.range_high:g}" if q.range_high is not None else ""
    return f"{q.value:g}{high}" + (f" {q.unit}" if q.unit else "")


def _quantity_text(q: Quantity) -> str:
    qualifier = "" if q.qualifier == "exact" else f"{q.qualifier} "
    return f"{qualifier}{_amount(q)} {q.counted}"


def _same_quantity(a: _Entry, b: _Entry) -> bool:
    qa, qb = a.payload, b.payload
    assert isinstance(qa, Quantity) and isinstance(qb, Quantity)
    if qa.malformed or qb.malformed:
        return qa.malformed and qb.malformed and qa.written == qb.written and \
            similar_counted(qa.counted, qb.counted)
    return ((qa.value, qa.range_high, qa.unit) == (qb.value, qb.range_high, qb.unit)
            and similar_counted(qa.counted, qb.counted))


def _interval(q: Quantity) -> tuple[float, float]:
    assert q.value is not None
    v = q.value
    if q.range_high is not None:
        return v, q.range_high
    return {"exact": (v, v), "approximately": (v * 0.9, v * 1.1), "more than": (v, float("inf")),
            "at least": (v, float("inf")), "fewer than": (0.0, v), "at most": (0.0, v),
            "up to": (0.0, v)}[q.qualifier]


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether both figures can be true of one thing ("more than 60" and "70" can)."""
    if a.malformed or b.malformed:
        return a.malformed and b.malformed and a.written == b.written
    if a.unit != b.unit:
        return False
    (low_a, high_a), (low_b, high_b) = _interval(a), _interval(b)
    return low_a <= high_b and low_b <= high_a


class _Event:
    def __init__(self, stories: Sequence[_Story]) -> None:
        self.stories = stories
        self.docs = {doc.id: doc for story in stories for doc in story.documents}
        self.story_of = {doc_id: story.group.story for story in stories
                         for doc_id in story.group.members}
        self.summaries = [s for story in stories for s in story.summaries]
        self._context: dict[Span, set[str]] = {}

    def context(self, span: Span) -> set[str]:
        if span not in self._context:
            self._context[span] = content_words(sentence_span(self.docs[span.doc_id], span).text)
        return self._context[span]

    def entry(self, kind: ItemKind, key: str, text: str, summary: EventSummary,
              spans: Iterable[Span], payload: object = None) -> _Entry:
        doc_id = summary.document.id
        return _Entry(kind, key, text, doc_id, self.story_of[doc_id], tuple(spans), payload)

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
        conflicts += self._quantity_conflicts(quantity_clusters)
        compared = self._side_by_side(quantity_clusters)

        dates = [self.entry("date", value, d.text, s, d.spans, d) for s in self.summaries
                 for d in s.when if (value := self.date_value(d, s)) and not value.endswith("_REF")]
        merged += [_merged(c) for c in _cluster(dates, lambda a, b: a.key == b.key)]
        conflicts += self._date_conflicts(dates)

        places = [self.entry("place", normalized_name(p.name), p.name, s, p.spans)
                  for s in self.summaries for p in s.where]
        actors = [self.entry("actor", normalized_name(a.name), a.name, s, a.spans)
                  for s in self.summaries for a in s.actors]
        for named in (places, actors):
            merged += [_merged(c) for c in _cluster(named, lambda a, b: a.key == b.key)]

        quotes = [self.entry("quote", normalized_name(q.speaker), f"{q.speaker}: \u201c{q.text}\u201d",
                             s, q.spans, content_words(q.text)) for s in self.summaries
                  for q in s.quotes]
        merged += [_merged(c) for c in _cluster(quotes, _same_quote)]
        conflicts += self._quote_conflicts(quotes)

        facts = [self.entry("fact", " ".join(sorted(content_words(f.claim))), f.claim, s, f.spans,
                            content_words(f.claim)) for s in self.summaries for f in s.facts]
        merged += [_merged(c) for c in _cluster(facts, _same_fact)]
        merged.sort(key=lambda item: -item.corroboration)  # stable: kinds keep their order
        conflicts += self._after_publication()
        return merged, conflicts, compared

    def _side_by_side(self, clusters: list[list[_Entry]]) -> list[Comparison]:
        def counted(cluster: list[_Entry]) -> str:
            q = cluster[0].payload
            assert isinstance(q, Quantity)
            return q.counted

        found = []
        kinds: list[list[list[_Entry]]] = []
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
                                        versions=[_version(cluster) for cluster in kind]))
        return found

    def _quantity_conflicts(self, clusters: list[list[_Entry]]) -> list[Conflict]:
        found: list[Conflict] = []
        for i, first in enumerate(clusters):
            for second in clusters[i + 1:]:
                qa, qb = first[0].payload, second[0].payload
                assert isinstance(qa, Quantity) and isinstance(qb, Quantity)
                if not similar_counted(qa.counted, qb.counted) or compatible(qa, qb):
                    continue
                context = max(jaccard(self.context(sa), self.context(sb))
                              for a in first for b in second for sa in a.spans[:1] for sb in b.spans[:1])
                if context < CONTEXT_OVERLAP:
                    continue
                found.append(Conflict(
                    kind="quantity", about=qa.counted,
                    rule=f"same counted noun, sentences sharing {context:.0%} of their content "
                         "words, figures that cannot both be true",
                    versions=[_version(first), _version(second)]))
        return found

    def _date_conflicts(self, dates: list[_Entry]) -> list[Conflict]:
        found: list[Conflict] = []
        for i, a in enumerate(dates):
            da = a.payload
            assert isinstance(da, DateMention)
            event_a = content_words(da.event)
            if len(event_a) < 2 or not _DAY.match(a.key):
                continue
            for b in dates[i + 1:]:
                db = b.payload
                assert isinstance(db, DateMention)
                if not _DAY.match(b.key) or a.key[:10] == b.key[:10]:
                    continue
                if jaccard(event_a, content_words(db.event)) >= EVENT_OVERLAP:
                    found.append(Conflict(
                        kind="date", about=da.event,
                        rule="the same event (model descriptions overlapping) on different days",
                        versions=[_version([a], a.key), _version([b], b.key)]))
        return found

    def _quote_conflicts(self, quotes: list[_Entry]) -> list[Conflict]:
        found: list[Conflict] = []
        for i, a in enumerate(quotes):
            for b in quotes[i + 1:]:
                assert isinstance(a.payload, set) and isinstance(b.payload, set)
                if a.key != b.key and a.payload and jaccard(a.payload, b.payload) >= QUOTE_SAME:
                    found.append(Conflict(kind="quote", about=a.text.split(": ", 1)[1],
                                          rule="the same words attributed to different speakers",
                                          versions=[_version([a], a.key), _version([b], b.key)]))
        return found

    def _after_publication(self) -> list[Conflict]:
        found: list[Conflict] = []
        for summary in self.summaries:
            own = summary.document
            for date in summary.when:
                if "after-publication-date" in date.flags and own.published and own.published_span:
                    found.append(Conflict(
                        kind="date", about=date.event or date.text,
                        rule="reported as past, but later than the article's own date",
                        versions=[Version(value=f"{date.value} ({date.text})", sources=[own.id],
                                          spans=date.spans),
                                  Version(value=f"published {own.published}", sources=[own.id],
                                          spans=[own.published_span])]))
        return found

    # -- timeline

    def timeline(self) -> list[TimelineEntry]:
        days: dict[str, list[TimelineMention]] = {}
        for summary in self.summaries:
            own = summary.document.published_span
            doc = self.docs[summary.document.id]
            for date in summary.when:
                value = self.date_value(date, summary)
                if not value or not _DAY.match(value):
                    continue
                if own is not None and any(s.start >= own.start and s.end <= own.end
                                           for s in date.spans):
                    continue  # the article's own date line is no event
                context = sentence_span(doc, date.spans[0])
                spans = [*date.spans, context] if context != date.spans[0] else list(date.spans)
                days.setdefault(value[:10], []).append(TimelineMention(
                    doc_id=doc.id, text=date.text, event=date.event, spans=spans))
        return [TimelineEntry(day=day, sources=_unique(m.doc_id for m in mentions), mentions=mentions)
                for day, mentions in sorted(days.items())]


def _same_quote(a: _Entry, b: _Entry) -> bool:
    assert isinstance(a.payload, set) and isinstance(b.payload, set)
    if a.key != b.key:
        return False
    small = min(len(a.payload), len(b.payload))
    return small > 0 and len(a.payload & b.payload) / small >= QUOTE_OVERLAP


def _same_fact(a: _Entry, b: _Entry) -> bool:
    assert isinstance(a.payload, set) and isinstance(b.payload, set)
    return jaccard(a.payload, b.payload) >= FACT_SIMILARITY


def _version(cluster: list[_Entry], value: str | None = None) -> Version:
    return Version(value=value or cluster[0].text, sources=_unique(e.doc_id for e in cluster),
                   spans=list(dict.fromkeys(s for e in cluster for s in e.spans)))


# --- the whole ------------------------------------------------------------------------------------


def merge(summaries: Sequence[EventSummary], documents: Sequence[Document]) -> list[EventDigest]:
    """One digest per event the articles report, in input order (an article about something else
    gets a digest of its own). `documents` are the articles the summaries were made from."""
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
    linked = [(i, j) for i in range(len(stories)) for j in range(i + 1, len(stories))
              if same_event(stories[i], stories[j])]
    digests = []
    for members in components(len(stories), linked):
        event = _Event([stories[i] for i in members])
        items, conflicts, compared = event.items()
        digests.append(EventDigest(
            sources=[DigestSource(doc_id=s.document.id, title=s.document.title,
                                  published=s.document.published, story=event.story_of[s.document.id])
                     for s in event.summaries],
            independent_sources=len(members),
            duplicate_groups=[stories[i].group for i in members],
            items=items, conflicts=conflicts, side_by_side=compared, timeline=event.timeline()))
    return digests
