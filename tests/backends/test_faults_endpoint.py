"""More of the model endpoint's faults (issue 28), each against a stub written here, never a model:
an `httpx2.MockTransport` with hand-written replies, the small HTTP server of `test_faults` on
127.0.0.1, or a fake provider behind the seam (`FakeProvider` of the CLI tests, hand-written
answers). A server that echoes the API key; a request left hanging (the waiting line, the attempts
a timeout gets); the endpoint lost after some of an article's calls were answered, or while its
chunks are asked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

import summarizer.backends.openai
from summarizer.backends.openai import OpenAIProvider
from summarizer.cli import app
from summarizer.errors import ProviderError
from summarizer.text.document import Document
from tests.backends.test_faults import SEED, Replies, ask, openai_error
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


@pytest.fixture(scope="module")
def doc() -> Document:
    from summarizer.text.document import read_article

    return read_article(SEED)


