"""The pipeline on an event loop (`asking.adrive`, the batch's path) gives the summary the threads
give: the same recorded answers of the real model (cassettes/, replayed through openai's async
client), the same requests, the same grounding. And what goes around it: a provider without
`aextract` still serves, the async client closes with its loop, a long article's chunks are
announced as such."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summarizer import Summarizer
from summarizer.backends.openai import OpenAIProvider
from summarizer.extract.asking import adrive
from summarizer.extract.chunked import chunked_steps, summarize_chunked
from summarizer.extract.pipeline import summarize_document, summary_steps
from summarizer.llm.provider import Draft, Extraction, Message, ProviderWrapper, aextract
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, read_article
from tests.cli.test_cli import FakeProvider
from tests.conftest import ARTICLES, CASSETTES
from tests.extract.test_chunked import CHUNK_CHARS, LONG

Replay = Callable[[Path], contextlib.AbstractContextManager[Any]]


def _without_clock(summary: EventSummary) -> dict[str, Any]:
    dumped = summary.model_dump(mode="json")
    dumped["metadata"].pop("elapsed_seconds")
    return dumped


class _Where(ProviderWrapper):
    """Each call's way (`extract` or `aextract`), thread and response model."""

    def __init__(self, inner: OpenAIProvider) -> None:
        super().__init__(inner)
        self.calls: list[tuple[str, str, str]] = []

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]:
        self.calls.append(("extract", threading.current_thread().name, response_model.__name__))
        return self._inner.extract(messages, response_model, context)

    async def aextract(self, messages: Sequence[Message], response_model: type[Draft],
                       context: Mapping[str, object]) -> Extraction[Draft]:
        self.calls.append(("aextract", threading.current_thread().name, response_model.__name__))
        return await aextract(self._inner, messages, response_model, context)


PASSES = ["OverviewDraft", "EntitiesDraft", "FiguresDraft"]


@pytest.mark.cassette
def test_a_seed_on_an_event_loop_is_the_summary_of_the_threads(
        recorded: Replay, replayed: Replay, cassette_provider: OpenAIProvider) -> None:
    """The product's default: the model re-asks and judges its own wording. On the loop every
    request, the support check's included, takes the one route: `aextract`, on the loop's thread.
    The one recorded answer is replayed both ways (while recording too: two live answers of a
    model differ)."""
    doc = read_article(ARTICLES["000"])
    cassette = CASSETTES / "seed_000.yaml"
    with recorded(cassette):
        in_threads = summarize_document(doc, cassette_provider, support_check="model")
    where = _Where(cassette_provider)
    with replayed(cassette):
        on_the_loop = asyncio.run(adrive(
            summary_steps(doc, where, support_check="model"), where, at_once=True))
    assert on_the_loop.metadata.llm_calls == in_threads.metadata.llm_calls == len(where.calls) >= 3
    assert {(way, thread) for way, thread, _ in where.calls} == {("aextract", "MainThread")}
    assert sorted(name for _, _, name in where.calls[:3]) == sorted(PASSES)
    assert on_the_loop.metadata.usage == in_threads.metadata.usage
    assert _without_clock(on_the_loop) == _without_clock(in_threads)


@pytest.mark.cassette
def test_a_long_article_on_an_event_loop_is_chunked_and_announced_the_same(
        recorded: Replay, replayed: Replay, cassette_provider: OpenAIProvider) -> None:
    cassette = CASSETTES / "long_article.yaml"
    if not cassette.is_file():
        pytest.skip(f"{cassette.name} is not recorded")
    doc = read_article(LONG)
    said: dict[str, list[str]] = {"threads": [], "loop": []}
    with recorded(cassette):
        in_threads = summarize_chunked(doc, cassette_provider, CHUNK_CHARS,
                                       on_call=said["threads"].append)
    with replayed(cassette):
        on_the_loop = asyncio.run(adrive(
            chunked_steps(doc, cassette_provider, CHUNK_CHARS, on_call=said["loop"].append),
            cassette_provider, said["loop"].append, at_once=False))
    assert len(on_the_loop.metadata.chunks) >= 3
    assert _without_clock(on_the_loop) == _without_clock(in_threads)
    assert said["loop"] == said["threads"]
    assert said["loop"][0].startswith("overview, chunk 1/")


