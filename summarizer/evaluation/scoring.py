"""Scoring summaries against human annotations (the quality harness behind `summarizer eval`).

Pure: gold articles and summaries in, figures out. Per field (who, what, when, where, numbers,
why, how): SQuAD-style token F1 of the best-matching phrase (precision over our items, recall over
gold), overlap of our spans with gold spans, and value accuracy for dates and numbers; plus the grounding
figures that need no gold (span invariant, alignment statuses, rejected items, numbers not readable
from their spans) and the cost (calls, tokens, seconds).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from summarizer.errors import InputError
from summarizer.normalize.lexicon import answer_tokens
from summarizer.normalize.quantities import figures
from summarizer.output.summary import (
    Actor,
    DateMention,
    EventSlot,
    EventSummary,
    Fact,
    Quantity,
    Question,
    Quote,
    Span,
    SummarySentence,
)

# The five fields scored since the harness began; their mean F1 is the figure runs are compared
# on, so why and how (issue 14) are scored beside them but left out of that mean.
CORE_FIELDS = ("who", "what", "when", "where", "numbers")
FIELDS = (*CORE_FIELDS, "why", "how")
# The fields the event block answers with one item (scored top-1: the answer against the best gold).
EVENT_FIELDS = ("who", "what", "when", "where", "why", "how")
_VALUED = ("when", "numbers")
# Two phrases "match" for span-less value checks at this token F1 (SQuAD's usual partial credit).
MATCH_F1 = 0.5


class GoldPhrase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1)
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    value: str | float | None = None


class GoldArticle(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    published: str | None = None
    title: str | None = None
    gold: dict[str, list[GoldPhrase]]

    @field_validator("published", mode="before")
    @classmethod
    def _no_date(cls, value: object) -> object:
        """A converter's "None" or "" is no date: the article is scored without one."""
        return None if value in ("None", "null", "") else value

    @field_validator("published")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value[:10])  # ValueError: reported with the line
        return value


def parse_gold(lines: Iterable[str], source: str) -> list[GoldArticle]:
    """The gold JSONL, one article a line; InputError naming the line of anything malformed."""
    articles: list[GoldArticle] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            article = GoldArticle.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as error:
            first = str(error).splitlines()[0] if isinstance(error, json.JSONDecodeError) else \
                "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:3])
            raise InputError(f"{source}:{number}: not a gold article ({first})") from None
        unknown = set(article.gold) - set(FIELDS)
        if unknown:
            raise InputError(f"{source}:{number}: unknown gold field(s) {sorted(unknown)}; "
                             f"the fields are {', '.join(FIELDS)}")
        for name, phrases in article.gold.items():
            for phrase in phrases:
                if (phrase.start is None) != (phrase.end is None):
                    raise InputError(f"{source}:{number}: {name} {phrase.text!r} has only one of "
                                     "start/end")
                if phrase.start is not None and article.text[phrase.start:phrase.end] != phrase.text:
                    raise InputError(f"{source}:{number}: {name} {phrase.text!r} is not at "
                                     f"[{phrase.start}:{phrase.end}] of the text")
        articles.append(article)
    if not articles:
        raise InputError(f"{source}: no gold articles")
    ids = Counter(a.id for a in articles)
    if repeated := [i for i, n in ids.items() if n > 1]:
        raise InputError(f"{source}: article id(s) used twice: {repeated[:3]}")
    return articles


# --- token F1 over SQuAD v1.1 answer tokens (`lexicon.answer_tokens`) ---


