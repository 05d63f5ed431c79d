"""A FAKE of the OpenAI Batch API (files and batches endpoints), as an httpx2 MockTransport.

No real OpenAI account is reachable from here, so `--via batch-api` is tested against this fake. It
is NOT OpenAI: it implements only what `summarizer.backends.openai_batch` uses (POST /files with
purpose "batch", POST /batches, GET /batches/{id}, GET /files/{id}/content), in the shapes of
OpenAI's documented objects, and answers each chat completion request of a batch with the answer
the real local model recorded for the same pass of seed 000 (bench/stub_openai.py's answers, by
response schema name). A batch is "validating", then "in_progress", then "completed" on the third
look. A chat completion request sent to it directly (a re-ask) is answered the same way and counted.
"""

from __future__ import annotations

import email.parser
import itertools
import json
from dataclasses import dataclass, field
from email.message import Message

import httpx2

from bench.stub_openai import recorded_answers, schema_name

_ids = itertools.count(1)


def _decoded(part: Message) -> bytes:
    """The body of one part of a multipart upload, its transfer encoding undone."""
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes), payload
    return payload


@dataclass
class FakeBatchAPI:
    answers: dict[str, bytes] = field(default_factory=recorded_answers)
    files: dict[str, bytes] = field(default_factory=dict)
    batches: dict[str, dict[str, object]] = field(default_factory=dict)
    looks: dict[str, int] = field(default_factory=dict)
    live_requests: int = 0  # chat completions asked directly, outside a batch
    uploaded: list[bytes] = field(default_factory=list)  # every input file, as uploaded

    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handle)

    def _answer(self, body: dict[str, object]) -> dict[str, object]:
        answer: dict[str, object] = json.loads(self.answers[schema_name(body)])
        return answer

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path.removeprefix("/v1")
        if request.method == "POST" and path == "/files":
            return self._upload(request)
        if request.method == "POST" and path == "/batches":
            return self._create(json.loads(request.read()))
        if request.method == "GET" and path.startswith("/batches/"):
            return self._retrieve(path.removeprefix("/batches/"))
        if request.method == "GET" and path.startswith("/files/") and path.endswith("/content"):
            return httpx2.Response(200, content=self.files[path.split("/")[2]])
        if request.method == "POST" and path == "/chat/completions":
            self.live_requests += 1
            return httpx2.Response(200, json=self._answer(json.loads(request.read())))
        return httpx2.Response(404, json={"error": {"message": f"the fake has no {path}"}})

    def _upload(self, request: httpx2.Request) -> httpx2.Response:
        head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
        message = email.parser.BytesParser().parsebytes(head + request.read())
        payload = message.get_payload()
        assert isinstance(payload, list), "not a multipart upload"
        parts = {part.get_param("name", header="content-disposition"): part
                 for part in payload if isinstance(part, Message)}
        assert _decoded(parts["purpose"]) == b"batch"
        content = _decoded(parts["file"])
        file_id = f"file-fake{next(_ids)}"
        self.files[file_id] = content
        self.uploaded.append(content)
        return httpx2.Response(200, json={"id": file_id, "object": "file", "bytes": len(content),
                                          "created_at": 0, "filename": "requests.jsonl",
                                          "purpose": "batch", "status": "processed"})

    def _create(self, body: dict[str, object]) -> httpx2.Response:
        assert body["endpoint"] == "/v1/chat/completions" and body["completion_window"] == "24h"
        batch_id = f"batch_fake{next(_ids)}"
        self.batches[batch_id] = {
            "id": batch_id, "object": "batch", "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"], "completion_window": "24h",
            "status": "validating", "created_at": 0, "output_file_id": None,
            "error_file_id": None, "request_counts": {"total": 0, "completed": 0, "failed": 0}}
        self.looks[batch_id] = 0
        return httpx2.Response(200, json=self.batches[batch_id])

    def _retrieve(self, batch_id: str) -> httpx2.Response:
        batch = self.batches[batch_id]
        self.looks[batch_id] += 1
        lines = [json.loads(line) for line in self.files[str(batch["input_file_id"])].splitlines()]
        if self.looks[batch_id] == 2:
            batch["status"] = "in_progress"
        elif self.looks[batch_id] >= 3 and batch["status"] != "completed":
            output = b"".join(json.dumps({
                "id": f"batch_req_{n}", "custom_id": line["custom_id"], "error": None,
                "response": {"status_code": 200, "request_id": f"req_{n}",
                             "body": self._answer(line["body"])}}).encode() + b"\n"
                for n, line in enumerate(lines))
            file_id = f"file-fake{next(_ids)}"
            self.files[file_id] = output
            batch.update(status="completed", output_file_id=file_id, request_counts={
                "total": len(lines), "completed": len(lines), "failed": 0})
        return httpx2.Response(200, json=batch)