class _SyncOnly(FakeProvider):
    """A provider written without `aextract`: it is asked in worker threads."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[str] = set()

    def extract(self, messages: Sequence[Message], response_model: type[Any],
                context: Mapping[str, object]) -> Extraction[Any]:
        self.threads.add(threading.current_thread().name)
        return super().extract(messages, response_model, context)


def test_a_provider_without_aextract_serves_the_loop_from_worker_threads() -> None:
    provider = _SyncOnly()
    doc = Document(id="seed", raw=ARTICLES["000"].read_text(encoding="utf-8"))
    with Summarizer(provider=provider, support_check="rules") as engine:
        summary = asyncio.run(engine.asummarize_document(doc))
        from_the_loop, provider.threads = provider.threads, set()
        expected = engine.summarize_document(doc)
    assert provider.asked == PASSES * 2
    # how many pool threads serve the loop's three calls depends on timing; that they are pool
    # threads, never the loop's own, does not
    assert from_the_loop and all(name.startswith("model-wait") for name in from_the_loop)
    assert provider.threads == {"MainThread"}  # the sync call
    assert _without_clock(summary) == _without_clock(expected)


def test_the_async_client_closes_with_its_event_loop(doc_text: str = "Moscow, Nov. 12") -> None:
    """One client per event loop (pooled connections belong to their loop), closed when the loop
    shuts down: none is left open after `asyncio.run`, and a second loop gets its own."""
    made: list[httpx2.AsyncClient] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={
            "id": "x", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": '{"quantities": [], "dates": []}'}}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}})

    def client() -> httpx2.AsyncClient:
        made.append(httpx2.AsyncClient(transport=httpx2.MockTransport(answer)))
        return made[-1]

    from summarizer.extract.drafts import FiguresDraft

    provider = OpenAIProvider(model="m", base_url="http://fake.test/v1", async_http_client=client)
    doc = Document(id="d", raw=doc_text)

    async def twice() -> list[Extraction[FiguresDraft]]:
        sent = [Message("user", "Numbers, please.")]
        return [await provider.aextract(sent, FiguresDraft, {"document": doc}) for _ in range(2)]

    first = asyncio.run(twice())
    assert [(r.calls, r.prompt_tokens, r.completion_tokens) for r in first] == [(1, 3, 2)] * 2
    assert len(made) == 1 and made[0].is_closed  # one client for the loop's two requests
    asyncio.run(twice())
    assert len(made) == 2 and made[1].is_closed
    provider.close()


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_with_the_model_support_check_a_summarizer_asks_the_recheck_on_the_loop() -> None:
    """`asummarize_document` with support_check="model": the re-ask and the judge take the route
    the passes take, `aextract` on the loop's thread (the recorded answers of seed 000, served by
    the stub); no call is made from a worker thread."""
    from bench.stub_openai import SEED_ARTICLE, Stub, serving

    doc = Document(id="seed", raw=SEED_ARTICLE.read_text(encoding="utf-8"))
    with serving(Stub()) as stub:
        inner = OpenAIProvider(model="stub", base_url=stub.base_url, api_key="unused")
        where = _Where(inner)
        with Summarizer(provider=where, support_check="model", passes_at_once=3) as engine:
            summary = asyncio.run(engine.asummarize_document(doc))
        inner.close()
    assert {(way, thread) for way, thread, _ in where.calls} == {("aextract", "MainThread")}
    assert sorted(name for _, _, name in where.calls[:3]) == sorted(PASSES)
    rechecks = [name for _, _, name in where.calls[3:]]
    assert rechecks and all(name.startswith(("Restated", "SupportAnswers")) for name in rechecks)
    assert summary.metadata.llm_calls == len(where.calls)


def test_a_blocking_sleep_between_retries_does_not_queue_behind_the_others() -> None:
    """A batch's retry sleep blocks its thread (the rate limiter pauses every worker). Twelve
    requests answered 429 at once each sleep out the Retry-After in a thread of their own: the
    twelve sleeps meet at one barrier. In the event loop's default pool (6 threads on 2 cores)
    six would wait for the others to end, and the barrier would break."""
    from summarizer.extract.drafts import FiguresDraft

    answered = [0]
    barrier = threading.Barrier(12, timeout=10)

    def endpoint(request: httpx2.Request) -> httpx2.Response:
        answered[0] += 1
        if answered[0] <= 12:
            return httpx2.Response(429, headers={"Retry-After": "1"},
                                   json={"error": {"message": "slow down"}})
        return httpx2.Response(200, json={
            "id": "x", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": '{"quantities": [], "dates": []}'}}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}})

    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        barrier.wait()

    provider = OpenAIProvider(
        model="m", base_url="http://fake.test/v1", sleep=sleep,
        async_http_client=lambda: httpx2.AsyncClient(transport=httpx2.MockTransport(endpoint)))
    doc = Document(id="d", raw="Moscow, Nov. 12")

    async def twelve() -> list[Extraction[FiguresDraft]]:
        sent = [Message("user", "Numbers, please.")]
        return list(await asyncio.gather(*(provider.aextract(sent, FiguresDraft, {"document": doc})
                                           for _ in range(12))))

    results = asyncio.run(twelve())
    assert slept == [1.0] * 12
    assert [r.calls for r in results] == [1] * 12
    provider.close()
