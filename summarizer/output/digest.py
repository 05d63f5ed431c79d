"""The output for several articles: per-article summaries and, per event, an `EventDigest`.

A digest merges what its articles say: every item lists the spans of every source that supports it
and a corroboration count of *independent* sources (near-duplicate copies of one story count once);
disagreements are `Conflict`s listing each version side by side, never averaged. Frozen and strict,
like everything that crosses a boundary (see `summarizer.output.summary`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.output.summary import (
    NOT_EXTRACTED,
    QUESTIONS,
    SCHEMA_VERSION,
    EventSummary,
    SchemaVersion,
    Span,
)

ItemKind = Literal["quantity", "date", "place", "actor", "quote", "fact"]
MatchedBy = Literal["value", "text", "model"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DigestSource(_Strict):
    """An article of the digest: its id, title, publication date and the story (copies of one
    story count once) it belongs to."""

    doc_id: str
    title: str | None = None
    published: str | None = None
    story: str = Field(description="The id of the duplicate group (story) this article belongs to.")


class Difference(_Strict):
    """Words on which two copies of one story differ (after markup is set aside)."""

    first_doc: str
    second_doc: str
    first_text: str = Field(description="The first copy's words; empty where it has none.")
    second_text: str = Field(description="The second copy's words; empty where it has none.")
    first_spans: list[Span] = Field(default_factory=list)
    second_spans: list[Span] = Field(default_factory=list)


class DuplicateGroup(_Strict):
    """Articles that are one story (near-duplicate texts); they count as one source."""

    story: str
    members: list[str] = Field(description="doc_ids, in input order.")
    similarity: float = Field(ge=0, le=1, description="Lowest pairwise Jaccard similarity of word "
                              "5-shingles between members (1.0 for a single article).")
    differences: list[Difference] = Field(default_factory=list)


class MergedItem(_Strict):
    """One item (a figure, a date, a name, a quote, a fact) as every source that reports it
    gives it, with all their spans."""

    kind: ItemKind
    text: str = Field(description="The item as the first source gives it.")
    key: str = Field(description="The normalized value it was matched on.")
    sources: list[str] = Field(description="doc_ids of every article that reports it.")
    corroboration: int = Field(ge=1, description="Independent sources: duplicate groups count once.")
    matched_by: MatchedBy = Field(
        default="value", description="How its sources were matched: equal normalized values "
        "(quantities, dates, names), similar words (quotes, facts), or the model, asked because the "
        "rules could not decide (see `model_decisions`).")
    spans: list[Span] = Field(min_length=1)


class ModelDecision(_Strict):
    """A match the rules could not decide, put to the model: do these claims report the same fact?"""

    kind: ItemKind
    statements: list[str] = Field(min_length=2, max_length=2)
    same: bool | None = Field(description="The model's answer; null where it gave none (not merged).")
    model: str
    spans: list[Span] = Field(min_length=2, description="The spans of both claims.")


class Version(_Strict):
    """One of the values a conflict's sources report, with the sources that report it."""

    value: str = Field(description="This version as reported.")
    sources: list[str]
    spans: list[Span] = Field(min_length=1)


class Conflict(_Strict):
    """One thing reported with different values; each version is shown, none is chosen."""

    kind: ItemKind
    about: str = Field(description="What the versions disagree on.")
    rule: str = Field(description="Why these versions are taken to be about the same thing.")
    versions: list[Version] = Field(min_length=2)


class Comparison(_Strict):
    """Different counts of the same kind of thing from independent stories, side by side. Not a
    conflict: nothing shows they count the same group at the same moment."""

    about: str
    versions: list[Version] = Field(min_length=2)


class TimelineMention(_Strict):
    """One article's mention of a day on the timeline."""

    doc_id: str
    text: str = Field(description="The date expression as written.")
    event: str = Field(description="What happened then, in the model's words.")
    spans: list[Span] = Field(min_length=1, description="The date expression, then its sentence.")


class TimelineEntry(_Strict):
    """A day of the timeline and what the articles say happened on it."""

    day: str = Field(description="The resolved day, YYYY-MM-DD.")
    sources: list[str]
    mentions: list[TimelineMention] = Field(min_length=1)


