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

from summarizer import dates, numbers
from summarizer.alignment import closest_passage, locate
from summarizer.document import Document
from summarizer.drafts import (
    ActorDraft,
    DateDraft,
    FactDraft,
    PlaceDraft,
    QuantityDraft,
    QuoteDraft,
    SentenceDraft,
)
from summarizer.models import (
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

_SENTENCE_BREAK = re.compile(r"[.!?]\s|\n")


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


def _span_or_reason(doc: Document, quote: str) -> Span | str:
    span = locate(doc, quote)
    if span is not None:
        return span
    return f"quote not found in the article; closest passage: {closest_passage(doc, quote)!r}"


def _sentence_around(doc: Document, span: Span) -> str:
    """The raw sentence containing the span, for tense when resolving weekdays."""
    starts = [m.end() for m in _SENTENCE_BREAK.finditer(doc.raw, 0, span.start)]
    start = starts[-1] if starts else 0
    after = _SENTENCE_BREAK.search(doc.raw, span.end)
    return doc.raw[start:after.start() + 1 if after else len(doc.raw)]


def ground(doc: Document, drafts: Iterable[tuple[str, BaseModel]],
           published: date | None) -> Grounded:
    """Ground every drafted item; `drafts` pairs a section name with one drafted item."""
    out = Grounded()
    seen: set[tuple[str, str, int, int]] = set()
    for section, draft in drafts:
        evidence = (draft.quote if isinstance(draft, QuoteDraft)
                    else draft.expression if isinstance(draft, DateDraft)
                    else getattr(draft, "evidence", ""))
        found = _span_or_reason(doc, evidence)
        if isinstance(found, str):
            out.rejected.append(_reject(section, draft, found))
            continue
        label = str(getattr(draft, "name", "") or getattr(draft, "value", ""))
        key = (section, label, found.start, found.end)
        if key in seen:  # small models repeat items; one copy is enough
            continue
        seen.add(key)
        spans = [found]
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
                out.quotes.append(Quote(speaker=draft.speaker, text=found.text, spans=spans))
            case QuantityDraft():
                figure = numbers.read_value(found.text, draft.value)
                if isinstance(figure, str):
                    out.rejected.append(_reject(section, draft, figure))
                    continue
                out.quantities.append(Quantity(value=draft.value, counted=draft.counted,
                                               qualifier=figure.qualifier, spans=spans))
            case DateDraft():
                value = dates.resolve(found.text, published, _sentence_around(doc, found))
                out.when.append(DateMention(text=found.text, value=value, event=draft.event,
                                            spans=spans))
    return out
