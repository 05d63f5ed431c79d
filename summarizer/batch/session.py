"""One batch run: inputs streamed through `Summarizer.stream` (or through worker processes) into
the results and errors files, with the cache and the rate limiter in front of the endpoint and the
totals kept."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from summarizer.api import Summarizer
from summarizer.api.stream import Article, Done, Failed, Outcome, Skipped, Unreadable
from summarizer.batch.engine import batch_engine
from summarizer.batch.inputs import MAX_BYTES, read_inputs
from summarizer.batch.journal import ErrorsFile, ResultsFile
from summarizer.batch.limits import RateLimiter
from summarizer.batch.workers import MAX_WORKERS, WorkerPlan, outcomes_in_processes
from summarizer.errors import ConfigurationError, IncompleteError
from summarizer.llm.cache import unusable
from summarizer.llm.provider import Provider


@dataclass
class Totals:
    total: int = 0  # articles met so far (done now, incomplete, before, failed, duplicates)
    done: int = 0  # summarized now, every pass answered
    incomplete: int = 0  # summarized now without a pass that failed (a rerun asks it again)
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
            if outcome.summary.incomplete:
                self.incomplete += 1
            else:
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


async def drain(engine: Summarizer, articles: Iterable[Article | Unreadable], concurrency: int,
                results: ResultsFile, failures: ErrorsFile, totals: Totals,
                cache_hits: Callable[[], int],
                on_outcome: Callable[[Outcome, Totals], None] | None) -> None:
    """Every outcome of `engine.stream` into the results or errors file and the totals."""
    async for outcome in engine.stream(articles, concurrency=concurrency, done=results.done):
        _keep(outcome, results, failures, totals, cache_hits(), on_outcome)


def incomplete_lines(done: Done) -> list[dict[str, object]]:
    """The errors file's lines of a summary without some pass: one per failed pass, kind
    `incomplete`, naming the pass and its error (the summary itself is in the results)."""
    return [{"id": done.article.id, "path": done.article.source, "sha256": done.article.sha256,
             "reason": f"pass {failed.name} failed, its items are missing: {failed.error}",
             "kind": "incomplete", "exit_code": IncompleteError.exit_code, "pass": failed.name}
            for failed in done.summary.incomplete]


def _keep(outcome: Outcome, results: ResultsFile, failures: ErrorsFile, totals: Totals,
          cache_hits: int, on_outcome: Callable[[Outcome, Totals], None] | None) -> None:
    """The outcome written to the results or errors file and counted in the totals."""
    if isinstance(outcome, Done):
        results.append(outcome.record())
        for line in incomplete_lines(outcome):
            failures.append(line)
    elif isinstance(outcome, Failed):
        failures.append(outcome.record())
    totals.add(outcome)
    totals.cache_hits = cache_hits
    if on_outcome:
        on_outcome(outcome, totals)


def run_batch(inputs: Iterable[str | Path], out: Path, errors: Path, *, concurrency: int = 8,
              requests_per_minute: float | None = None, tokens_per_minute: float | None = None,
              cache_dir: Path | None = None, max_bytes: int = MAX_BYTES,
              base_url: str | None = None, api_key: str | None = None, model: str | None = None,
              provider: Provider | None = None, concurrent_passes: bool | None = None,
              prices: str | None = None, workers: int = 1,
              on_outcome: Callable[[Outcome, Totals], None] | None = None,
              on_notice: Callable[[str], None] | None = None) -> Totals:
    """Summarize every input not yet in `out`, appending each result as it completes; failures go
    to `errors`. `provider` replaces the endpoint (tests, other clients). `concurrent_passes`:
    ask an article's passes at the same time (None: unless the endpoint is the embedded model
    with one slot, where they would only queue; a batch starts it with SUMMARIZER_LOCAL_SLOTS,
    else 2). `prices` replaces the
    price table's (see `summarizer.backends.prices`). `workers` > 1: that many processes share
    the `concurrency` and the rate limits (`summarizer.batch.workers`); an endpoint only, not the
    embedded model or a `provider` object, and from a script only under `if __name__ ==
    "__main__":` (the workers are spawned and import the script again).

    A `cache_dir` that cannot hold a cache (it cannot be made, or written in) is left out: the
    batch runs without a cache and says so once to `on_notice` (default: a line on stderr), as it
    does when the cache cannot keep an answer later on; neither ever fails an article."""
    if not 1 <= workers <= MAX_WORKERS:
        raise ConfigurationError(f"workers must be 1 to {MAX_WORKERS}, not {workers}")
    if workers > 1:
        _check_workers_can_run(workers, concurrency, provider, base_url, api_key, model, prices)
    results, failures = ResultsFile(out), ErrorsFile(errors)
    totals = Totals()
    notice = on_notice or _on_stderr
    try:
        if cache_dir is not None and (why := unusable(cache_dir)):
            notice(f"the response cache {cache_dir} cannot be used ({why}): running without it, "
                   "so a rerun asks the model again for every answer (give a --cache-dir that can "
                   "be written, or --no-cache to say so)")
            cache_dir = None
        articles = read_inputs(inputs, max_bytes)
        if workers > 1:
            plan = WorkerPlan(
                concurrency=-(-concurrency // workers),
                requests_per_minute=requests_per_minute and requests_per_minute / workers,
                tokens_per_minute=tokens_per_minute and tokens_per_minute / workers,
                cache_dir=cache_dir, base_url=base_url, api_key=api_key, model=model,
                concurrent_passes=concurrent_passes, prices=prices)
            for outcome, hits in outcomes_in_processes(plan, workers, articles, concurrency,
                                                       results.done):
                _keep(outcome, results, failures, totals, hits, on_outcome)
            return totals
        limiter = RateLimiter(requests_per_minute, tokens_per_minute)
        with batch_engine(limiter, concurrency=concurrency, cache_dir=cache_dir,
                          base_url=base_url, api_key=api_key, model=model, provider=provider,
                          concurrent_passes=concurrent_passes, prices=prices,
                          on_notice=notice) as (engine, cache):
            asyncio.run(drain(engine, articles, concurrency, results, failures, totals,
                              lambda: cache.hits if cache else 0, on_outcome))
    finally:
        try:
            results.close()
        finally:
            failures.close()
    return totals


def _on_stderr(line: str) -> None:
    print(f"summarizer: batch: {line}", file=sys.stderr, flush=True)


def _check_workers_can_run(workers: int, concurrency: int, provider: Provider | None,
                           base_url: str | None, api_key: str | None, model: str | None,
                           prices: str | None) -> None:
    """What the workers would each find wrong, found here once (the endpoint, the prices)."""
    if provider is not None:
        raise ConfigurationError("workers > 1 need an endpoint each process can connect to "
                                 "(base_url), not a provider object")
    if concurrency < workers:
        raise ConfigurationError(f"--workers {workers} with --concurrency {concurrency} would leave "
                                 "workers idle: give at least one article at once per worker")
    with Summarizer(base_url=base_url, api_key=api_key, model=model, prices=prices) as endpoint:
        if endpoint.endpoint_kind == "local":
            raise ConfigurationError(
                "--workers is for an endpoint (--base-url or OPENAI_BASE_URL): the embedded model "
                "is one server on this machine, and its speed is set by its slots "
                "(SUMMARIZER_LOCAL_SLOTS), not by client processes")
