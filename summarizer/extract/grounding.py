"""Turn the model's drafts into grounded items: spans located by our code, figures read by our code.

An item whose evidence cannot be located, whose number the text does not say, or whose evidence is
an instruction planted in the article, becomes a `RejectedItem` with the reason; it is never
emitted as a grounded fact. The model's own wording (a sentence, a claim, a role, what a figure
counts, a date's event, a quote's speaker) is then checked against its evidence
(`extract.support`): what the rules reject, or cannot decide and no judge confirms, is replaced
by the evidence itself (`support: "evidence-only"`; a label is emptied) and the model's wording
is listed in `rejected` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
from summarizer.extract.support import SupportJudge, Verdict, check
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
from summarizer.text.planted import Planted
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


def _speaker_named(doc: Document, spans: list[Span], speaker: str) -> bool:
    """Whether the speaker is named in the quote's sentence or the one before."""
    window = _sentences_around(doc, spans[0].start, spans[-1].end, before=1)
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", window)
               for name in _speaker_names(speaker))


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


@dataclass
class _Doubt:
    """A statement the rules did not accept: where it sits, and what stands in for it."""

    items: list[Any]
    index: int
    name: str
    fallback: str
    section: str
    statement: str
    evidence: str
    verdict: Verdict


def reanchored(doc: Document, statement: str, planted: Sequence[Planted] = ()) -> list[Span] | None:
    """Where the article itself says `statement` (the model copied a sentence but pointed at
    another), checked by the alignment guard; None when it does not, or only in a planted one."""
    found = align(doc, statement)
    if not found.found or _planted_in(list(found.spans), planted) is not None:
        return None
    return list(found.spans)


def _settle(doc: Document, out: Grounded, doubts: list[_Doubt], judge: SupportJudge | None,
            planted: Sequence[Planted]) -> None:
    """Move a claim the article states word for word to where it says it; ask the judge once about
    what the rules could not decide; replace the rest by their evidence."""
    kept = []
    for doubt in doubts:
        item = doubt.items[doubt.index]
        spans = reanchored(doc, doubt.statement, planted) \
            if isinstance(item, SummarySentence | Fact) else None
        if spans is None:
            kept.append(doubt)
        else:
            doubt.items[doubt.index] = item.model_copy(update={"spans": spans})
    doubts = kept
    undecided = [d for d in doubts if d.verdict.outcome == "undecided"]
    answers = judge([(d.statement, d.evidence) for d in undecided]) if judge and undecided else []
    judged = {id(d): answer for d, answer in zip(undecided, answers, strict=False)}
    for doubt in doubts:
        item = doubt.items[doubt.index]
        if judged.get(id(doubt)) is True:
            if getattr(item, "support", "") != "evidence-only":
                doubt.items[doubt.index] = item.model_copy(update={"support": "judged"})
            continue
        why = doubt.verdict.reason
        if doubt.verdict.outcome == "undecided":  # conservative: unconfirmed is not supported
            why = ("the rules cannot decide (" + why + ") and the judge said no" if judge
                   else "the rules cannot decide (" + why + ") and no judge was asked")
        doubt.items[doubt.index] = item.model_copy(
            update={doubt.name: doubt.fallback, "support": "evidence-only"})
        out.rejected.append(RejectedItem(
            section=doubt.section, item={doubt.name: doubt.statement},
            reason=f"replaced by its evidence: {why}"))


def _planted_in(spans: list[Span], planted: Sequence[Planted]) -> Planted | None:
    return next((p for p in planted for s in spans if s.start < p.end and p.start < s.end), None)


