"""What the adapter needs around an endpoint it cannot trust: a wall-clock deadline on each request,
the retry budgets of a request that failed (`Retries`), and one line that says why a request
failed (its URL and the server's words without credentials).

A deadline per read (httpx2's timeouts) never ends a request whose server trickles one byte every
few seconds; `DeadlineTransport` bounds the whole exchange (connect, send, headers and body).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading

import httpx2
import openai
import tenacity

from summarizer.backends.config import redact_secrets, redact_url

# openai's own client allows 1,000 connections; a transport of our own would get httpx2's default
# (100, of which 20 kept open between requests). A batch has up to concurrency x 3 requests in
# flight: keeping as many open lets each request reuse one rather than connect anew.
CONNECTION_LIMITS = httpx2.Limits(max_connections=1000, max_keepalive_connections=1000)


class DeadlineTransport(httpx2.BaseTransport):
    """Gives up on a request `seconds` after it started, however the server paces its bytes.

    The exchange runs in a worker thread that reads the whole body; the caller waits at most
    `seconds` and then raises ReadTimeout (openai's APITimeoutError). The worker stops at the next
    byte it receives, or at its own per-read timeout, and closes the connection.
    """

    def __init__(self, inner: httpx2.BaseTransport, seconds: float) -> None:
        self._inner = inner
        self._seconds = seconds

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        cancelled = threading.Event()
        done = threading.Event()
        outcome: list[httpx2.Response | BaseException] = []

        def exchange() -> None:
            try:
                response = self._inner.handle_request(request)
                try:
                    body = bytearray()
                    for chunk in response.iter_raw():
                        if cancelled.is_set():
                            return
                        body += chunk
                finally:
                    response.close()
                outcome.append(httpx2.Response(response.status_code, headers=response.headers,
                                               stream=httpx2.ByteStream(bytes(body)),
                                               extensions=response.extensions))
            except BaseException as exc:  # handed to the caller's thread
                outcome.append(exc)
            finally:
                done.set()

        threading.Thread(target=exchange, name="summarizer-request", daemon=True).start()
        if not done.wait(self._seconds):
            cancelled.set()
            raise httpx2.ReadTimeout(f"no complete answer within {self._seconds:g} s",
                                     request=request)
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def close(self) -> None:
        self._inner.close()


class AsyncDeadlineTransport(httpx2.AsyncBaseTransport):
    """`DeadlineTransport` for the async client: the whole exchange, body included, under one
    deadline of the event loop (no thread: cancelling the task closes the connection)."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, seconds: float) -> None:
        self._inner = inner
        self._seconds = seconds

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            async with asyncio.timeout(self._seconds):
                response = await self._inner.handle_async_request(request)
                try:
                    body = b"".join([chunk async for chunk in response.aiter_raw()])
                finally:
                    await response.aclose()
        except TimeoutError:
            raise httpx2.ReadTimeout(f"no complete answer within {self._seconds:g} s",
                                     request=request) from None
        return httpx2.Response(response.status_code, headers=response.headers,
                               stream=httpx2.ByteStream(body), extensions=response.extensions)

    async def aclose(self) -> None:
        await self._inner.aclose()


class _DeadlineClient(openai.DefaultHttpxClient):
    """openai's client defaults (limits, redirects); closed when dropped, as openai's own is."""

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


def deadline_client(seconds: float, *, trust_env: bool = True) -> httpx2.Client:
    """An HTTP client whose every request ends within `seconds`. `trust_env=False` for a server on
    this machine: no http(s)_proxy from the environment between.

    Requests through a proxy from the environment keep httpx2's per-read timeouts only."""
    transport = DeadlineTransport(httpx2.HTTPTransport(limits=CONNECTION_LIMITS), seconds)
    return _DeadlineClient(transport=transport, timeout=httpx2.Timeout(seconds),
                           trust_env=trust_env)


def async_deadline_client(seconds: float, *, trust_env: bool = True) -> httpx2.AsyncClient:
    """`deadline_client` for the async client."""
    transport = AsyncDeadlineTransport(httpx2.AsyncHTTPTransport(limits=CONNECTION_LIMITS), seconds)
    return openai.DefaultAsyncHttpxClient(transport=transport, timeout=httpx2.Timeout(seconds),
                                          trust_env=trust_env)


def _server_message(exc: openai.APIStatusError) -> str:
    """The endpoint's own words: OpenAI's {"error": {"message"}}, or a plain text body."""
    body = exc.body
    message: object = None
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = (inner.get("message") or inner.get("detail")) if isinstance(inner, dict) else inner
        message = message or body.get("message") or body.get("detail")
    elif body is not None:
        message = body
    if not message:
        try:
            message = exc.response.text
        except httpx2.HTTPError:
            message = None
    text = " ".join(str(message or "").split())  # one line
    return (text[:300] + "…") if len(text) > 300 else (text or "no message")


def _hint(status: int, message: str) -> str:
    lowered = message.lower()
    if status in (401, 403):
        return "check the API key (--api-key or OPENAI_API_KEY)"
    if status == 404:
        return "check the model name (--model or SUMMARIZER_MODEL) and the base URL"
    if status == 400 and ("context" in lowered or "too long" in lowered or "tokens" in lowered):
        return "the article is too long for this model's context: shorten it or use a larger model"
    if status == 429:
        return ("the endpoint's rate limit or quota: wait and run again, or allow longer waits "
                "with SUMMARIZER_RATE_LIMIT_WAIT (seconds)")
    if status >= 500:
        return "the endpoint failed on its side: try again later"
    return "the endpoint refused the request"


def describe(exc: openai.APIError, timeout: float | None = None,
             api_key: str | None = None) -> str:
    """One line: what happened, the endpoint's own message, where (no credentials), what to do.

    Every error the adapter raises about a failed request is made here, so this is the one place
    where what the server said is cleared of credentials: the configured `api_key` and any
    Authorization, Bearer or api-key value it echoes become *** (a server that repeats the key
    would otherwise put it on stderr and into every line of a batch's errors file)."""
    url = redact_url(str(exc.request.url))
    if isinstance(exc, openai.APIStatusError):
        message = redact_secrets(_server_message(exc), api_key)
        return f"HTTP {exc.status_code} from {url}: {message} ({_hint(exc.status_code, message)})"
    if isinstance(exc, openai.APITimeoutError):
        limit = f" within {timeout:g} s" if timeout is not None else " in time"
        return (f"no complete answer from {url}{limit} (the deadline of one request; set it with "
                "--timeout or SUMMARIZER_TIMEOUT)")
    if isinstance(exc, openai.APIConnectionError):
        cause = redact_secrets(" ".join(str(exc.__cause__ or exc).split()), api_key)
        return f"cannot connect to {url}: {cause} (is the server running, is the URL right?)"
    return f"{type(exc).__name__} from {url}: {redact_secrets(' '.join(str(exc).split()), api_key)}"


# --- the retry budgets of one request (the adapter's second retry loop: `backends.openai`) ---------

# failures worth another try: rate limits, server errors, refused connections and timeouts (an
# APITimeoutError is an APIConnectionError)
TRANSIENT = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError)
_MAX_RETRY_AFTER = 60.0
_MAX_BACKOFF = 30.0
# A request that ran into its deadline gets one retry, not `attempts`: the deadline is long (600 s
# on this machine, 120 s elsewhere), so four tries of a hung server kept a run silent for 40
# minutes. A server that outlasts one deadline rarely answers the same request within the next
# three (it is hung, or the request is too big for the deadline); the one retry covers a one-off
# stall (a server that restarted, a request queued behind another job).
TIMEOUT_ATTEMPTS = 2


