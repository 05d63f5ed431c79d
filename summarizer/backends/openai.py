"""The OpenAI-compatible adapter: the only module that talks HTTP to a model.

Two retry loops with two jobs. instructor re-asks when an answer fails validation (a quote not in
the article); tenacity, here, retries transient transport failures (429 honouring Retry-After,
5xx, timeouts, refused connections) with jittered exponential backoff. The openai client's own
retries are off so that no failure is retried by two layers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx2
import instructor
import openai
import tenacity
from instructor.core import IncompleteOutputException, InstructorRetryException
from openai.types.chat import (
    ChatCompletionAssistantMessageParam,
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionUserMessageParam,
)
from pydantic import ValidationError

from summarizer.errors import ProviderError, RetriesExhaustedError
from summarizer.llm.provider import Draft, Extraction, Message

# instructor logs every failed attempt at ERROR; without a handler Python prints those on stderr,
# beside our own one-line report. Applications that configure logging still see them.
logging.getLogger("instructor").addHandler(logging.NullHandler())

def loopback_http_client() -> httpx2.Client:
    """An HTTP client for a server on this machine: no http(s)_proxy from the environment between."""
    return httpx2.Client(trust_env=False)


_TRANSIENT = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError)
_MAX_RETRY_AFTER = 60.0


def _retry_after(exc: BaseException | None) -> float | None:
    if not isinstance(exc, openai.APIStatusError):
        return None
    header = exc.response.headers.get("retry-after")
    try:
        return min(max(float(header), 0.0), _MAX_RETRY_AFTER) if header is not None else None
    except ValueError:
        return None


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
        timeout: float = 300.0,
        attempts: int = 4,
        reasks: int = 1,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        http_client: httpx2.Client | None = None,
    ) -> None:
        self._model = model
        self._endpoint_kind = endpoint_kind
        self._parameters: dict[str, object] = {
            "temperature": temperature, "seed": seed, "max_tokens": max_tokens,
            "mode": mode.value, "reasks": reasks,
        }
        self._attempts = attempts
        self._reasks = reasks
        self._backoff = tenacity.wait_random_exponential(multiplier=backoff, max=30)
        self._sleep = sleep
        client = openai.OpenAI(base_url=base_url, api_key=api_key or "unused",
                               max_retries=0, timeout=timeout, http_client=http_client)
        self._client = instructor.from_openai(client, mode=mode)
        self._client.on("completion:response", self._count)
        # per thread: workers of a batch share one provider, and each call counts its own usage
        self._usage = threading.local()

    @property
    def model(self) -> str:
        return self._model

    @property
    def endpoint_kind(self) -> str:
        return self._endpoint_kind

    @property
    def parameters(self) -> Mapping[str, object]:
        return self._parameters

    def _counts(self) -> list[int]:
        """[calls, prompt tokens, completion tokens] counted in this thread."""
        counts: list[int] | None = getattr(self._usage, "counts", None)
        if counts is None:
            counts = self._usage.counts = [0, 0, 0]
        return counts

    def _count(self, response: Any) -> None:
        counts = self._counts()
        usage = getattr(response, "usage", None)
        counts[0] += 1
        counts[1] += getattr(usage, "prompt_tokens", 0) or 0
        counts[2] += getattr(usage, "completion_tokens", 0) or 0

    def _wait(self, state: tenacity.RetryCallState) -> float:
        after = _retry_after(state.outcome.exception() if state.outcome else None)
        return after if after is not None else float(self._backoff(state))

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]:
        counts = self._counts()
        before = tuple(counts)
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self._attempts), wait=self._wait,
            retry=tenacity.retry_if_exception_type(_TRANSIENT), sleep=self._sleep, reraise=True,
        )
        try:
            value, unverified = retrying(self._ask, messages, response_model, context)
        except _TRANSIENT as exc:
            raise RetriesExhaustedError(
                f"model endpoint failed {self._attempts} times, last: {_describe(exc)}",
                attempts=self._attempts, prompt_tokens=counts[1] - before[1],
                completion_tokens=counts[2] - before[2],
            ) from exc
        except openai.APIError as exc:
            raise ProviderError(f"model endpoint error: {_describe(exc)}") from exc
        return Extraction(value=value, calls=counts[0] - before[0],
                          prompt_tokens=counts[1] - before[1],
                          completion_tokens=counts[2] - before[2],
                          unverified=unverified)

    def _ask(self, messages: Sequence[Message], response_model: type[Draft],
             context: Mapping[str, object]) -> tuple[Draft, str | None]:
        try:
            value, _ = self._client.chat.completions.create_with_completion(
                model=self._model,
                messages=[_chat_message(m) for m in messages],
                response_model=response_model, context=dict(context),
                max_retries=self._reasks, temperature=self._parameters["temperature"],
                seed=self._parameters["seed"], max_tokens=self._parameters["max_tokens"],
            )
            return value, None
        except IncompleteOutputException as exc:
            raise ProviderError(
                f"the model's answer was cut off at {self._parameters['max_tokens']} tokens"
            ) from exc
        except InstructorRetryException as exc:
            failure = exc.__cause__
            if isinstance(failure, openai.APIError):  # for tenacity, with the transport's cause
                raise failure from failure.__cause__
            return _salvage(exc, response_model), str(exc.__cause__ or exc)


def _chat_message(message: Message) -> ChatCompletionMessageParam:
    """The message as the openai client types it (the same {"role", "content"} on the wire)."""
    match message.role:
        case "system":
            return ChatCompletionSystemMessageParam(role="system", content=message.content)
        case "user":
            return ChatCompletionUserMessageParam(role="user", content=message.content)
        case "assistant":
            return ChatCompletionAssistantMessageParam(role="assistant", content=message.content)


def _salvage(exc: InstructorRetryException, response_model: type[Draft]) -> Draft:
    """The last answer, parsed without the grounding checks, so good items can still be kept."""
    completion = exc.last_completion
    content = completion.choices[0].message.content if completion is not None else None
    try:
        return response_model.model_validate_json(content or "")
    except ValidationError as invalid:
        raise ProviderError(
            f"the model gave no valid answer after {exc.n_attempts} attempts: "
            f"{invalid.errors()[0]['msg']}"
        ) from exc


def _describe(exc: openai.APIError) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code} from {exc.request.url}"
    return f"{type(exc).__name__}: {exc}"
