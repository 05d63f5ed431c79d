"""Turn the model's drafts into grounded items: spans located by our code, figures read by our code.

An item whose evidence cannot be located, whose number the text does not say, or whose evidence is
an instruction planted in the article, becomes a `RejectedItem` with the reason; it is never
emitted as a grounded fact. The model's own wording (a sentence, a claim, a role, what a figure
counts, a date's event, a quote's speaker) is then checked against its evidence
(`extract.support`): what the rules reject, or cannot decide and no judge confirms, is replaced
by the evidence itself (`support: "evidence-only"`; a label is emptied) and the model's wording
is listed in `rejected` with the reason.

Grounding asks the model nothing itself: `ground_steps` yields the questions of settling what
the rules doubted (`extract.settling`: `Restating`, `Judging`) and is sent their answers, so its
caller decides how they are asked (the pipeline through the one route of `extract.asking`;
`ground` with plain functions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from summarizer.extract import explanations, relations
from summarizer.extract.asking import Exchange
from summarizer.extract.drafts import (
    ActorDraft,
    DateDraft,
    FactDraft,
    NamedActorDraft,
    NamedPlaceDraft,
    PassageDraft,
    PlaceDraft,
    QuantityDraft,
    QuoteDraft,
    SentenceDraft,
)
from summarizer.extract.settling import Doubt, Question, Restating, planted_in, settle
from summarizer.extract.support import Restate, SupportJudge, Verdict, check
from summarizer.normalize import quantities, temporal
from summarizer.normalize.lexicon import letter_words
from summarizer.output.summary import (
    Actor,
    DateMention,
    Explanation,
    Fact,
    JudgedStatement,
    Place,
    Quantity,
    Quote,
    ReaskedStatement,
    RejectedItem,
    Span,
    SummarySentence,
)
from summarizer.text.alignment import align, closest_passage, make_span
from summarizer.text.document import Document
from summarizer.text.furniture import furniture_at
from summarizer.text.planted import Planted
from summarizer.text.sentences import sentence_bounds

T = TypeVar("T")


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
    why: list[Explanation] = field(default_factory=list)
    how: list[Explanation] = field(default_factory=list)
    rejected: list[RejectedItem] = field(default_factory=list)
    reasked: list[ReaskedStatement] = field(default_factory=list)
    judged: list[JudgedStatement] = field(default_factory=list)


Grounding = Generator[Question, Sequence[object], Grounded]
"""`ground_steps`: yields its questions, is sent one answer per item (fewer: the rest unanswered)."""



def _readable(doc: Document, spans: list[Span]) -> str:
    """The article's words at the spans as a reader reads them (markup dropped), joined as the
    quote joins them."""
    return " \u2026 ".join(doc.readable(span.start, span.end) for span in spans)

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


_SPEAKER_WORDS = 6  # "Russian Foreign Ministry spokeswoman Maria Zakharova"


def _speaker_check(doc: Document, spans: list[Span]) -> Callable[[str], Verdict]:
    def named(speaker: str) -> Verdict:
        if len(speaker.split()) > _SPEAKER_WORDS or speaker.rstrip().endswith((".", "!", "?")):
            # a sentence given as the speaker is trivially "in" the text around the quote
            return Verdict("unsupported", f"the speaker {speaker!r} is not a name")
        if _speaker_named(doc, spans, speaker):
            return Verdict("supported")
        return Verdict("unsupported", f"the speaker {speaker!r} is not named in the quote's "
                       "sentence or the one before")
    return named


def _sentences_around(doc: Document, start: int, end: int, before: int = 0) -> str:
    """The raw text of the sentence(s) holding raw[start:end], plus `before` sentences before."""
    return doc.raw[slice(*sentence_bounds(doc.raw, start, end, before))]


def _mentions(doc: Document, span: Span) -> Iterator[re.Match[str]]:
    """Every whole-word occurrence of the span's text in the article."""
    return re.finditer(rf"(?<!\w){re.escape(span.text)}(?!\w)", doc.raw)


def _mention_supporting(doc: Document, spans: list[Span], role: str,
                        published: date | None) -> list[Span]:
    """Of an actor's mentions by name, the first whose sentence supports its role by the rules
    (else the mention found): a role is said where the actor acts, not always where first named."""
    if len(spans) != 1:
        return spans
    name = spans[0]
    for match in _mentions(doc, name):
        context = _sentences_around(doc, match.start(), match.end())
        dates = temporal.dates_written(context, published)
        if check(role, name.text, context, label=True, dates=dates).outcome == "supported":
            return [make_span(doc, match.start(), match.end(), name.alignment, name.score)]
    return spans


def _unused_occurrence(doc: Document, span: Span, taken: list[Span]) -> Span:
    """A repeated date expression ("November 15" alone and inside "Wednesday, November 15") is
    placed on an occurrence no other date mention covers, so each mention gets its own sentence."""
    def free(start: int, end: int) -> bool:
        return all(end <= other.start or other.end <= start for other in taken)

    if free(span.start, span.end):
        return span
    for match in _mentions(doc, span):
        if free(match.start(), match.end()):
            return make_span(doc, match.start(), match.end(), span.alignment)
    return span


def ground(doc: Document, drafts: Iterable[tuple[str, BaseModel]],
           published: date | None, *, planted: Sequence[Planted] = (),
           judge: SupportJudge | None = None, restate: Restate | None = None) -> Grounded:
    """Ground every drafted item; `drafts` pairs a section name with one drafted item. No item
    rests on a `planted` instruction; `restate` re-asks once what breaks a support rule, `judge`
    decides what the rules cannot (`ground_steps` with its questions answered by these two)."""
    exchange = Exchange(ground_steps(doc, drafts, published, planted=planted,
                                     judging=judge is not None, restating=restate is not None))
    while (question := exchange.pending) is not None:
        if isinstance(question, Restating):
            assert restate is not None  # asked only when there is one
            exchange.answer(restate(question.items))
        else:
            assert judge is not None
            exchange.answer(judge(question.items))
    return exchange.result


