"""The public output: an event summary whose every asserted item carries provenance spans.

Everything here crosses a boundary (library users, JSON files, the JSON Schema in `schemas/`), so the
models are frozen and reject unknown fields. Offsets are character offsets (Python `str` indices) into
the document's raw text exactly as read from the file.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"
# Every output object's `schema_version` field: the same value and the same description.
SchemaVersion = Annotated[str, Field(description="The version of this output format; it changes "
                                     "when a field changes meaning or goes.")]

ActorKind = Literal["person", "organization", "country", "group", "other"]
Qualifier = Literal["exact", "approximately", "more than", "at least", "fewer than", "at most", "up to"]
AlignmentStatus = Literal["exact", "normalized", "fuzzy"]
Support = Literal["rules", "evidence-only", "judged"]
_SUPPORT = (
    "How the model's wording was checked against its evidence (the spans) and the evidence's "
    "sentence: 'rules': every figure, name, negation, status, modality, scope and attribution it "
    "states is in the evidence, and it adds no word of its own (at first, or after one re-ask: "
    "see `reasked`); 'judged': the rules could not decide and the model, asked as a judge, "
    "found it supported (see `judged`); 'evidence-only': the model's wording failed the check "
    "(the judge said no, or no judge was asked), so the article's own words stand in (a label "
    "is left empty)."
)


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
        description="How the model's quote was found: verbatim; after whitespace/quote-character/"
        "dash/case normalization; or by a fuzzy token alignment forgiving small slips (a dropped "
        "article, a plural).",
    )
    score: float | None = Field(
        default=None, ge=0, le=1,
        description="How closely the quote matched, for fuzzy alignments only (1 is identical).",
    )


class SourceDocument(_Strict):
    """The article summarized: its id, the file it came from, and the title, publication date
    and URL read from it, each with the span it was read from (null when given instead)."""

    id: str
    path: str | None = Field(default=None, description="The file it was read from; null for stdin.")
    title: str | None = None
    published: str | None = Field(default=None, description="Publication date, ISO 8601.")
    url: str | None = None
    title_span: Span | None = None
    published_span: Span | None = None
    url_span: Span | None = None


class SummarySentence(_Strict):
    """A sentence of the summary, or the headline: its text and the spans of the article's
    words it stands on."""

    text: str
    spans: list[Span] = Field(min_length=1)
    support: Support = Field(default="rules", description=_SUPPORT)


class DateMention(_Strict):
    """A date the article names, resolved against its publication date by our code."""

    text: str = Field(description="The date expression as written.")
    value: str | None = Field(
        default=None,
        description="TIMEX3-style value against the publication date: day 2023-11-12, part of day "
        "2023-11-12TMO, week 2023-W45, weekend 2023-W45-WE, month 2023-11, season 2023-SU, quarter "
        "2023-Q4, year 2023, decade 197; PAST_REF, PRESENT_REF or FUTURE_REF for a vague reference "
        "('recently', 'now', 'soon'); null where not determinable (see `unresolved_reason`).",
    )
    granularity: Literal[
        "part-of-day", "day", "weekend", "week", "month", "season", "quarter", "year", "decade",
        "reference",
    ] | None = Field(default=None, description="What the value covers ('reference' for PAST_REF, "
                     "PRESENT_REF and FUTURE_REF); null with the value.")
    resolution: Literal["explicit", "relative", "inferred-year", "anaphoric"] | None = Field(
        default=None,
        description="How the value was found: the text states it (explicit), counted from the "
        "publication date (relative; also PAST_REF/PRESENT_REF/FUTURE_REF, placed against it), month "
        "and day stated with the year chosen nearest the "
        "publication date in the tense's direction (inferred-year), or counted from the last day the "
        "article mentioned before (anaphoric).",
    )
    flags: list[str] = Field(
        default_factory=list,
        description="Inconsistencies kept as written, e.g. 'after-publication-date' (a past-tense "
        "date later than the article's own date) or 'weekday-mismatch'.",
    )
    unresolved_reason: str | None = Field(
        default=None,
        description="Why `value` is null, e.g. 'a duration, not a point in time'; null when there "
        "is a value.",
    )
    event: str = Field(default="", description="What happened then, in the model's words.")
    spans: list[Span] = Field(min_length=1)
    support: Support = Field(default="rules", description=_SUPPORT)


class Place(_Strict):
    """A place where the event happened, by its name as the article writes it."""

    name: str
    spans: list[Span] = Field(min_length=1)


class Actor(_Strict):
    """A person, organisation or country that takes part in the event: the name as the article
    writes it, what kind of actor it is and its role there."""

    name: str
    kind: ActorKind
    role: str
    spans: list[Span] = Field(min_length=1)
    support: Support = Field(default="rules", description=_SUPPORT)


class Fact(_Strict):
    """A statement the article makes about the event; `claim` is the article's own words."""

    claim: str
    spans: list[Span] = Field(min_length=1)
    support: Support = Field(default="rules", description=_SUPPORT)


