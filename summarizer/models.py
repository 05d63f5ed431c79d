"""The public output: an event summary whose every asserted item carries provenance spans.

Everything here crosses a boundary (library users, JSON files, the JSON Schema in `schemas/`), so the
models are frozen and reject unknown fields. Offsets are character offsets (Python `str` indices) into
the document's raw text exactly as read from the file.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

ActorKind = Literal["person", "organization", "country", "group", "other"]
Qualifier = Literal["exact", "approximately", "more than", "at least", "fewer than", "at most", "up to"]
AlignmentStatus = Literal["exact", "normalized"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Strict):
    """A stretch of a document's raw text: `raw[start:end] == text`."""

    doc_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    alignment: AlignmentStatus = Field(
        default="exact",
        description="How the model's quote was found: verbatim, or after whitespace/quote-character "
        "normalization.",
    )


class SourceDocument(_Strict):
    id: str
    path: str | None = Field(default=None, description="The file it was read from; null for stdin.")
    title: str | None = None
    published: str | None = Field(default=None, description="Publication date, ISO 8601.")
    url: str | None = None
    title_span: Span | None = None
    published_span: Span | None = None
    url_span: Span | None = None


class SummarySentence(_Strict):
    text: str
    spans: list[Span] = Field(min_length=1)


class DateMention(_Strict):
    text: str = Field(description="The date expression as written.")
    value: str | None = Field(
        default=None, description="ISO 8601 value (day, month or year) where determinable."
    )
    event: str = Field(default="", description="What happened then, in the model's words.")
    spans: list[Span] = Field(min_length=1)


class Place(_Strict):
    name: str
    spans: list[Span] = Field(min_length=1)


class Actor(_Strict):
    name: str
    kind: ActorKind
    role: str
    spans: list[Span] = Field(min_length=1)


class Fact(_Strict):
    claim: str
    spans: list[Span] = Field(min_length=1)


class Quantity(_Strict):
    value: float
    counted: str = Field(description="What is counted.")
    qualifier: Qualifier
    spans: list[Span] = Field(min_length=1)


class Quote(_Strict):
    speaker: str
    text: str = Field(description="The quoted words, verbatim from the article.")
    spans: list[Span] = Field(min_length=1)


class RejectedItem(_Strict):
    """An item the model proposed that could not be grounded; never presented as fact."""

    section: str
    item: dict[str, str | float | None]
    reason: str


class TokenUsage(_Strict):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class PromptStamp(_Strict):
    name: str
    sha256: str = Field(description="Hash of template, response schema, model and parameters.")


class RunMetadata(_Strict):
    model: str
    endpoint_kind: str
    prompts: list[PromptStamp]
    schema_version: str = SCHEMA_VERSION
    usage: TokenUsage
    llm_calls: int
    elapsed_seconds: float


class EventSummary(_Strict):
    """A grounded summary of one article."""

    schema_version: str = SCHEMA_VERSION
    document: SourceDocument
    headline: SummarySentence
    event_type: str
    summary: list[SummarySentence]
    when: list[DateMention]
    where: list[Place]
    actors: list[Actor]
    facts: list[Fact]
    quantities: list[Quantity]
    quotes: list[Quote]
    rejected: list[RejectedItem]
    metadata: RunMetadata

    def spans(self) -> list[Span]:
        """Every provenance span in the summary, in document order of the sections."""
        found: list[Span] = []
        items: list[SummarySentence | DateMention | Place | Actor | Fact | Quantity | Quote]
        items = [self.headline, *self.summary, *self.when, *self.where, *self.actors, *self.facts,
                 *self.quantities, *self.quotes]
        for item in items:
            found.extend(item.spans)
        for maybe in (self.document.title_span, self.document.published_span,
                      self.document.url_span):
            if maybe is not None:
                found.append(maybe)
        return found