def token_f1(predicted: str, gold: str) -> float:
    ours, theirs = answer_tokens(predicted), answer_tokens(gold)
    if not ours or not theirs:
        return float(ours == theirs)
    common = sum((Counter(ours) & Counter(theirs)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(ours), common / len(theirs)
    return 2 * precision * recall / (precision + recall)


# --- what the summary says, per field ---

@dataclass(frozen=True)
class Item:
    text: str
    spans: tuple[Span, ...]
    value: str | float | None = None


def items_of(summary: EventSummary) -> dict[str, list[Item]]:
    """The summary mapped onto the gold fields. Why and how have no list of their own: their items
    are the event block's answer and runners-up."""
    what = [summary.headline, *summary.summary]
    return {
        "who": [Item(a.name, tuple(a.spans)) for a in summary.actors],
        "what": [Item(s.text, tuple(s.spans)) for s in what]
                + [Item(f.claim, tuple(f.spans)) for f in summary.facts],
        "when": [Item(d.text, tuple(d.spans), d.value) for d in summary.when],
        "where": [Item(p.name, tuple(p.spans)) for p in summary.where],
        "numbers": [Item(q.written or " ".join(s.text for s in q.spans), tuple(q.spans), q.value)
                    for q in summary.quantities],
        "why": _event_items(summary, "why"),
        "how": _event_items(summary, "how"),
    }


def _event_items(summary: EventSummary, question: Question) -> list[Item]:
    slot: EventSlot = getattr(summary.event, question)
    return [Item(a.text, tuple(a.spans)) for a in [*([slot.answer] if slot.answer else []),
                                                   *slot.runners_up]]


def _overlaps(phrase: GoldPhrase, item: Item) -> bool:
    assert phrase.start is not None and phrase.end is not None
    return any(s.start < phrase.end and phrase.start < s.end for s in item.spans)


def same_value(predicted: str | float | None, gold: str | float | None) -> bool:
    if predicted is None or gold is None:
        return False
    if isinstance(gold, str) or isinstance(predicted, str):
        return str(predicted) == str(gold)
    return math.isclose(float(predicted), float(gold), rel_tol=1e-6)


class FieldFigures(TypedDict):
    """One field's figures in the JSON report (None: nothing to divide by, not a zero)."""

    predicted: int
    gold: int
    precision: float | None
    recall: float | None
    f1: float | None
    span_overlap: float | None
    value_accuracy: float | None
    gold_values: int
    top1_f1: float | None
    top1_hits: float | None


@dataclass
class FieldCounts:
    """Sums over articles, so the corpus figures are micro-averages."""

    predicted: int = 0
    gold: int = 0
    precision_sum: float = 0.0
    recall_sum: float = 0.0
    gold_spans: int = 0
    spans_overlapped: int = 0
    gold_values: int = 0
    values_right: int = 0
    top1_articles: int = 0
    top1_f1_sum: float = 0.0
    top1_hits: int = 0

    def add(self, other: FieldCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> FieldFigures:
        precision = self.precision_sum / self.predicted if self.predicted else None
        recall = self.recall_sum / self.gold if self.gold else None
        f1 = (2 * precision * recall / (precision + recall)
              if precision is not None and recall is not None and precision + recall else
              (0.0 if precision is not None and recall is not None else None))
        return {
            "predicted": self.predicted, "gold": self.gold,
            "precision": round4(precision), "recall": round4(recall), "f1": round4(f1),
            "span_overlap": round4(self.spans_overlapped / self.gold_spans if self.gold_spans
                                   else None),
            "value_accuracy": round4(self.values_right / self.gold_values if self.gold_values
                                     else None),
            "gold_values": self.gold_values,
            "top1_f1": round4(self.top1_f1_sum / self.top1_articles if self.top1_articles else None),
            "top1_hits": round4(self.top1_hits / self.top1_articles if self.top1_articles else None),
        }


def round4(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_field(name: str, predicted: Sequence[Item], gold: Sequence[GoldPhrase]) -> FieldCounts:
    counts = FieldCounts(predicted=len(predicted), gold=len(gold))
    for item in predicted:
        counts.precision_sum += max((token_f1(item.text, g.text) for g in gold), default=0.0)
    for phrase in gold:
        counts.recall_sum += max((token_f1(i.text, phrase.text) for i in predicted), default=0.0)
        spanned = phrase.start is not None
        if spanned:
            counts.gold_spans += 1
            counts.spans_overlapped += any(_overlaps(phrase, i) for i in predicted)
        if name in _VALUED and phrase.value is not None:
            counts.gold_values += 1
            # our item for this gold phrase: one whose span overlaps it, else one whose words match
            candidates = [i for i in predicted if _overlaps(phrase, i)] if spanned else \
                [i for i in predicted if token_f1(i.text, phrase.text) >= MATCH_F1]
            counts.values_right += any(same_value(i.value, phrase.value) for i in candidates)
    return counts


def score_top1(counts: FieldCounts, answer: str | None, gold: Sequence[GoldPhrase]) -> None:
    """The event block's one answer against the best gold phrase: its token F1 (0 without an
    answer), a hit at `MATCH_F1`. An article with no gold phrase for the field is not counted."""
    if not gold:
        return
    best = max((token_f1(answer, g.text) for g in gold), default=0.0) if answer else 0.0
    counts.top1_articles += 1
    counts.top1_f1_sum += best
    counts.top1_hits += best >= MATCH_F1


def wrong_type(summary: EventSummary) -> list[str]:
    """The event block's answers of the wrong type, each with why: a who that is a date or a name
    only the places list holds (no person, organisation or group), a where that is a date, a name
    a person or an organisation holds, or no name at all ("well", "tuesday's"). Judged by the
    summary's own lists, so it needs no gold."""
    def key(text: str) -> str:
        return " ".join(answer_tokens(text))

    dates = {key(d.text) for d in summary.when}
    places = {key(p.name) for p in summary.where}
    agents = {key(a.name) for a in summary.actors if a.kind in ("person", "organization", "group")}
    people = {key(a.name) for a in summary.actors if a.kind in ("person", "organization")}
    found = []
    who, where = summary.event.who.answer, summary.event.where.answer
    if who is not None:
        if key(who.text) in dates:
            found.append(f"who {who.text!r} is a date")
        elif key(who.text) in places and key(who.text) not in agents:
            found.append(f"who {who.text!r} is a place")
    if where is not None:
        if key(where.text) in dates:
            found.append(f"where {where.text!r} is a date")
        elif key(where.text) in people and key(where.text) not in places:
            found.append(f"where {where.text!r} is a person or an organisation")
        elif not any(word[:1].isupper() for word in where.text.split()):
            found.append(f"where {where.text!r} names no place")
    return found


@dataclass
class Grounding:
    spans: int = 0
    spans_valid: int = 0
    alignment: Counter[str] = field(default_factory=Counter)
    rejected: int = 0
    numbers: int = 0
    numbers_unreadable: int = 0
    support: Counter[str] = field(default_factory=Counter)
    planted: int = 0
    wrong_type: list[str] = field(default_factory=list)

    def add(self, other: Grounding) -> None:
        self.wrong_type += other.wrong_type
        self.support.update(other.support)
        self.planted += other.planted
        self.spans += other.spans
        self.spans_valid += other.spans_valid
        self.alignment.update(other.alignment)
        self.rejected += other.rejected
        self.numbers += other.numbers
        self.numbers_unreadable += other.numbers_unreadable


def readable(value: float, span_text: str) -> bool:
    return any(f.value is not None and math.isclose(f.value, value, rel_tol=1e-9)
               for f in figures(span_text))


def support_of(summary: EventSummary) -> Counter[str]:
    """How many model-written statements got each support level (`Support`)."""
    items: list[SummarySentence | Fact | Actor | Quantity | DateMention | Quote] = [
        summary.headline, *summary.summary, *summary.facts, *summary.actors, *summary.quantities,
        *summary.when, *summary.quotes]
    return Counter(item.support for item in items)


def grounding_of(summary: EventSummary, raw: str) -> Grounding:
    spans = summary.spans()
    return Grounding(
        spans=len(spans),
        spans_valid=sum(raw[s.start:s.end] == s.text for s in spans),
        alignment=Counter(s.alignment for s in spans),
        rejected=len(summary.rejected),
        numbers=sum(q.value is not None for q in summary.quantities),
        numbers_unreadable=sum(q.value is not None and not any(readable(q.value, s.text)
                                                                for s in q.spans)
                               for q in summary.quantities),
        support=support_of(summary),
        planted=len(summary.planted_instructions),
        wrong_type=wrong_type(summary),
    )


@dataclass
class ArticleResult:
    id: str
    fields: dict[str, FieldCounts]
    grounding: Grounding
    calls: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    error: str | None = None


def score_article(article: GoldArticle, summary: EventSummary, seconds: float) -> ArticleResult:
    ours = items_of(summary)
    fields = {name: score_field(name, ours[name], article.gold.get(name, [])) for name in FIELDS}
    for name in EVENT_FIELDS:
        answer = getattr(summary.event, name).answer
        score_top1(fields[name], answer.text if answer else None, article.gold.get(name, []))
    return ArticleResult(
        id=article.id,
        fields=fields,
        grounding=grounding_of(summary, article.text),
        calls=summary.metadata.llm_calls,
        prompt_tokens=summary.metadata.usage.prompt_tokens,
        completion_tokens=summary.metadata.usage.completion_tokens,
        seconds=seconds,
    )


def failed_article(article: GoldArticle, reason: str, seconds: float) -> ArticleResult:
    """An article the pipeline produced nothing for: it counts, with no items, against recall
    (and with no answer against the top-1 figures)."""
    fields = {name: score_field(name, [], article.gold.get(name, [])) for name in FIELDS}
    for name in EVENT_FIELDS:
        score_top1(fields[name], None, article.gold.get(name, []))
    return ArticleResult(
        id=article.id,
        fields=fields,
        grounding=Grounding(), calls=0, prompt_tokens=0, completion_tokens=0, seconds=seconds,
        error=reason,
    )