class Explanation(_Strict):
    """A cause (why) or a means (how) of the main event: the article's own words, chosen by the
    model and grounded by our code; nothing in the model's words."""

    text: str = Field(description="The article's words, as at the spans.")
    spans: list[Span] = Field(min_length=1)


class Quantity(_Strict):
    """A figure the article states. Its value, range, unit and qualifier are read from the span's text
    by our code (`summarizer.normalize.quantities`), never taken from the model."""

    value: float | None = Field(
        description="The figure read from the span; the low end of a range. Null only when the "
        "figure as written is malformed (see `malformed`)."
    )
    range_high: float | None = Field(
        default=None, description="The upper end when the text gives a range ('between 30 and 40', "
        "'30-40', '30 to 40'); `value` is then the lower end."
    )
    unit: str | None = Field(
        default=None, description="Currency or unit: an ISO 4217 code where the text names one "
        "('US$' -> 'USD', '\u20ac' -> 'EUR'), '$' for an unspecified dollar, else 'percent', 'km', "
        "'tonne', 'point'...; null for a bare count."
    )
    counted: str = Field(description="What is counted.")
    qualifier: Qualifier
    written: str | None = Field(
        default=None, description="The figure as written in the span ('11,000', '$40bn', "
        "'between 30 and 40')."
    )
    malformed: bool = Field(
        default=False, description="The figure as written is malformed (e.g. '11,00'): it is kept "
        "verbatim in `written` and the span, `value` is null, and nothing is guessed."
    )
    correction: str | None = Field(
        default=None, description="Set when the model's value disagreed with the only figure in the "
        "span and the value was read from the text instead: what the model proposed."
    )
    spans: list[Span] = Field(min_length=1)
    support: Support = Field(default="rules", description=_SUPPORT)

    @model_validator(mode="after")
    def _consistent(self) -> Quantity:
        if self.malformed != (self.value is None):
            raise ValueError("`value` is null exactly when the figure is malformed")
        if self.range_high is not None and (self.value is None or self.range_high < self.value):
            raise ValueError("`range_high` must not be below `value`")
        return self


class Quote(_Strict):
    """Words the article quotes, and who said them."""

    speaker: str
    text: str = Field(description="The quoted words, verbatim from the article.")
    spans: list[Span] = Field(min_length=1)
    support: Support = Field(default="rules", description=_SUPPORT)
    warnings: list[str] = Field(
        default_factory=list,
        description="Doubts that do not reject the quote, e.g. the speaker is not named nearby.",
    )


Question = Literal["who", "what", "when", "where", "why", "how"]
QUESTIONS: tuple[Question, ...] = ("who", "what", "when", "where", "why", "how")
Section = Literal["actors", "headline", "summary", "facts", "when", "where", "why", "how",
                  "article"]
NOT_EXTRACTED = "not extracted yet"


