"""The model asked again about its own statements, one call per article for each question:

- the judge (`ModelSupportJudge`): is this statement supported by its evidence? Asked only about
  what the support rules (`extract.support`) cannot decide;
- the re-ask (`ModelRestater`): this statement broke a rule (the reason is given); say it again
  within its evidence. Asked once per statement; the new wording is checked by the same rules.

Both adapt a Provider to the callables grounding takes (`SupportJudge`, `Restate`), so grounding
stays model-free, and both count what they cost. A statement the model does not answer about is
left to the rules' conservative fallback (its evidence stands in).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, TypeVar, cast, get_args

from pydantic import BaseModel, ConfigDict, Field

from summarizer.errors import ConfigurationError, ProviderError
from summarizer.llm import prompts
from summarizer.llm.provider import Message, Provider

MAX_ITEMS = 12  # per call: a small model keeps a short numbered list straight
T = TypeVar("T")
SupportCheck = Literal["model", "rules"]
"""How the model's wording is checked: "rules" by the support rules alone (no model call);
"model" the rules, then at most one re-ask call and one judge call per article."""


def support_check_of(value: str, name: str = "support_check") -> SupportCheck:
    """`value` as a SupportCheck, or a ConfigurationError naming the option (`name`) it came from."""
    if value not in get_args(SupportCheck):
        raise ConfigurationError(f"{name} must be 'model' or 'rules', not {value!r}")
    return cast(SupportCheck, value)


class ItemVerdict(BaseModel):
    model_config = ConfigDict(extra="ignore")
    item: int = Field(ge=1, description="The item's number.")
    supported: bool = Field(description="Whether the evidence supports everything the statement "
                            "says.")


class SupportAnswersDraft(BaseModel):
    model_config = ConfigDict(extra="ignore")
    answers: list[ItemVerdict] = Field(max_length=MAX_ITEMS)


class ItemRestated(BaseModel):
    model_config = ConfigDict(extra="ignore")
    item: int = Field(ge=1, description="The item's number.")
    statement: str = Field(description="The statement written again, saying only what its "
                           "evidence says.")


class RestatedDraft(BaseModel):
    model_config = ConfigDict(extra="ignore")
    answers: list[ItemRestated] = Field(max_length=MAX_ITEMS)


class _Asking:
    """What the calls cost, added to the summary's usage, and why any failed (a failed call
    leaves its statements unanswered; an endpoint that is down ends the article as a pass would)."""

    template = ""
    response_model: type[BaseModel] = BaseModel

    def __init__(self, provider: Provider, on_call: Callable[[str], None] | None = None) -> None:
        self.provider = provider
        self.on_call = on_call
        self.calls = self.prompt_tokens = self.completion_tokens = 0
        self.failures: list[ProviderError] = []

    def _ask(self, items: Sequence[tuple[str, ...]],
             response_model: type[BaseModel]) -> BaseModel | None:
        if self.on_call:
            self.on_call(self.template)
        message = Message("user", prompts.render(self.template, items=items))
        try:
            result = self.provider.extract([message], response_model, {})
        except ProviderError as exc:
            if exc.endpoint_down:
                raise
            self.failures.append(exc)
            return None
        self.calls += result.calls
        self.prompt_tokens += result.prompt_tokens
        self.completion_tokens += result.completion_tokens
        return result.value


def _numbered(answers: Sequence[tuple[int, T]], size: int) -> list[T | None]:
    """The first answer for each item number 1..size; None where there is none."""
    found: list[T | None] = [None] * size
    for number, value in answers:
        if 1 <= number <= size and found[number - 1] is None:
            found[number - 1] = value
    return found


def _batches(items: Sequence[T]) -> list[Sequence[T]]:
    return [items[i:i + MAX_ITEMS] for i in range(0, len(items), MAX_ITEMS)]


class ModelSupportJudge(_Asking):
    """Callable as `SupportJudge`: (statement, evidence) pairs in, one verdict each out."""

    template = "support_judge"
    response_model = SupportAnswersDraft

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[bool | None]:
        verdicts: list[bool | None] = []
        for batch in _batches(pairs):
            value = self._ask(batch, SupportAnswersDraft)
            answers = value.answers if isinstance(value, SupportAnswersDraft) else []
            verdicts += _numbered([(a.item, a.supported) for a in answers], len(batch))
        return verdicts


class ModelRestater(_Asking):
    """Callable as `Restate`: (statement, evidence, problem) in, the second wording out."""

    template = "reask"
    response_model = RestatedDraft

    def __call__(self, items: Sequence[tuple[str, str, str]]) -> list[str | None]:
        answers: list[str | None] = []
        for batch in _batches(items):
            value = self._ask(batch, RestatedDraft)
            restated = value.answers if isinstance(value, RestatedDraft) else []
            answers += _numbered([(a.item, a.statement.strip() or None) for a in restated],
                                 len(batch))
        return answers
