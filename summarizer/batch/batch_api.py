"""`summarizer batch --via batch-api`: the archive through the OpenAI Batch API, grounded as live.

1. Collect: each article not yet in the results is run through the live pipeline on a client that
   keeps every request instead of sending it (`backends.openai_batch.CapturingTransport`): the
   requests are exactly the live ones. They go to `OUT.batch-requests.jsonl`, each once.
2. Submit, poll, download: the file is uploaded and the batch started; its id is kept in
   `OUT.batch-api.json`, so a rerun after a crash waits for the same batch instead of paying twice.
3. Ground: every article is summarized again by the live code, its requests answered from the
   downloaded answers (`ReplayTransport`); a re-ask after an answer failed validation goes to the
   live endpoint, as it would live. Results and errors files, resuming and totals are those of a
   live batch; costs are priced at the Batch API's half price.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import httpx2

from summarizer.api import Summarizer, resolve_backend
from summarizer.api.stream import Article, Key, Outcome
from summarizer.backends import openai_batch
from summarizer.backends.faults import DeadlineTransport
from summarizer.backends.openai import OpenAIProvider
from summarizer.backends.prices import BATCH_API_DISCOUNT
from summarizer.batch.inputs import MAX_BYTES, read_inputs
from summarizer.batch.journal import ErrorsFile, ResultsFile
from summarizer.batch.session import Totals, drain
from summarizer.errors import ConfigurationError, ProviderError
from summarizer.text.document import Document


def _new_articles(inputs: Iterable[str | Path], max_bytes: int, done: set[Key]) -> Iterator[Article]:
    seen: set[Key] = set()
    for item in read_inputs(inputs, max_bytes):
        if isinstance(item, Article) and (item.id, item.sha256) not in done | seen:
            seen.add((item.id, item.sha256))
            yield item


def collect_requests(inputs: Iterable[str | Path], requests: Path, provider_for: Callable[
        [httpx2.BaseTransport], OpenAIProvider], max_bytes: int, done: set[Key]) -> int:
    """Write the Batch API request lines of every new article to `requests`; how many."""
    capture = openai_batch.CapturingTransport()
    engine = Summarizer(provider=provider_for(capture))
    written: set[str] = set()
    with requests.open("wb") as out:
        for article in _new_articles(inputs, max_bytes, done):
            with contextlib.suppress(Exception):  # every request refused: the article fails; fine
                engine.summarize_document(Document(id=article.id, raw=article.text,
                                                   path=article.path),
                                          title=article.title, published=article.published,
                                          url=article.url)
            for key, body in capture.take().items():
                if key not in written:
                    written.add(key)
                    out.write(openai_batch.request_line(key, body))
    return len(written)


def run_batch_api(inputs: Iterable[str | Path], out: Path, errors: Path, *, concurrency: int = 8,
                  max_bytes: int = MAX_BYTES, base_url: str | None = None,
                  api_key: str | None = None, model: str | None = None,
                  prices: str | None = None, poll_every: float = 30.0,
                  transport: httpx2.BaseTransport | None = None,
                  sleep: Callable[[float], None] = time.sleep,
                  on_status: Callable[[str], None] | None = None,
                  on_outcome: Callable[[Outcome, Totals], None] | None = None) -> Totals:
    """Summarize every input not yet in `out` through the OpenAI Batch API (see the module).
    `transport` carries every request (the Batch API's and a re-ask's; default: HTTP with the
    backend's deadline): tests put a fake of the Batch API there."""
    inputs = list(inputs)
    backend = resolve_backend(base_url, api_key, model)
    if backend.endpoint_kind == "local":
        raise ConfigurationError("--via batch-api needs an endpoint with the OpenAI Batch API "
                                 "(OPENAI_API_KEY or --api-key), not the embedded local model")
    say = on_status or (lambda line: None)
    state = out.with_name(f"{out.name}.batch-api.json")
    requests = out.with_name(f"{out.name}.batch-requests.jsonl")
    transport = transport or DeadlineTransport(httpx2.HTTPTransport(), backend.timeout)
    client = openai_batch.batch_client(backend.base_url, backend.api_key,
                                       httpx2.Client(transport=transport, timeout=backend.timeout))

    def provider_for(transport: httpx2.BaseTransport) -> OpenAIProvider:
        return OpenAIProvider(model=backend.model, base_url=backend.base_url,
                              api_key=backend.api_key, endpoint_kind=backend.endpoint_kind,
                              timeout=backend.timeout, http_client=httpx2.Client(transport=transport,
                                                                      timeout=backend.timeout))

    results, failures = ResultsFile(out), ErrorsFile(errors)
    totals = Totals()
    try:
        batch_id = json.loads(state.read_text(encoding="utf-8"))["batch"] if state.exists() else None
        if batch_id is None:
            count = collect_requests(inputs, requests, provider_for, max_bytes, results.done)
            say(f"{count} request(s) written to {requests}")
            if count:
                with requests.open("rb") as lines:
                    batch_id = openai_batch.submit(client, lines, requests.name)
                state.write_text(json.dumps({"batch": batch_id, "requests": str(requests)}),
                                 encoding="utf-8")
                say(f"batch {batch_id} submitted")
        answers: dict[str, openai_batch.Answer] = {}
        if batch_id is not None:
            batch = openai_batch.wait(client, batch_id, every=poll_every, sleep=sleep,
                                      on_poll=lambda status, n, total: say(
                                          f"batch {batch_id}: {status}, {n}/{total} requests"))
            if batch.status != "completed":
                raise ProviderError(f"batch {batch_id} ended {batch.status}: nothing to ground "
                                    f"(delete {state} to submit again)")
            answers = openai_batch.download(client, batch)
            say(f"batch {batch_id}: {len(answers)} answer(s) downloaded")
        replay = openai_batch.ReplayTransport(answers, transport)
        with Summarizer(provider=provider_for(replay), prices=prices) as engine:
            engine.price_discount = BATCH_API_DISCOUNT
            asyncio.run(drain(engine, read_inputs(inputs, max_bytes), concurrency, results,
                              failures, totals, lambda: 0, on_outcome))
        say(f"{replay.replayed} answer(s) from the batch, {replay.sent_live} re-ask(s) sent live")
        with contextlib.suppress(OSError):  # its answers are used: a rerun asks anew what failed
            os.unlink(state)
    finally:
        try:
            results.close()
        finally:
            failures.close()
            client.close()  # and with it the transport every request went through
    return totals
