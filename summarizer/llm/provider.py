"""The one seam between the pipeline and a model: messages and a response model in, a parsed answer
and its cost out. The OpenAI-compatible adapter implements it; tests can put a fake behind it."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel

Draft = TypeVar("Draft", bound=BaseModel)
T = TypeVar("T")

_VALIDATION: contextvars.ContextVar[Mapping[str, object] | None] = contextvars.ContextVar(
    "validation_context", default=None)


@contextmanager
def validating_with(context: Mapping[str, object]) -> Iterator[None]:
    """Make `context` the validation context of the answers parsed inside (`validation_context`).

    For a client that would also use a context it is given for something else: instructor
    renders every message as a Jinja template with its `context`, so an article's `{{ x }}` would
    vanish from the request, `{%` would raise and CRLF would become LF."""
    token = _VALIDATION.set(context)
    try:
        yield
    finally:
        _VALIDATION.reset(token)


def validation_context() -> Mapping[str, object] | None:
    """The context set by the innermost `validating_with` of this thread or task, else None."""
    return _VALIDATION.get()


Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One chat message: a system prompt, the user's request, or an earlier answer of the model."""

    role: Role
    content: str


@dataclass(frozen=True)
class Extraction(Generic[Draft]):
    """A parsed answer. `unverified` is set when the re-asks ran out and `value` is the last answer
    parsed without the grounding checks: every item in it must be grounded one by one."""

    value: Draft
    calls: int
    prompt_tokens: int
    completion_tokens: int
    unverified: str | None = None


class Provider(Protocol):
    @property
    def model(self) -> str: ...

    @property
    def endpoint_kind(self) -> str: ...

    @property
    def parameters(self) -> Mapping[str, object]:
        """Sampling parameters sent with every call (part of each output's prompt stamp)."""
        ...

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]: ...

    # A provider may also have `async def aextract(...)` with the same arguments: what `aextract`
    # below awaits in place of a worker thread.


# A sync-only call awaited from the event loop (a provider without `aextract`, a caller's blocking
# sleep) holds a thread each. Not the event loop's default pool: it has min(32, CPUs + 4)
# threads (6 on 2 cores) and would cap a batch's requests in flight there. Threads are made as the
# work needs them; the callers bound how many (articles x passes).
_WAITING_ON_A_MODEL = ThreadPoolExecutor(max_workers=1024, thread_name_prefix="model-wait")


async def blocking(function: Callable[..., T], *args: object) -> T:
    """`function(*args)`, which may wait on a model, awaited from a thread of that pool (with the
    caller's context variables, as `asyncio.to_thread` has)."""
    call = functools.partial(contextvars.copy_context().run, function, *args)
    return await asyncio.get_running_loop().run_in_executor(_WAITING_ON_A_MODEL, call)


async def slept(sleep: Callable[[float], None], seconds: float) -> None:
    """`sleep(seconds)` awaited: asyncio's own for `time.sleep`, else the caller's (a batch's pause
    of every worker, a test's clock), which blocks, from a thread of that pool."""
    if sleep is time.sleep:
        await asyncio.sleep(seconds)
    else:
        await blocking(sleep, seconds)


async def aextract(provider: Provider, messages: Sequence[Message], response_model: type[Draft],
                   context: Mapping[str, object]) -> Extraction[Draft]:
    """`provider.extract` awaited: its own `aextract` where it has one, else `extract` in a
    worker thread (a provider written without one still serves async callers)."""
    asking: Callable[..., Awaitable[Extraction[Draft]]] | None = getattr(provider, "aextract", None)
    if asking is not None:
        return await asking(messages, response_model, context)
    return await blocking(provider.extract, messages, response_model, context)


class ProviderWrapper:
    """A provider that adds something around another (a cache, a rate limit): it names the same
    model, endpoint kind and parameters; subclasses write `extract`."""

    def __init__(self, inner: Provider) -> None:
        self._inner = inner

    @property
    def model(self) -> str:
        return self._inner.model

    @property
    def endpoint_kind(self) -> str:
        return self._inner.endpoint_kind

    @property
    def parameters(self) -> Mapping[str, object]:
        return self._inner.parameters
