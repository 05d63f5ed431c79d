"""The model endpoint's faults, each against a stub endpoint written here (not model output).

Two kinds of stub: an `httpx2.MockTransport` with hand-written replies (HTTP errors with their
bodies, rate limits, empty `choices`, a content filter), and `StubServer`, a tiny HTTP server on
127.0.0.1 in a thread for what needs a real socket (a server that never answers, one that trickles
its answer a byte at a time, a refused connection, a recording). Backoff sleeps are injected, so no
test waits for them; the deadlines here are a second or less.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import vcr
from typer.testing import CliRunner

import summarizer.backends.openai
from summarizer import api
from summarizer.backends.config import redact_url
from summarizer.backends.openai import OpenAIProvider
from summarizer.cli import app
from summarizer.errors import ConfigurationError, ProviderError, RetriesExhaustedError
from summarizer.evaluation.recording import VCR_CONFIG
from summarizer.extract.drafts import FiguresDraft
from summarizer.llm.provider import Message
from summarizer.text.document import Document, read_article
from tests.cli.test_cli import FakeProvider, assert_one_line_error
from tests.conftest import ROOT

LOOPBACK = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
SEED = ROOT / "seeds" / "001_922f9856dfd84345.txt"
FIGURES = {"quantities": [{"evidence": "Nearly 600 Russian citizens", "value": 600,
                           "counted": "Russian citizens awaiting evacuation"}], "dates": []}
ENV_VARS = ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL", "SUMMARIZER_TIMEOUT",
            "SUMMARIZER_RATE_LIMIT_WAIT")


def recording_provider(made: list[dict[str, Any]]) -> Callable[..., FakeProvider]:
    """A stand-in for OpenAIProvider that keeps the options each adapter is built with."""

    def make(**options: Any) -> FakeProvider:
        made.append(options)
        return FakeProvider(**options)

    return make


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def doc() -> Document:
    return read_article(SEED)


def completion_body(content: str | None, finish_reason: str = "stop",
                    choices: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub", "object": "chat.completion", "created": 1_700_000_000,
        "model": "stub-model",
        "choices": choices if choices is not None else [{
            "index": 0, "message": {"role": "assistant", "content": content},
            "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def ask(provider: OpenAIProvider, doc: Document, way: str = "extract") -> Any:
    """One request through `extract` (the sync client) or `aextract` (the async client)."""
    sent, context = [Message("user", "Numbers, please.")], {"document": doc}
    if way == "aextract":
        return asyncio.run(provider.aextract(sent, FiguresDraft, context))
    return provider.extract(sent, FiguresDraft, context)


WAYS = pytest.mark.parametrize("way", ["extract", "aextract"])


# --- a real socket: hung, trickling, refused ------------------------------------------------------


class StubServer:
    """HTTP/1.1 on 127.0.0.1 (a stub, not a model): `hung` reads the request and never answers;
    `trickle` sends a valid answer one byte every `gap` seconds; `answer` sends it at once."""

    def __init__(self, mode: str, gap: float = 0.05) -> None:
        self.mode, self.gap = mode, gap
        self.requests: list[bytes] = []
        self.finished = 0  # answers sent to the last byte
        self.abandoned = 0  # answers the client hung up on
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _received(self, connection: socket.socket) -> bytes:
        """More of the request; OSError when the client hung up before it was all sent (on a
        loaded machine the deadline can pass before this thread reads a byte)."""
        data = connection.recv(65536)
        if not data:
            raise ConnectionResetError("the client hung up")
        return data

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    data += self._received(connection)
                head, _, body = data.partition(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
                while len(body) < length:
                    body += self._received(connection)
            except OSError:
                self.abandoned += 1
                return
            self.requests.append(body)
            if self.mode == "hung":
                self._stop.wait()
                return
            content = json.dumps(completion_body(json.dumps(FIGURES))).encode()
            reply = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: " + str(len(content)).encode() + b"\r\n\r\n" + content)
            try:
                if self.mode == "answer":
                    connection.sendall(reply)
                else:
                    for byte in range(len(reply)):
                        if self._stop.wait(self.gap):
                            return
                        connection.sendall(reply[byte:byte + 1])
                self.finished += 1
            except OSError:
                self.abandoned += 1

    def settle(self, answers: int = 1, within: float = 10.0) -> None:
        """Wait until `answers` connections have ended by themselves, finished or abandoned (the
        client hung up). Counted, not joined: the accepting thread may not have started the
        connection's thread yet when the client has already given up."""
        deadline = time.monotonic() + within
        while self.finished + self.abandoned < answers and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        for thread in list(self._threads):
            thread.join(5)


