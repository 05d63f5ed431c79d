"""The public library API: `Summarizer`, `summarize`, `asummarize`, `summarize_many` and
`merge_by_rules`; `Summarizer.stream` for many articles at once (`summarizer.api.stream`).

Articles: a `str` is always article text and a `Path` always a file (or, for `summarize_many`, a
directory of them); a short `str` that looks like a file name ("a.txt") is refused with an
InputError rather than summarized as a one-word article. Names say whether a call asks the model:
`merge_by_rules` never does, `Summarizer.merge` does (for the fact matches the rules cannot decide).

Configuration is read when a Summarizer is made, never at import: explicit arguments first, then
OPENAI_BASE_URL / OPENAI_API_KEY / SUMMARIZER_MODEL (and SUMMARIZER_TIMEOUT /
SUMMARIZER_RATE_LIMIT_WAIT). With none of them set, the embedded local model is started on first use
and stopped by `close()` (or leaving the `with` block). Resolving them is `summarizer.api.settings`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as futures
import contextlib
import functools
import os
import threading
import time
import warnings
import weakref
from collections.abc import AsyncIterator, Callable, Container, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.api.settings import DEFAULT_OPENAI_MODEL as DEFAULT_OPENAI_MODEL
from summarizer.api.settings import Backend as Backend
from summarizer.api.settings import resolve_backend as resolve_backend
from summarizer.api.settings import resolve_chunk_chars as resolve_chunk_chars
from summarizer.api.settings import resolve_max_chars as resolve_max_chars
from summarizer.api.stream import Article, Key, Outcome, Unreadable, astream
from summarizer.backends import config
from summarizer.backends import local as local_model
from summarizer.backends.prices import Cost, Price, PriceTable
from summarizer.digest.merging import merge as _merge
from summarizer.errors import ConfigurationError, InputError, ProviderError
from summarizer.extract.asking import EndpointWatch, adrive, drive, not_attempted
from summarizer.extract.chunked import chunked_steps
from summarizer.extract.pipeline import DEFAULT_VARIANT, Variant
from summarizer.extract.recheck import SUPPORT_CHECK_ENV, SupportCheck, support_check_of
from summarizer.llm.provider import Provider
from summarizer.output.digest import ArticleSet, EventDigest, Failure
from summarizer.output.summary import EventSummary
from summarizer.text.document import (
    Document,
    Metadata,
    check_length,
    decode_article,
    metadata_overrides,
    read_article,
)

if TYPE_CHECKING:
    from summarizer.backends.openai import OpenAIProvider


class Summarizer:
    """Summarizes articles with one model endpoint; reuse it for many articles.

    The endpoint is `base_url`/`api_key`/`model` (or the environment, or the embedded local
    model), or any `provider`: an object implementing the `summarizer.Provider` protocol
    (`extract(messages, response_model, context)` returning an `Extraction`), for another client
    or a fake in tests; with a provider the endpoint arguments are not used. `retry_sleep` waits
    before a retry of a transient failure (Retry-After or backoff); a batch uses it to pause every
    worker at once.
    Use it as a context manager (or call `close()`) so an embedded local model is stopped and the
    connections of the endpoint client it made are closed.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        model: str | None = None,
        provider: Provider | None = None,
        variant: Variant = DEFAULT_VARIANT,
        progress: Callable[[str], None] | None = None,
        max_chars: int | None = None,
        timeout: float | None = None,
        rate_limit_wait: float | None = None,
        retry_sleep: Callable[[float], None] | None = None,
        chunk_chars: int | None = None,
        support_check: SupportCheck | None = None,
        passes_at_once: int | None = None,
        prices: str | Mapping[str, Price] | None = None,
        reasks: int | None = None,
        local_slots: int | None = None,
    ) -> None:
        """`timeout`: seconds one model request may take, connect to last byte (else
        SUMMARIZER_TIMEOUT; default 600 for a model on this machine, 120 for others).
        `rate_limit_wait`: seconds to keep retrying 429 answers (else SUMMARIZER_RATE_LIMIT_WAIT;
        default 90). `progress` receives a line per step: "pass overview" before each model call,
        "starting the local model on ..." and the like. `max_chars`: the longest article
        accepted (else SUMMARIZER_MAX_CHARS; default 200,000). `support_check` (else
        SUMMARIZER_SUPPORT_CHECK): "model" (the default) re-asks once each statement that breaks
        a support rule and has the model judge those the rules cannot decide (at most two more
        calls per article); "rules" makes no extra call, and the article's own words stand in for
        both. `passes_at_once`: how many of the passes' requests may be in flight at once, across
        every article this Summarizer is summarizing (1: an article's passes are asked in turn;
        more: at the same time, on that many threads; default: the embedded model's slot count, else
        1). The summary is the same either way. `local_slots` (else SUMMARIZER_LOCAL_SLOTS;
        default 1): how many requests the embedded model works on at once. `prices`: US
        dollars per million tokens by model, in place of the table's (else SUMMARIZER_PRICES; see
        `summarizer.backends.prices`).
        `reasks`: how many times a pass's answer that fails validation is sent back to the model
        (else SUMMARIZER_REASKS; default 0: the answer's valid items are kept, the rest rejected)."""
        self.prices = PriceTable(prices)
        self.price_discount = 1.0  # the OpenAI Batch API bills half
        self.max_chars = resolve_max_chars(max_chars)
        self.chunk_chars = resolve_chunk_chars(chunk_chars)
        self._backend = None if provider else resolve_backend(base_url, api_key, model, timeout)
        waited = config.seconds(rate_limit_wait, config.RATE_LIMIT_WAIT_ENV,
                                "rate_limit_wait", positive=False)
        self._rate_limit_wait = config.RATE_LIMIT_WAIT if waited is None else waited
        self._reasks = config.reasks(reasks)
        self._provider = provider
        self._variant: Variant = variant
        self._support_check: SupportCheck = support_check_of(
            support_check or os.environ.get(SUPPORT_CHECK_ENV) or "model",
            "support_check" if support_check else SUPPORT_CHECK_ENV)
        self._progress = progress
        self._article = ""  # which of summarize_many's articles the passes belong to
        self._retry_sleep = retry_sleep
        self._local_slots = config.local_slots(local_slots)
        if passes_at_once is None:
            local = self._backend is not None and self._backend.endpoint_kind == "local"
            passes_at_once = self._local_slots if local else 1
        if passes_at_once < 1:
            raise ConfigurationError(f"passes_at_once must be at least 1, not {passes_at_once}")
        self._stack = contextlib.ExitStack()
        # the OpenAIProvider made here: closed by close(); a Summarizer dropped without it leaves
        # the provider usable (`Summarizer(...).provider`)
        self._made: OpenAIProvider | None = None
        self._passes: futures.ThreadPoolExecutor | None = None
        self._passes_at_once = passes_at_once
        # per event loop: at most `passes_at_once` requests in flight from `asummarize_document`
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
            weakref.WeakKeyDictionary()
        self._starting = threading.Lock()  # the embedded model is started once, by one caller
        if passes_at_once > 1:
            self._passes = futures.ThreadPoolExecutor(passes_at_once, thread_name_prefix="pass")
            self._stack.callback(self._passes.shutdown, wait=False, cancel_futures=True)
        self._finalizer = weakref.finalize(self, self._stack.close)

    def cost_of(self, summary: EventSummary) -> Cost:
        """What the summary's tokens cost at this Summarizer's prices."""
        meta = summary.metadata
        return self.prices.cost(meta.model, meta.endpoint_kind, meta.usage.prompt_tokens,
                                meta.usage.completion_tokens, self.price_discount)

    @property
    def endpoint_kind(self) -> str:
        """"local" (the embedded model), "openai", "openai-compatible", or the provider's own."""
        return self._backend.endpoint_kind if self._backend else self._ready_provider().endpoint_kind

    @property
    def provider(self) -> Provider:
        """The provider it asks (starting the embedded local model if that is the backend)."""
        return self._ready_provider()

    def _ready_provider(self) -> Provider:
        if self._provider is not None:
            return self._provider
        with self._starting:
            if self._provider is None:
                self._provider = self._made_provider()
            return self._provider

    def _made_provider(self) -> Provider:
        from summarizer.backends.faults import async_deadline_client  # deferred: heavy
        from summarizer.backends.openai import OpenAIProvider, loopback_http_client

        backend = self._backend
        assert backend is not None
        base_url, api_key, http_client, async_http_client = backend.base_url, backend.api_key, None, None
        if backend.endpoint_kind == "local":
            server = self._stack.enter_context(local_model.local_server(
                self._progress, slots=self._local_slots))
            base_url, api_key = server.base_url, server.api_key
            http_client = self._stack.enter_context(loopback_http_client(backend.timeout))
            async_http_client = functools.partial(async_deadline_client, backend.timeout,
                                                  trust_env=False)
        self._made = OpenAIProvider(model=backend.model, base_url=base_url, api_key=api_key,
                                    endpoint_kind=backend.endpoint_kind, timeout=backend.timeout,
                                    rate_limit_wait=self._rate_limit_wait, reasks=self._reasks,
                                    http_client=http_client, async_http_client=async_http_client,
                                    # llama-server takes a grammar: compact JSON
                                    compact_json=backend.endpoint_kind == "local",
                                    sleep=self._retry_sleep or time.sleep)
        return self._made  # its connections are closed by close(), not by the GC

    def summarize_document(self, document: Document, *, title: str | None = None,
                           published: date | str | None = None,
                           url: str | None = None) -> EventSummary:
        """Summarize a read Document. `title`, `published` (a date or "YYYY-MM-DD") and `url`
        replace what the article itself says (ConfigurationError when `published` is no date)."""
        return self._summarized(document, metadata_overrides(title=title, published=published,
                                                             url=url))[0]

    def _summarized(self, document: Document,
                    given: Metadata) -> tuple[EventSummary, ProviderError | None]:
        """The summary, and the failure that found the endpoint down while it was made (None if
        none did): the summary then holds what was answered before (`incomplete` names the rest)."""
        check_length(document.raw, document.path or document.id, self.max_chars)
        watch = EndpointWatch(chunked_steps(
            document, self._ready_provider(), self.chunk_chars, variant=self._variant,
            on_call=self._announce, metadata=given, support_check=self._support_check))
        return drive(watch.steps, self._ready_provider(), self._announce, self._passes), watch.down

    async def asummarize_document(self, document: Document, *, title: str | None = None,
                                  published: date | str | None = None,
                                  url: str | None = None) -> EventSummary:
        """`summarize_document` on the running event loop: the same summary, its requests sent
        through the async client (a provider without `aextract` is asked in worker threads),
        an article's passes at once unless `passes_at_once` is 1. The support check's re-ask and
        judge (`support_check="model"`) are asked the same way; grounding runs on the loop."""
        given = metadata_overrides(title=title, published=published, url=url)
        check_length(document.raw, document.path or document.id, self.max_chars)
        # the first call may start the embedded model (minutes): not on the event loop
        provider = self._provider
        if provider is None:
            provider = await asyncio.to_thread(self._ready_provider)
        steps = chunked_steps(document, provider, self.chunk_chars, variant=self._variant,
                              on_call=self._announce, metadata=given,
                              support_check=self._support_check)
        at_once = self._passes_at_once > 1
        return await adrive(steps, provider, self._announce, at_once=at_once,
                            gate=self._gate() if at_once else None)

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = asyncio.Semaphore(self._passes_at_once)
        return gate

    def summarize(self, article: str | Path, *, doc_id: str = "article", title: str | None = None,
                  published: date | str | None = None, url: str | None = None) -> EventSummary:
        """Summarize an article: a `str` is its text (with id `doc_id`), a `Path` a file to read
        (its stem is the id). A short `str` that looks like a file name raises InputError: pass
        `Path("a.txt")`. The metadata arguments are those of `summarize_document`."""
        return self.summarize_document(document_of(article, doc_id, self.max_chars), title=title,
                                       published=published, url=url)

    def summarize_many(self, articles: Sequence[str | Path | Document], *,
                       published: date | str | None = None, merge: bool = True) -> ArticleSet:
        """Summarize several articles (`str` texts, `Path` files, read Documents; a directory
        `Path` stands for its *.txt and *.md files, sorted) and, with `merge`, digest them per
        event with `Summarizer.merge` (which asks the model).

        Nothing finished is lost: an article whose model calls fail (a ProviderError) is listed in
        `failures` and the others are summarized (unless the endpoint is down: then the article
        keeps what was answered, and the articles not yet tried are listed as not attempted); a
        failed model merge falls back to the rules' digests, listed in `failures` too. Only when
        every article fails is the first error raised."""
        documents = articles_of(articles, self.max_chars)
        metadata_overrides(published=published)
        for doc in documents:  # every article's size before any model call
            check_length(doc.raw, doc.path or doc.id, self.max_chars)
        summaries: list[EventSummary] = []
        done: list[Document] = []
        failures: list[Failure] = []
        first_error: ProviderError | None = None
        for number, doc in enumerate(documents, start=1):
            self._article = f"article {number}/{len(documents)} {doc.id}: "  # for the progress lines
            try:
                summary, down = self._summarized(doc, metadata_overrides(published=published))
                summaries.append(summary)
                done.append(doc)
            except ProviderError as exc:
                first_error = first_error or exc
                failures.append(Failure(stage="summarize", article=doc.id, path=doc.path,
                                        error=str(exc)))
                down = exc if exc.endpoint_down else None
            if down is not None:  # the rest would wait out the same retries: keep what is done
                failures += [Failure(stage="summarize", article=rest.id, path=rest.path,
                                     error=str(not_attempted(down)))
                             for rest in documents[number:]]
                break
        self._article = ""
        if not summaries and first_error is not None:
            raise first_error
        digests: list[EventDigest] = []
        if merge and len(summaries) > 1:
            if self._progress:
                self._progress("merging")
            try:
                digests = self.merge(summaries, done)
            except ProviderError as exc:
                failures.append(Failure(stage="merge", error=f"{exc} (digests made by the rules "
                                        "alone, without the model's judgement)"))
                digests = _merge(summaries, done)
        return ArticleSet(summaries=summaries, digests=digests, failures=failures)

    def stream(self, articles: Iterable[Article | Unreadable | Document], *, concurrency: int = 8,
               done: Container[Key] = frozenset()) -> AsyncIterator[Outcome]:
        """Summarize many articles, `concurrency` at once, and yield each outcome as it completes:
        `Done` (its summary), `Failed` (why; an article's failure never stops the others) or
        `Skipped` (its (id, sha256) is in `done`, or it came before in this stream). Each
        outcome's `record()` is the line `summarizer batch` writes for it. `articles` is read
        lazily: `summarizer.batch.read_inputs(paths)` streams files, directories and JSONL.

            async for outcome in engine.stream(documents, concurrency=16):
                print(outcome.record())

        Each article runs on the event loop (`asummarize_document`), its requests through the
        endpoint's async client.
        """
        return astream(self, articles, concurrency=concurrency, done=done)

    def merge(self, summaries: Sequence[EventSummary],
              documents: Sequence[Document]) -> list[EventDigest]:
        """Digest summaries per event, asking the model: fact matches the rules cannot decide are
        put to it (one call per event that has any; see `EventDigest.model_decisions`).
        `merge_by_rules` does the same without a model."""
        from summarizer.digest.judge import ModelJudge

        return _merge(summaries, documents, ModelJudge(self._ready_provider()))

    def _announce(self, step: str) -> None:
        if self._progress:
            self._progress(f"{self._article}pass {step}")

    def close(self) -> None:
        closer = getattr(self._made, "close", None)  # a stand-in for the adapter may have none
        if callable(closer):
            closer()
        self._finalizer()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def summarize(article: str | Path, *, doc_id: str = "article", title: str | None = None,
              published: date | str | None = None, url: str | None = None,
              base_url: str | None = None, api_key: str | None = None, model: str | None = None,
              variant: Variant = DEFAULT_VARIANT,
              max_chars: int | None = None, timeout: float | None = None,
              chunk_chars: int | None = None,
              support_check: SupportCheck = "model") -> EventSummary:
    """Summarize one article with a fresh Summarizer that is closed afterwards.

    `article`: a `str` is the article's text (id `doc_id`), a `Path` a file to read; a short `str`
    that looks like a file name ("a.txt") raises InputError telling you to pass `Path("a.txt")`.
    `title`, `published` (a date or "YYYY-MM-DD") and `url` replace what the article says;
    `timeout` is the deadline of one model request (see `Summarizer`)."""
    metadata_overrides(title=title, published=published, url=url)  # before any model starts
    document = document_of(article, doc_id, resolve_max_chars(max_chars))
    with Summarizer(base_url=base_url, api_key=api_key, model=model, variant=variant,
                    max_chars=max_chars, timeout=timeout, chunk_chars=chunk_chars,
                    support_check=support_check) as engine:
        return engine.summarize_document(document, title=title, published=published, url=url)


