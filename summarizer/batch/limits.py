"""Requests and tokens per minute, shared by every worker of a batch, and a pause for all of them
when the endpoint says to wait (429 Retry-After).

Two token buckets refilled continuously; a bucket holds at most ten seconds of its rate, so a batch
starts gently instead of spending a minute's budget in one burst. Tokens are estimated before a call
(prompt characters / 4) and settled with the usage the endpoint reports after it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence

from summarizer.llm.provider import (
    Draft,
    Extraction,
    Message,
    Provider,
    ProviderWrapper,
    aextract,
    slept,
)

_BURST_SECONDS = 10.0


class _Bucket:
    def __init__(self, per_minute: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate * _BURST_SECONDS)
        self.level = self.capacity

    def refill(self, elapsed: float) -> None:
        self.level = min(self.capacity, self.level + elapsed * self.rate)

    def wait_for(self, amount: float) -> float:
        """Seconds until `amount` (capped at the capacity) is available; 0 if it is now."""
        missing = min(amount, self.capacity) - self.level
        return 0.0 if missing <= 0 else missing / self.rate


class RateLimiter:
    """Thread-safe gate before each model call: `acquire` blocks until the budget allows it,
    `aacquire` awaits it."""

    def __init__(self, requests_per_minute: float | None = None, tokens_per_minute: float | None = None,
                 *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._requests = _Bucket(requests_per_minute) if requests_per_minute else None
        self._tokens = _Bucket(tokens_per_minute) if tokens_per_minute else None
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._last = clock()
        self._paused_until = 0.0
        self.pauses: list[float] = []  # every Retry-After (or backoff) the batch honoured

    def _refill(self) -> float:
        now = self._clock()
        for bucket in (self._requests, self._tokens):
            if bucket:
                bucket.refill(now - self._last)
        self._last = now
        return now

    def acquire(self, tokens: float = 0.0) -> None:
        while (wait := self._take(tokens)) > 0:
            self._sleep(wait)

    async def aacquire(self, tokens: float = 0.0) -> None:
        while (wait := self._take(tokens)) > 0:
            await slept(self._sleep, wait)

    def _take(self, tokens: float) -> float:
        """0 when the budget allows the call now (and it is charged), else the seconds to wait."""
        with self._lock:
            now = self._refill()
            wait = max(self._paused_until - now,
                       self._requests.wait_for(1) if self._requests else 0.0,
                       self._tokens.wait_for(tokens) if self._tokens else 0.0)
            if wait > 0:
                return wait
            if self._requests:
                self._requests.level -= 1
            if self._tokens:
                self._tokens.level -= tokens  # may go below zero: a debt paid by waiting
            return 0.0

    def settle(self, estimated: float, used: float) -> None:
        """Charge the tokens a call really used in place of its estimate."""
        if self._tokens:
            with self._lock:
                self._tokens.level -= used - estimated

    def pause(self, seconds: float) -> None:
        """Hold every worker for `seconds` (the provider's retry wait); sleeps the caller too."""
        with self._lock:
            self.pauses.append(seconds)
            self._paused_until = max(self._paused_until, self._clock() + seconds)
        self._sleep(seconds)


def estimate_tokens(messages: Sequence[Message]) -> float:
    return sum(len(m.content) for m in messages) / 4


class RateLimitedProvider(ProviderWrapper):
    """Wraps a Provider: every call waits for the shared RateLimiter first."""

    def __init__(self, inner: Provider, limiter: RateLimiter) -> None:
        super().__init__(inner)
        self._limiter = limiter

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]:
        estimated = estimate_tokens(messages)
        self._limiter.acquire(estimated)
        result = self._inner.extract(messages, response_model, context)
        self._limiter.settle(estimated, result.prompt_tokens + result.completion_tokens)
        return result

    async def aextract(self, messages: Sequence[Message], response_model: type[Draft],
                       context: Mapping[str, object]) -> Extraction[Draft]:
        estimated = estimate_tokens(messages)
        await self._limiter.aacquire(estimated)
        result = await aextract(self._inner, messages, response_model, context)
        self._limiter.settle(estimated, result.prompt_tokens + result.completion_tokens)
        return result
