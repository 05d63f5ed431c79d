"""The OpenAI Batch API behind the same adapter: the requests a live run would send, collected into
the Batch API's JSONL file, submitted, polled and downloaded; then each article is summarized by
the live code with the downloaded answers in place of HTTP, so it is grounded exactly as live.

- `CapturingTransport` answers every request with a 400 and keeps its body: running the pipeline
  once over an article through an `OpenAIProvider` on it collects exactly the chat completion
  requests the live path sends (the same client, instructor and prompts build them).
- `submit` uploads the requests (`files.create`, purpose "batch") and starts the batch
  (`batches.create`, 24 h window); `wait` polls `batches.retrieve` until the batch is over;
  `download` reads its output (and error) file into {request key: (status, body)}.
- `ReplayTransport` answers a request whose key is in the downloaded answers with that answer, and
  sends any other (a re-ask after an answer failed validation) to the live endpoint.

A request's key is the sha256 of its body as the client sends it; it is the line's `custom_id`.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import httpx2
import openai

from summarizer.backends.config import redact_secrets
from summarizer.errors import ProviderError

ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
TERMINAL = ("completed", "failed", "expired", "cancelled")


def request_key(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class CapturingTransport(httpx2.BaseTransport):
    """Keeps each request's body (in order, once each) and answers 400, so nothing is asked."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def take(self) -> dict[str, bytes]:
        """The bodies kept since the last `take`."""
        with self._lock:
            taken, self.bodies = self.bodies, {}
        return taken

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = request.read()
        with self._lock:
            self.bodies.setdefault(request_key(body), body)
        return httpx2.Response(400, json={"error": {"message": "captured for the Batch API, not "
                                                   "sent", "type": "captured"}}, request=request)


def request_line(key: str, body: bytes) -> bytes:
    """One line of the Batch API's input file."""
    return json.dumps({"custom_id": key, "method": "POST", "url": ENDPOINT,
                       "body": json.loads(body)}, ensure_ascii=False).encode("utf-8") + b"\n"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class ReplayTransport(httpx2.BaseTransport):
    """Answers the requests the batch answered; sends the others to `live` (None: a ProviderError
    says so)."""

    def __init__(self, answers: Mapping[str, Answer], live: httpx2.BaseTransport | None) -> None:
        self._answers = answers
        self._live = live
        self.replayed = self.sent_live = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        found = self._answers.get(request_key(request.read()))
        if found is not None:
            self.replayed += 1
            # a failed request's answer is final: asking again would give the same answer
            status = found.status if found.status < 400 else 400
            return httpx2.Response(status, content=found.body,
                                   headers={"content-type": "application/json"}, request=request)
        if self._live is None:
            raise ProviderError("a request the batch did not answer (a re-ask) and no live endpoint")
        self.sent_live += 1
        return self._live.handle_request(request)

    def close(self) -> None:
        if self._live is not None:
            self._live.close()


def batch_client(base_url: str | None, api_key: str | None,
                 http_client: httpx2.Client) -> openai.OpenAI:
    """The client of the Batch API's own endpoints (files, batches): openai's retries on."""
    return openai.OpenAI(base_url=base_url, api_key=api_key or "unused", max_retries=2,
                         http_client=http_client)


def _said(client: openai.OpenAI, exc: openai.APIError) -> str:
    """What the Batch API's error said, without the key or any Authorization value it echoes."""
    return redact_secrets(str(exc), client.api_key)


def submit(client: openai.OpenAI, lines: Iterable[bytes], name: str = "summarizer-batch.jsonl") -> str:
    """Upload the requests and start the batch; its id."""
    data = b"".join(lines)
    try:
        uploaded = client.files.create(file=(name, io.BytesIO(data)), purpose="batch")
        batch = client.batches.create(input_file_id=uploaded.id, endpoint=ENDPOINT,
                                      completion_window="24h",
                                      metadata={"created_by": "summarizer batch --via batch-api"})
    except openai.APIError as exc:
        raise ProviderError(f"the Batch API refused the batch: {_said(client, exc)}") from exc
    return batch.id


def wait(client: openai.OpenAI, batch_id: str, *, every: float = 30.0,
         sleep: Callable[[float], None] = time.sleep,
         on_poll: Callable[[str, int, int], None] | None = None) -> openai.types.Batch:
    """Poll until the batch is over; `on_poll(status, done, total)` after each look."""
    while True:
        try:
            batch = client.batches.retrieve(batch_id)
        except openai.APIError as exc:
            raise ProviderError(f"the Batch API did not say how batch {batch_id} is: "
                                f"{_said(client, exc)}") from exc
        counts = batch.request_counts
        if on_poll:
            on_poll(batch.status, counts.completed + counts.failed if counts else 0,
                    counts.total if counts else 0)
        if batch.status in TERMINAL:
            return batch
        sleep(every)


def download(client: openai.OpenAI, batch: openai.types.Batch) -> dict[str, Answer]:
    """{request key: its answer} from the batch's output file; a failed request (in the error
    file, or a line with `error`) is an answer with its status and error body."""
    answers: dict[str, Answer] = {}
    for file_id in (batch.output_file_id, batch.error_file_id):
        if not file_id:
            continue
        try:
            content = client.files.content(file_id).content
        except openai.APIError as exc:
            raise ProviderError(f"the Batch API's file {file_id} could not be read: "
                                f"{_said(client, exc)}") from exc
        for line in content.splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            response = record.get("response") or {}
            if response.get("body") is not None:
                answers[record["custom_id"]] = Answer(int(response.get("status_code", 200)),
                                                      json.dumps(response["body"]).encode("utf-8"))
            else:
                error = record.get("error") or {"message": "no answer"}
                answers[record["custom_id"]] = Answer(500, json.dumps({"error": error}).encode())
    return answers