async def asummarize(article: str | Path, *, doc_id: str = "article", title: str | None = None,
                     published: date | str | None = None, url: str | None = None,
                     base_url: str | None = None, api_key: str | None = None,
                     model: str | None = None, variant: Variant = DEFAULT_VARIANT,
                     max_chars: int | None = None, timeout: float | None = None,
                     chunk_chars: int | None = None,
                     support_check: SupportCheck = "model") -> EventSummary:
    """`summarize` on the running event loop: the same arguments, every one passed on; the
    requests go through the endpoint's async client (`Summarizer.asummarize_document`). The
    embedded model is started and stopped in a worker thread, off the loop."""
    metadata_overrides(title=title, published=published, url=url)  # before any model starts
    document = document_of(article, doc_id, resolve_max_chars(max_chars))
    engine = Summarizer(base_url=base_url, api_key=api_key, model=model, variant=variant,
                        max_chars=max_chars, timeout=timeout, chunk_chars=chunk_chars,
                        support_check=support_check)
    try:
        return await engine.asummarize_document(document, title=title, published=published,
                                                url=url)
    finally:
        await asyncio.to_thread(engine.close)


def _looks_like_a_file_name(text: str) -> bool:
    """One word, no whitespace, that ends in .txt/.md or names an existing file: almost surely a
    path given as a `str` by mistake, not an article."""
    if len(text) > 4096 or not text or any(c.isspace() for c in text):
        return False
    if text.lower().endswith((".txt", ".md")):
        return True
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # not a possible path at all (a NUL byte, a surrogate)
        return False


