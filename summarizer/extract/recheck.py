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

import functools
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Literal, Self, TypeVar, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarizer.errors import ConfigurationError, ProviderError
from summarizer.llm import prompts
from summarizer.llm.provider import Message, Provider

MAX_ITEMS = 12  # per call: a small model keeps a short numbered list straight
T = TypeVar("T")
SupportCheck = Literal["model", "rules"]
"""How the model's wording is checked: "rules" by the support rules alone (no model call);
"model" the rules, then at most one re-ask call and one judge call per article."""


SUPPORT_CHECK_ENV = "SUMMARIZER_SUPPORT_CHECK"  # the library's and `summarize`'s default


def support_check_of(value: str, name: str = "support_check") -> SupportCheck:
    """`value` as a SupportCheck, or a ConfigurationError naming the option (`name`) it came from."""
    if value not in get_args(SupportCheck):
        raise ConfigurationError(f"{name} must be 'model' or 'rules', not {value!r}")
    return cast(SupportCheck, value)


class ItemAnswers(BaseModel):
    """An answer for a batch of `size` numbered items (`sized`): one required key per item,
    `item_1` to `item_<size>`. Fixed keys, not a list, because with a list the JSON-schema
    grammar let the local model skip items (the judge said nothing for 26 of 73 in
    bench/support.py); a required key cannot be skipped and cannot be answered twice."""

    model_config = ConfigDict(extra="ignore")
    description: ClassVar[str] = ""
    answer_type: ClassVar[type] = object

    @classmethod
    def sized(cls, size: int) -> type[Self]:
        return cast(type[Self], _sized(cls, size))

    def items(self, size: int) -> list[Any]:
        """The answers for items 1..size, in order; None where a key is absent (fakes only)."""
        return [getattr(self, f"item_{n}", None) for n in range(1, size + 1)]


class SupportAnswersDraft(ItemAnswers):
    """The judge's answer: whether each item's statement is supported."""

    description: ClassVar[str] = ("Whether the evidence supports everything item {n}'s "
                                  "statement says.")
    answer_type: ClassVar[type] = bool


class RestatedDraft(ItemAnswers):
    """The re-ask's answer: each item's statement written again."""

    description: ClassVar[str] = ("Item {n}'s statement written again, saying only what its "
                                  "evidence says.")
    answer_type: ClassVar[type] = str


@functools.cache
def _sized(base: type[ItemAnswers], size: int) -> Any:
    fields: dict[str, Any] = {
        f"item_{n}": (base.answer_type, Field(description=base.description.format(n=n)))
        for n in range(1, size + 1)}
    return create_model(f"{base.__name__.removesuffix('Draft')}{size}", __base__=base, **fields)


class _Asking:
    """What the calls cost, added to the summary's usage, and why any failed (a failed call
    leaves its statements unanswered; an endpoint that is down ends the article as a pass would)."""

    template = ""
    answers: type[ItemAnswers] = ItemAnswers

    @property
    def response_model(self) -> type[ItemAnswers]:
        """The answer's one-item shape: what the prompt stamp records."""
        return self.answers.sized(1)

    def __init__(self, provider: Provider, on_call: Callable[[str], None] | None = None) -> None:
        self.provider = provider
        self.on_call = on_call
        self.calls = self.prompt_tokens = self.completion_tokens = 0
        self.failures: list[ProviderError] = []

    def _ask(self, items: Sequence[tuple[str, ...]],
             response_model: type[ItemAnswers]) -> ItemAnswers | None:
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


def _batches(items: Sequence[T]) -> list[Sequence[T]]:
    return [items[i:i + MAX_ITEMS] for i in range(0, len(items), MAX_ITEMS)]


class ModelSupportJudge(_Asking):
    """Callable as `SupportJudge`: (statement, evidence) pairs in, one verdict each out."""

    template = "support_judge"
    answers = SupportAnswersDraft

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[bool | None]:
        verdicts: list[bool | None] = []
        for batch in _batches(pairs):
            value = self._ask(batch, self.answers.sized(len(batch)))
            verdicts += value.items(len(batch)) if value else [None] * len(batch)
        return verdicts


class ModelRestater(_Asking):
    """Callable as `Restate`: (statement, evidence, problem) in, the second wording out."""

    template = "reask"
    answers = RestatedDraft

    def __call__(self, items: Sequence[tuple[str, str, str]]) -> list[str | None]:
        answers: list[str | None] = []
        for batch in _batches(items):
            value = self._ask(batch, self.answers.sized(len(batch)))
            restated = value.items(len(batch)) if value else [None] * len(batch)
            answers += [(text or "").strip() or None for text in restated]
        return answers