UNRANKED = "not ranked: the summary was made before the event block existed"


class EventAnswer(_Strict):
    """One answer to a question about the main event: a list item of this summary (its text and
    spans), or words our code found in the article where no list item fits."""

    text: str = Field(description="The answer as the list item gives it.")
    section: Section = Field(
        description="The list the answer comes from ('headline': the single headline); "
        "'article': words our code found in the article, where no list item fits.")
    index: int | None = Field(default=None, ge=0, description="Its position in that list; null "
                              "for 'headline' and 'article'.")
    value: str | None = Field(default=None, description="The resolved date, for `when`.")
    rule: str = Field(description="The ranking rule that put it in this place.")
    spans: list[Span] = Field(min_length=1)


class EventSlot(_Strict):
    """One question's best answer, or none with the reason, and up to two runners-up."""

    answer: EventAnswer | None = None
    reason: str | None = Field(default=None, description="Why there is no answer; null with one.")
    runners_up: list[EventAnswer] = Field(default_factory=list, max_length=2)


class EventBlock(_Strict):
    """The main event: who did what, when and where, why and how, each the single best answer
    ranked by our rules (`summarizer.extract.main_event`). A summary stored before why and how were
    extracted reads with them "not extracted yet"."""

    who: EventSlot
    what: EventSlot
    when: EventSlot
    where: EventSlot
    why: EventSlot = EventSlot(reason=NOT_EXTRACTED)
    how: EventSlot = EventSlot(reason=NOT_EXTRACTED)

    @classmethod
    def unranked(cls) -> EventBlock:
        """No answer to any question: for summaries stored before the block existed."""
        none = EventSlot(reason=UNRANKED)
        return cls(who=none, what=none, when=none, where=none)

    def spans(self) -> list[Span]:
        found: list[Span] = []
        for question in QUESTIONS:
            slot: EventSlot = getattr(self, question)
            for answer in ([slot.answer] if slot.answer else []) + slot.runners_up:
                found += answer.spans
        return found


class RejectedItem(_Strict):
    """An item the model proposed that could not be grounded; never presented as fact."""

    section: str
    item: dict[str, str | float | None]
    reason: str


class PlantedInstruction(_Strict):
    """A sentence of the article that addresses an AI or gives it orders ("ignore previous
    instructions"): found by our code, shown here, and never used as evidence for any item."""

    text: str
    reason: str = Field(description="The wording that marks it as an instruction.")
    spans: list[Span] = Field(min_length=1)


class TokenUsage(_Strict):
    """Tokens the model read (prompt) and wrote (completion) for this summary."""

    prompt_tokens: int = 0
    completion_tokens: int = 0


class PromptStamp(_Strict):
    """One prompt sent to the model, identified by a hash, so a summary says exactly what
    it was asked."""

    name: str
    sha256: str = Field(description="Hash of template, response schema, model and parameters.")