@pytest.fixture
def stub() -> Iterator[Callable[..., StubServer]]:
    made: list[StubServer] = []

    def start(mode: str, gap: float = 0.05) -> StubServer:
        made.append(StubServer(mode, gap))
        return made[-1]

    yield start
    for server in made:
        server.close()


def real_provider(base_url: str, **options: Any) -> OpenAIProvider:
    """The real adapter with its own HTTP client (the deadline's), backoff sleeps recorded."""
    sleeps: list[float] = []
    provider = OpenAIProvider(model="stub-model", base_url=base_url, sleep=sleeps.append,
                              **options)
    provider.sleeps = sleeps  # type: ignore[attr-defined]
    return provider


@LOOPBACK
@WAYS
def test_hung_endpoint_gives_up_at_the_deadline(way: str, stub: Callable[..., StubServer],
                                                doc: Document) -> None:
    server = stub("hung")
    provider = real_provider(server.base_url, timeout=0.5, attempts=2)
    with pytest.raises(RetriesExhaustedError) as raised:
        ask(provider, doc, way)
    assert str(raised.value) == (
        f"model endpoint failed 2 times, last: no complete answer from "
        f"{server.base_url}/chat/completions within 0.5 s (the deadline of one request; set it "
        "with --timeout or SUMMARIZER_TIMEOUT)")
    assert len(server.requests) == 2  # a timeout is retried like other transient faults
    assert len(provider.sleeps) == 1  # type: ignore[attr-defined]


@LOOPBACK
@WAYS
def test_trickling_endpoint_gives_up_at_the_deadline(way: str, stub: Callable[..., StubServer],
                                                     doc: Document) -> None:
    """A byte every 0.05 s never trips a per-read timeout; the whole answer would take ~20 s and
    be valid. The deadline (0.5 s) ends it, and the client hangs up."""
    server = stub("trickle", gap=0.05)
    provider = real_provider(server.base_url, timeout=0.5, attempts=1)
    with pytest.raises(RetriesExhaustedError) as raised:
        ask(provider, doc, way)
    assert "no complete answer from" in str(raised.value)
    assert "within 0.5 s" in str(raised.value)
    server.settle()
    assert (server.finished, server.abandoned) == (0, 1)


@LOOPBACK
@WAYS
def test_a_prompt_answer_is_not_cut_by_the_deadline(way: str, stub: Callable[..., StubServer],
                                                    doc: Document) -> None:
    server = stub("answer")
    result = ask(real_provider(server.base_url, timeout=5), doc, way)
    assert result.value.quantities[0].value == 600
    # the stub counts an answer after its last byte went out, which the client may read first
    deadline = time.monotonic() + 5
    while server.finished == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.finished == 1


@LOOPBACK
@WAYS
def test_refused_connection_names_the_url_without_credentials(way: str, doc: Document) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again: nothing listens there
    provider = real_provider(f"http://me:hunter2@127.0.0.1:{port}/v1?api_key=sk-secret",
                             attempts=2)
    with pytest.raises(RetriesExhaustedError) as raised:
        ask(provider, doc, way)
    message = str(raised.value)
    # (openai appends the path after a base URL's query; what matters is that no secret shows)
    assert message.startswith(
        f"model endpoint failed 2 times, last: cannot connect to http://***@127.0.0.1:{port}/v1?")
    assert message.endswith("(is the server running, is the URL right?)")
    assert "hunter2" not in message and "sk-secret" not in message


# --- the shell: --timeout, one line, progress -----------------------------------------------------


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's adapter with its backoff sleeps skipped (everything else real)."""
    real = summarizer.backends.openai.OpenAIProvider

    def quick(**options: Any) -> OpenAIProvider:
        return real(**{**options, "sleep": lambda seconds: None})

    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", quick)


@LOOPBACK
def test_cli_timeout_flag_ends_a_hung_endpoint(stub: Callable[..., StubServer],
                                               no_backoff: None) -> None:
    server = stub("hung")
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--base-url", server.base_url,
                                      "--model", "stub-model", "--timeout", "0.3"])
    # the give-up line names the article and the pass that was asking
    assert f"summarizer: error: {SEED.stem}, pass overview: model endpoint failed 2 times" in \
        result.stderr
    assert_one_line_error(result, 5, "model endpoint failed 2 times",
                          f"no complete answer from {server.base_url}/chat/completions "
                          "within 0.3 s")
    assert len(server.requests) == 2  # a request that ran into its deadline is retried once


