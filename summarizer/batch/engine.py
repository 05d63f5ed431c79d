"""The engine of a batch: a Summarizer whose provider is the endpoint behind the rate limiter and
the response cache. One per batch process (`run_batch`, and each worker of `--workers`)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from summarizer.api import Summarizer
from summarizer.backends import config
from summarizer.batch.limits import RateLimitedProvider, RateLimiter
from summarizer.llm.cache import CachingProvider
from summarizer.llm.provider import Draft, Extraction, Message, Provider, aextract


class _Deferred:
    """The engine's provider, resolved on first use (once, under a lock): a rerun with nothing
    left to do never starts the embedded model."""

    def __init__(self, engine: Summarizer) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._ready: Provider | None = None

    def _inner(self) -> Provider:
        with self._lock:
            if self._ready is None:
                self._ready = self._engine.provider
            return self._ready

    @property
    def model(self) -> str:
        return self._inner().model

    @property
    def endpoint_kind(self) -> str:
        return self._inner().endpoint_kind

    @property
    def parameters(self) -> Mapping[str, object]:
        return self._inner().parameters

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]:
        return self._inner().extract(messages, response_model, context)

    async def aextract(self, messages: Sequence[Message], response_model: type[Draft],
                       context: Mapping[str, object]) -> Extraction[Draft]:
        # the first call may start the embedded model (minutes): not on the event loop
        ready = self._ready if self._ready is not None else await asyncio.to_thread(self._inner)
        return await aextract(ready, messages, response_model, context)


@contextlib.contextmanager
def batch_engine(limiter: RateLimiter, *, concurrency: int, cache_dir: Path | None,
                 base_url: str | None, api_key: str | None, model: str | None,
                 provider: Provider | None, concurrent_passes: bool | None,
                 prices: str | None, on_notice: Callable[[str], None] | None = None,
                 ) -> Iterator[tuple[Summarizer, CachingProvider | None]]:
    """The engine and its cache (None without `cache_dir`), closed on leaving: the embedded model
    stopped, the endpoint's connections closed. `on_notice` is told once if the cache cannot keep
    an answer (the answer is used all the same). The embedded model gets the batch's slot count
    (SUMMARIZER_LOCAL_SLOTS, else BATCH_LOCAL_SLOTS). `concurrent_passes` None: at once unless the
    endpoint is the embedded model with one slot, where they would only queue."""
    slots = config.local_slots(default=config.BATCH_LOCAL_SLOTS)
    with Summarizer(base_url=base_url, api_key=api_key, model=model, provider=provider,
                    retry_sleep=limiter.pause, local_slots=slots) as endpoint:
        chain: Provider = RateLimitedProvider(_Deferred(endpoint), limiter)
        cache = None
        if cache_dir is not None:
            chain = cache = CachingProvider(chain, cache_dir, on_write_error=on_notice)
        if concurrent_passes is None:
            concurrent_passes = endpoint.endpoint_kind != "local" or slots > 1
        passes = 3 * concurrency if concurrent_passes else 1  # the default variant's 3 passes
        with Summarizer(provider=chain, passes_at_once=passes, prices=prices) as engine:
            yield engine, cache
