"""More of the model endpoint's faults (issue 28), each against a stub written here, never a model:
an `httpx2.MockTransport` with hand-written replies, the small HTTP server of `test_faults` on
127.0.0.1, or a fake provider behind the seam (`FakeProvider` of the CLI tests, hand-written
answers). A server that echoes the API key; a request left hanging (the waiting line, the attempts
a timeout gets); the endpoint lost after some of an article's calls were answered, or while its
chunks are asked.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

import summarizer.backends.openai
from summarizer.backends.openai import OpenAIProvider
from summarizer.cli import app
from summarizer import console
from summarizer.errors import ProviderError, RetriesExhaustedError
from summarizer.text.document import Document
from tests.backends.test_faults import (
    LOOPBACK,
    SEED,
    Replies,
    StubServer,
    ask,
    no_backoff,
    openai_error,
    real_provider,
    stub,
)
from tests.cli.test_cli import assert_one_line_error

KEY = "sk-proj-Zq81fakeKEY0123456789"
ECHOED = (f"Incorrect API key provided: {KEY}. Sent headers: Authorization: Bearer {KEY}; "
          "proxy said: bearer tok_9f8e7d6c5b4a")
ECHOED_SHOWN = ("Incorrect API key provided: ***. Sent headers: Authorization: ***; proxy said: "
                "bearer ***")


# --- a server that echoes the API key (item 7) ---------------------------------------------------


def test_a_key_the_server_echoes_is_redacted_from_the_error(doc: Document) -> None:
    endpoint = Replies(openai_error(401, ECHOED))
    with pytest.raises(ProviderError) as raised:
        ask(endpoint.provider(api_key=KEY), doc)
    assert str(raised.value) == (
        "model endpoint error: HTTP 401 from http://***@fake.test/v1/chat/completions: "
        f"{ECHOED_SHOWN} (check the API key (--api-key or OPENAI_API_KEY))")


def test_a_key_echoed_in_a_5xx_body_is_redacted_after_the_retries(doc: Document) -> None:
    endpoint = Replies(httpx2.Response(502, text=f"upstream rejected Authorization: Bearer {KEY}"))
    with pytest.raises(ProviderError) as raised:
        ask(endpoint.provider(api_key=KEY, attempts=2), doc)
    assert KEY not in str(raised.value)
    assert str(raised.value).endswith("upstream rejected Authorization: *** (the endpoint failed "
                                      "on its side: try again later)")


def _echoing_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's adapter sends through a MockTransport that answers 401 echoing the key."""
    real = summarizer.backends.openai.OpenAIProvider
    transport = httpx2.MockTransport(lambda request: openai_error(401, ECHOED))

    def stubbed(**options: Any) -> OpenAIProvider:
        return real(**{**options, "http_client": httpx2.Client(transport=transport)})

    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", stubbed)


def test_cli_never_shows_an_echoed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    _echoing_endpoint(monkeypatch)
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--base-url", "http://x.test/v1",
                                      "--model", "m", "--api-key", KEY])
    assert_one_line_error(result, 5, f"HTTP 401 from http://x.test/v1/chat/completions: "
                          f"{ECHOED_SHOWN} (check the API key")
    assert KEY not in result.output


def test_batch_errors_file_never_holds_an_echoed_key(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    _echoing_endpoint(monkeypatch)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(tmp_path / "r.jsonl"),
                                      "--no-cache", "--base-url", "http://x.test/v1",
                                      "--model", "m", "--api-key", KEY])
    assert result.exit_code == 7, result.output
    errors = [json.loads(line) for line in (tmp_path / "r.errors.jsonl").read_text().splitlines()]
    assert len(errors) == 2
    assert all(ECHOED_SHOWN in str(line["reason"]) for line in errors)
    assert KEY not in (tmp_path / "r.errors.jsonl").read_text() + result.output


def test_the_batch_apis_errors_never_show_an_echoed_key() -> None:
    from summarizer.backends.openai_batch import batch_client, submit

    echoing = httpx2.MockTransport(lambda request: openai_error(401, ECHOED))
    client = batch_client("http://x.test/v1", KEY, httpx2.Client(transport=echoing))
    with pytest.raises(ProviderError) as raised:
        submit(client, [b"{}\n"])
    assert str(raised.value).startswith("the Batch API refused the batch: ")
    assert "Authorization: ***" in str(raised.value)
    assert KEY not in str(raised.value)


# --- a request left hanging (item 6) ------------------------------------------------------------


@LOOPBACK
def test_a_hung_request_says_it_is_waiting_and_is_retried_once(
        stub: Callable[..., StubServer], no_backoff: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "WAITING_EVERY", 0.5)
    server = stub("hung")
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--base-url", server.base_url,
                                      "--model", "stub-model", "--timeout", "0.8"])
    assert result.exit_code == 5, result.output
    assert len(server.requests) == 2  # one retry for a request that ran into its deadline
    waiting = [line for line in result.stderr.splitlines() if "waiting" in line]
    # two attempts of 0.8 s: a line at 0.5 and at 1 s of the one pass (the retry counts on)
    assert waiting[:2] == [f"summarizer: article 1/1 {SEED.stem}: waiting for the model: {n} s "
                           "(pass overview)" for n in ("0.5", "1")]
    assert result.stderr.splitlines()[-1].startswith(
        f"summarizer: error: {SEED.stem}, pass overview: model endpoint failed 2 times, last: "
        "no complete answer from")


def test_waiting_lines_follow_the_step_that_asks_the_model() -> None:
    """`_Waiting` alone, with a short period: a line per period while a pass lasts, none once a
    step that asks no model is shown, a fresh count for the next pass."""
    said: list[str] = []
    waiting = console._Waiting(said.append, 0.1)
    try:
        waiting.step("article 2/3 a: pass entities")
        time.sleep(0.45)
        waiting.step("merging")
        time.sleep(0.05)
        after_the_pass = len(said)
        time.sleep(0.3)
        quiet = len(said)
        waiting.step("pass overview, chunk 2/3 (characters 0-120)")
        time.sleep(0.25)
    finally:
        waiting.close()
    assert after_the_pass >= 3
    assert said[:3] == [f"article 2/3 a: waiting for the model: {n} s (pass entities)"
                        for n in ("0.1", "0.2", "0.3")]
    assert quiet == after_the_pass
    assert said[quiet] == "waiting for the model: 0.1 s (pass overview, chunk 2/3 (characters 0-120))"


@pytest.mark.parametrize(("reply", "requests"), [("hung", 2), ("503", 4)])
@LOOPBACK
def test_a_timeout_gets_two_attempts_other_faults_four(
        stub: Callable[..., StubServer], doc: Document, reply: str, requests: int) -> None:
    if reply == "hung":
        server = stub("hung")
        provider = real_provider(server.base_url, timeout=0.3)  # attempts: the default, 4
        with pytest.raises(RetriesExhaustedError, match="failed 2 times, last: no complete"):
            ask(provider, doc)
        assert len(server.requests) == requests
        return
    endpoint = Replies(httpx2.Response(503, json={"detail": "loading"}))
    with pytest.raises(RetriesExhaustedError, match="failed 4 times"):
        ask(endpoint.provider(), doc)
    assert endpoint.count == requests


@pytest.fixture(scope="module")
def doc() -> Document:
    from summarizer.text.document import read_article

    return read_article(SEED)


