"""The model asked again about its own statements, one call per article for each question:

- the judge (`ModelSupportJudge`): is this statement supported by its evidence? Asked only about
  what the support rules (`extract.support`) cannot decide;
- the re-ask (`ModelRestater`): this statement broke a rule (the reason is given); say it again
  within its evidence. Asked once per statement; the new wording is checked by the same rules.

Both turn grounding's questions (`Judging`, `Restating`) into requests of the one route
(`extract.asking`), so grounding stays model-free and every call of an article is asked the same
way, sync or async; both count what they cost and are callable as `SupportJudge` and `Restate`.
A statement the model does not answer about is left to the rules' conservative fallback (its
evidence stands in). When a call finds the endpoint down, what was answered is kept and the rest
of the article's statements are settled by the rules alone, as with support_check="rules": no
further call is made, and the failure is listed (the summary's `incomplete`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from itertools import zip_longest
from typing import Any, ClassVar, Literal, Self, TypeVar, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarizer.errors import ConfigurationError, ProviderError
from summarizer.extract.asking import Answer, Exchange, Request, Steps, drive, not_attempted
from summarizer.extract.grounding import Grounded, Grounding
from summarizer.extract.settling import NOT_ASKED, Restating
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
    """One question of grounding's asked as requests of the one route (`extract.asking`): at most
    MAX_ITEMS items a request. Counts what the calls cost, added to the summary's usage, and why
    any failed (a failed call leaves its statements unanswered; when the endpoint is down, `down`,
    its statements and those of the requests not asked are NOT_ASKED: the rules settle them)."""

    template = ""
    answers: type[ItemAnswers] = ItemAnswers

    @property
    def response_model(self) -> type[ItemAnswers]:
        """The answer's one-item shape: what the prompt stamp records."""
        return self.answers.sized(1)

    def __init__(self, provider: Provider, on_call: Callable[[str], None] | None = None) -> None:
        self.provider = provider  # for calling this object directly (`__call__`)
        self.on_call = on_call
        self.calls = self.prompt_tokens = self.completion_tokens = 0
        self.failures: list[ProviderError] = []
        self.down: ProviderError | None = None  # the failure that found the endpoint down

    def steps(self, items: Sequence[tuple[str, ...]]) -> Steps[list[Any]]:
        """The requests for `items`, then one answer per item (None: not answered; NOT_ASKED:
        the endpoint was down)."""
        batches = _batches(items)
        answers = yield [Request(self.template, (Message("user", prompts.render(
            self.template, items=batch)),), self.answers.sized(len(batch)), {})
            for batch in batches]
        said: list[Any] = []
        for batch, answer in zip_longest(batches, answers[:len(batches)]):
            value = self._value(answer) if answer is not None else None
            if value is None and self.down is not None:  # this request's, or one not asked
                said += [NOT_ASKED] * len(batch)
                continue
            said += value.items(len(batch)) if value else [None] * len(batch)
        return said

    def not_asked(self, items: Sequence[object], down: ProviderError) -> list[Any]:
        """The answer for a question not put to the model because the endpoint is down: every
        item NOT_ASKED, and the call listed as not attempted."""
        self.failures.append(not_attempted(down))
        return [NOT_ASKED] * len(items)

    def _value(self, answer: Answer) -> ItemAnswers | None:
        if isinstance(answer, ProviderError):
            if answer.endpoint_down and self.down is None:
                self.down = answer
            self.failures.append(answer)
            return None
        self.calls += answer.calls
        self.prompt_tokens += answer.prompt_tokens
        self.completion_tokens += answer.completion_tokens
        return answer.value if isinstance(answer.value, ItemAnswers) else None


def _batches(items: Sequence[T]) -> list[Sequence[T]]:
    return [items[i:i + MAX_ITEMS] for i in range(0, len(items), MAX_ITEMS)]


class ModelSupportJudge(_Asking):
    """Asks grounding's `Judging` question; callable as `SupportJudge` too: (statement, evidence)
    pairs in, one verdict each out."""

    template = "support_judge"
    answers = SupportAnswersDraft

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[bool | None]:
        return [v if isinstance(v, bool) else None
                for v in drive(self.steps(pairs), self.provider, self.on_call)]


class ModelRestater(_Asking):
    """Asks grounding's `Restating` question; callable as `Restate` too: (statement, evidence,
    problem) in, the second wording out."""

    template = "reask"
    answers = RestatedDraft

    def steps(self, items: Sequence[tuple[str, ...]]) -> Steps[list[Any]]:
        restated = yield from super().steps(items)
        return [text if text is NOT_ASKED else (text if isinstance(text, str) else "").strip()
                or None for text in restated]

    def __call__(self, items: Sequence[tuple[str, str, str]]) -> list[str | None]:
        return [t if isinstance(t, str) else None
                for t in drive(self.steps(items), self.provider, self.on_call)]


SUPPORT_CALLS = frozenset({ModelRestater.template, ModelSupportJudge.template})
"""The names of the support check's calls, as `incomplete` lists them."""


def asked_grounding(grounding: Grounding, restater: ModelRestater,
                    judge: ModelSupportJudge) -> Steps[Grounded]:
    """`grounding` with its questions asked of the model, as requests of the steps; once a call
    found the endpoint down, the questions left are answered NOT_ASKED without a request."""
    exchange = Exchange(grounding)
    while (question := exchange.pending) is not None:
        asking: _Asking = restater if isinstance(question, Restating) else judge
        down = restater.down or judge.down
        if down is not None:
            exchange.answer(asking.not_asked(question.items, down))
        else:
            exchange.answer((yield from asking.steps(question.items)))
    return exchange.result
