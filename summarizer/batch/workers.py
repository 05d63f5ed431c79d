"""One archive over several processes (`summarizer batch --workers N`).

One Python process is bound by its own CPU per article (prompts, the model client, validation,
grounding: the GIL), not by the endpoint: against a fast endpoint, more concurrency in one process
stops paying once that CPU fills a core. Workers are processes, each with its own engine (endpoint
client, rate limiter with 1/N of the limits, the shared response cache directory) and
`concurrency / N` articles at once. This process stays the only reader of the inputs and the only
writer of the results and errors files, so resuming, skipping and atomic lines are as with one
process: it hands each worker an article when one of its slots frees up and writes each outcome
as it comes back.

A worker whose parent is gone (killed) exits at once rather than summarize on for nobody.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from pathlib import Path

from summarizer.api.stream import (
    Article,
    Key,
    Outcome,
    Unreadable,
    astream,
    next_input,
    triage,
)
from summarizer.batch.engine import batch_engine
from summarizer.batch.limits import RateLimiter
from summarizer.errors import SummarizerError

MAX_WORKERS = 64
_PARENT_CHECK = 0.5  # seconds between a worker's looks at whether its parent is alive


@dataclass(frozen=True)
class WorkerPlan:
    """What a worker process needs to build its engine: the endpoint and the batch's options,
    with the concurrency and the rate limits already divided among the workers."""

    concurrency: int
    requests_per_minute: float | None
    tokens_per_minute: float | None
    cache_dir: Path | None
    base_url: str | None
    api_key: str | None
    model: str | None
    concurrent_passes: bool | None
    prices: str | None


@dataclass(frozen=True)
class _Started:
    """Worker `index` runs: it got past starting Python and importing the main module again."""

    index: int


@dataclass(frozen=True)
class _Stopped:
    """A worker could not go on (its engine could not be built): why, and the exit code."""

    reason: str
    exit_code: int


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK)
    os._exit(1)  # the parent was killed: nobody will write what this worker finishes


def _articles(inbox: Queue[Article | None]) -> Iterator[Article]:
    while (article := inbox.get()) is not None:
        yield article


_Message = tuple[int, Outcome, int]  # (worker, outcome, the worker's cache hits so far)
_Sent = _Message | _Started | _Stopped


def _on_stderr(line: str) -> None:
    """A worker's notice (the cache cannot keep an answer): its stderr is the batch's."""
    print(f"summarizer: batch: {line}", file=sys.stderr, flush=True)


def work(plan: WorkerPlan, index: int, inbox: Queue[Article | None], outbox: Queue[_Sent],
         parent: int) -> None:
    """Worker `index`: summarize the articles of `inbox` until its None, putting each outcome on
    `outbox`."""
    outbox.put(_Started(index))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    limiter = RateLimiter(plan.requests_per_minute, plan.tokens_per_minute)
    loop = asyncio.new_event_loop()
    try:
        with batch_engine(limiter, concurrency=plan.concurrency, cache_dir=plan.cache_dir,
                          base_url=plan.base_url, api_key=plan.api_key, model=plan.model,
                          provider=None, concurrent_passes=plan.concurrent_passes,
                          prices=plan.prices, on_notice=_on_stderr) as (engine, cache):
            # driven here, not by `stream_sync`: on an error that one waits for its reader
            # threads, and this reader may be blocked on the inbox for good
            outcomes = astream(engine, _articles(inbox), concurrency=plan.concurrency)
            while True:
                try:
                    outcome = loop.run_until_complete(anext(outcomes))
                except StopAsyncIteration:
                    break
                outbox.put((index, outcome, cache.hits if cache else 0))
        loop.run_until_complete(loop.shutdown_asyncgens())  # closes the endpoint's connections
        loop.close()
        return
    except SummarizerError as exc:
        outbox.put(_Stopped(str(exc), exc.exit_code))
    except Exception as exc:  # an article's own failures are outcomes: this is the worker's
        outbox.put(_Stopped(f"{type(exc).__name__}: {exc}", 1))
    # stopped: its reader may be waiting on the inbox, which a normal exit would wait for
    outbox.close()
    outbox.join_thread()
    os._exit(1)


class WorkerFailed(SummarizerError):
    """A worker process stopped with articles in flight; what was written is kept."""


def _died(process: BaseProcess, started: bool) -> str:
    code = process.exitcode
    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    if not started:
        return (f"batch worker process {process.pid} could not start ({how}; its error is above). "
                "From a script, call run_batch under `if __name__ == \"__main__\":`: a worker "
                "process imports the script again")
    return (f"batch worker process {process.pid} stopped ({how}) with articles in flight; the "
            "results written so far are kept: run the same command again to summarize the rest")


def _receive(outbox: Queue[_Sent], processes: list[BaseProcess], started: set[int]) -> _Message:
    while True:
        try:
            message = outbox.get(timeout=_PARENT_CHECK)
        except queue.Empty:
            gone = [n for n, p in enumerate(processes) if p.exitcode is not None]
            if gone:  # none leaves before its None, so a gone worker took articles with it
                raise WorkerFailed(_died(processes[gone[0]], gone[0] in started)) from None
            continue
        if isinstance(message, _Started):
            started.add(message.index)
            continue
        if isinstance(message, _Stopped):
            error = SummarizerError(f"a batch worker stopped: {message.reason}")
            error.exit_code = message.exit_code
            raise error
        return message


_QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


def outcomes_in_processes(plan: WorkerPlan, workers: int,
                          articles: Iterable[Article | Unreadable], concurrency: int,
                          done: Container[Key]) -> Iterator[tuple[Outcome, int]]:
    """Each article's outcome and the workers' cache hits so far, in the order they complete:
    `concurrency` articles in flight across `workers` processes (spawned, so they share nothing
    with this one but the article and the outcome). The workers are stopped on leaving, however
    that happens."""
    context = multiprocessing.get_context("spawn")
    # a batch a signal stops leaves its queues' semaphores to multiprocessing's resource tracker,
    # which frees them and would warn of each on stderr after the one "interrupted" line; the
    # tracker process is started by the first queue and takes this process's warning options
    if _QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(_QUIET_TRACKER)
    inbox: Queue[Article | None] = context.Queue()
    outbox: Queue[_Sent] = context.Queue()
    processes: list[BaseProcess] = [
        context.Process(target=work, args=(plan, n, inbox, outbox, os.getpid()),
                        name=f"summarizer-batch-{n}", daemon=True) for n in range(workers)]
    for process in processes:
        process.start()
    hits = [0] * workers
    started: set[int] = set()
    source = iter(articles)
    seen: set[Key] = set()
    in_flight, exhausted = 0, False
    try:
        while True:
            while not exhausted and in_flight < concurrency:
                item = next_input(source)
                if item is None:
                    exhausted = True
                    break
                article = triage(item, done, seen)
                if isinstance(article, Article):
                    inbox.put(article)
                    in_flight += 1
                else:
                    yield article, sum(hits)
            if in_flight == 0:
                break
            worker, outcome, hits[worker] = _receive(outbox, processes, started)
            in_flight -= 1
            yield outcome, sum(hits)
        for _ in processes:
            inbox.put(None)
        for process in processes:
            process.join(timeout=30)
    finally:
        # articles no worker took are dropped, not flushed at exit into a pipe nobody reads
        inbox.cancel_join_thread()
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