@LOOPBACK
def test_cli_timeout_from_the_environment(stub: Callable[..., StubServer], no_backoff: None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    server = stub("hung")
    monkeypatch.setenv("SUMMARIZER_TIMEOUT", "0.2")
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--base-url", server.base_url,
                                      "--model", "stub-model"])
    assert_one_line_error(result, 5, "within 0.2 s")


@pytest.mark.parametrize("value", ["0", "-1"])
def test_cli_timeout_must_be_positive(value: str) -> None:
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--base-url", "http://x.test/v1",
                                      "--model", "m", f"--timeout={value}"])
    assert_one_line_error(result, 3, "--timeout / SUMMARIZER_TIMEOUT must be a number of "
                          f"seconds > 0, not {float(value)!r}")


def test_cli_unexpected_exception_is_one_line_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(FakeProvider):
        def extract(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", Broken)
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--base-url", "http://x.test/v1",
                                      "--model", "m"])
    assert_one_line_error(result, 1, "internal error: RuntimeError: boom second line (a bug: "
                          "please report it with the command line)")


def test_cli_progress_is_a_line_per_pass_when_stderr_is_no_terminal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", FakeProvider)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    result = CliRunner().invoke(app, ["summarize", str(seeds[0]), str(seeds[1]),
                                      "--base-url", "http://x.test/v1", "--model", "m"])
    assert result.exit_code == 0, result.output
    steps = [re.sub(r" \(\d+\.\d s\)$", "", line) for line in result.stderr.splitlines()]
    ids = [path.stem for path in seeds[:2]]
    assert steps == [f"summarizer: article {n}/2 {ids[n - 1]}: pass {name}"
                     for n in (1, 2)
                     for name in ("overview", "entities", "figures", "support_judge")] + [
        "summarizer: merging"]
    assert all(re.search(r" \(\d+\.\d s\)$", line) for line in result.stderr.splitlines())


# --- HTTP errors with the endpoint's own words (MockTransport) ----------------------------------


class Replies:
    """A MockTransport endpoint serving `replies` in turn (the last repeats)."""

    def __init__(self, *replies: httpx2.Response) -> None:
        self.replies = replies
        self.count = 0

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.count += 1
        return self.replies[min(self.count, len(self.replies)) - 1]

    def provider(self, **options: Any) -> OpenAIProvider:
        sleeps: list[float] = []
        made = OpenAIProvider(model="stub-model", base_url="http://u:pw@fake.test/v1",
                              http_client=httpx2.Client(transport=httpx2.MockTransport(self)),
                              sleep=sleeps.append, **{"backoff": 1.0, **options})
        made.sleeps = sleeps  # type: ignore[attr-defined]
        return made


def openai_error(status: int, message: str, headers: dict[str, str] | None = None
                 ) -> httpx2.Response:
    return httpx2.Response(status, headers=headers, json={
        "error": {"message": message, "type": "invalid_request_error", "code": None}})


URL = "http://***@fake.test/v1/chat/completions"
KEY_MESSAGE = ("Incorrect API key provided: sk-abc***xyz. You can find your API key at "
               "https://platform.openai.com/account/api-keys.")
CONTEXT_MESSAGE = ("This model's maximum context length is 8192 tokens. However, your messages "
                   "resulted in 9500 tokens. Please reduce the length of the messages.")
MODEL_MESSAGE = "The model `gpt-5-nano-x` does not exist or you do not have access to it."


@pytest.mark.parametrize(("status", "message", "hint"), [
    (401, KEY_MESSAGE, "check the API key (--api-key or OPENAI_API_KEY)"),
    (403, "Project does not have access", "check the API key (--api-key or OPENAI_API_KEY)"),
    (400, CONTEXT_MESSAGE, "the article is too long for this model's context: shorten it or "
     "use a larger model"),
    (400, "Invalid value for 'response_format'", "the endpoint refused the request"),
    (404, MODEL_MESSAGE, "check the model name (--model or SUMMARIZER_MODEL) and the base URL"),
])
def test_client_errors_carry_the_endpoints_message(doc: Document, status: int, message: str,
                                                   hint: str) -> None:
    endpoint = Replies(openai_error(status, message))
    with pytest.raises(ProviderError) as raised:
        ask(endpoint.provider(), doc)
    assert not isinstance(raised.value, RetriesExhaustedError)
    assert str(raised.value) == f"model endpoint error: HTTP {status} from {URL}: {message} ({hint})"
    assert endpoint.count == 1