class ChunkPart(_Strict):
    """A stretch of a long article summarized on its own: raw[start:end]."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class RunMetadata(_Strict):
    """How the summary was made: the model and endpoint, the prompts, the tokens, the calls
    and the time."""

    model: str
    endpoint_kind: str
    prompts: list[PromptStamp]
    schema_version: SchemaVersion = SCHEMA_VERSION
    usage: TokenUsage
    llm_calls: int
    elapsed_seconds: float
    chunks: list[ChunkPart] = Field(
        default_factory=list, exclude_if=lambda parts: not parts,
        description="The overlapping stretches (raw offsets) a long article was split into, each "
        "summarized on its own and merged into this summary; absent when it was read whole.",
    )


class IncompletePass(_Strict):
    """A pass whose call failed after its retries: its sections may lack what it would have found."""

    name: str = Field(description="The pass (prompt template): overview, entities or figures; "
                      "or a support check's call (reask, support_judge), whose statements then "
                      "fell back to their evidence.")
    error: str = Field(description="Why it failed, as the error said.")


class JudgedStatement(_Strict):
    """A statement the support rules could not decide, put to the model as a judge: the question
    (statement and evidence) and its answer, so a reader can check the judgement too."""

    section: str = Field(description="Where the statement was: headline, summary, facts, actors "
                         "(a role), quantities (what is counted), when (a date's event).")
    statement: str = Field(description="The model's wording that was judged.")
    evidence: str = Field(description="The article's words it was judged against.")
    supported: bool | None = Field(description="The judge's answer; null when it gave none "
                                   "(the statement then falls back to its evidence).")


class ReaskedStatement(_Strict):
    """A statement that broke a support rule, re-asked once (that item only): the model's first
    wording, the problem it was told, and its second answer."""

    section: str
    statement: str = Field(description="The model's first wording, which broke the rule.")
    evidence: str = Field(description="The article's words the statement rests on.")
    problem: str = Field(description="The rule it broke, as the model was told.")
    answer: str | None = Field(description="The model's second wording; null when it gave none.")
    outcome: Literal["kept", "judged", "evidence-only"] = Field(
        description="'kept': the second wording passed the rules and stands; 'judged': the rules "
        "could not decide and the judge found it supported; 'evidence-only': it failed too, and "
        "the article's own words stand in.")


class EventSummary(_Strict):
    """A grounded summary of one article."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    document: SourceDocument
    event: EventBlock = Field(
        default_factory=lambda: EventBlock.unranked(),
        description="The main event first: one ranked answer per question (a summary stored "
        "before the event block existed reads with every question unranked).")
    headline: SummarySentence
    event_type: str = Field(description="A short label of the kind of event (e.g. 'evacuation'), in "
                            "the model's words: it has no span and is not checked against the article.")
    summary: list[SummarySentence]
    when: list[DateMention]
    where: list[Place]
    actors: list[Actor]
    facts: list[Fact]
    quantities: list[Quantity]
    quotes: list[Quote]
    why: list[Explanation] = Field(
        default_factory=list, description="Causes, reasons or purposes of the main event that the "
        "article states (its words); empty when it states none.")
    how: list[Explanation] = Field(
        default_factory=list, description="The means or manner of the main event that the "
        "article states (its words); empty when it states none.")
    rejected: list[RejectedItem]
    metadata: RunMetadata
    incomplete: list[IncompletePass] = Field(
        default_factory=list, exclude_if=lambda passes: not passes,
        description="Passes that failed after their retries; the summary holds what the other "
        "passes grounded. Absent when every pass succeeded.",
    )
    planted_instructions: list[PlantedInstruction] = Field(
        default_factory=list,
        description="Sentences of the article that give orders to an AI; never used as evidence.")
    reasked: list[ReaskedStatement] = Field(
        default_factory=list, exclude_if=lambda items: not items,
        description="Statements that broke a support rule and were re-asked once; absent when none "
        "was.")
    judged: list[JudgedStatement] = Field(
        default_factory=list, exclude_if=lambda items: not items,
        description="Statements the support rules could not decide, with the judge's answers; "
        "absent when the judge was not asked.")

    def spans(self) -> list[Span]:
        """Every provenance span in the summary, in document order of the sections, then the
        event block's own (those of places found in the article rather than in a list)."""
        found: list[Span] = []
        items: list[SummarySentence | DateMention | Place | Actor | Fact | Quantity | Quote
                    | Explanation]
        items = [self.headline, *self.summary, *self.when, *self.where, *self.actors, *self.facts,
                 *self.quantities, *self.quotes, *self.why, *self.how]
        for item in items:
            found.extend(item.spans)
        known = set(found)  # the event's answers reuse their items' spans: count those once
        found += [span for span in self.event.spans() if span not in known]
        for maybe in (self.document.title_span, self.document.published_span,
                      self.document.url_span):
            if maybe is not None:
                found.append(maybe)
        return found