def ground(doc: Document, drafts: Iterable[tuple[str, BaseModel]],
           published: date | None, *, planted: Sequence[Planted] = (),
           judge: SupportJudge | None = None) -> Grounded:
    """Ground every drafted item; `drafts` pairs a section name with one drafted item. No item
    rests on a `planted` instruction; `judge` decides what the support rules cannot."""
    out = Grounded()
    seen: set[tuple[str, str, int, int]] = set()
    doubts: list[_Doubt] = []

    def checked(items: list[Any], name: str, statement: str, evidence: str, context: str,
                section: str, fallback: str, label: bool = False) -> None:
        """Check the statement of the item just appended to `items`."""
        if not statement.strip():
            return  # nothing claimed
        verdict = check(statement, evidence, context, label=label)
        if verdict.outcome != "supported":
            doubts.append(_Doubt(items, len(items) - 1, name, fallback, section, statement,
                                 evidence, verdict))

    for section, draft in drafts:
        evidence = (draft.quote if isinstance(draft, QuoteDraft)
                    else draft.expression if isinstance(draft, DateDraft)
                    else getattr(draft, "evidence", ""))
        near = _near_speaker(doc, draft.speaker) if isinstance(draft, QuoteDraft) else None
        spans = _span_or_reason(doc, evidence, near)
        if isinstance(spans, str):
            out.rejected.append(_reject(section, draft, spans))
            continue
        order = _planted_in(spans, planted)
        if order is not None:
            out.rejected.append(_reject(section, draft, "the evidence is an instruction planted in "
                                        f"the article ({order.reason!r}), not a fact"))
            continue
        found = spans[0]
        label = str(getattr(draft, "name", "") or getattr(draft, "value", ""))
        key = (section, label, found.start, spans[-1].end)
        if key in seen:  # small models repeat items; one copy is enough
            continue
        seen.add(key)
        quoted = " \u2026 ".join(span.text for span in spans)
        context = _sentences_around(doc, found.start, spans[-1].end)
        match draft:
            case SentenceDraft():
                target = out.headline if section == "headline" else out.summary
                target.append(SummarySentence(text=draft.text, spans=spans))
                checked(target, "text", draft.text, quoted, context, section, quoted)
            case FactDraft():
                out.facts.append(Fact(claim=draft.claim, spans=spans))
                checked(out.facts, "claim", draft.claim, quoted, context, section, quoted)
            case ActorDraft():
                named = check(draft.name, quoted, context, label=True)
                if named.outcome == "unsupported":
                    out.rejected.append(_reject(section, draft, named.reason))
                    continue
                out.actors.append(Actor(name=draft.name, kind=draft.kind, role=draft.role,
                                        spans=spans))
                checked(out.actors, "role", draft.role, quoted, context, section, "", label=True)
            case PlaceDraft():
                out.places.append(Place(name=draft.name, spans=spans))
            case QuoteDraft():
                text = " \u2026 ".join(span.text for span in spans)
                if _speaker_named(doc, spans, draft.speaker):
                    out.quotes.append(Quote(speaker=draft.speaker, text=text, spans=spans))
                    continue
                unnamed = (f"the speaker {draft.speaker!r} is not named in the quote's sentence "
                           "or the one before; the attribution is the model's")
                out.quotes.append(Quote(speaker=draft.speaker, text=text, spans=spans,
                                        warnings=[unnamed]))
                doubts.append(_Doubt(out.quotes, len(out.quotes) - 1, "speaker", "", section,
                                     draft.speaker, text, Verdict("unsupported", unnamed)))
            case QuantityDraft():  # the value is read from the text; the model only points at it
                reading = quantities.read_quantity(found.text, draft.value)
                if isinstance(reading, str):
                    out.rejected.append(_reject(section, draft, reading))
                    continue
                figure = reading.figure
                if any(q.spans == spans and q.value == figure.value for q in out.quantities):
                    continue  # a corrected value can repeat one already read from the same words
                counted = _counted(draft.counted)
                out.quantities.append(Quantity(
                    value=figure.value, range_high=figure.high, unit=figure.unit,
                    counted=counted, qualifier=figure.qualifier,
                    written=figure.text,
                    malformed=figure.malformed, correction=reading.correction, spans=spans))
                # what follows the figure in its own words is what the article says it counts
                after = found.text[figure.end:].strip(" ,.;:")
                checked(out.quantities, "counted", counted, quoted, context, section, after,
                        label=True)
            case DateDraft():
                found = _unused_occurrence(doc, found, [m.spans[0] for m in out.when])
                spans = [found]
                anchor = temporal.last_day_mentioned(doc.raw[:found.start], published)
                sentence = _sentences_around(doc, found.start, found.end)
                date_ = temporal.normalize(found.text, published, sentence, anchor)
                out.when.append(DateMention(
                    text=found.text, value=date_.value, granularity=date_.granularity,
                    resolution=date_.basis, flags=list(date_.flags),
                    unresolved_reason=None if date_.value else date_.reason or None,
                    event=draft.event, spans=spans))
                checked(out.when, "event", draft.event, found.text, sentence, section, "",
                        label=True)
    _settle(doc, out, doubts, judge, planted)
    return out


_NUMBER_OF = re.compile(r"^(?:the\s+)?(?:total\s+)?number\s+of\s+", re.IGNORECASE)


def _counted(described: str) -> str:
    """What is counted, without the "number of" small models put before it ("the number of
    evacuated Russians" counts evacuated Russians)."""
    return _NUMBER_OF.sub("", described.strip()) or described.strip()