def test_server_errors_show_their_body_after_the_retries(doc: Document) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>"
    endpoint = Replies(httpx2.Response(503, json={"detail": "model is loading"}),
                       httpx2.Response(502, text=page, headers={"content-type": "text/html"}))
    with pytest.raises(RetriesExhaustedError) as raised:
        ask(endpoint.provider(attempts=3), doc)
    assert str(raised.value) == (
        f"model endpoint failed 3 times, last: HTTP 502 from {URL}: <html><body><h1>502 Bad "
        "Gateway</h1> <hr>nginx</body></html> (the endpoint failed on its side: try again later)")
    assert endpoint.count == 3


RATE_MESSAGE = ("Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, "
                "Requested 1. Please try again in 20s.")


def test_rate_limit_without_retry_after_outlasts_a_minute(doc: Document) -> None:
    endpoint = Replies(openai_error(429, RATE_MESSAGE))
    provider = endpoint.provider()
    with pytest.raises(RetriesExhaustedError) as raised:
        ask(provider, doc)
    assert provider.sleeps == [2.0, 4.0, 8.0, 16.0, 30.0, 30.0]  # type: ignore[attr-defined]
    assert endpoint.count == 7
    assert raised.value.attempts == 7
    assert str(raised.value) == (
        "the endpoint kept answering 429 (rate limited) for 7 requests and 90 s of waiting; "
        f"last: HTTP 429 from {URL}: {RATE_MESSAGE} (the endpoint's rate limit or quota: wait "
        "and run again, or allow longer waits with SUMMARIZER_RATE_LIMIT_WAIT (seconds))")


def test_rate_limit_honours_retry_after_within_the_budget(doc: Document) -> None:
    endpoint = Replies(openai_error(429, RATE_MESSAGE, {"Retry-After": "20"}))
    provider = endpoint.provider()
    with pytest.raises(RetriesExhaustedError):
        ask(provider, doc)
    assert provider.sleeps == [20.0, 20.0, 20.0, 20.0, 10.0]  # type: ignore[attr-defined]
    assert endpoint.count == 6


def test_rate_limit_then_an_answer(doc: Document) -> None:
    endpoint = Replies(openai_error(429, RATE_MESSAGE), openai_error(429, RATE_MESSAGE),
                       httpx2.Response(200, json=completion_body(json.dumps(FIGURES))))
    provider = endpoint.provider()
    assert ask(provider, doc).value.quantities[0].value == 600
    assert provider.sleeps == [2.0, 4.0]  # type: ignore[attr-defined]


def test_rate_limit_wait_is_configurable(doc: Document) -> None:
    endpoint = Replies(openai_error(429, RATE_MESSAGE))
    provider = endpoint.provider(rate_limit_wait=10)
    with pytest.raises(RetriesExhaustedError, match="for 4 requests and 10 s of waiting"):
        ask(provider, doc)
    assert provider.sleeps == [2.0, 4.0, 4.0]  # type: ignore[attr-defined]
    none = Replies(openai_error(429, RATE_MESSAGE))
    with pytest.raises(RetriesExhaustedError, match="for 1 requests and 0 s of waiting"):
        ask(none.provider(rate_limit_wait=0), doc)
    assert none.count == 1


def test_rate_limit_wait_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[dict[str, Any]] = []
    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", recording_provider(made))
    monkeypatch.setenv("SUMMARIZER_RATE_LIMIT_WAIT", "300")
    with api.Summarizer(base_url="http://x.test/v1", model="m", timeout=33) as engine:
        engine.provider  # noqa: B018 - builds the adapter
    assert (made[0]["rate_limit_wait"], made[0]["timeout"]) == (300.0, 33.0)
    monkeypatch.setenv("SUMMARIZER_RATE_LIMIT_WAIT", "a while")
    with pytest.raises(ConfigurationError, match="SUMMARIZER_RATE_LIMIT_WAIT must be a number"):
        api.Summarizer(base_url="http://x.test/v1", model="m")


# --- unusable 200 answers -----------------------------------------------------------------------


def test_empty_choices_is_named(doc: Document) -> None:
    endpoint = Replies(httpx2.Response(200, json=completion_body(None, choices=[])))
    with pytest.raises(ProviderError) as raised:
        ask(endpoint.provider(), doc)
    assert str(raised.value) == (
        "the endpoint http://***@fake.test/v1/ answered with an empty `choices` list (no "
        "answer at all): check the endpoint's logs or try another model")


