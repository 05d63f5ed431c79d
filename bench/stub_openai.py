"""A stub OpenAI-compatible chat completions server for the batch benchmark and tests.

It is NOT a model: it answers each request with the answer a real model gave to the same pass of
seed 000 (read from cassettes/seed_000.yaml, recorded from Qwen2.5-Coder-1.5B via llama-server),
picked by the response schema's name, after a configurable delay. Faults for tests: `faults` is a
list of (status, headers) served, one per request, before the recorded answers.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from summarizer.extract.drafts import QUANTITIES

ROOT = Path(__file__).resolve().parent.parent
# `summarizer cassettes record` checks a new recording in a scratch copy it names here
SEED_CASSETTE = Path(os.environ.get("SUMMARIZER_CASSETTES_DIR") or ROOT / "cassettes") / "seed_000.yaml"
SEED_ARTICLE = ROOT / "seeds" / "000_eb5bbfd39dc007a5.txt"


@functools.cache
def _schema_names() -> dict[str, str]:
    """The compact grammar of every schema the pipeline asks for -> the schema's name: a request
    recorded from the embedded model names no schema, it carries the schema's grammar."""
    from summarizer.backends.grammar import compact_grammar
    from summarizer.digest.judge import SameClaimsDraft
    from summarizer.extract.drafts import EntitiesDraft, OverviewDraft, figures_draft
    from summarizer.extract.recheck import MAX_ITEMS, RestatedDraft, SupportAnswersDraft, _sized

    models: list[type[BaseModel]] = [OverviewDraft, EntitiesDraft, SameClaimsDraft]
    models += [figures_draft(listed) for listed in range(QUANTITIES + 1)]
    models += [_sized(base, size) for base in (RestatedDraft, SupportAnswersDraft)
               for size in range(1, MAX_ITEMS + 1)]
    return {compact_grammar(model.model_json_schema()): model.__name__ for model in models}


def schema_name(request: dict[str, Any]) -> str:
    """The name of the response schema a chat request asks for (OverviewDraft, Restated2, ...)."""
    if "grammar" in request:
        return _schema_names()[request["grammar"]]
    return str(request["response_format"]["json_schema"]["name"])


def recorded_answers(cassette: Path = SEED_CASSETTE) -> dict[str, bytes]:
    """Response schema name (OverviewDraft, ...) -> the recorded response body."""
    answers = {}
    for interaction in yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]:
        name = schema_name(json.loads(interaction["request"]["body"]))
        answers.setdefault(name, interaction["response"]["body"]["string"].encode("utf-8"))
    return answers


@dataclass
class Stub:
    delay: float = 0.0
    faults: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    answers: dict[str, bytes] = field(default_factory=recorded_answers)
    # (monotonic time, schema name, status) of every request, in arrival order
    log: list[tuple[float, str, int]] = field(default_factory=list)
    connections: int = 0  # TCP connections accepted
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def answer(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        name = schema_name(json.loads(body))
        with self.lock:
            fault = self.faults.pop(0) if self.faults else None
            self.log.append((time.monotonic(), name, fault[0] if fault else 200))
        if fault:
            return fault[0], fault[1], b'{"error": {"message": "stub fault", "type": "stub"}}'
        time.sleep(self.delay)
        return 200, {}, self.answers[name]


class _Handler(BaseHTTPRequestHandler):
    stub: Stub
    protocol_version = "HTTP/1.1"
    # headers and body go out as two writes: without this, Nagle's algorithm and the client's
    # delayed ACK add ~40 ms to every answer
    disable_nagle_algorithm = True

    def setup(self) -> None:  # once per connection; its requests follow on it
        super().setup()
        stub: Stub = self.server.stub  # type: ignore[attr-defined]
        with stub.lock:
            stub.connections += 1

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        status, headers, payload = self.server.stub.answer(body)  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in {"content-type": "application/json", **headers}.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@contextmanager
def serving(stub: Stub) -> Iterator[Stub]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.stub = stub  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stub.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":  # a stub to point `summarizer batch --base-url` at, by hand
    import sys

    with serving(Stub(delay=float(sys.argv[1]) if len(sys.argv) > 1 else 0.3)) as running:
        print(running.base_url, flush=True)
        threading.Event().wait()
