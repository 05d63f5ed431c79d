"""The public library API: `Summarizer`, `summarize`, `asummarize`, `summarize_many` and `merge`.

Configuration is read when a Summarizer is made, never at import: explicit arguments first, then
OPENAI_BASE_URL / OPENAI_API_KEY / SUMMARIZER_MODEL (and SUMMARIZER_TIMEOUT /
SUMMARIZER_RATE_LIMIT_WAIT). With none of them set, the embedded local model is started on first use
and stopped by `close()` (or leaving the `with` block).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from summarizer.backends import config
from summarizer.backends import local as local_model
from summarizer.digest.merging import merge as _merge
from summarizer.errors import ConfigurationError, InputError
from summarizer.extract.pipeline import DEFAULT_VARIANT, Variant, summarize_document
from summarizer.llm.provider import Provider
from summarizer.output.digest import ArticleSet, EventDigest
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, decode_article, metadata_overrides, read_article

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class Backend:
    """Where the model is: a configured endpoint, or the embedded local one (base_url None), and
    how long one request may take (`timeout`, seconds)."""

    endpoint_kind: str
    model: str
    base_url: str | None = None
    api_key: str | None = None
    timeout: float = config.HOSTED_TIMEOUT


def resolve_backend(base_url: str | None = None, api_key: str | None = None,
                    model: str | None = None, timeout: float | None = None) -> Backend:
    """The backend the arguments, else the environment, describe. `timeout` (else
    SUMMARIZER_TIMEOUT) defaults to 600 s for a model on this machine and 120 s for any other."""
    base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    api_key = api_key or os.environ.get("OPENAI_API_KEY") or None
    model = model or os.environ.get("SUMMARIZER_MODEL") or None
    given = config.seconds(timeout, config.TIMEOUT_ENV, "--timeout", positive=True)
    if base_url is None and api_key is None:
        if not local_model.is_installed():
            raise local_model.not_installed_error()
        return Backend("local", model or local_model.MODEL_NAME,
                       timeout=given or config.default_timeout(None, embedded=True))
    if base_url is None:
        return Backend("openai", model or DEFAULT_OPENAI_MODEL, None, api_key,
                       given or config.HOSTED_TIMEOUT)
    if model is None:
        raise ConfigurationError(
            f"OPENAI_BASE_URL is set to {config.redact_url(base_url)} but no model is named: set "
            "SUMMARIZER_MODEL or pass --model"
        )
    return Backend("openai-compatible", model, base_url, api_key,
                   given or config.default_timeout(base_url))


class Summarizer:
    """Summarizes articles with one model endpoint; reuse it for many articles.

    Use it as a context manager (or call `close()`) so an embedded local model is stopped.
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
        timeout: float | None = None,
        rate_limit_wait: float | None = None,
    ) -> None:
        """`timeout`: seconds one model request may take, connect to last byte (else
        SUMMARIZER_TIMEOUT; default 600 for a model on this machine, 120 for others).
        `rate_limit_wait`: seconds to keep retrying 429 answers (else SUMMARIZER_RATE_LIMIT_WAIT;
        default 90). `progress` receives a line per step: "pass overview" before each model call,
        "starting the local model on ..." and the like."""
        self._backend = None if provider else resolve_backend(base_url, api_key, model, timeout)
        waited = config.seconds(rate_limit_wait, config.RATE_LIMIT_WAIT_ENV,
                                "rate_limit_wait", positive=False)
        self._rate_limit_wait = config.RATE_LIMIT_WAIT if waited is None else waited
        self._provider = provider
        self._variant: Variant = variant
        self._progress = progress
        self._stack = contextlib.ExitStack()
        self._finalizer = weakref.finalize(self, self._stack.close)

    @property
    def provider(self) -> Provider:
        """The provider it asks (starting the embedded local model if that is the backend)."""
        return self._ready_provider()

    def _ready_provider(self) -> Provider:
        if self._provider is not None:
            return self._provider
        from summarizer.backends.openai import OpenAIProvider, loopback_http_client  # deferred: heavy

        backend = self._backend
        assert backend is not None
        base_url, api_key, http_client = backend.base_url, backend.api_key, None
        if backend.endpoint_kind == "local":
            server = self._stack.enter_context(local_model.local_server(self._progress))
            base_url, api_key = server.base_url, server.api_key
            http_client = self._stack.enter_context(loopback_http_client(backend.timeout))
        self._provider = OpenAIProvider(model=backend.model, base_url=base_url, api_key=api_key,
                                        endpoint_kind=backend.endpoint_kind,
                                        timeout=backend.timeout,
                                        rate_limit_wait=self._rate_limit_wait,
                                        http_client=http_client)
        return self._provider

    def summarize_document(self, document: Document, *, title: str | None = None,
                           published: date | str | None = None,
                           url: str | None = None) -> EventSummary:
        """Summarize a read Document. `title`, `published` (a date or "YYYY-MM-DD") and `url`
        replace what the article itself says (ConfigurationError when `published` is no date)."""
        given = metadata_overrides(title=title, published=published, url=url)
        return summarize_document(document, self._ready_provider(), variant=self._variant,
                                  on_call=self._announce, metadata=given)

    def summarize(self, article: str | Path, *, doc_id: str = "article", title: str | None = None,
                  published: date | str | None = None, url: str | None = None) -> EventSummary:
        """Summarize an article given as text (a `str`) or as a file (a `Path`); the metadata
        arguments are those of `summarize_document`."""
        if isinstance(article, Path):
            document = read_article(article)
        else:
            text = decode_article(article.encode("utf-8", "surrogatepass"), doc_id)
            document = Document(id=doc_id, raw=text)
        return self.summarize_document(document, title=title, published=published, url=url)

    def summarize_many(self, articles: Sequence[str | Path | Document], *,
                       published: date | str | None = None, merge: bool = True) -> ArticleSet:
        """Summarize several articles (texts, files or read Documents; a directory stands for its
        *.txt and *.md files, sorted) and, with `merge`, digest them per event."""
        documents = articles_of(articles)
        summaries = [self.summarize_document(doc, published=published) for doc in documents]
        return ArticleSet(summaries=summaries,
                          digests=self.merge(summaries, documents) if merge else [])

    def merge(self, summaries: Sequence[EventSummary],
              documents: Sequence[Document]) -> list[EventDigest]:
        """Digest summaries per event; fact matches the rules cannot decide are put to the model
        (one call per event that has any; see `EventDigest.model_decisions`)."""
        from summarizer.digest.judge import ModelJudge

        return _merge(summaries, documents, ModelJudge(self._ready_provider()))

    def _announce(self, step: str) -> None:
        if self._progress:
            self._progress(f"pass {step}")

    def close(self) -> None:
        self._finalizer()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def summarize(article: str | Path, *, doc_id: str = "article", title: str | None = None,
              published: date | str | None = None, url: str | None = None,
              base_url: str | None = None, api_key: str | None = None, model: str | None = None,
              variant: Variant = DEFAULT_VARIANT, timeout: float | None = None) -> EventSummary:
    """Summarize one article (text or file) with a fresh Summarizer that is closed afterwards.

    `title`, `published` (a date or "YYYY-MM-DD") and `url` replace what the article says;
    `timeout` is the deadline of one model request (see `Summarizer`)."""
    metadata_overrides(title=title, published=published, url=url)  # before any model starts
    with Summarizer(base_url=base_url, api_key=api_key, model=model, variant=variant,
                    timeout=timeout) as engine:
        return engine.summarize(article, doc_id=doc_id, title=title, published=published, url=url)


