"""How an article's requests are asked: the one route from the pipeline to the model.

The pipeline is written as steps (`Steps`): a generator that yields the requests it needs answered
and is sent back their answers, in the same order. Every model request of an article goes this way:
the passes, each chunk's passes, and the support check's re-ask and judge (grounding yields its
questions; `extract.recheck` turns them into requests). `drive` answers them with the provider's
`extract`, in turn or at once on an executor; `adrive` on the running event loop with the
provider's `aextract`, so a batch keeps every article's requests in flight without a thread each.
The summary is the same either way: the steps are the one place that decides what is asked and
what is made of the answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Generator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

from summarizer.errors import ProviderError
from summarizer.llm.provider import Extraction, Message, Provider, aextract

T = TypeVar("T")
Asked = TypeVar("Asked")
Told = TypeVar("Told")


@dataclass(frozen=True)
class Request:
    """One model call a step needs: `name` is the pass (its prompt template)."""

    name: str
    messages: tuple[Message, ...]
    response_model: type[BaseModel]
    context: Mapping[str, object]


Answer = Extraction[BaseModel] | ProviderError
Steps = Generator[list[Request], list[Answer], T]
"""Yields each step's requests, is sent their answers (or failures) in order, returns the result."""


class Exchange(Generic[Asked, Told, T]):
    """A generator of questions being answered from outside: `pending` is what it asks next (None
    once it is done), `answer` sends it the answer, `result` is what it returned. (The generator
    protocol's first `send(None)` and its return value in a StopIteration, typed once here.)"""

    def __init__(self, steps: Generator[Asked, Told, T]) -> None:
        self._result: list[T] = []
        self._steps = self._keeping(steps)
        self.pending: Asked | None = self._resumed(None)

    def _keeping(self, steps: Generator[Asked, Told, T]) -> Generator[Asked, Told, None]:
        self._result.append((yield from steps))

    def _resumed(self, told: Told | None) -> Asked | None:
        try:
            return next(self._steps) if told is None else self._steps.send(told)
        except StopIteration:
            return None

    def answer(self, told: Told) -> None:
        self.pending = self._resumed(told)

    @property
    def result(self) -> T:
        return self._result[0]


def _stops_the_rest(answer: Answer) -> bool:
    """An endpoint that is down answers no later request either."""
    return isinstance(answer, ProviderError) and answer.endpoint_down


def not_attempted(down: ProviderError | None) -> ProviderError:
    """The failure of a call not made because an earlier one found the endpoint down (`down`)."""
    return ProviderError(f"not attempted, the endpoint is down: {down}", endpoint_down=True)


class EndpointWatch(Generic[T]):
    """Steps passed through unchanged, their answers watched: `down` is the first failure that
    found the endpoint down (None while none did). The steps keep what was answered and finish
    (an article's summary with its `incomplete`); whoever drives them learns here that the
    endpoint is gone, to start nothing more (a chunk, an article)."""

    def __init__(self, steps: Steps[T]) -> None:
        self.down: ProviderError | None = None
        self.steps = self._watched(steps)

    def _watched(self, steps: Steps[T]) -> Steps[T]:
        exchange = Exchange(steps)
        while exchange.pending is not None:
            answers = yield exchange.pending
            if self.down is None:
                self.down = next((a for a in answers if isinstance(a, ProviderError)
                                  and _stops_the_rest(a)), None)
            exchange.answer(answers)
        return exchange.result


def ask(provider: Provider, requests: list[Request], on_call: Callable[[str], None] | None = None,
        executor: Executor | None = None) -> list[Answer]:
    """Each request's answer or failure, in order: one after another (an endpoint that is down
    stops the rest, which get no answer), or all at once on `executor`."""

    def one(request: Request) -> Answer:
        if on_call:
            on_call(request.name)
        try:
            return provider.extract(request.messages, request.response_model, request.context)
        except ProviderError as exc:
            return exc

    if executor is not None:
        return [future.result() for future in [executor.submit(one, r) for r in requests]]
    answers: list[Answer] = []
    for request in requests:
        answers.append(one(request))
        if _stops_the_rest(answers[-1]):
            break
    return answers


async def aask(provider: Provider, requests: list[Request],
               on_call: Callable[[str], None] | None = None, *, at_once: bool = True,
               gate: asyncio.Semaphore | None = None) -> list[Answer]:
    """`ask` on the running event loop: all at once (at most as many in flight as `gate` lets
    through, across everything that shares it), or in turn."""

    async def one(request: Request) -> Answer:
        async with gate or contextlib.nullcontext():
            if on_call:
                on_call(request.name)
            try:
                return await aextract(provider, request.messages, request.response_model,
                                      request.context)
            except ProviderError as exc:
                return exc

    if at_once:
        return list(await asyncio.gather(*(one(r) for r in requests)))
    answers: list[Answer] = []
    for request in requests:
        answers.append(await one(request))
        if _stops_the_rest(answers[-1]):
            break
    return answers


def drive(steps: Steps[T], provider: Provider, on_call: Callable[[str], None] | None = None,
          executor: Executor | None = None) -> T:
    """Run `steps` to their result, asking their requests with `ask`."""
    exchange = Exchange(steps)
    while exchange.pending is not None:
        exchange.answer(ask(provider, exchange.pending, on_call, executor))
    return exchange.result


async def adrive(steps: Steps[T], provider: Provider,
                 on_call: Callable[[str], None] | None = None, *, at_once: bool = True,
                 gate: asyncio.Semaphore | None = None) -> T:
    """`drive` on the running event loop, the requests asked with `aask`. The work between
    requests (grounding included) asks the model only through the steps, so it runs on the loop."""
    exchange = Exchange(steps)
    while exchange.pending is not None:
        exchange.answer(await aask(provider, exchange.pending, on_call, at_once=at_once, gate=gate))
    return exchange.result
