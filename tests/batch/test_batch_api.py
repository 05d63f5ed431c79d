"""`summarizer batch --via batch-api` against a FAKE of the OpenAI Batch API (tests/fake_batch_api.py):
no OpenAI account is reachable here. The fake answers each request with the answer the real local
model recorded for that pass of seed 000; the live path gets the same answers from the stub server
(bench/stub_openai.py), so the two must give the same summaries."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from bench.stub_openai import SEED_ARTICLE, Stub, serving
from summarizer.batch.batch_api import run_batch_api
from summarizer.batch.session import run_batch
from tests.fake_batch_api import FakeBatchAPI

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

TEXT = SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _passes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The three passes only, as the fake serves them (see tests/batch/test_batch.py)."""
    monkeypatch.setenv("SUMMARIZER_SUPPORT_CHECK", "rules")


def _archive(path: Path) -> Path:
    records = [{"id": f"r{n}", "text": TEXT, "title": f"Title {n}"} for n in range(3)]
    records.append(records[0])  # the same article twice: asked once
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "{broken\n", encoding="utf-8")
    return path


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _summaries(path: Path) -> dict[str, Any]:
    found = {}
    for line in _lines(path):
        summary = line["summary"]
        del summary["metadata"]["elapsed_seconds"]
        # "openai" for the Batch API (no base URL), "openai-compatible" for the stub's URL
        del summary["metadata"]["endpoint_kind"]
        found[line["id"]] = summary
    return found


def test_the_batch_api_path_grounds_what_the_live_path_grounds(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMARIZER_PRICES", raising=False)
    archive = _archive(tmp_path / "archive.jsonl")
    fake = FakeBatchAPI()
    out = tmp_path / "batch.jsonl"
    statuses: list[str] = []
    totals = run_batch_api([archive], out, tmp_path / "batch.errors.jsonl", api_key="k",
                           model="gpt-4o-mini", transport=fake.transport(), poll_every=0,
                           sleep=lambda seconds: None, on_status=statuses.append)
    assert (totals.done, totals.duplicates, totals.failed) == (3, 1, 1)

    (uploaded,) = fake.uploaded
    requests = [json.loads(line) for line in uploaded.splitlines()]
    # three articles times three passes, each request once: only the overview's prompt holds
    # the title, so the other two passes ask the same of all three articles
    assert len(requests) == 3 + 1 + 1
    for request in requests:
        assert request["method"] == "POST" and request["url"] == "/v1/chat/completions"
        assert request["body"]["model"] == "gpt-4o-mini"
    assert len({r["custom_id"] for r in requests}) == 5
    assert fake.live_requests == 0  # every answer validated: no re-ask went out
    assert any("completed, 5/5 requests" in line for line in statuses)
    assert not (tmp_path / "batch.jsonl.batch-api.json").exists()  # the batch is done with

    with serving(Stub()) as stub:
        live = tmp_path / "live.jsonl"
        run_batch([archive], live, tmp_path / "live.errors.jsonl", base_url=stub.base_url,
                  api_key="k", model="gpt-4o-mini", concurrent_passes=False)
        # the live requests are the ones the batch was given, byte for byte in their JSON
        assert len(stub.log) == 9
    assert _summaries(out) == _summaries(live)
    batch_costs = {line["id"]: line["cost"] for line in _lines(out)}
    for line in _lines(live):  # the Batch API bills half
        # each is rounded to 8 decimals (prices.py), so half of one may differ by that rounding
        assert batch_costs[line["id"]]["usd"] == pytest.approx(line["cost"]["usd"] / 2, abs=1e-8)
    assert _lines(tmp_path / "batch.errors.jsonl") == [
        {k: v for k, v in line.items()} for line in _lines(tmp_path / "live.errors.jsonl")]

    again = run_batch_api([archive], out, tmp_path / "batch.errors.jsonl", api_key="k",
                          model="gpt-4o-mini", transport=fake.transport(), poll_every=0,
                          sleep=lambda seconds: None)
    assert (again.done, again.already_done) == (0, 4)  # the duplicate line is done too
    assert len(fake.uploaded) == 1  # nothing left to ask: no second batch


def test_the_requests_are_the_live_ones(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "archive.jsonl")
    fake = FakeBatchAPI()
    run_batch_api([archive], tmp_path / "b.jsonl", tmp_path / "e.jsonl", api_key="k",
                  model="m", transport=fake.transport(), poll_every=0, sleep=lambda s: None)
    given = {json.loads(line)["custom_id"]: json.loads(line)["body"]
             for line in fake.uploaded[0].splitlines()}
    sent: list[bytes] = []

    class Recording(Stub):
        def answer(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
            sent.append(body)
            return super().answer(body)

    with serving(Recording()) as stub:
        run_batch([archive], tmp_path / "l.jsonl", tmp_path / "le.jsonl", base_url=stub.base_url,
                  api_key="k", model="m", concurrent_passes=False)
    assert {hashlib.sha256(body).hexdigest(): json.loads(body) for body in sent} == given


def test_a_rerun_after_a_crash_waits_for_the_same_batch(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "archive.jsonl")
    fake = FakeBatchAPI()
    out = tmp_path / "b.jsonl"

    def crash(seconds: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch_api([archive], out, tmp_path / "e.jsonl", api_key="k", model="m",
                      transport=fake.transport(), poll_every=5, sleep=crash)
    state = json.loads((tmp_path / "b.jsonl.batch-api.json").read_text(encoding="utf-8"))
    assert list(fake.batches) == [state["batch"]]
    totals = run_batch_api([archive], out, tmp_path / "e.jsonl", api_key="k", model="m",
                           transport=fake.transport(), poll_every=0, sleep=lambda s: None)
    assert totals.done == 3
    assert len(fake.uploaded) == 1 and list(fake.batches) == [state["batch"]]  # paid once


def test_the_embedded_model_has_no_batch_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.errors import ConfigurationError

    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("summarizer.backends.local.is_installed", lambda: True)
    with pytest.raises(ConfigurationError, match="--via batch-api needs an endpoint"):
        run_batch_api([tmp_path], tmp_path / "o.jsonl", tmp_path / "e.jsonl")


def test_the_command_refuses_what_the_batch_api_has_not(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from summarizer.cli import app

    result = CliRunner().invoke(app, ["batch", str(tmp_path), "--out", str(tmp_path / "o.jsonl"),
                                      "--via", "batch-api", "--rpm", "5", "--api-key", "k"])
    assert result.exit_code == 3
    assert "--via batch-api has no --rpm, --tpm or --cache-dir" in result.stderr