def ground_steps(doc: Document, drafts: Iterable[tuple[str, BaseModel]],
                 published: date | None, *, planted: Sequence[Planted] = (),
                 judging: bool = False, restating: bool = False) -> Grounding:
    """`ground` as steps: yields a `Restating` question (only when `restating`) about what breaks
    a support rule and a `Judging` one (only when `judging`) about what the rules cannot decide,
    each at most once and only when there is something to ask."""
    out = Grounded()
    seen: set[tuple[str, str, int, int]] = set()
    doubts: list[Doubt] = []

    def checked(items: list[Any], name: str, statement: str, evidence: str, context: str,
                section: str, fallback: str, label: bool = False) -> None:
        """Check the statement of the item just appended to `items`."""
        if not statement.strip():
            return  # nothing claimed
        dates = temporal.dates_written(context or evidence, published)

        def recheck(wording: str) -> Verdict:
            return check(wording, evidence, context, label=label, dates=dates)

        verdict = recheck(statement)
        if verdict.outcome != "supported":
            doubts.append(Doubt(items, len(items) - 1, name, fallback, section, statement,
                                 evidence, verdict, recheck))

    for section, draft in drafts:
        evidence = (draft.quote if isinstance(draft, QuoteDraft)
                    else draft.expression if isinstance(draft, DateDraft)
                    else draft.name if isinstance(draft, NamedActorDraft | NamedPlaceDraft)
                    else getattr(draft, "evidence", ""))
        near = _near_speaker(doc, draft.speaker) if isinstance(draft, QuoteDraft) else None
        spans = _span_or_reason(doc, evidence, near)
        if isinstance(spans, str):
            out.rejected.append(_reject(section, draft, spans))
            continue
        order = planted_in(spans, planted)
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
            case NamedActorDraft():
                spans = _mention_supporting(doc, spans, draft.role, published)
                context = _sentences_around(doc, spans[0].start, spans[-1].end)
                out.actors.append(Actor(name=draft.name, kind=draft.kind, role=draft.role,
                                        spans=spans))
                checked(out.actors, "role", draft.role, quoted, context, section, "", label=True)
            case PlaceDraft() | NamedPlaceDraft():
                out.places.append(Place(name=draft.name, spans=spans))
            case PassageDraft() if section in ("summary", "facts") and \
                    (kind := furniture_at(doc.raw, spans[0].start, spans[-1].end)):
                out.rejected.append(_reject(section, draft, f"page furniture ({kind}), not the "
                                            "article's report"))
            case PassageDraft() if section == "summary":  # the article's words: nothing to check
                out.summary.append(SummarySentence(text=_readable(doc, spans), spans=spans))
            case PassageDraft() if section == "facts":
                if any(s.spans == spans for s in (*out.headline, *out.summary)):
                    continue  # the summary says it already, in the same words
                out.facts.append(Fact(claim=_readable(doc, spans), spans=spans))
            case PassageDraft():  # why or how: the article's words only
                question: Literal["why", "how"] = "why" if section == "why" else "how"
                doubt = explanations.unstated(doc, spans, question)
                other: Literal["why", "how"] = "how" if question == "why" else "why"
                if doubt is not None:
                    within = explanations.stated_within(doc, spans, question)
                    crossed = explanations.stated_within(doc, spans, other)
                    if crossed is not None and within is None:
                        # the model put a cause under how (or a means under why): its cue says which
                        getattr(out, other).append(Explanation(
                            text=doc.readable(*crossed), spans=[make_span(doc, *crossed)]))
                    if within is None:
                        out.rejected.append(_reject(section, draft, doubt))
                        continue
                    spans = [make_span(doc, *within)]  # the cue and its phrase, not the sentence
                getattr(out, question).append(Explanation(text=_readable(doc, spans), spans=spans))
            case QuoteDraft():
                text = " \u2026 ".join(span.text for span in spans)
                if _speaker_named(doc, spans, draft.speaker):
                    out.quotes.append(Quote(speaker=draft.speaker, text=text, spans=spans))
                    continue
                unnamed = (f"the speaker {draft.speaker!r} is not named in the quote's sentence "
                           "or the one before; the attribution is the model's")
                out.quotes.append(Quote(speaker=draft.speaker, text=text, spans=spans,
                                        warnings=[unnamed]))
                doubts.append(Doubt(out.quotes, len(out.quotes) - 1, "speaker", "", section,
                                     draft.speaker, text, Verdict("unsupported", unnamed),
                                     _speaker_check(doc, spans)))
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
                checked(out.when, "event", draft.event, found.text, sentence, section,
                        relations.event_words(doc, found), label=True)
    settled = yield from settle(doc, doubts, judging, restating, planted)
    out.rejected += settled.rejected
    out.actors, out.quantities, out.when, out.quotes, broken = relations.guarded(
        doc, out.actors, out.quantities, out.when, out.quotes)
    out.rejected += broken
    out.judged += settled.judged
    out.reasked += settled.reasked
    return out


_NUMBER_OF = re.compile(r"^(?:the\s+)?(?:total\s+)?number\s+of\s+", re.IGNORECASE)


def _counted(described: str) -> str:
    """What is counted, without the "number of" small models put before it ("the number of
    evacuated Russians" counts evacuated Russians)."""
    return _NUMBER_OF.sub("", described.strip()) or described.strip()