class DigestAnswer(_Strict):
    """One answer to a question about the event, as the sources' own event blocks give it."""

    text: str = Field(description="The answer as the first source gives it.")
    key: str = Field(description="What the answers were matched on: a normalized name, a "
                     "resolved date, or a statement's content words.")
    sources: list[str] = Field(description="doc_ids whose own event block puts this answer first.")
    corroboration: int = Field(ge=1, description="Independent sources (stories) putting it first.")
    spans: list[Span] = Field(min_length=1)


class DigestSlot(_Strict):
    """One question reconciled across the articles: the answer the independent sources agree on,
    or none; where their first answers differ, every version side by side (a conflict)."""

    answer: DigestAnswer | None = None
    answered_by: int = Field(ge=0, description="Independent sources that answer the question.")
    rule: str | None = Field(default=None, description="Why this answer: all agree, or most do.")
    reason: str | None = Field(default=None, description="Why there is no answer; null with one.")
    versions: list[DigestAnswer] = Field(
        default_factory=list, description="Where the sources' first answers differ: each version "
        "with its sources (empty when they agree).")


class DigestEvent(_Strict):
    """The event block of a digest: who, what, when, where, why and how, each reconciled
    across the articles."""

    who: DigestSlot
    what: DigestSlot
    when: DigestSlot
    where: DigestSlot
    # defaults: a digest stored before why and how were extracted
    why: DigestSlot = DigestSlot(answered_by=0, reason=NOT_EXTRACTED)
    how: DigestSlot = DigestSlot(answered_by=0, reason=NOT_EXTRACTED)


class DigestSentence(_Strict):
    """A sentence of the digest summary: a source sentence, quoted as written, with the spans of
    every article that says it."""

    text: str
    sources: list[str]
    single_outlet: bool = Field(description="Only one independent source (story) says it.")
    spans: list[Span] = Field(min_length=1)


class EventDigest(_Strict):
    """One event as reported by one or more articles."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    sources: list[DigestSource]
    independent_sources: int = Field(ge=1)
    event: DigestEvent = Field(description="The main event first, reconciled across the sources.")
    summary: list[DigestSentence] = Field(
        description="Three to six source sentences that tell the event across the sources, chosen "
        "and ordered by code (each is its own evidence).")
    duplicate_groups: list[DuplicateGroup]
    items: list[MergedItem]
    conflicts: list[Conflict]
    side_by_side: list[Comparison] = Field(
        description="Counts of a similar counted noun that differ between independent stories "
        "and are neither merged nor in conflict.")
    timeline: list[TimelineEntry]
    model_decisions: list[ModelDecision] = Field(
        default_factory=list, description="Matches decided by the model (none without one).")

    def spans(self) -> list[Span]:
        """Every provenance span in the digest."""
        found: list[Span] = []
        for question in QUESTIONS:
            slot: DigestSlot = getattr(self.event, question)
            for answer in ([slot.answer] if slot.answer else []) + slot.versions:
                found += answer.spans
        for sentence in self.summary:
            found += sentence.spans
        for group in self.duplicate_groups:
            for difference in group.differences:
                found += difference.first_spans + difference.second_spans
        for item in self.items:
            found += item.spans
        for conflict in self.conflicts:
            for version in conflict.versions:
                found += version.spans
        for comparison in self.side_by_side:
            for version in comparison.versions:
                found += version.spans
        for entry in self.timeline:
            for mention in entry.mentions:
                found += mention.spans
        return found


class Failure(_Strict):
    """An article that could not be summarized, or the merge, when the rest of the run went on."""

    stage: Literal["summarize", "merge"]
    article: str | None = Field(default=None, description="The article's id (null for the merge).")
    path: str | None = Field(default=None, description="The file it was read from, if any.")
    error: str


class ArticleSet(_Strict):
    """Several articles: their summaries, and one digest per event they report (none with
    `--no-merge`)."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    summaries: list[EventSummary]
    digests: list[EventDigest]
    failures: list[Failure] = Field(
        default_factory=list, exclude_if=lambda failures: not failures,
        description="Articles that failed (the others are summarized) and a failed model merge "
        "(the digests are then the rules' alone). Absent when nothing failed.",
    )
