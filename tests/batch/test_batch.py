"""`summarizer batch` end to end against a STUB OpenAI-compatible server (bench/stub_openai.py): it
answers every pass with the answer the real model recorded for seed 000, or with faults the test
asks for (429s). No test here talks to a model."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.stub_openai import SEED_ARTICLE, Stub, serving
from summarizer.batch.journal import ResultsFile
from summarizer.batch.limits import RateLimiter
from summarizer.batch.session import run_batch
from summarizer.cli import app
from summarizer.errors import ProviderError
from summarizer.llm.provider import Draft, Extraction, Message, Provider, ProviderWrapper

# the stub server listens on the loopback interface
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

TEXT = SEED_ARTICLE.read_text(encoding="utf-8")
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
PASS_SCHEMAS = ("OverviewDraft", "EntitiesDraft", "FiguresDraft")


@pytest.fixture(autouse=True)
def _passes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch is measured on the three passes: the stub serves their recorded answers, and
    the support check's calls (which the seed's recording may hold or not) are not asked."""
    monkeypatch.setenv("SUMMARIZER_SUPPORT_CHECK", "rules")


def _recorded_usage(stub: Stub) -> tuple[int, int]:
    """Prompt and completion tokens of the three recorded pass answers together."""
    prompt = completion = 0
    for name, body in stub.answers.items():
        if name not in PASS_SCHEMAS:
            continue
        usage = json.loads(body)["usage"]
        prompt += usage["prompt_tokens"]
        completion += usage["completion_tokens"]
    return prompt, completion


@pytest.fixture
def stub() -> Iterator[Stub]:
    with serving(Stub()) as running:
        yield running


def _articles(directory: Path, count: int) -> list[Path]:
    directory.mkdir(exist_ok=True)
    paths = [directory / f"a{n:03}.txt" for n in range(count)]
    for path in paths:
        path.write_text(TEXT, encoding="utf-8")
    return paths


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_input_concurrently_with_usage_per_article_and_in_total(stub: Stub, tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    records = [{"id": f"r{n}", "text": TEXT, "title": f"Title {n}"} for n in range(6)]
    archive.write_text("".join(json.dumps(r) + "\n" for r in records) + "{broken\n", encoding="utf-8")
    out = tmp_path / "results.jsonl"
    totals = run_batch([archive], out, tmp_path / "errors.jsonl", concurrency=6,
                       base_url=stub.base_url, api_key="unused", model="stub")
    lines = _lines(out)
    assert sorted(str(line["id"]) for line in lines) == [f"r{n}" for n in range(6)]
    assert {line["sha256"] for line in lines} == {SHA}
    assert {str(line["source"]) for line in lines} == {f"{archive}:{n + 1}" for n in range(6)}
    prompt, completion = _recorded_usage(stub)
    for line in lines:  # each article counts its own three calls, though six ran at once
        summary: dict[str, dict[str, object]] = line["summary"]  # type: ignore[assignment]
        assert summary["metadata"]["usage"] == {"prompt_tokens": prompt, "completion_tokens": completion}
        assert summary["metadata"]["llm_calls"] == 3
        assert summary["document"]["title"] == f"Title {line['id'][1:]}"  # type: ignore[index]
    assert (totals.done, totals.failed, totals.calls) == (6, 1, 18)
    assert (totals.prompt_tokens, totals.completion_tokens) == (6 * prompt, 6 * completion)
    assert len(stub.log) == 18
    (error,) = _lines(tmp_path / "errors.jsonl")
    assert error["path"] == f"{archive}:7" and error["kind"] == "input" and error["exit_code"] == 4


@pytest.mark.parametrize(("model", "prices", "per_million"), [
    ("gpt-4o-mini", None, (0.15, 0.60)),  # the table's
    ("gpt-4o-mini", "gpt-4o-mini=2/8", (2.0, 8.0)),  # given
    ("stub", None, None),  # no price known
])
def test_cost_per_article_and_in_total(stub: Stub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       model: str, prices: str | None,
                                       per_million: tuple[float, float] | None) -> None:
    monkeypatch.delenv("SUMMARIZER_PRICES", raising=False)
    _articles(tmp_path / "in", 2)
    out = tmp_path / "r.jsonl"
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out),
                                      "--no-cache", "--base-url", stub.base_url, "--api-key", "k",
                                      "--model", model, *(["--prices", prices] if prices else [])])
    assert result.exit_code == 0, result.output
    prompt, completion = _recorded_usage(stub)
    usd = None if per_million is None else round(
        (prompt * per_million[0] + completion * per_million[1]) / 1e6, 8)
    for line in _lines(out):
        assert line["cost"] == {
            "model": model, "prompt_tokens": prompt, "completion_tokens": completion, "usd": usd,
            "usd_per_million_tokens": None if per_million is None else
            {"input": per_million[0], "output": per_million[1]}}
    if usd is None:
        assert "$0.0000 for the priced articles (2 of a model with no known price" in result.stderr
    else:
        assert f"${2 * usd:,.4f}" in result.stderr


