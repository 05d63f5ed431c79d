"""One article to one grounded EventSummary: focused passes through the provider seam, then grounding.

A 1.5B local model returns more, and more faithful, items from three small schemas (overview;
actors, places and quotes; numbers and dates) than from one large one: `bench/passes.py` measures it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from itertools import zip_longest
from typing import Literal

from pydantic import BaseModel

from summarizer.errors import ProviderError, RetriesExhaustedError
from summarizer.extract.asking import Request, Steps, drive, not_attempted
from summarizer.extract.drafts import (
    EntitiesDraft,
    FiguresDraft,
    OverviewDraft,
    SingleDraft,
    figures_draft,
)
from summarizer.extract.fill import missing_items
from summarizer.extract.grounding import ground_steps
from summarizer.extract.main_event import layout, main_event
from summarizer.extract.recheck import ModelRestater, ModelSupportJudge, SupportCheck, asked_grounding
from summarizer.llm import prompts
from summarizer.llm.provider import Message, Provider
from summarizer.normalize.count_phrases import count_phrases
from summarizer.normalize.expressions import expressions_in
from summarizer.normalize.temporal import parse_iso_date
from summarizer.output.summary import (
    EventSummary,
    Fact,
    IncompletePass,
    PlantedInstruction,
    PromptStamp,
    RunMetadata,
    SourceDocument,
    Span,
    SummarySentence,
    TokenUsage,
)
from summarizer.text.alignment import make_span
from summarizer.text.document import Document, Located, Metadata
from summarizer.text.planted import planted_instructions

Variant = Literal["focused", "focused-dates", "focused-fill", "single", "single-dates", "single-fill"]


@dataclass(frozen=True)
class Pass:
    template: str
    response_model: type[BaseModel]

    def model_for(self, variables: dict[str, object]) -> type[BaseModel]:
        """The schema asked of this article: the figures pass asks for a quantity per count
        phrase our code listed in its prompt (`drafts.figures_draft`)."""
        if self.response_model is FiguresDraft:
            numbers = variables.get("numbers")
            return figures_draft(len(numbers) if isinstance(numbers, list) else 0)
        return self.response_model


PASSES: dict[Variant, tuple[Pass, ...]] = {
    "focused": (Pass("overview", OverviewDraft), Pass("entities", EntitiesDraft),
                Pass("figures", FiguresDraft)),
    "single": (Pass("single", SingleDraft),),
}
# The fill variants send the same requests as their passes, then our code fills in (fill.py).
PASSES["focused-dates"] = PASSES["focused-fill"] = PASSES["focused"]
PASSES["single-dates"] = PASSES["single-fill"] = PASSES["single"]
# What our code adds where the model left it out: "-dates" the date expressions, "-fill" those
# and the count figures.
FILLED: dict[Variant, frozenset[str]] = {
    "focused-dates": frozenset({"dates"}), "single-dates": frozenset({"dates"}),
    "focused-fill": frozenset({"dates", "figures"}), "single-fill": frozenset({"dates", "figures"}),
}
# The default, chosen by bench/quality.py on the MEANTIME gold (bench/README.md): the three focused
# passes, then the date expressions the model left out.
DEFAULT_VARIANT: Variant = "focused-dates"
# Draft field -> output section; `headline` is a single item, the rest are lists.
_SECTIONS = {"headline": "headline", "summary": "summary", "facts": "facts", "actors": "actors",
             "places": "where", "quotes": "quotes", "quantities": "quantities", "dates": "when",
             "why": "why", "how": "how"}


def _span(doc: Document, found: Located | None) -> Span | None:
    return make_span(doc, found.start, found.end) if found else None


def source_document(doc: Document, given: Metadata | None = None) -> SourceDocument:
    """The article's own title, date and URL with their spans; what the caller gave wins, with no
    span unless the article says the same."""
    given = given or Metadata()
    # what the caller gave keeps the article's span when the article says the same
    title = doc.title if not given.title or (doc.title and doc.title.value == given.title) else None
    url = doc.url if not given.url or (doc.url and doc.url.value == given.url) else None
    published = doc.published
    if given.published and (published is None or parse_iso_date(published.value) != given.published):
        published = None
    published_day = given.published or (parse_iso_date(published.value) if published else None)
    if published_day is None:
        published = None  # a date line we cannot read is not a publication date
    return SourceDocument(
        id=doc.id, path=doc.path, title=given.title or (title.value if title else None),
        published=published_day.isoformat() if published_day else None,
        url=given.url or (url.value if url else None), title_span=_span(doc, title),
        published_span=_span(doc, published), url_span=_span(doc, url),
    )


def drafted_items(value: BaseModel) -> Iterator[tuple[str, BaseModel]]:
    for field_name, section in _SECTIONS.items():
        drafted = getattr(value, field_name, None)
        for item in drafted if isinstance(drafted, list) else [drafted]:
            if isinstance(item, BaseModel):
                yield section, item


def prompt_variables(doc: Document, source: SourceDocument) -> dict[str, object]:
    """What the pass templates are rendered with: everything our code finds before any model call."""
    article = doc.view.strip()
    return {"article": prompts.embeddable(article), "title": source.title or "",
            "published": source.published or "",
            # found by our code, so the model is reminded of every figure and date to report
            "numbers": count_phrases(article), "dates": expressions_in(article)}


def summarize_document(doc: Document, provider: Provider, *, variant: Variant = DEFAULT_VARIANT,
                       on_call: Callable[[str], None] | None = None,
                       metadata: Metadata | None = None,
                       support_check: SupportCheck = "rules",
                       passes_at_once: Executor | None = None) -> EventSummary:
    """One article's summary. A pass whose answer fails (a ProviderError) leaves the others'
    items, listed in `incomplete`; when every pass fails, or nothing is grounded, the first
    failure is raised (the one that found the endpoint down, if one did). An endpoint that is
    down (`endpoint_down`) is asked nothing more: the passes not yet asked are listed in
    `incomplete` as not attempted, what was answered is kept, and the support check is left to
    the rules (as `support_check="rules"`) for every statement the model has not answered.
    `support_check` "model" re-asks once what breaks a support rule and has the model judge what
    the rules cannot decide; "rules" (no extra call) lets the evidence stand in for both.
    `passes_at_once`: an executor that asks the passes at the same time (they are independent);
    their answers are used in pass order, so the summary is the one asking them in turn gives.
    (`summary_steps` driven by `asking.drive`; `asking.adrive` drives them on an event loop.)"""
    return drive(summary_steps(doc, provider, variant=variant, on_call=on_call, metadata=metadata,
                               support_check=support_check), provider, on_call, passes_at_once)


def summary_steps(doc: Document, provider: Provider, *, variant: Variant = DEFAULT_VARIANT,
                  on_call: Callable[[str], None] | None = None,
                  metadata: Metadata | None = None,
                  support_check: SupportCheck = "rules") -> Steps[EventSummary]:
    """`summarize_document` as steps: yields the passes' requests, then the support check's (the
    re-ask, then the judge, each only when grounding has a question), and is sent their answers.
    (`provider` only names the model and its parameters in the prompt stamps.)"""
    started = time.perf_counter()
    source = source_document(doc, metadata)
    article = doc.view.strip()
    variables = prompt_variables(doc, source)
    planted = planted_instructions(doc.raw)  # found by our code; no item may rest on one
    # an article that gives orders to an AI is said to be data, naming those sentences (a clean
    # article's system prompt is unchanged)
    system = Message("system", prompts.render("system", planted=[
        " ".join(doc.raw[p.start:p.end].split()).rstrip(" .") for p in planted]))
    drafted: list[tuple[str, BaseModel]] = []
    stamps: list[PromptStamp] = []
    failed: list[tuple[str, ProviderError]] = []
    calls = prompt_tokens = completion_tokens = 0
    event_type = ""
    down: ProviderError | None = None  # the failure that found the endpoint down
    answers = yield [Request(step.template, (system, Message("user", prompts.render(
        step.template, **variables))), step.model_for(variables), {"document": doc})
        for step in PASSES[variant]]
    # in pass order, however asked; asked in turn, the passes after one that found the endpoint
    # down were not asked (no answer)
    for step, result in zip_longest(PASSES[variant], answers[:len(PASSES[variant])]):
        if result is None or isinstance(result, ProviderError):
            exc = result if result is not None else not_attempted(down)
            exc.pass_name = step.template
            down = down or (exc if exc.endpoint_down else None)
            failed.append((step.template, exc))
            if isinstance(exc, RetriesExhaustedError):  # what the failed calls cost still counts
                calls += exc.attempts
                prompt_tokens += exc.prompt_tokens
                completion_tokens += exc.completion_tokens
            continue
        calls += result.calls
        prompt_tokens += result.prompt_tokens
        completion_tokens += result.completion_tokens
        stamps.append(PromptStamp(name=step.template, sha256=prompts.stamp(
            step.template, step.model_for(variables), provider.model, provider.parameters)))
        drafted.extend(drafted_items(result.value))
        event_type = event_type or str(getattr(result.value, "event_type", "")).strip()
    if len(failed) == len(PASSES[variant]):
        raise down or failed[0][1]

    if variant in FILLED:
        drafted += missing_items(article, drafted, FILLED[variant])
    published = parse_iso_date(source.published) if source.published else None
    # an endpoint that is down is asked nothing more: the rules alone check the wording
    asks = support_check == "model" and down is None
    grounding = ground_steps(doc, drafted, published, planted=planted, judging=asks,
                             restating=asks)
    restater, judge = ModelRestater(provider), ModelSupportJudge(provider)
    asking = (restater, judge) if asks else ()
    grounded = yield from asked_grounding(grounding, restater, judge)
    for asked in asking:
        calls += asked.calls
        prompt_tokens += asked.prompt_tokens
        completion_tokens += asked.completion_tokens
        failed += [(asked.template, exc) for exc in asked.failures]
        if asked.calls:
            stamps.append(PromptStamp(name=asked.template, sha256=prompts.stamp(
                asked.template, asked.response_model, provider.model, provider.parameters)))
    # one pass whose every item was rejected must not cost the others what they grounded
    others = any((grounded.actors, grounded.places, grounded.quantities, grounded.when,
                  grounded.quotes, grounded.why, grounded.how))
    try:
        headline = _headline(grounded.headline, source, grounded.summary, grounded.facts,
                             _lead_sentence(doc, source) if others else None)
    except ProviderError:
        if failed:  # the failure explains the empty answer better
            raise (down or restater.down or judge.down or failed[0][1]) from None
        raise
    event = main_event(doc, source, headline=headline, summary=grounded.summary,
                       facts=grounded.facts, actors=grounded.actors, places=grounded.places,
                       dates=grounded.when, why=grounded.why, how=grounded.how)
    return EventSummary(
        document=source, event=event, headline=headline, event_type=event_type,
        summary=grounded.summary, when=grounded.when, where=grounded.places,
        actors=grounded.actors, facts=grounded.facts, quantities=grounded.quantities,
        quotes=grounded.quotes, why=grounded.why, how=grounded.how,
        rejected=grounded.rejected, reasked=grounded.reasked,
        judged=grounded.judged,
        planted_instructions=[
            PlantedInstruction(text=doc.raw[p.start:p.end], reason=p.reason,
                               spans=[make_span(doc, p.start, p.end)]) for p in planted],
        metadata=RunMetadata(
            model=provider.model, endpoint_kind=provider.endpoint_kind, prompts=stamps,
            usage=TokenUsage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens),
            llm_calls=calls, elapsed_seconds=round(time.perf_counter() - started, 3),
        ),
        incomplete=[IncompletePass(name=name, error=str(exc)) for name, exc in failed],
    )




def _lead_sentence(doc: Document, source: SourceDocument) -> SummarySentence | None:
    """The article's lead sentence (`main_event.layout`: after its title, date line, captions and
    other page furniture): the article's own words, so grounded by construction."""
    lead = layout(doc, source).lead
    if lead is None or "://" in doc.raw[lead[0]:lead[1]]:
        return None
    span = make_span(doc, *lead)
    return SummarySentence(text=doc.readable(*lead), spans=[span])


def _headline(candidates: list[SummarySentence], source: SourceDocument,
              summary: list[SummarySentence], facts: list[Fact],
              lead: SummarySentence | None = None) -> SummarySentence:
    """The model's grounded headline, else the article's own title, else its first grounded
    summary sentence or fact, else (given only when another pass grounded something) the
    article's lead sentence."""
    if candidates:
        return candidates[0]
    if source.title and source.title_span:
        return SummarySentence(text=source.title, spans=[source.title_span])
    if summary:
        return summary[0]
    if facts:
        return SummarySentence(text=facts[0].claim, spans=facts[0].spans)
    if lead:
        return lead
    raise ProviderError("the model's answer contained nothing that could be grounded in the article")