def _retry_after(exc: BaseException | None) -> float | None:
    if not isinstance(exc, openai.APIStatusError):
        return None
    header = exc.response.headers.get("retry-after")
    try:
        return min(max(float(header), 0.0), _MAX_RETRY_AFTER) if header is not None else None
    except ValueError:
        return None


class Retries:
    """The two retry budgets of one request, kept by tenacity's `retry` hook (called once per
    failure, before `stop` and `wait` read what it decided)."""

    def __init__(self, attempts: int, rate_limit_wait: float, backoff: float) -> None:
        self.attempts, self.rate_limit_wait, self.backoff = attempts, rate_limit_wait, backoff
        self.failures = self.rate_limited = self.requests = self.timeouts = 0
        self.waited_on_limits = 0.0
        self.next_wait = 0.0
        self.exhausted = False

    def record(self, exc: BaseException) -> bool:
        if not isinstance(exc, TRANSIENT):
            return False
        self.requests += 1
        if isinstance(exc, openai.RateLimitError):
            self.rate_limited += 1
            left = self.rate_limit_wait - self.waited_on_limits
            after = _retry_after(exc)
            wanted = after if after is not None else min(_MAX_BACKOFF,
                                                         self.backoff * 2 ** self.rate_limited)
            self.exhausted = left <= 0
            self.next_wait = max(0.0, min(wanted, left))
            self.waited_on_limits += self.next_wait
        else:
            self.failures += 1
            self.timeouts += isinstance(exc, openai.APITimeoutError)
            self.exhausted = (self.failures >= self.attempts
                              or self.timeouts >= TIMEOUT_ATTEMPTS)
            after = _retry_after(exc)
            self.next_wait = after if after is not None else random.uniform(
                0, min(_MAX_BACKOFF, self.backoff * 2 ** (self.failures - 1)))
        return True

    def stop(self, state: tenacity.RetryCallState) -> bool:
        return self.exhausted

    def wait(self, state: tenacity.RetryCallState) -> float:
        return self.next_wait
