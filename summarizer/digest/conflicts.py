"""The conflict rules of an event's digest (conservative: a false conflict is worse than a missed one):

- quantities: similar counted noun, sentences around the spans sharing >= `CONTEXT_OVERLAP` of
  their content words, and values that cannot both be true given their qualifiers ("more than
  60" and "70" can; a malformed figure against a readable one cannot), and no article stating both
  (an article listing figures, "Collett, 62, ... Logan, 52", disputes nothing);
- dates: model event descriptions with >= `EVENT_OVERLAP` word overlap (and two content words at
  least) resolved to different days by two articles;
- tolls: the dead (or the injured) given as figures that cannot all be true by different articles
  (`TOLLS`: the counted noun or the words right after the figure name the toll);
- quotes: the same words (>= `QUOTE_SAME`) attributed to different speakers;
- within one article: a date temporal flagged "after-publication-date" against the article's
  own publication date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from summarizer.digest.duplicates import jaccard
from summarizer.digest.matching import DAY, Entry, similar_counted, version_of
from summarizer.normalize.lexicon import content_words
from summarizer.output.digest import Conflict, Version
from summarizer.output.summary import DateMention, EventSummary, Quantity, Span

QUOTE_SAME = 0.8
CONTEXT_OVERLAP = 0.6
EVENT_OVERLAP = 0.6


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


def quantity_conflicts(clusters: Sequence[Sequence[Entry[Quantity]]],
                       context: Callable[[Span], set[str]]) -> list[Conflict]:
    """Merged quantities that cannot both be true in similar sentences; `context` gives the content
    words of the sentence around a span (the caller caches them)."""
    found: list[Conflict] = []
    for i, first in enumerate(clusters):
        for second in clusters[i + 1:]:
            qa, qb = first[0].payload, second[0].payload
            if not similar_counted(qa.counted, qb.counted) or compatible(qa, qb):
                continue
            if {e.doc_id for e in first} & {e.doc_id for e in second}:
                continue  # an article stating both ("Collett, 62, ... Logan, 52") lists, not disputes
            overlap = max(jaccard(context(sa), context(sb))
                          for a in first for b in second for sa in a.spans[:1] for sb in b.spans[:1])
            if overlap < CONTEXT_OVERLAP:
                continue
            found.append(Conflict(
                kind="quantity", about=qa.counted,
                rule=f"same counted noun, sentences sharing {overlap:.0%} of their content "
                     "words, figures that cannot both be true",
                versions=[version_of(first), version_of(second)]))
    return found


TOLLS: dict[str, frozenset[str]] = {
    "the dead": frozenset(("dead", "died", "die", "killed", "killing", "deaths", "death",
                           "fatalities", "lives", "bodies")),
    "the injured": frozenset(("injured", "injuring", "hurt", "wounded", "wounding", "injuries")),
}
"""The tolls news revises as it goes ("Five dead", then "seven killed"), by the words that name
them in the figure's counted noun or right after it."""
_AFTER = 4  # words after the figure that may name its toll ("seven people were killed")


def toll_of(quantity: Quantity, after: str) -> str | None:
    """Which toll a figure states: by its counted noun or the few words after its span."""
    if re.match(r"\s*of\b", after):
        return None  # "Eight of those hurt": a part of a toll, not the toll
    own = re.split(r",|;|\band\b|\bwhile\b|\bbut\b", after, maxsplit=1)[0]  # the figure's phrase
    said = set(content_words(quantity.counted)) | {w.strip(".,;:").lower() for w in
                                                     own.split()[:_AFTER]}
    return next((toll for toll, names in TOLLS.items() if said & names), None)


def toll_conflicts(entries: Sequence[Entry[Quantity]], after: Callable[[Span], str]) -> list[Conflict]:
    """One toll given as different figures by different articles ("Five dead", "seven killed"):
    each figure a version with its sources (their publication times are the digest's sources')."""
    by_toll: dict[str, dict[tuple[float, str], list[Entry[Quantity]]]] = {}
    for entry in entries:
        q = entry.payload
        toll = toll_of(q, after(entry.spans[0])) if q.value is not None else None
        if toll is not None:
            by_toll.setdefault(toll, {}).setdefault((q.value or 0.0, q.qualifier), []).append(entry)
    found = []
    for toll, figures in by_toll.items():
        versions = list(figures.values())
        clash = any(not compatible(a[0].payload, b[0].payload) and
                    {e.doc_id for e in a} != {e.doc_id for e in b}
                    for i, a in enumerate(versions) for b in versions[i + 1:])
        if len(versions) > 1 and clash:
            found.append(Conflict(
                kind="quantity", about=toll,
                rule="the same toll given as figures that cannot all be true by different "
                     "articles (a toll revised as the news went on, or a disagreement)",
                versions=[version_of(v) for v in versions]))
    return found


def date_conflicts(dates: Sequence[Entry[DateMention]]) -> list[Conflict]:
    """One event, as the model described it, resolved to different days."""
    found: list[Conflict] = []
    for i, a in enumerate(dates):
        da = a.payload
        event_a = content_words(da.event)
        if len(event_a) < 2 or not DAY.match(a.key):
            continue
        for b in dates[i + 1:]:
            db = b.payload
            if not DAY.match(b.key) or a.key[:10] == b.key[:10] or a.doc_id == b.doc_id:
                continue  # one article telling two days tells two events
            if jaccard(event_a, content_words(db.event)) >= EVENT_OVERLAP:
                found.append(Conflict(
                    kind="date", about=da.event,
                    rule="the same event (model descriptions overlapping) on different days",
                    versions=[version_of([a], a.key), version_of([b], b.key)]))
    return found


def quote_conflicts(quotes: Sequence[Entry[set[str]]]) -> list[Conflict]:
    """The same words given to different speakers."""
    found: list[Conflict] = []
    for i, a in enumerate(quotes):
        for b in quotes[i + 1:]:
            if a.key != b.key and a.payload and jaccard(a.payload, b.payload) >= QUOTE_SAME:
                found.append(Conflict(kind="quote", about=a.text.split(": ", 1)[1],
                                      rule="the same words attributed to different speakers",
                                      versions=[version_of([a], a.key), version_of([b], b.key)]))
    return found


def after_publication(summaries: Iterable[EventSummary]) -> list[Conflict]:
    """Within one article: a date reported as past but later than the article's own date."""
    found: list[Conflict] = []
    for summary in summaries:
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
