"""How an article's requests are asked. The pipeline is written as steps (`Steps`): a generator
that yields the requests it needs answered (an article's passes) and is sent back their answers,
in the same order. `drive` answers them with the provider's `extract`, in turn or at once on an
executor; `adrive` on the running event loop with the provider's `aextract`, so a batch keeps
every article's requests in flight without a thread each. The summary is the same either way:
the steps are the one place that decides what is asked and what is made of the answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Generator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel

from summarizer.errors import ProviderError
from summarizer.llm.provider import Extraction, Message, Provider, aextract, blocking

T = TypeVar("T")


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


def _stops_the_rest(answer: Answer) -> bool:
    """An endpoint that is down answers no later request either."""
    return isinstance(answer, ProviderError) and answer.endpoint_down


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


def resume(steps: Steps[T], answers: list[Answer] | None) -> tuple[list[Request] | None, T | None]:
    """The steps' next requests, or (None, their result) when they are done. (A StopIteration
    cannot cross a thread's future, so it is caught here.)"""
    try:
        return steps.send(answers), None  # type: ignore[arg-type]  # None starts the generator
    except StopIteration as finished:
        return None, finished.value


def drive(steps: Steps[T], provider: Provider, on_call: Callable[[str], None] | None = None,
          executor: Executor | None = None) -> T:
    """Run `steps` to their result, asking their requests with `ask`."""
    requests, result = resume(steps, None)
    while requests is not None:
        requests, result = resume(steps, ask(provider, requests, on_call, executor))
    return result  # type: ignore[return-value]  # the generator's return value


async def adrive(steps: Steps[T], provider: Provider,
                 on_call: Callable[[str], None] | None = None, *, at_once: bool = True,
                 gate: asyncio.Semaphore | None = None, in_thread: bool = False) -> T:
    """`drive` on the running event loop, the requests asked with `aask`. The work between
    requests (grounding) runs on the loop, or `in_thread` where it may block: with the model
    support check, grounding asks the model itself."""

    async def resumed(answers: list[Answer] | None) -> tuple[list[Request] | None, T | None]:
        if not in_thread:
            return resume(steps, answers)
        return await blocking(resume, steps, answers)

    requests, result = await resumed(None)
    while requests is not None:
        answers = await aask(provider, requests, on_call, at_once=at_once, gate=gate)
        requests, result = await resumed(answers)
    return result  # type: ignore[return-value]  # the generator's return value