def document_of(article: str | Path, doc_id: str, max_chars: int | None = None) -> Document:
    """A `Path` is read as a file; a `str` is the article's text, with id `doc_id`."""
    if isinstance(article, Path):
        return read_article(article, max_chars)
    if _looks_like_a_file_name(article):
        raise InputError(f"{article!r} looks like a file name, but a str is article text: pass "
                         f"Path({article!r}) to read the file")
    return Document(id=doc_id, raw=decode_article(article.encode("utf-8", "surrogatepass"), doc_id,
                                                     max_chars))


def articles_of(articles: Sequence[str | Path | Document],
                max_chars: int | None = None) -> list[Document]:
    """Documents with distinct ids: a `str` is a text ("article-N"; one that looks like a file name
    is an InputError), a `Path` a file or a directory (its *.txt and *.md files, sorted;
    InputError if it has none); none over `max_chars`."""
    documents: list[Document] = []
    for number, article in enumerate(articles, start=1):
        if isinstance(article, Document):
            documents.append(article)
        elif isinstance(article, Path) and article.is_dir():
            found = sorted(p for p in article.iterdir() if p.suffix in (".txt", ".md") and p.is_file())
            if not found:
                raise InputError(f"{article}: no .txt or .md articles in this directory")
            documents += [read_article(p, max_chars) for p in found]
        else:
            documents.append(document_of(article, f"article-{number}", max_chars))
    seen: dict[str, int] = {}
    unique = []
    for doc in documents:  # two files with one name stay distinguishable
        seen[doc.id] = seen.get(doc.id, 0) + 1
        unique.append(doc if seen[doc.id] == 1 else
                      Document(id=f"{doc.id}#{seen[doc.id]}", raw=doc.raw, path=doc.path))
    return unique