def test_content_filter_is_named(doc: Document) -> None:
    endpoint = Replies(httpx2.Response(200, json=completion_body(None, "content_filter")))
    with pytest.raises(ProviderError) as raised:
        ask(endpoint.provider(), doc)
    assert str(raised.value) == (
        "the endpoint http://***@fake.test/v1/ withheld the answer with its content "
        "filter (finish_reason content_filter): this article trips its moderation; use another "
        "endpoint or model")


def test_cli_empty_choices_is_one_line_exit_5(monkeypatch: pytest.MonkeyPatch) -> None:
    real = summarizer.backends.openai.OpenAIProvider
    empty = httpx2.MockTransport(lambda request: httpx2.Response(
        200, json=completion_body(None, choices=[])))

    def stubbed(**options: Any) -> OpenAIProvider:
        return real(**{**options, "http_client": httpx2.Client(transport=empty)})

    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", stubbed)
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--base-url", "http://x.test/v1",
                                      "--model", "m"])
    assert_one_line_error(result, 5, "answered with an empty `choices` list")


# --- credentials in URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "shown"), [
    ("http://user:pass@host:8080/v1?key=abc", "http://***@host:8080/v1?key=***"),
    ("https://x.openai.azure.com/openai/v1?api-key=k1&api-version=2024-10-21",
     "https://x.openai.azure.com/openai/v1?api-key=***&api-version=2024-10-21"),
    ("http://h/v1?api_key=a&token=b&access_token=c&x=1", "http://h/v1?api_key=***&token=***&"
     "access_token=***&x=1"),
    ("http://token@h/v1", "http://***@h/v1"),
    ("http://localhost:8080/v1", "http://localhost:8080/v1"),
])
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@LOOPBACK
@WAYS
def test_recorded_cassette_uri_has_no_credentials(way: str, stub: Callable[..., StubServer], doc: Document,
                                                  tmp_path: Path) -> None:
    server = stub("answer")
    cassette = tmp_path / "recorded.yaml"
    url = f"http://me:hunter2@127.0.0.1:{server.port}/v1"
    with vcr.VCR(record_mode="all", **VCR_CONFIG).use_cassette(str(cassette)):
        ask(real_provider(url, timeout=5), doc, way)
    text = cassette.read_text()
    assert re.findall(r"uri: (\S+)", text) == [
        f"http://***@127.0.0.1:{server.port}/v1/chat/completions"]
    assert "hunter2" not in text
    # ... and it still replays, whatever URL asks
    with vcr.VCR(record_mode="none", **VCR_CONFIG).use_cassette(str(cassette)):
        assert ask(real_provider("http://replay.invalid/v1"), doc, way).value.quantities[0].value == 600


