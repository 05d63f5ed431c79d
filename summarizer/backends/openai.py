"""The OpenAI-compatible adapter: the only module that talks HTTP to a model.

Two retry loops with two jobs. instructor re-asks when an answer fails validation (a quote not in
the article); `faults.Retries` retries transient transport failures with two budgets: 5xx answers
and refused connections get `attempts` tries with jittered exponential backoff, a request that ran
into its deadline `faults.TIMEOUT_ATTEMPTS` (2) at most; 429 (rate limits) is retried until
`rate_limit_wait` seconds of waiting are spent, honouring Retry-After, so that a per-minute limit is
outlasted. The openai client's own retries are off so that no failure is retried by two layers.
Every request has a wall-clock deadline (`timeout`).

`aextract` is `extract` through openai's async client on the caller's event loop, for the batch:
one event loop keeps every article's requests in flight without a thread each. A client is made
per event loop (its pooled connections belong to that loop) and closed when the loop shuts down.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import json
import logging
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any

import httpx2
import instructor
import openai
import pydantic.json_schema
import tenacity
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.function_calls import ResponseSchema, response_schema
from openai.types.chat import (
    ChatCompletionAssistantMessageParam,
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionUserMessageParam,
)
from pydantic import ValidationError

from summarizer.backends.config import (
    HOSTED_TIMEOUT,
    LOCAL_TIMEOUT,
    RATE_LIMIT_WAIT,
    REASKS,
    redact_url,
)
from summarizer.backends.faults import (
    TRANSIENT,
    Retries,
    async_deadline_client,
    deadline_client,
    describe,
)
from summarizer.backends.grammar import COMPACT_JSON, UnsupportedSchema, compact_grammar
from summarizer.errors import ProviderError, RetriesExhaustedError
from summarizer.llm import prompts
from summarizer.llm.provider import (
    Draft,
    Extraction,
    Message,
    blocking,
    slept,
    validating_with,
)

# instructor logs every failed attempt at ERROR; without a handler Python prints those on stderr,
# beside our own one-line report. Applications that configure logging still see them.
logging.getLogger("instructor").addHandler(logging.NullHandler())

def loopback_http_client(timeout: float = LOCAL_TIMEOUT) -> httpx2.Client:
    """An HTTP client for a server on this machine: no http(s)_proxy from the environment between."""
    return deadline_client(timeout, trust_env=False)


# [calls, prompt tokens, completion tokens] of the `extract` running in this thread or task: the
# passes of many articles share one provider, and each call counts its own usage
_COUNTS: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("counts", default=None)


@contextlib.contextmanager
def _counting() -> Iterator[list[int]]:
    counts = [0, 0, 0]
    token = _COUNTS.set(counts)
    try:
        yield counts
    finally:
        _COUNTS.reset(token)


def _count(response: Any) -> None:
    counts = _COUNTS.get()
    if counts is None:  # a request made outside `extract`
        return
    usage = getattr(response, "usage", None)
    counts[0] += 1
    counts[1] += getattr(usage, "prompt_tokens", 0) or 0
    counts[2] += getattr(usage, "completion_tokens", 0) or 0


async def _closed_with_the_loop(client: httpx2.AsyncClient) -> AsyncIterator[None]:
    """Started once and kept: the loop closes every open async generator before it ends
    (`loop.shutdown_asyncgens`, which asyncio.run calls), and so closes the client's connections
    while the loop can still run their shutdown."""
    try:
        yield
    finally:
        await client.aclose()


# Answers that say no request to this endpoint can succeed: the key, the permission, the model.
_ENDPOINT_REFUSED = (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError)
class OpenAIProvider:
    """Any OpenAI-compatible chat completions endpoint, through instructor."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        endpoint_kind: str = "openai-compatible",
        mode: instructor.Mode = instructor.Mode.JSON_SCHEMA,
        temperature: float = 0.0,
        seed: int = 7,
        max_tokens: int = 2048,
        timeout: float = HOSTED_TIMEOUT,
        attempts: int = 4,
        rate_limit_wait: float = RATE_LIMIT_WAIT,
        reasks: int = REASKS,
        compact_json: bool = False,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        http_client: httpx2.Client | None = None,
        async_http_client: Callable[[], httpx2.AsyncClient] | None = None,
    ) -> None:
        """`http_client`: the client `extract` sends through (default: one with the deadline).
        `async_http_client`: makes the client of `aextract`, one per event loop (default: one with
        the deadline, unless an `http_client` was given: then `aextract` sends through that one,
        from a worker thread)."""
        self._model = model
        self._endpoint_kind = endpoint_kind
        self._compact = compact_json
        self._parameters: dict[str, object] = {
            "temperature": temperature, "seed": seed, "max_tokens": max_tokens,
            "mode": mode.value, "reasks": reasks,
        }
        if compact_json:
            self._parameters["answer_format"] = COMPACT_JSON
        self._attempts = attempts
        self._rate_limit_wait = rate_limit_wait
        self._reasks = reasks
        self._backoff = backoff
        self._timeout = timeout
        self._api_key = api_key  # only to clear it from the server's messages (`describe`)
        self._sleep = sleep
        self._own_http = None if http_client else deadline_client(timeout)  # closed by close()
        client = openai.OpenAI(base_url=base_url, api_key=api_key or "unused",
                               max_retries=0, timeout=timeout,
                               http_client=http_client or self._own_http)
        self._url = redact_url(str(client.base_url))
        self._client = instructor.from_openai(client, mode=mode)
        self._client.on("completion:response", _count)
        self._async_http = async_http_client or (
            None if http_client else functools.partial(async_deadline_client, timeout))
        self._async_args: dict[str, Any] = {"base_url": base_url, "api_key": api_key or "unused",
                                            "max_retries": 0, "timeout": timeout}
        self._mode = mode
        # event loop -> its client, and the generator that closes that client with the loop
        self._async_clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[instructor.AsyncInstructor, AsyncIterator[None]]
        ] = weakref.WeakKeyDictionary()

    def close(self) -> None:
        """Close the HTTP client it made (its pooled connections); one given to it is the giver's.
        The async clients close with their event loops."""
        if self._own_http is not None:
            self._own_http.close()

    async def _async_client(self) -> instructor.AsyncInstructor | None:
        """This event loop's client; None when only a synchronous HTTP client was given."""
        if self._async_http is None:
            return None
        loop = asyncio.get_running_loop()
        made = self._async_clients.get(loop)
        if made is None:
            http = self._async_http()
            client = instructor.from_openai(openai.AsyncOpenAI(**self._async_args, http_client=http),
                                            mode=self._mode)
            client.on("completion:response", _count)
            closer = _closed_with_the_loop(http)
            await anext(closer)
            made = self._async_clients[loop] = (client, closer)
        return made[0]

    @property
    def model(self) -> str:
        return self._model

    @property
    def endpoint_kind(self) -> str:
        return self._endpoint_kind

    @property
    def parameters(self) -> Mapping[str, object]:
        return self._parameters

    def _retrying(self) -> tuple[Retries, dict[str, Any]]:
        budget = Retries(self._attempts, self._rate_limit_wait, self._backoff)
        return budget, {"stop": budget.stop, "wait": budget.wait, "reraise": True,
                        "retry": tenacity.retry_if_exception(budget.record)}

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]:
        budget, retries = self._retrying()
        with _counting() as counts:
            try:
                value, unverified = tenacity.Retrying(sleep=self._sleep, **retries)(
                    self._ask, messages, response_model, context)
            except openai.APIError as exc:
                raise self._failure(exc, budget, counts) from exc
        return Extraction(value=value, calls=counts[0], prompt_tokens=counts[1],
                          completion_tokens=counts[2], unverified=unverified)

    async def aextract(self, messages: Sequence[Message], response_model: type[Draft],
                       context: Mapping[str, object]) -> Extraction[Draft]:
        """`extract` on the running event loop: the same requests, retries, answers and errors."""
        client = await self._async_client()
        if client is None:
            return await blocking(self.extract, messages, response_model, context)
        budget, retries = self._retrying()
        value: Draft
        unverified: str | None
        with _counting() as counts:
            try:
                value, unverified = await tenacity.AsyncRetrying(sleep=self._asleep, **retries)(
                    self._aask, client, messages, response_model, context)
            except openai.APIError as exc:
                raise self._failure(exc, budget, counts) from exc
        return Extraction(value=value, calls=counts[0], prompt_tokens=counts[1],
                          completion_tokens=counts[2], unverified=unverified)

    async def _asleep(self, seconds: float) -> None:
        await slept(self._sleep, seconds)  # a batch's sleep pauses every worker: it blocks

    def _failure(self, exc: openai.APIError, budget: Retries, counts: list[int]) -> ProviderError:
        """What a request that failed for good raises: what the failed calls cost still counts."""
        if isinstance(exc, openai.RateLimitError):
            return RetriesExhaustedError(
                f"the endpoint kept answering 429 (rate limited) for {budget.rate_limited} "
                f"requests and {budget.waited_on_limits:g} s of waiting; last: "
                f"{describe(exc, self._timeout, self._api_key)}",
                attempts=budget.requests, prompt_tokens=counts[1], completion_tokens=counts[2],
                endpoint_down=True,
            )
        if isinstance(exc, TRANSIENT):
            return RetriesExhaustedError(
                f"model endpoint failed {budget.requests} "
                f"{'time' if budget.requests == 1 else 'times'}, last: "
                f"{describe(exc, self._timeout, self._api_key)}",
                attempts=budget.requests, prompt_tokens=counts[1], completion_tokens=counts[2],
                # unreachable or timing out: down; a 5xx may be this request's alone
                endpoint_down=not isinstance(exc, openai.InternalServerError),
            )
        return ProviderError(f"model endpoint error: {describe(exc, self._timeout, self._api_key)}",
                             endpoint_down=isinstance(exc, _ENDPOINT_REFUSED))

    def _request(self, messages: Sequence[Message],
                 response_model: type[Draft]) -> dict[str, Any]:
        """The keyword arguments of instructor's create_with_completion for one request."""
        compact = _compact_body(response_model) if self._compact else None
        return {"model": self._model,
                "messages": [_chat_message(m) for m in
                             (_told_compact(messages) if compact else messages)],
                "response_model": _wire_model(response_model), "max_retries": self._reasks,
                "temperature": self._parameters["temperature"], "seed": self._parameters["seed"],
                "max_tokens": self._parameters["max_tokens"], "extra_body": compact}

    # the context reaches the validators (`validating_with`), not instructor: given one,
    # instructor renders each message, the article included, as a Jinja template

    def _ask(self, messages: Sequence[Message], response_model: type[Draft],
             context: Mapping[str, object]) -> tuple[Draft, str | None]:
        try:
            with validating_with(dict(context)):
                value, _ = self._client.chat.completions.create_with_completion(
                    **self._request(messages, response_model))
            return value, None
        except (IncompleteOutputException, InstructorRetryException) as exc:
            return self._unparsed(exc, response_model)

    async def _aask(self, client: instructor.AsyncInstructor, messages: Sequence[Message],
                    response_model: type[Draft],
                    context: Mapping[str, object]) -> tuple[Draft, str | None]:
        try:
            with validating_with(dict(context)):
                value, _ = await client.chat.completions.create_with_completion(
                    **self._request(messages, response_model))
            return value, None
        except (IncompleteOutputException, InstructorRetryException) as exc:
            return self._unparsed(exc, response_model)

    def _unparsed(self, exc: IncompleteOutputException | InstructorRetryException,
                  response_model: type[Draft]) -> tuple[Draft, str | None]:
        """An answer instructor gave up on: cut off (a ProviderError), failed at the transport (the
        API error, for the retries), or failing validation (salvaged, unverified)."""
        if isinstance(exc, IncompleteOutputException):
            raise ProviderError(
                f"the model's answer was cut off at {self._parameters['max_tokens']} tokens"
            ) from exc
        failure = exc.__cause__
        if isinstance(failure, openai.APIError):  # for tenacity, with the transport's cause
            raise failure from failure.__cause__
        return _salvage(exc, response_model, self._url), str(exc.__cause__ or exc)