def test_a_cache_hit_makes_no_http_call(stub: Stub, tmp_path: Path) -> None:
    paths = _articles(tmp_path / "in", 1)
    first = run_batch(paths, tmp_path / "one.jsonl", tmp_path / "e1.jsonl", cache_dir=tmp_path / "c",
                      base_url=stub.base_url, api_key="unused", model="stub")
    assert (first.calls, first.cache_hits, len(stub.log)) == (3, 0, 3)
    again = run_batch(paths, tmp_path / "two.jsonl", tmp_path / "e2.jsonl", cache_dir=tmp_path / "c",
                      base_url=stub.base_url, api_key="unused", model="stub")
    assert (again.done, again.calls, again.cache_hits, again.prompt_tokens) == (1, 0, 3, 0)
    assert len(stub.log) == 3  # no request reached the server
    one, two = (_lines(tmp_path / name)[0]["summary"] for name in ("one.jsonl", "two.jsonl"))
    for summary in (one, two):
        del summary["metadata"]  # type: ignore[attr-defined]  # usage and elapsed time differ
    assert one == two


def test_duplicate_inputs_are_summarized_once(stub: Stub, tmp_path: Path) -> None:
    (path,) = _articles(tmp_path / "in", 1)
    archive = tmp_path / "same.jsonl"
    archive.write_text(json.dumps({"id": "a000", "text": TEXT}) + "\n", encoding="utf-8")
    totals = run_batch([path, path, archive, tmp_path / "in"], tmp_path / "r.jsonl",
                       tmp_path / "e.jsonl", concurrency=4, base_url=stub.base_url,
                       api_key="unused", model="stub")
    assert [line["id"] for line in _lines(tmp_path / "r.jsonl")] == ["a000"]
    assert (totals.done, totals.duplicates, len(stub.log)) == (1, 3, 3)