def test_timeouts_arrive_within_the_deadline_not_per_read() -> None:
    """Direct check of the transport: a fake inner transport whose body trickles forever."""
    from summarizer.backends.faults import DeadlineTransport

    class Endless(httpx2.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            while True:
                time.sleep(0.01)
                yield b"x"

    class Inner(httpx2.BaseTransport):
        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            return httpx2.Response(200, stream=Endless())

    transport = DeadlineTransport(Inner(), 0.2)
    with pytest.raises(httpx2.ReadTimeout, match=r"no complete answer within 0\.2 s"):
        transport.handle_request(httpx2.Request("POST", "http://x.test/"))


def test_async_timeouts_arrive_within_the_deadline_not_per_read() -> None:
    """The async client's transport: the same deadline over a body that trickles forever."""
    from summarizer.backends.faults import AsyncDeadlineTransport

    class Endless(httpx2.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            while True:
                await asyncio.sleep(0.01)
                yield b"x"

    class Inner(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            return httpx2.Response(200, stream=Endless())

    async def asked() -> float:
        started = time.monotonic()
        with pytest.raises(httpx2.ReadTimeout, match=r"no complete answer within 0\.2 s"):
            await AsyncDeadlineTransport(Inner(), 0.2).handle_async_request(
                httpx2.Request("POST", "http://x.test/"))
        return time.monotonic() - started

    assert asyncio.run(asked()) < 2


def test_recording_hook_redacts_query_secrets_too() -> None:
    from vcr.request import Request

    from summarizer.evaluation.recording import normalize_request

    request = Request("POST", "http://u:p@h/v1/chat/completions?key=abc&x=1", b"{}", {})
    assert normalize_request(request).uri == "http://***@h/v1/chat/completions?key=***&x=1"


@pytest.fixture
def asked_slots(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The embedded model stood in for: the slot counts it is started with, in order."""
    import contextlib

    from summarizer.backends import local as local_model

    asked: list[int] = []

    @contextlib.contextmanager
    def started(progress: Any = None, *, slots: int = 1) -> Iterator[local_model.LocalServer]:
        asked.append(slots)
        yield local_model.LocalServer("http://127.0.0.1:9/v1", "k" * 43)

    monkeypatch.setattr(local_model, "is_installed", lambda: True)
    monkeypatch.setattr(local_model, "local_server", started)
    monkeypatch.delenv("SUMMARIZER_LOCAL_SLOTS", raising=False)
    return asked


def test_the_embedded_servers_key_and_timeout_reach_the_adapter(
        monkeypatch: pytest.MonkeyPatch, asked_slots: list[int]) -> None:
    made: list[dict[str, Any]] = []
    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", recording_provider(made))
    with api.Summarizer() as engine:
        engine.provider  # noqa: B018 - starts the (stand-in) server and builds the adapter
    assert made[0]["api_key"] == "k" * 43
    assert made[0]["base_url"] == "http://127.0.0.1:9/v1"
    assert made[0]["timeout"] == 600.0
    assert isinstance(made[0]["http_client"], httpx2.Client)
    assert made[0]["compact_json"] is True  # llama-server: the compact grammar
    assert asked_slots == [1]  # one slot by default (bench/slots.py), and the passes in turn
    assert engine._passes is None
    monkeypatch.setenv("SUMMARIZER_LOCAL_SLOTS", "3")
    with api.Summarizer() as engine:
        engine.provider  # noqa: B018
        assert engine._passes is not None and engine._passes._max_workers == 3
    assert asked_slots == [1, 3]  # three slots: an article's three passes at once


def test_a_batch_starts_the_embedded_model_with_two_slots_unless_told(
        monkeypatch: pytest.MonkeyPatch, asked_slots: list[int]) -> None:
    from summarizer.batch.engine import batch_engine
    from summarizer.batch.limits import RateLimiter

    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", FakeProvider)
    options: dict[str, Any] = {"concurrency": 2, "cache_dir": None, "base_url": None,
                               "api_key": None, "model": None, "provider": None,
                               "concurrent_passes": None, "prices": None}
    with batch_engine(RateLimiter(), **options) as (engine, _):
        assert engine.provider.model  # starts the (stand-in) server
        assert engine._passes is not None and engine._passes._max_workers == 6  # passes at once
    monkeypatch.setenv("SUMMARIZER_LOCAL_SLOTS", "1")
    with batch_engine(RateLimiter(), **options) as (engine, _):
        assert engine.provider.model
        assert engine._passes is None  # one slot: the passes in turn
    assert asked_slots == [2, 1]


def test_summarize_passes_its_timeout_on(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[dict[str, Any]] = []
    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", recording_provider(made))
    api.summarize(ROOT / "seeds" / "000_eb5bbfd39dc007a5.txt", base_url="http://x.test/v1",
                  model="m", timeout=12)
    assert made[0]["timeout"] == 12.0
    assert made[0]["compact_json"] is False  # an endpoint of the user's: the JSON schema


def test_eval_checks_its_timeout() -> None:
    gold = ROOT / "bench" / "data" / "meantime_5w.jsonl"
    result = CliRunner().invoke(app, ["eval", str(gold), "--base-url", "http://x.test/v1",
                                      "--model", "m", "--timeout", "0", "-o", "/dev/null"])
    assert_one_line_error(result, 3, "--timeout / SUMMARIZER_TIMEOUT must be a number of seconds")


def test_cassettes_record_hands_its_timeout_to_the_recording(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.evaluation import rerecord  # what `cassettes record` runs

    runs: list[dict[str, str]] = []

    def fake_pytest(args: list[str], env: dict[str, str]) -> int:  # a stub: no test is run
        runs.append(env)
        return 0

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(rerecord, "run_pytest", fake_pytest)
    monkeypatch.setattr(rerecord, "install", lambda scratch, target: [])  # touch nothing
    result = CliRunner().invoke(app, ["cassettes", "record", "--base-url", "http://x.test/v1",
                                      "--model", "m", "--api-key", "k", "--timeout", "7"])
    assert result.exit_code == 0, result.output
    assert (runs[0]["SUMMARIZER_TIMEOUT"], runs[0]["SUMMARIZER_RECORD_API_KEY"]) == ("7", "k")
