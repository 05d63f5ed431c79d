"""One batch run: inputs streamed through `Summarizer.stream` into the results and errors files,
with the cache and the rate limiter in front of the endpoint and the totals kept."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from summarizer.api import Summarizer
from summarizer.api.stream import Article, Done, Failed, Outcome, Skipped, Unreadable
from summarizer.backends import config
from summarizer.batch.inputs import MAX_BYTES, read_inputs
from summarizer.batch.journal import ErrorsFile, ResultsFile
from summarizer.batch.limits import RateLimitedProvider, RateLimiter
from summarizer.llm.cache import CachingProvider
from summarizer.llm.provider import Draft, Extraction, Message, Provider


@dataclass
class Totals:
    total: int = 0  # articles met so far (done now, before, failed, duplicates)
    done: int = 0
    already_done: int = 0
    duplicates: int = 0
    failed: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    usd: float = 0.0  # what the articles priced cost (see `unpriced`)
    unpriced: int = 0  # articles of a model with no known price

    def add(self, outcome: Outcome) -> None:
        self.total += 1
        if isinstance(outcome, Done):
            usage = outcome.summary.metadata.usage
            usd = outcome.cost.usd if outcome.cost else None
            if usd is None:
                self.unpriced += 1
            else:
                self.usd += usd
            self.done += 1
            self.calls += outcome.summary.metadata.llm_calls
            self.prompt_tokens += usage.prompt_tokens
            self.completion_tokens += usage.completion_tokens
        elif isinstance(outcome, Skipped):
            if outcome.why == "done":
                self.already_done += 1
            else:
                self.duplicates += 1
        else:
            self.failed += 1


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


async def drain(engine: Summarizer, articles: Iterable[Article | Unreadable], concurrency: int,
                results: ResultsFile, failures: ErrorsFile, totals: Totals,
                cache_hits: Callable[[], int],
                on_outcome: Callable[[Outcome, Totals], None] | None) -> None:
    """Every outcome of `engine.stream` into the results or errors file and the totals."""
    async for outcome in engine.stream(articles, concurrency=concurrency, done=results.done):
        if isinstance(outcome, Done):
            results.append(outcome.record())
        elif isinstance(outcome, Failed):
            failures.append(outcome.record())
        totals.add(outcome)
        totals.cache_hits = cache_hits()
        if on_outcome:
            on_outcome(outcome, totals)


def run_batch(inputs: Iterable[str | Path], out: Path, errors: Path, *, concurrency: int = 8,
              requests_per_minute: float | None = None, tokens_per_minute: float | None = None,
              cache_dir: Path | None = None, max_bytes: int = MAX_BYTES,
              base_url: str | None = None, api_key: str | None = None, model: str | None = None,
              provider: Provider | None = None, concurrent_passes: bool | None = None,
              prices: str | None = None,
              on_outcome: Callable[[Outcome, Totals], None] | None = None) -> Totals:
    """Summarize every input not yet in `out`, appending each result as it completes; failures go
    to `errors`. `provider` replaces the endpoint (tests, other clients). `concurrent_passes`:
    ask an article's passes at the same time (None: unless the endpoint is the embedded model
    with one slot, SUMMARIZER_LOCAL_SLOTS, where they would only queue). `prices` replaces the
    price table's (see `summarizer.backends.prices`)."""
    limiter = RateLimiter(requests_per_minute, tokens_per_minute)
    results, failures = ResultsFile(out), ErrorsFile(errors)
    totals = Totals()
    cache: CachingProvider | None = None
    try:
        with Summarizer(base_url=base_url, api_key=api_key, model=model, provider=provider,
                        retry_sleep=limiter.pause) as endpoint:
            chain: Provider = RateLimitedProvider(_Deferred(endpoint), limiter)
            if cache_dir is not None:
                chain = cache = CachingProvider(chain, cache_dir)
            if concurrent_passes is None:  # the embedded model's one slot would only queue them
                concurrent_passes = endpoint.endpoint_kind != "local" or config.local_slots() > 1
            passes = 3 * concurrency if concurrent_passes else 1  # the default variant's 3 passes
            with Summarizer(provider=chain, passes_at_once=passes, prices=prices) as engine:
                asyncio.run(drain(engine, read_inputs(inputs, max_bytes), concurrency, results,
                                  failures, totals, lambda: cache.hits if cache else 0, on_outcome))
    finally:
        results.close()
        failures.close()
    return totals
