"""Turn the model's drafts into grounded items: spans located by our code, figures read by our code.

An item whose evidence cannot be located, or whose number the text does not say, becomes a
`RejectedItem` with the reason; it is never emitted as a grounded fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel

from summarizer.extract.drafts import (
    ActorDraft,
    DateDraft,
    FactDraft,
    PlaceDraft,
    QuantityDraft,
    QuoteDraft,
    SentenceDraft,
)
from summarizer.normalize import quantities, temporal
from summarizer.normalize.lexicon import letter_words
from summarizer.output.summary import (
    Actor,
    DateMention,
    Fact,
    Place,
    Quantity,
    Quote,
    RejectedItem,
    Span,
    SummarySentence,
)
from summarizer.text.alignment import align, closest_passage, make_span
from summarizer.text.document import Document
from summarizer.text.sentences import sentence_bounds


@dataclass
class Grounded:
    """What survived grounding, section by section, and what did not."""

    headline: list[SummarySentence] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    when: list[DateMention] = field(default_factory=list)
    rejected: list[RejectedItem] = field(default_factory=list)


def _reject(section: str, draft: BaseModel, reason: str) -> RejectedItem:
    item = {key: value for key, value in draft.model_dump().items()
            if isinstance(value, str | float | int) or value is None}
    return RejectedItem(section=section, item=item, reason=reason)


def _span_or_reason(doc: Document, quote: str, near: int | None = None) -> list[Span] | str:
    """The spans of `quote` (several when an ellipsis joins fragments), or why it has none."""
    found = align(doc, quote, near)
    if found.found:
        return list(found.spans)
    return f"{found.reason}; closest passage: {closest_passage(doc, quote)!r}"


_NOT_NAMES = frozenset({"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "prof", "sir"})


def _speaker_names(speaker: str) -> list[str]:
    """The words that name a speaker in the text: its capitalized words and its last name."""
    words = letter_words(speaker)
    names = [w for w in words if w[0].isupper() and w.lower() not in _NOT_NAMES]
    if words and words[-1] not in names and words[-1].lower() not in _NOT_NAMES:
        names.append(words[-1])
    return names


def _near_speaker(doc: Document, speaker: str) -> int | None:
    """The raw offset of the speaker's first mention, to choose among repeated passages."""
    for name in reversed(_speaker_names(speaker)):  # the last name first
        found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", doc.raw)
        if found:
            return found.start()
    return None


def _speaker_warning(doc: Document, spans: list[Span], speaker: str) -> str | None:
    """A warning when the speaker is named neither in the quote's sentence nor the one before."""
    window = _sentences_around(doc, spans[0].start, spans[-1].end, before=1)
    for name in _speaker_names(speaker):
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", window):
            return None
    return (f"the speaker {speaker!r} is not named in the quote's sentence or the one before; "
            "the attribution is the model's")


def _sentences_around(doc: Document, start: int, end: int, before: int = 0) -> str:
    """The raw text of the sentence(s) holding raw[start:end], plus `before` sentences before."""
    return doc.raw[slice(*sentence_bounds(doc.raw, start, end, before))]


def _unused_occurrence(doc: Document, span: Span, taken: list[Span]) -> Span:
    """A repeated date expression ("November 15" alone and inside "Wednesday, November 15") is
    placed on an occurrence no other date mention covers, so each mention gets its own sentence."""
    def free(start: int, end: int) -> bool:
        return all(end <= other.start or other.end <= start for other in taken)

    if free(span.start, span.end):
        return span
    for match in re.finditer(rf"(?<!\w){re.escape(span.text)}(?!\w)", doc.raw):
        if free(match.start(), match.end()):
            return make_span(doc, match.start(), match.end(), span.alignment)
    return span


def ground(doc: Document, drafts: Iterable[tuple[str, BaseModel]],
           published: date | None) -> Grounded:
    """Ground every drafted item; `drafts` pairs a section name with one drafted item."""
    out = Grounded()
    seen: set[tuple[str, str, int, int]] = set()
    for section, draft in drafts:
        evidence = (draft.quote if isinstance(draft, QuoteDraft)
                    else draft.expression if isinstance(draft, DateDraft)
                    else getattr(draft, "evidence", ""))
        near = _near_speaker(doc, draft.speaker) if isinstance(draft, QuoteDraft) else None
        spans = _span_or_reason(doc, evidence, near)
        if isinstance(spans, str):
            out.rejected.append(_reject(section, draft, spans))
            continue
        found = spans[0]
        label = str(getattr(draft, "name", "") or getattr(draft, "value", ""))
        key = (section, label, found.start, spans[-1].end)
        if key in seen:  # small models repeat items; one copy is enough
            continue
        seen.add(key)
        match draft:
            case SentenceDraft() if section == "headline":
                out.headline.append(SummarySentence(text=draft.text, spans=spans))
            case SentenceDraft():
                out.summary.append(SummarySentence(text=draft.text, spans=spans))
            case FactDraft():
                out.facts.append(Fact(claim=draft.claim, spans=spans))
            case ActorDraft():
                out.actors.append(Actor(name=draft.name, kind=draft.kind, role=draft.role,
                                        spans=spans))
            case PlaceDraft():
                out.places.append(Place(name=draft.name, spans=spans))
            case QuoteDraft():
                warning = _speaker_warning(doc, spans, draft.speaker)
                out.quotes.append(Quote(speaker=draft.speaker,
                                        text=" \u2026 ".join(span.text for span in spans),
                                        spans=spans, warnings=[warning] if warning else []))
            case QuantityDraft():  # the value is read from the text; the model only points at it
                reading = quantities.read_quantity(found.text, draft.value)
                if isinstance(reading, str):
                    out.rejected.append(_reject(section, draft, reading))
                    continue
                figure = reading.figure
                if any(q.spans == spans and q.value == figure.value for q in out.quantities):
                    continue  # a corrected value can repeat one already read from the same words
                out.quantities.append(Quantity(
                    value=figure.value, range_high=figure.high, unit=figure.unit,
                    counted=_counted(draft.counted), qualifier=figure.qualifier,
                    written=figure.text,
                    malformed=figure.malformed, correction=reading.correction, spans=spans))
            case DateDraft():
                found = _unused_occurrence(doc, found, [m.spans[0] for m in out.when])
                spans = [found]
                anchor = temporal.last_day_mentioned(doc.raw[:found.start], published)
                date_ = temporal.normalize(found.text, published,
                                           _sentences_around(doc, found.start, found.end),
                                           anchor)
                out.when.append(DateMention(
                    text=found.text, value=date_.value, granularity=date_.granularity,
                    resolution=date_.basis, flags=list(date_.flags),
                    unresolved_reason=None if date_.value else date_.reason or None,
                    event=draft.event, spans=spans))
    return out


_NUMBER_OF = re.compile(r"^(?:the\s+)?(?:total\s+)?number\s+of\s+", re.IGNORECASE)


def _counted(described: str) -> str:
    """What is counted, without the "number of" small models put before it ("the number of
    evacuated Russians" counts evacuated Russians)."""
    return _NUMBER_OF.sub("", described.strip()) or described.strip()
