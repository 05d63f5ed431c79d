"""Many articles through one Summarizer, concurrently: `astream` (behind `Summarizer.stream`) yields
each article's outcome as soon as it is known, as the record `summarizer batch` writes for it.

Every article is a task on the event loop (`Summarizer.asummarize_document`): its requests go
through the endpoint's async client, so `concurrency` articles are in flight without a thread each.
At most `concurrency` run at once, and the next input is read only when one is done, so memory
does not grow with the size of the archive; a caller who stops (`aclose`, or the end of
`asyncio.run`) cancels the articles then running, and nothing is queued. Grounding that may ask the
model itself (the model support check) runs in worker threads.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncGenerator, Container, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from summarizer.backends.prices import Cost
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

if TYPE_CHECKING:
    from summarizer.api import Summarizer

Key = tuple[str, str]  # (document id, sha256 of its text): what a results file is keyed by


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Article:
    """One article to summarize: `source` says where it came from ("dir/a.txt", "x.jsonl:17")."""

    id: str
    text: str
    source: str
    path: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None

    @property
    def sha256(self) -> str:
        return content_hash(self.text)

    @classmethod
    def of(cls, document: Document) -> Article:
        return cls(id=document.id, text=document.raw, source=document.path or document.id,
                   path=document.path)


@dataclass(frozen=True)
class Unreadable:
    """An input that is no article (missing, empty, binary, a broken JSONL record), with why."""

    id: str
    source: str
    reason: str


@dataclass(frozen=True)
class Done:
    article: Article
    summary: EventSummary
    cost: Cost | None = None

    def record(self) -> dict[str, object]:
        """The line of the results file: {"id", "sha256", "source", "summary", "cost"}; `cost`
        (with a `cost`) the article's tokens and their price (`summarizer.backends.prices`)."""
        line: dict[str, object] = {"id": self.article.id, "sha256": self.article.sha256,
                                   "source": self.article.source,
                                   "summary": self.summary.model_dump(mode="json")}
        if self.cost is not None:
            line["cost"] = self.cost.record()
        return line


@dataclass(frozen=True)
class Failed:
    id: str
    source: str
    reason: str
    kind: str  # input, configuration, provider, retries-exhausted, grounding, internal
    exit_code: int
    sha256: str | None = None

    def record(self) -> dict[str, object]:
        """The line of the errors file: {"id", "path", "sha256", "reason", "kind", "exit_code"}."""
        return {"id": self.id, "path": self.source, "sha256": self.sha256, "reason": self.reason,
                "kind": self.kind, "exit_code": self.exit_code}


@dataclass(frozen=True)
class Skipped:
    """Already in the results (`done`), or the same id and text met earlier in this run."""

    article: Article
    why: str  # "done" or "duplicate"

    def record(self) -> None:
        """Nothing is written for it."""
        return None


Outcome = Done | Failed | Skipped


def _kind(exc: BaseException) -> str:
    for cls, kind in ((RetriesExhaustedError, "retries-exhausted"), (ProviderError, "provider"),
                      (InputError, "input"), (ConfigurationError, "configuration"),
                      (GroundingError, "grounding")):
        if isinstance(exc, cls):
            return kind
    return "internal"


def _failed(article: Article, exc: Exception) -> Failed:
    code = exc.exit_code if isinstance(exc, SummarizerError) else 1
    reason = str(exc) if isinstance(exc, SummarizerError) else f"{type(exc).__name__}: {exc}"
    return Failed(article.id, article.source, reason, _kind(exc), code, article.sha256)


async def summarize_one(engine: Summarizer, article: Article) -> Done | Failed:
    """One article's outcome; whatever goes wrong with it is a Failed, never raised."""
    try:
        document = Document(id=article.id, raw=article.text, path=article.path)
        summary = await engine.asummarize_document(document, title=article.title,
                                                   published=article.published, url=article.url)
    except Exception as exc:  # one article's failure, whatever it is, never stops the others
        return _failed(article, exc)
    return Done(article, summary, engine.cost_of(summary))


def next_input(source: Iterator[Article | Unreadable | Document]) -> Article | Unreadable | None:
    """The next input as an Article (or why it is none); None at the end."""
    item = next(source, None)
    return Article.of(item) if isinstance(item, Document) else item


def triage(item: Article | Unreadable, done: Container[Key], seen: set[Key]) -> Article | Failed | Skipped:
    """The article to summarize, or its outcome without asking: Failed when it is unreadable,
    Skipped when its (id, sha256) is in `done` or in `seen` (the keys met earlier in the run,
    which it joins)."""
    if isinstance(item, Unreadable):
        return Failed(item.id, item.source, item.reason, "input", InputError.exit_code)
    key = (item.id, item.sha256)
    if key in seen:  # before `done`, which may be the results file's keys, this run's included
        return Skipped(item, "duplicate")
    if key in done:
        return Skipped(item, "done")
    seen.add(key)
    return item


async def astream(engine: Summarizer, articles: Iterable[Article | Unreadable | Document], *,
                  concurrency: int = 8,
                  done: Container[Key] = frozenset()) -> AsyncGenerator[Outcome, None]:
    """Each article's outcome, in the order they complete: `Done` with its summary, `Failed` with
    the reason (an unreadable input, a provider failure), or `Skipped` when its (id, sha256) is in
    `done` or came earlier in the stream. `concurrency` articles are summarized at once, each a
    task; the inputs are read (in a thread) only as slots free up."""
    if concurrency < 1:
        raise ConfigurationError(f"concurrency must be at least 1, not {concurrency}")
    loop = asyncio.get_running_loop()
    source = iter(articles)
    seen: set[Key] = set()
    running: set[asyncio.Future[Done | Failed]] = set()
    # the next input is read while the running articles go on: a source that blocks (the inbox
    # of a batch worker) must not hold back the outcomes of articles already finished
    reading: asyncio.Future[Article | Unreadable | None] | None = None
    exhausted = False
    try:
        while running or not exhausted:
            if reading is None and not exhausted and len(running) < concurrency:  # none waits in the pool
                reading = loop.run_in_executor(None, next_input, source)
            waiting: set[asyncio.Future[Any]] = {*running, *([reading] if reading else [])}
            finished, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for future in finished:
                if future is reading:
                    reading = None
                    item = future.result()
                    if item is None:
                        exhausted = True
                        continue
                    article = triage(item, done, seen)
                    if isinstance(article, Article):
                        running.add(asyncio.ensure_future(summarize_one(engine, article)))
                    else:
                        yield article
                else:
                    running.discard(future)
                    yield future.result()
    finally:  # stopped early (an error, Ctrl-C, the caller broke off): start nothing more
        for future in running:
            future.cancel()
        if running:  # their requests end with them (a task that was never started is simply dropped)
            await asyncio.wait(running)


def stream_sync(engine: Summarizer, articles: Iterable[Article | Unreadable | Document], *,
                concurrency: int = 8, done: Container[Key] = frozenset()) -> Iterator[Outcome]:
    """`astream` for code without an event loop: the same outcomes, from a loop of its own."""
    loop = asyncio.new_event_loop()
    outcomes = astream(engine, articles, concurrency=concurrency, done=done)
    try:
        while True:
            try:
                yield loop.run_until_complete(anext(outcomes))
            except StopAsyncIteration:
                return
    finally:
        loop.run_until_complete(outcomes.aclose())
        loop.run_until_complete(loop.shutdown_asyncgens())  # closes the endpoint's connections
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