async def asummarize(article: str | Path, *, doc_id: str = "article", title: str | None = None,
                     published: date | str | None = None, url: str | None = None,
                     base_url: str | None = None, api_key: str | None = None,
                     model: str | None = None, variant: Variant = DEFAULT_VARIANT,
                     timeout: float | None = None) -> EventSummary:
    """`summarize` without blocking the event loop (it runs in a worker thread)."""
    return await asyncio.to_thread(summarize, article, doc_id=doc_id, title=title,
                                   published=published, url=url, base_url=base_url,
                                   api_key=api_key, model=model, variant=variant, timeout=timeout)


def articles_of(articles: Sequence[str | Path | Document]) -> list[Document]:
    """Documents with distinct ids: a `str` is a text ("article-N"), a `Path` a file or a directory
    (its *.txt and *.md files, sorted; InputError if it has none)."""
    documents: list[Document] = []
    for number, article in enumerate(articles, start=1):
        if isinstance(article, Document):
            documents.append(article)
        elif isinstance(article, Path) and article.is_dir():
            found = sorted(p for p in article.iterdir() if p.suffix in (".txt", ".md") and p.is_file())
            if not found:
                raise InputError(f"{article}: no .txt or .md articles in this directory")
            documents += [read_article(p) for p in found]
        elif isinstance(article, Path):
            documents.append(read_article(article))
        else:
            doc_id = f"article-{number}"
            documents.append(Document(id=doc_id, raw=decode_article(
                article.encode("utf-8", "surrogatepass"), doc_id)))
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
                   timeout: float | None = None) -> ArticleSet:
    """Summarize several articles with a fresh Summarizer and digest them per event (`merge`)."""
    metadata_overrides(published=published)
    documents = articles_of(articles)  # input errors before any model starts
    with Summarizer(base_url=base_url, api_key=api_key, model=model, variant=variant,
                    timeout=timeout) as engine:
        return engine.summarize_many(documents, published=published, merge=merge)


def merge(summaries: Sequence[EventSummary], documents: Sequence[Document]) -> list[EventDigest]:
    """One EventDigest per event the summarized articles report, with no model: fact matches the
    rules cannot decide stay apart (`Summarizer.merge` asks the model about them)."""
    return _merge(summaries, documents)