def test_bad_inputs_land_in_the_errors_file_and_the_exit_code_says_so(stub: Stub, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _articles(folder, 2)
    (folder / "empty.txt").write_bytes(b"  \n")
    (folder / "binary.md").write_bytes(b"PK\x03\x04\x00\x00")
    (folder / "latin1.txt").write_bytes("Caf\xe9 news".encode("latin-1"))
    (folder / "huge.txt").write_text(TEXT * 40, encoding="utf-8")
    (folder / "notes.csv").write_text("not an article", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    command = ["batch", str(folder), "--out", str(out), "--no-cache", "--max-bytes", "20000",
               "--base-url", stub.base_url, "--model", "stub", "--api-key", "unused"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 7, result.output
    assert sorted(str(line["id"]) for line in _lines(out)) == ["a000", "a001"]
    errors = {str(e["id"]): e for e in _lines(tmp_path / "r.errors.jsonl")}
    assert sorted(errors) == ["binary", "empty", "huge", "latin1"]
    assert errors["empty"]["reason"] == f"{folder / 'empty.txt'}: empty article"
    assert errors["binary"]["reason"] == f"{folder / 'binary.md'}: looks like a binary file, not an article"
    assert errors["latin1"]["reason"] == f"{folder / 'latin1.txt'}: not UTF-8 text (bad byte at offset 3)"
    assert str(errors["huge"]["reason"]).endswith("more than the 20,000 an article may have")
    assert {(e["kind"], e["exit_code"]) for e in errors.values()} == {("input", 4)}
    for bad in ("empty.txt", "binary.md", "latin1.txt", "huge.txt"):
        (folder / bad).unlink()
    rerun = CliRunner().invoke(app, command)
    assert rerun.exit_code == 0, rerun.output
    assert "0 summarized, 0 incomplete, 2 already done, 0 failed" in rerun.output
    assert _lines(tmp_path / "r.errors.jsonl") == []
    assert len(stub.log) == 6


def test_a_burst_of_429s_is_honoured_by_every_worker(tmp_path: Path) -> None:
    faults = [(429, {"retry-after": "0.3"})] * 3
    with serving(Stub(faults=list(faults))) as stub:
        totals = run_batch(_articles(tmp_path / "in", 2), tmp_path / "r.jsonl", tmp_path / "e.jsonl",
                           concurrency=2, base_url=stub.base_url, api_key="unused", model="stub",
                           concurrent_passes=False)
    assert (totals.done, totals.failed) == (2, 0)
    statuses = [status for _, _, status in stub.log]
    assert statuses.count(429) == 3 and statuses.count(200) == 6
    first_429 = next(t for t, _, status in stub.log if status == 429)
    first_200 = next(t for t, _, status in stub.log if status == 200)
    assert first_200 - first_429 >= 0.3  # nobody asked again before Retry-After had passed


def test_a_burst_of_429s_is_honoured_with_the_passes_asked_at_once(tmp_path: Path) -> None:
    faults = [(429, {"retry-after": "0.3"})] * 3
    with serving(Stub(faults=list(faults))) as stub:
        totals = run_batch(_articles(tmp_path / "in", 2), tmp_path / "r.jsonl", tmp_path / "e.jsonl",
                           concurrency=2, base_url=stub.base_url, api_key="unused", model="stub",
                           concurrent_passes=True)
    assert (totals.done, totals.failed) == (2, 0)
    assert [status for _, _, status in stub.log] == [429] * 3 + [200] * 6
    # the six passes went out together; the three asked again waited out the Retry-After
    first_429 = stub.log[0][0]
    assert min(at for at, _, _ in stub.log[6:]) - first_429 >= 0.3


def test_requests_reuse_the_connections_of_earlier_ones(tmp_path: Path) -> None:
    """150 articles, 30 at once, their passes at once: at most 90 requests in flight, so at most
    90 connections for the 450 requests. (The transport once kept 20 open between requests and
    connected anew for the others: 102 connections here; at concurrency 128 the stub reset some,
    and the retries' backoff halved the rate.)"""
    with serving(Stub(delay=0.2)) as stub:
        totals = run_batch(_articles(tmp_path / "in", 150), tmp_path / "r.jsonl",
                           tmp_path / "e.jsonl", concurrency=30, concurrent_passes=True,
                           base_url=stub.base_url, api_key="unused", model="stub")
    assert totals.done == 150 and len(stub.log) == 450
    assert stub.connections <= 90


def test_the_rate_limiter_spaces_requests_and_pauses_everyone() -> None:
    now = [0.0]
    slept: list[float] = []
    advance = [True]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds if advance[0] else 0

    limiter = RateLimiter(6, 600, clock=lambda: now[0], sleep=sleep)  # 0.1 request/s, 10 tokens/s
    limiter.acquire(10)
    limiter.acquire(10)
    assert slept == [pytest.approx(10.0)]  # one request in ten seconds
    limiter.settle(10, 1010)  # the call used 1,000 tokens more than estimated: a debt of 910
    limiter.acquire(10)
    assert slept[1:] == [pytest.approx(92.0)]  # (910 + 10) tokens at 10 per second
    advance[0] = False  # a worker sleeps out a Retry-After of 30 s while the clock stands still
    limiter.pause(30.0)
    advance[0] = True
    limiter.acquire(0)  # another worker: held for the pause, not only for its request budget
    assert slept[2:] == [30.0, pytest.approx(30.0)]
    assert limiter.pauses == [30.0]


def test_a_torn_last_line_is_dropped_before_appending(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    whole = json.dumps({"id": "a", "sha256": "1", "summary": {}}) + "\n"
    out.write_text(whole + '{"id": "b", "sha256": "2", "summ', encoding="utf-8")
    results = ResultsFile(out)
    assert results.done == {("a", "1")}
    results.append({"id": "c", "sha256": "3", "summary": {}})
    results.close()
    assert [line["id"] for line in _lines(out)] == ["a", "c"]


@pytest.mark.slow
def test_resume_after_sigkill_holds_every_article_once_and_asks_only_for_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _articles(folder, 12)
    out = tmp_path / "r.jsonl"
    with serving(Stub(delay=0.1)) as stub:
        command = [sys.executable, "-m", "summarizer", "batch", str(folder), "--out", str(out),
                   "-j", "2", "--no-cache", "--base-url", stub.base_url, "--model", "stub",
                   "--api-key", "unused"]
        child = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while (not out.exists() or len(out.read_bytes().splitlines()) < 4) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        done_before = len(_lines(out))
        assert 4 <= done_before < 12
        with out.open("a", encoding="utf-8") as handle:  # what a kill inside a write would leave
            handle.write('{"id": "a011", "sha256": "')
        asked_before = len(stub.log)
        rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    ids = [str(line["id"]) for line in _lines(out)]
    assert sorted(ids) == [f"a{n:03}" for n in range(12)]  # each exactly once
    assert len(stub.log) - asked_before == 3 * (12 - done_before)


def test_the_async_stream_yields_every_outcome(stub: Stub, tmp_path: Path) -> None:
    from summarizer import Summarizer
    from summarizer.batch import Done, Failed, read_inputs

    paths = [*_articles(tmp_path / "in", 3), tmp_path / "missing.txt"]

    async def collect() -> list[object]:
        with Summarizer(base_url=stub.base_url, api_key="unused", model="stub") as engine:
            return [o async for o in engine.stream(read_inputs(paths), concurrency=3)]

    outcomes = asyncio.run(collect())
    assert sorted(o.article.id for o in outcomes if isinstance(o, Done)) == ["a000", "a001", "a002"]
    assert [o.reason for o in outcomes if isinstance(o, Failed)] == [f"{paths[-1]}: no such file"]


def _without_elapsed(record: dict[str, Any]) -> dict[str, Any]:
    summary = dict(record["summary"])
    summary["metadata"] = {k: v for k, v in summary["metadata"].items() if k != "elapsed_seconds"}
    return {**record, "summary": summary}


def test_the_stream_yields_the_records_batch_writes(stub: Stub, tmp_path: Path) -> None:
    from summarizer import Summarizer
    from summarizer.batch import Done, read_inputs

    _articles(tmp_path / "in", 3)
    out = tmp_path / "r.jsonl"
    totals = run_batch([tmp_path / "in"], out, tmp_path / "e.jsonl", concurrency=2,
                       base_url=stub.base_url, api_key="unused", model="stub")
    assert totals.done == 3

    async def collect() -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        with Summarizer(base_url=stub.base_url, api_key="unused", model="stub") as engine:
            async for outcome in engine.stream(read_inputs([tmp_path / "in"])):
                assert isinstance(outcome, Done), outcome
                records.append(outcome.record())
        return records

    streamed = sorted((_without_elapsed(r) for r in asyncio.run(collect())), key=lambda r: r["id"])
    written = sorted((_without_elapsed(r) for r in _lines(out)), key=lambda r: str(r["id"]))
    assert streamed == written
    assert [r["id"] for r in streamed] == ["a000", "a001", "a002"]


class _InFlight(ProviderWrapper):
    """Counts the provider calls running at once."""

    def __init__(self, inner: Provider) -> None:
        super().__init__(inner)
        self.lock = threading.Lock()
        self.now = self.most = self.calls = 0
        self.asked: list[str] = []  # the document id of every call

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]:
        with self.lock:
            self.now += 1
            self.calls += 1
            self.most = max(self.most, self.now)
            self.asked.append(getattr(context["document"], "id", ""))
        try:
            self.wait(response_model, context)
            return self._inner.extract(messages, response_model, context)
        finally:
            with self.lock:
                self.now -= 1

    def wait(self, response_model: type[Draft], context: Mapping[str, object]) -> None:
        pass


class _FirstIsFast(_InFlight):
    """Every article but a000 takes a while."""

    def wait(self, response_model: type[Draft], context: Mapping[str, object]) -> None:
        if getattr(context["document"], "id", "") != "a000":
            time.sleep(0.1)


def test_the_stream_runs_concurrency_articles_at_once_and_stops_when_left(tmp_path: Path) -> None:
    from summarizer import Summarizer
    from summarizer.batch import Done, read_inputs

    with serving(Stub(delay=0.05)) as slow, Summarizer(base_url=slow.base_url, api_key="unused",
                                                       model="stub") as endpoint:
        counted = _InFlight(endpoint.provider)
        engine = Summarizer(provider=counted)
        paths = _articles(tmp_path / "in", 12)

        async def all_of_them() -> int:
            return sum([isinstance(o, Done) async for o in engine.stream(read_inputs(paths),
                                                                          concurrency=3)])

        assert asyncio.run(all_of_them()) == 12
        assert counted.most == 3  # never more than `concurrency`, and not one at a time

        async def twelve_at_once() -> int:
            return sum([isinstance(o, Done) async for o in engine.stream(read_inputs(paths),
                                                                          concurrency=12)])

        # a provider without `aextract` is called from threads: as many as the stream asks for,
        # not the event loop's default pool (6 threads on 2 cores)
        counted.most = 0
        assert asyncio.run(twelve_at_once()) == 12
        assert counted.most == 12

        fast_first = _FirstIsFast(counted._inner)
        engine = Summarizer(provider=fast_first)

        async def first_only() -> None:
            async for _ in engine.stream(read_inputs(paths), concurrency=2):
                break

        asyncio.run(first_only())
        deadline = time.monotonic() + 30  # a request in flight when the caller left may finish
        while time.monotonic() < deadline and fast_first.now:
            time.sleep(0.05)
        time.sleep(0.3)  # time enough for another pass to start, if one would
        # a000, done first, and a001, then running (its passes in turn, stopped with the caller
        # before its last); nothing was queued behind them to start
        assert fast_first.asked.count("a000") == 3
        assert 1 <= fast_first.asked.count("a001") < 3
        assert set(fast_first.asked) == {"a000", "a001"}


def test_status_lines_on_a_non_terminal_stderr(stub: Stub, tmp_path: Path) -> None:
    _articles(tmp_path / "in", 2)
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--out", str(tmp_path / "r.jsonl"),
                                      "--no-cache", "--status-every", "0", "--base-url", stub.base_url,
                                      "--model", "stub", "--api-key", "unused", "-j", "1"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if " seen, " in line]
    assert [line.split(",")[:3] for line in lines] == [
        ["summarizer: batch: 1 seen", " 1 done", " 0 failed"],
        ["summarizer: batch: 2 seen", " 2 done", " 0 failed"]]
    prompt, completion = _recorded_usage(stub)
    assert (f"2 summarized, 0 incomplete, 0 already done, 0 failed, 0 duplicate(s); 6 model call(s), "
            f"{2 * prompt:,} prompt + {2 * completion:,} completion tokens, 0 cache hit(s)") in result.output


def test_digest_from_stored_results_asks_no_model(stub: Stub, tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    archive.write_text("".join(json.dumps({"id": f"copy{n}", "text": TEXT}) + "\n" for n in range(2)),
                       encoding="utf-8")
    folder = tmp_path / "in"
    _articles(folder, 1)
    out = tmp_path / "r.jsonl"
    run_batch([archive, folder], out, tmp_path / "e.jsonl", base_url=stub.base_url,
              api_key="unused", model="stub")
    asked = len(stub.log)
    result = CliRunner().invoke(app, ["digest", str(out)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert sorted(s["document"]["id"] for s in payload["summaries"]) == ["a000", "copy0", "copy1"]
    (digest,) = payload["digests"]  # three copies of one story: one event
    assert sorted(source["doc_id"] for source in digest["sources"]) == ["a000", "copy0", "copy1"]
    assert digest["independent_sources"] == 1
    assert len(stub.log) == asked
    (folder / "a000.txt").write_text(TEXT + "\nEdited later.\n", encoding="utf-8")
    changed = CliRunner().invoke(app, ["digest", str(out)])
    assert changed.exit_code == 4
    assert ("1 stored article(s) not found with the text they were summarized from, first 'a000'"
            in changed.output)
    elsewhere = tmp_path / "copy"
    _articles(elsewhere, 1)
    again = CliRunner().invoke(app, ["digest", str(out), "--articles", str(archive),
                                     "--articles", str(elsewhere)])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == payload


def test_the_progress_total_counts_what_the_stream_yields(tmp_path: Path) -> None:
    from summarizer.batch.inputs import count_inputs, read_inputs

    folder = tmp_path / "in"
    folder.mkdir()
    _articles(folder / "deeper", 3)
    (folder / "notes.csv").write_text("x", encoding="utf-8")
    (folder / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "none").mkdir()
    archive = tmp_path / "a.jsonl"
    archive.write_text('{"id": 1, "text": "One."}\n\n{broken\n', encoding="utf-8")
    inputs = [folder, archive, tmp_path / "none", tmp_path / "missing.txt"]
    assert count_inputs(inputs) == len(list(read_inputs(inputs))) == 8


class _SlowFirst(_InFlight):
    """The first pass (overview) answers last: concurrent passes complete out of pass order; the
    entities pass fails, when asked to."""

    def __init__(self, inner: Provider, fail_entities: bool, together: int = 1) -> None:
        super().__init__(inner)
        self.fail_entities = fail_entities
        # the first `together` calls meet before any answers: in flight together by construction
        # (a thread started late under load would otherwise find a fast pass already answered)
        self.meeting = threading.Barrier(together, timeout=10) if together > 1 else None

    def wait(self, response_model: type[Draft], context: Mapping[str, object]) -> None:
        if self.meeting is not None and self.calls <= self.meeting.parties:
            self.meeting.wait()
        if response_model.__name__ == "OverviewDraft":
            time.sleep(0.3)
        if self.fail_entities and response_model.__name__ == "EntitiesDraft":
            raise ProviderError("the entities pass failed")


@pytest.mark.parametrize("fail_entities", [False, True])
@pytest.mark.parametrize("at_once", [1, 3])
def test_passes_asked_at_once_give_the_summary_asked_in_turn(stub: Stub, at_once: int,
                                                             fail_entities: bool) -> None:
    from summarizer import Summarizer

    def summary(passes_at_once: int) -> tuple[dict[str, Any], int]:
        with Summarizer(base_url=stub.base_url, api_key="unused", model="stub") as endpoint:
            counted = _SlowFirst(endpoint.provider, fail_entities, together=passes_at_once)
            with Summarizer(provider=counted, passes_at_once=passes_at_once) as engine:
                result = engine.summarize(TEXT, doc_id="seed").model_dump(mode="json")
        del result["metadata"]["elapsed_seconds"]
        return result, counted.most

    in_turn, one = summary(1)
    at_the_same_time, most = summary(at_once)
    assert one == 1
    assert most == at_once  # three passes in flight together when allowed
    assert at_the_same_time == in_turn
    assert [p["name"] for p in at_the_same_time["metadata"]["prompts"]] == (
        ["overview", "figures"] if fail_entities else ["overview", "entities", "figures"])
    assert [p["name"] for p in at_the_same_time.get("incomplete", [])] == (
        ["entities"] if fail_entities else [])


def test_batch_asks_the_passes_at_once_unless_the_model_is_the_embedded_one(
        stub: Stub, tmp_path: Path) -> None:
    _articles(tmp_path / "in", 1)
    run_batch([tmp_path / "in"], tmp_path / "r.jsonl", tmp_path / "e.jsonl", concurrency=1,
              base_url=stub.base_url, api_key="unused", model="stub")
    arrivals = [at for at, _, _ in stub.log]
    assert len(arrivals) == 3
    assert max(arrivals) - min(arrivals) < 0.25  # the stub answers after 0 s, but a pass in turn
    # would be sent only after the previous answer was parsed; all three arrive together here


def test_a_ray_data_batch_is_summarized_row_by_row_without_ray(stub: Stub) -> None:
    """`Summarize`, the class Ray's workers run, on a batch as Ray hands it over (columns)."""
    from summarizer.batch.ray_data import Summarize

    numpy = pytest.importorskip("numpy")
    worker = Summarize(summarizer={"base_url": stub.base_url, "api_key": "k", "model": "stub"})
    with contextlib.closing(worker):
        out = worker({"id": numpy.array(["a", "b", "a", "blank"], dtype=object),
                      "text": numpy.array([TEXT, TEXT, TEXT, " "], dtype=object),
                      # a date column as Ray reads one from JSON: timestamps
                      "published": numpy.array(["2023-11-20", "NaT", "2023-11-20", "NaT"],
                                               dtype="datetime64[ns]")})
    assert out["id"] == ["a", "b", "a", "blank"]
    first, second, repeat, blank = out["line"]
    assert repeat is None and blank is None  # a repeat in the batch is summarized once
    assert json.loads(first or "")["summary"]["document"]["published"] == "2023-11-20"
    assert json.loads(second or "")["summary"]["document"]["published"] == "2023-11-12"  # its own
    assert out["error"][:3] == [None, None, None]
    assert json.loads(out["error"][3] or "")["kind"] == "input"


def test_closing_a_summarizer_closes_the_connections_its_provider_made(stub: Stub) -> None:
    from summarizer import Summarizer

    with Summarizer(base_url=stub.base_url, api_key="k", model="stub") as engine:
        engine.summarize(TEXT, doc_id="seed")
        client = engine.provider._own_http  # type: ignore[attr-defined]
        assert client is not None and not client.is_closed
    assert client.is_closed
    dropped = Summarizer(base_url=stub.base_url, api_key="k", model="stub").provider
    assert not dropped._own_http.is_closed  # type: ignore[attr-defined]  # usable without it
    dropped.close()  # type: ignore[attr-defined]
