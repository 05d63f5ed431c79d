"""Summarize a stream of articles concurrently and yield each outcome as soon as it is known.

Threads, not asyncio: the pipeline and the provider seam are synchronous, every wait is an HTTP call
that releases the GIL, and a pool of threads over the one sync Summarizer keeps a single code path
for one article and for a million (an async seam would need every provider written twice). At most
`2 * concurrency` articles are read ahead, so memory does not grow with the size of the archive.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as futures
from collections.abc import AsyncIterator, Container, Iterable, Iterator
from dataclasses import dataclass

from summarizer.api import Summarizer
from summarizer.batch.inputs import Article, Unreadable
from summarizer.errors import (
    ConfigurationError,
    GroundingError,
    InputError,
    ProviderError,
    RetriesExhaustedError,
    SummarizerError,
)
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document


@dataclass(frozen=True)
class Done:
    article: Article
    summary: EventSummary


@dataclass(frozen=True)
class Failed:
    id: str
    source: str
    reason: str
    kind: str  # input, configuration, provider, retries-exhausted, grounding, internal
    exit_code: int
    sha256: str | None = None


@dataclass(frozen=True)
class Skipped:
    """Already in the results (`done`), or the same id and text met earlier in this run."""

    article: Article
    why: str  # "done" or "duplicate"


Outcome = Done | Failed | Skipped


def _kind(exc: BaseException) -> str:
    for cls, kind in ((RetriesExhaustedError, "retries-exhausted"), (ProviderError, "provider"),
                      (InputError, "input"), (ConfigurationError, "configuration"),
                      (GroundingError, "grounding")):
        if isinstance(exc, cls):
            return kind
    return "internal"


def _summarize(engine: Summarizer, article: Article) -> Outcome:
    try:
        document = Document(id=article.id, raw=article.text, path=article.path)
        summary = engine.summarize_document(document, title=article.title,
                                            published=article.published, url=article.url)
    except Exception as exc:  # one article's failure, whatever it is, never stops the batch
        code = exc.exit_code if isinstance(exc, SummarizerError) else 1
        reason = str(exc) if isinstance(exc, SummarizerError) else f"{type(exc).__name__}: {exc}"
        return Failed(article.id, article.source, reason, _kind(exc), code, article.sha256)
    return Done(article, summary)


def summarize_stream(engine: Summarizer, articles: Iterable[Article | Unreadable], *,
                     concurrency: int = 8,
                     done: Container[tuple[str, str]] = frozenset()) -> Iterator[Outcome]:
    """Each article's outcome, in the order they complete: `Done` with its summary, `Failed` with
    the reason (an unreadable input, a provider failure), or `Skipped` when its (id, sha256) is in
    `done` or came earlier in the stream. The engine is shared by `concurrency` threads."""
    if concurrency < 1:
        raise ConfigurationError(f"concurrency must be at least 1, not {concurrency}")
    seen: set[tuple[str, str]] = set()
    source = iter(articles)
    with futures.ThreadPoolExecutor(concurrency, thread_name_prefix="summarize") as pool:
        running: set[futures.Future[Outcome]] = set()
        exhausted = False
        try:
            while running or not exhausted:
                while not exhausted and len(running) < 2 * concurrency:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                    elif isinstance(item, Unreadable):
                        yield Failed(item.id, item.source, item.reason, "input", InputError.exit_code)
                    else:
                        key = (item.id, item.sha256)
                        if key in done or key in seen:
                            yield Skipped(item, "done" if key in done else "duplicate")
                        else:
                            seen.add(key)
                            running.add(pool.submit(_summarize, engine, item))
                if running:
                    finished, _ = futures.wait(running, return_when=futures.FIRST_COMPLETED)
                    for future in finished:
                        running.discard(future)
                        yield future.result()
        finally:  # interrupted: do not start what is queued
            for future in running:
                future.cancel()


async def asummarize_stream(engine: Summarizer, articles: Iterable[Article | Unreadable], *,
                            concurrency: int = 8,
                            done: Container[tuple[str, str]] = frozenset()) -> AsyncIterator[Outcome]:
    """`summarize_stream` as an async iterator: the event loop is never blocked while it waits."""
    outcomes = summarize_stream(engine, articles, concurrency=concurrency, done=done)
    while (outcome := await asyncio.to_thread(next, outcomes, None)) is not None:
        yield outcome