def summarize_many(articles: Sequence[str | Path | Document], *, published: date | str | None = None,
                   merge: bool = True, base_url: str | None = None, api_key: str | None = None,
                   model: str | None = None, variant: Variant = DEFAULT_VARIANT,
                   max_chars: int | None = None, timeout: float | None = None,
                   chunk_chars: int | None = None,
                   support_check: SupportCheck = "model") -> ArticleSet:
    """Summarize several articles with a fresh Summarizer and, with `merge`, digest them per event
    (asking the model, as `Summarizer.merge` does). Articles as for `Summarizer.summarize_many`."""
    metadata_overrides(published=published)
    documents = articles_of(articles, resolve_max_chars(max_chars))  # before any model starts
    with Summarizer(base_url=base_url, api_key=api_key, model=model, variant=variant,
                    max_chars=max_chars, timeout=timeout, chunk_chars=chunk_chars,
                    support_check=support_check) as engine:
        return engine.summarize_many(documents, published=published, merge=merge)


def merge_by_rules(summaries: Sequence[EventSummary],
                   documents: Sequence[Document]) -> list[EventDigest]:
    """One EventDigest per event the summarized articles report, never asking a model: fact
    matches the rules cannot decide stay apart (`Summarizer.merge` asks the model about them).
    `documents` are the articles the summaries were made from."""
    return _merge(summaries, documents)


def deprecated_merge(summaries: Sequence[EventSummary],
                     documents: Sequence[Document]) -> list[EventDigest]:
    """The old name of `merge_by_rules`, kept for a while with a DeprecationWarning."""
    warnings.warn("summarizer.merge is renamed merge_by_rules (it never asks the model; "
                  "Summarizer.merge does)", DeprecationWarning, stacklevel=2)
    return merge_by_rules(summaries, documents)


if not TYPE_CHECKING:  # at run time only: type checkers report the old name as missing
    def __getattr__(name: str) -> object:
        if name == "merge":
            return deprecated_merge
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
