"""What the model fills in: small schemas, one per focused pass, with verbatim evidence quotes.

The model never produces offsets. Every `evidence` string is checked against the article passed as
validation context (`{"document": Document}`); a quote that is not in the article, or that the
alignment guard rejects (a changed number, negation or name), fails validation with the guard's
reason and the closest real passage in the message, which instructor sends back as a re-ask. Without a
context (salvaging the last answer after the re-asks ran out) nothing is checked here: grounding
then decides item by item.
"""

from __future__ import annotations

import functools
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, create_model

from summarizer.llm.provider import validation_context
from summarizer.output.summary import ActorKind
from summarizer.text.alignment import align, closest_passage
from summarizer.text.document import Document


def _in_article(value: str, info: ValidationInfo) -> str:
    document = (info.context or validation_context() or {}).get("document")
    if not isinstance(document, Document):
        return value
    found = align(document, value)
    if not found.found:
        passage = closest_passage(document, value)
        why = found.reason.removeprefix("quote does not match the article: ")
        detail = "" if why == "quote not found in the article" else f" ({why})"
        raise ValueError(
            f"this quote is not in the article: {value!r}{detail}. Copy the article's words "
            f"exactly; the closest passage is: {passage!r}"
        )
    return value


Evidence = Annotated[
    str,
    Field(min_length=2, max_length=400,
          description="Words copied exactly from the article, as short as possible."),
    AfterValidator(_in_article),
]


QUANTITIES = 8  # FiguresDraft's bound on quantities


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SentenceDraft(_Draft):
    evidence: Evidence
    text: str = Field(max_length=300, description="One sentence in your own words.")


class FactDraft(_Draft):
    evidence: Evidence
    claim: str = Field(max_length=300, description="What the evidence states, as one sentence.")


# The passes' list bounds were halved or so in issue 14 (facts 8 -> 4, actors 8 -> 6, places
# 6 -> 4, quotes 5 -> 3, quantities 10 -> 8, dates 8 -> 6): under the compact grammar the local
# model filled lists to their bound, and each item past what the main event needs costs tokens.
# Then, when the overview became passages only: summary 4 -> 2 and facts 4 -> 2 (every passage
# past the main event's lowered the dev gold's `what` precision: a fact is scored as a `what`).
# Why and how keep two each: with one, the why F1 fell from 0.226 to 0 (our code keeps a cause or
# means only with a cue word, and the second answers were the ones that had it).


class PassageDraft(_Draft):
    """A passage of the article the model chooses, with no words of its own: a summary sentence,
    a fact, a cause (why) or a means (how) of the main event. Our code grounds it; there is no
    wording of the model's to check, and none to generate: the recorded answers copied every
    summary sentence's evidence into its `text` (51 of 51) and most facts' into their `claim`."""

    evidence: Evidence


class _StoryDraft(_Draft):
    """What happened, as the overview pass and the single schema both open."""

    headline: SentenceDraft
    event_type: str = Field(max_length=40, description="A short label such as 'evacuation'.")


class OverviewDraft(_StoryDraft):
    """Pass 1: what happened, why and how, in the article's own words (the headline aside)."""

    summary: list[PassageDraft] = Field(min_length=1, max_length=2)
    facts: list[PassageDraft] = Field(max_length=2)
    why: list[PassageDraft] = Field(max_length=2)
    how: list[PassageDraft] = Field(max_length=2)


class ActorDraft(_Draft):
    name: str = Field(max_length=80)
    kind: ActorKind
    role: str = Field(max_length=120, description="What this actor did in the event.")
    evidence: Evidence


class PlaceDraft(_Draft):
    name: str = Field(max_length=80)
    evidence: Evidence


Name = Annotated[
    str,
    Field(min_length=2, max_length=80, description="The name exactly as the article writes it."),
    AfterValidator(_in_article),
]


class NamedActorDraft(_Draft):
    """An actor of the entities pass: the name is its own evidence, our code finds it in the
    article. The recorded answers' `evidence` was mostly a whole sentence, an eighth of the
    completion tokens, and now and then one that did not name the actor."""

    name: Name
    kind: ActorKind
    role: str = Field(max_length=120, description="What this actor did in the event.")


class NamedPlaceDraft(_Draft):
    """A place of the entities pass: its name, found in the article by our code."""

    name: Name


class QuoteDraft(_Draft):
    speaker: str = Field(max_length=120)
    quote: Evidence


class EntitiesDraft(_Draft):
    """Pass 2: who and where, and who said what."""

    actors: list[NamedActorDraft] = Field(max_length=6)
    places: list[NamedPlaceDraft] = Field(max_length=4)
    quotes: list[QuoteDraft] = Field(max_length=3)


class QuantityDraft(_Draft):
    evidence: Evidence
    value: float
    counted: str = Field(max_length=80, description="What is counted, e.g. 'Russian citizens'.")


class DateDraft(_Draft):
    expression: Evidence
    event: str = Field(max_length=160, description="What happened at that time.")


class FiguresDraft(_Draft):
    """Pass 3: the numbers and the dates."""

    quantities: list[QuantityDraft] = Field(max_length=QUANTITIES)
    dates: list[DateDraft] = Field(max_length=6)


@functools.cache
def figures_draft(listed: int) -> type[FiguresDraft]:
    """The figures pass's schema for an article where our code listed `listed` count phrases: it
    asks for at least that many quantities (up to the bound). Under the compact grammar the local
    model closed the list after one in 3 of the 20 dev articles (10 listed); made to go on, it
    reported the listed figures. Only the schema asks (`minItems`, which the grammar enforces):
    an answer with fewer still validates, so a hosted model's shorter list is not lost."""
    least = min(listed, QUANTITIES)
    if least == 0:
        return FiguresDraft
    return create_model(
        "FiguresDraft", __base__=FiguresDraft, __doc__=FiguresDraft.__doc__,
        quantities=(list[QuantityDraft],
                    Field(max_length=QUANTITIES, json_schema_extra={"minItems": least})))


# The single schema keeps the shape its answers were recorded with (cassettes/eval/single): the
# list bounds the passes had before issue 14, and neither why nor how.
class SingleDraft(_StoryDraft):
    """Everything in one call: the baseline the focused passes are measured against."""

    summary: list[SentenceDraft] = Field(min_length=1, max_length=4)
    facts: list[FactDraft] = Field(max_length=8)
    actors: list[ActorDraft] = Field(max_length=8)
    places: list[PlaceDraft] = Field(max_length=6)
    quotes: list[QuoteDraft] = Field(max_length=5)
    quantities: list[QuantityDraft] = Field(max_length=10)
    dates: list[DateDraft] = Field(max_length=8)