@functools.cache
def _wire_model(response_model: type[Draft]) -> type[Draft]:
    """instructor's ResponseSchema subclass of the model, made once per class, its JSON schema
    built once: given a plain model, instructor makes a new class and its schema on every call
    (~1.3 ms of the ~7 ms of CPU a request costs in the client). Requests and parsed answers
    are the same: the same name, the same schema, a subclass of the model."""
    wire = response_schema(response_model)
    schema = json.dumps(wire.model_json_schema())

    def model_json_schema(cls: type[ResponseSchema], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:  # another rendering than the one instructor sends: built anew
            return pydantic.json_schema.model_json_schema(cls, *args, **kwargs)
        loaded: dict[str, Any] = json.loads(schema)  # a fresh copy: the caller may change it
        return loaded

    # set on the class as plain assignment would, without mypy's objection to replacing a method
    type.__setattr__(wire, "model_json_schema", classmethod(model_json_schema))
    return wire


@functools.cache
def _compact_grammar_of(response_model: type[Draft]) -> str | None:
    try:
        return compact_grammar(response_model.model_json_schema())
    except UnsupportedSchema:
        return None  # the schema as `response_format`, as for any other endpoint


def _compact_body(response_model: type[Draft]) -> dict[str, object] | None:
    """The request's JSON-schema response format replaced by the schema's compact grammar (in
    the body openai sends, `extra_body` overrides instructor's keys and `omit` removes one):
    llama-server takes one or the other, not both. None for a schema the grammar cannot say."""
    grammar = _compact_grammar_of(response_model)
    return None if grammar is None else {"response_format": openai.omit, "grammar": grammar}


def _told_compact(messages: Sequence[Message]) -> list[Message]:
    """The messages with the first one (the system prompt) saying how the grammar wants the JSON
    written: constrained to compact JSON without being told, the local model closed its lists
    at once (seed 000: no actor, no figure)."""
    first, *rest = messages
    return [Message(first.role, f"{first.content} {prompts.render('compact_json')}"), *rest]


def _chat_message(message: Message) -> ChatCompletionMessageParam:
    """The message as the openai client types it (the same {"role", "content"} on the wire)."""
    match message.role:
        case "system":
            return ChatCompletionSystemMessageParam(role="system", content=message.content)
        case "user":
            return ChatCompletionUserMessageParam(role="user", content=message.content)
        case "assistant":
            return ChatCompletionAssistantMessageParam(role="assistant", content=message.content)


def _salvage(exc: InstructorRetryException, response_model: type[Draft], url: str) -> Draft:
    """The last answer, parsed without the grounding checks, so good items can still be kept."""
    completion = exc.last_completion
    choices = getattr(completion, "choices", None) if completion is not None else None
    if completion is not None and not choices:
        raise ProviderError(
            f"the endpoint {url} answered with an empty `choices` list (no answer "
            "at all): check the endpoint's logs or try another model"
        ) from exc
    choice = choices[0] if choices else None
    if choice is not None and choice.finish_reason == "content_filter":
        raise ProviderError(
            f"the endpoint {url} withheld the answer with its content filter (finish_reason "
            "content_filter): this article trips its moderation; use another endpoint or model"
        ) from exc
    content = choice.message.content if choice is not None else None
    try:
        return response_model.model_validate_json(content or "")
    except ValidationError as invalid:
        raise ProviderError(
            f"the model gave no valid answer after {exc.n_attempts} attempts: "
            f"{invalid.errors()[0]['msg']}"
        ) from exc
