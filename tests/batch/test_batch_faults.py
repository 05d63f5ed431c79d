"""Faults of a batch and what a user sees (README, "Faults and what you see"): two runs on one
`--out`, a pass that fails, a signal, an unwritable cache. Every endpoint here is a STUB
(bench/stub_openai.py, or a subclass written below and labelled so): it answers with the answers a
real model recorded for seed 000, or with the fault the test asks for. No test here talks to a
model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.stub_openai import SEED_ARTICLE, Stub, schema_name, serving
from summarizer.cli import app

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

TEXT = SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _passes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three calls an article (the passes; the support check asks nothing), in child processes
    too: they inherit the environment."""
    monkeypatch.setenv("SUMMARIZER_SUPPORT_CHECK", "rules")


@pytest.fixture
def stub() -> Iterator[Stub]:
    with serving(Stub()) as running:
        yield running


def _folder(directory: Path, count: int) -> Path:
    directory.mkdir()
    for n in range(count):
        (directory / f"a{n:03}.txt").write_text(TEXT, encoding="utf-8")
    return directory


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _batch(folder: Path, out: Path, base_url: str, *more: str) -> list[str]:
    return ["batch", str(folder), "--out", str(out), "--base-url", base_url, "--model", "stub",
            "--api-key", "unused", *more]


# --- two runs on one --out ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_second_run_on_the_same_out_refuses_at_once_and_nothing_runs_twice(
        tmp_path: Path, workers: int) -> None:
    folder, out = _folder(tmp_path / "in", 6), tmp_path / "r.jsonl"
    with serving(Stub(delay=0.3)) as stub:  # slow enough for the second run to meet the first
        command = _batch(folder, out, stub.base_url, "--no-cache", "-j", "2",
                         "--workers", str(workers))
        first = subprocess.Popen([sys.executable, "-m", "summarizer", *command],
                                 stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not stub.log and time.monotonic() < deadline:  # it asks once it holds the results
            time.sleep(0.02)
        started = time.monotonic()
        second = CliRunner().invoke(app, command)
        refused_after = time.monotonic() - started
        running_meanwhile = first.poll() is None
        _, first_stderr = first.communicate(timeout=120)
    assert second.exit_code == 4, second.output
    assert running_meanwhile
    assert second.stderr == (
        f"summarizer: error: {out}: another summarizer batch is writing these results now: wait "
        "for it to end, or give another --out (its lock on r.jsonl.lock ends with it; nothing to "
        "delete)\n")
    assert refused_after < 5
    assert first.returncode == 0, first_stderr
    assert sorted(r["id"] for r in _lines(out)) == [f"a{n:03}" for n in range(6)]  # each once
    assert len(stub.log) == 3 * 6  # every article asked once, by the first run alone
    rerun = CliRunner().invoke(app, command)  # the first has ended: its lock with it
    assert rerun.exit_code == 0, rerun.output
    assert "0 summarized, 0 incomplete, 6 already done" in rerun.stderr


# --- a pass that fails ----------------------------------------------------------------------------


@dataclass
class _EntitiesFail(Stub):
    """A STUB endpoint (no model): seed 000's recorded answers, except that while `failing` the
    entities pass is answered HTTP 500 (with Retry-After 0, so its four attempts take no time)."""

    failing: bool = True

    def answer(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.failing and schema_name(json.loads(body)) == "EntitiesDraft":
            with self.lock:
                self.log.append((time.monotonic(), "EntitiesDraft", 500))
            return 500, {"retry-after": "0"}, b'{"error": {"message": "stub: entities down"}}'
        return super().answer(body)


def _asked(stub: Stub, since: int = 0) -> dict[str, int]:
    return dict(Counter(name for _, name, _ in stub.log[since:]))


def test_a_failed_pass_is_counted_listed_and_asked_again_by_a_rerun(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))  # the default cache dir
    folder, out = _folder(tmp_path / "in", 2), tmp_path / "r.jsonl"
    errors = tmp_path / "r.errors.jsonl"
    endpoint = _EntitiesFail()
    with serving(endpoint) as stub:
        command = _batch(folder, out, stub.base_url)  # no cache option: on by default
        first = CliRunner().invoke(app, command)
        first_asked = _asked(stub)
        endpoint.failing = False
        asked = len(stub.log)
        rerun = CliRunner().invoke(app, command)
        rerun_asked = _asked(stub, asked)
        third = CliRunner().invoke(app, command)
        third_asked = len(stub.log) - asked - sum(rerun_asked.values())

    assert first.exit_code == 7, first.output
    assert "summarizer: batch: 0 summarized, 2 incomplete, 0 already done, 0 failed" in first.stderr
    assert (f"summarizer: batch: 2 article(s) incomplete, a pass failed (their results lack its "
            f"items; a rerun asks it again), see {errors}\n") in first.stderr
    assert first_asked == {"OverviewDraft": 2, "FiguresDraft": 2, "EntitiesDraft": 2 * 4}
    assert list((tmp_path / "home-cache" / "summarizer" / "responses").rglob("*.json"))

    assert rerun.exit_code == 0, rerun.output
    assert ("summarizer: batch: 2 summarized, 0 incomplete, 0 already done, 0 failed, "
            "0 duplicate(s); 2 model call(s)") in rerun.stderr
    assert rerun_asked == {"EntitiesDraft": 2}  # only the pass that failed costs a call
    assert "4 cache hit(s)" in rerun.stderr
    results = _lines(out)
    assert sorted(r["id"] for r in results) == ["a000", "a001"]  # the incomplete lines replaced
    assert all("incomplete" not in r["summary"] and r["summary"]["actors"] for r in results)
    assert errors.read_bytes() == b""

    assert third.exit_code == 0 and third_asked == 0
    assert "0 summarized, 0 incomplete, 2 already done" in third.stderr


def test_a_failed_pass_is_a_line_of_the_errors_file_naming_pass_and_error(tmp_path: Path) -> None:
    folder, out = _folder(tmp_path / "in", 1), tmp_path / "r.jsonl"
    with serving(_EntitiesFail()) as stub:
        result = CliRunner().invoke(app, _batch(folder, out, stub.base_url, "--no-cache"))
    assert result.exit_code == 7, result.output
    (error,) = _lines(tmp_path / "r.errors.jsonl")
    reason = error.pop("reason")
    assert error == {"id": "a000", "path": str(folder / "a000.txt"), "sha256": _lines(out)[0]["sha256"],
                     "kind": "incomplete", "exit_code": 7, "pass": "entities"}
    assert reason.startswith("pass entities failed, its items are missing: model endpoint failed 4 "
                             "times, last: HTTP 500 from ")
    (summary,) = (r["summary"] for r in _lines(out))
    assert [p["name"] for p in summary["incomplete"]] == ["entities"]
    assert summary["actors"] == [] and summary["headline"]  # what the other passes grounded


# --- a cache that cannot be written ---------------------------------------------------------------


@pytest.mark.parametrize("given", ["--cache-dir", "default"])
def test_a_cache_that_cannot_be_used_is_left_out_once_said_and_nothing_fails(
        stub: Stub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str) -> None:
    blocker = tmp_path / "a-file"  # a file where the cache directory (or its parent) should be
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    cache = blocker if given == "--cache-dir" else blocker / "summarizer" / "responses"
    why = "File exists" if given == "--cache-dir" else "Not a directory"
    folder, out = _folder(tmp_path / "in", 2), tmp_path / "r.jsonl"
    result = CliRunner().invoke(app, _batch(folder, out, stub.base_url, "-j", "1", *(
        ["--cache-dir", str(blocker)] if given == "--cache-dir" else [])))
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stderr.splitlines() if "response cache" in line]
    assert notices == [
        f"summarizer: batch: the response cache {cache} cannot be used ({why}): running without "
        "it, so a rerun asks the model again for every answer (give a --cache-dir that can be "
        "written, or --no-cache to say so)"]
    assert "2 summarized, 0 incomplete, 0 already done, 0 failed, 0 duplicate(s); 6 model call(s)" \
        in result.stderr
    assert len(stub.log) == 6
    assert sorted(r["id"] for r in _lines(out)) == ["a000", "a001"]


def test_a_cache_write_that_fails_fails_no_article_and_its_calls_are_counted(
        stub: Stub, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    for prefix in range(256):  # a file where each entry's directory should be: no entry is kept
        (cache / f"{prefix:02x}").write_text("", encoding="utf-8")
    folder, out = _folder(tmp_path / "in", 3), tmp_path / "r.jsonl"
    result = CliRunner().invoke(app, _batch(folder, out, stub.base_url, "--cache-dir", str(cache)))
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stderr.splitlines() if "response cache" in line]
    assert notices == [f"summarizer: batch: the response cache {cache} cannot keep answers (File "
                       "exists): they are used all the same, and a rerun asks for them again"]
    assert "3 summarized, 0 incomplete, 0 already done, 0 failed, 0 duplicate(s); 9 model call(s)" \
        in result.stderr
    assert len(stub.log) == 9  # what the stub answered is what the totals count
    assert sorted(r["id"] for r in _lines(out)) == ["a000", "a001", "a002"]
    assert (tmp_path / "r.errors.jsonl").read_bytes() == b""


# --- Ctrl-C and SIGTERM -----------------------------------------------------------------------------


@dataclass
class _AnswersThenStalls(Stub):
    """A STUB endpoint (no model): the first `answered` requests get seed 000's recorded answers;
    every later one is read and then never answered (`stall` "hang", until `release`), or answered
    429 with Retry-After 120 s (`stall` "retry-after": the batch sleeps it out in a thread)."""

    answered: int = 3
    stall: str = "hang"
    stalled: int = 0
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            stalls = len(self.log) >= self.answered
            if stalls:
                self.stalled += 1
                self.log.append((time.monotonic(), schema_name(json.loads(body)), 0))
        if not stalls:
            return super().answer(body)
        if self.stall == "retry-after":
            return 429, {"retry-after": "120"}, b'{"error": {"message": "stub: wait 120 s"}}'
        self.release.wait()
        return 503, {}, b'{"error": {"message": "stub: released"}}'


def _started(command: list[str], out: Path, stub: _AnswersThenStalls | None,
             lines: int = 1) -> subprocess.Popen[str]:
    """The batch `command` in a child process, once `lines` results are written and (with a
    stub) a request stalls."""
    child = subprocess.Popen([sys.executable, "-m", "summarizer", *command],
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "SUMMARIZER_TIMEOUT": "600"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
            out.exists() and out.read_bytes().count(b"\n") >= lines
            and (stub is None or stub.stalled)):
        time.sleep(0.02)
    time.sleep(0.3)  # the stalled request (or the blocking read) under way
    assert child.poll() is None
    return child


INTERRUPTED_LINE = ("summarizer: error: interrupted; the results written are kept in {out}: run "
                    "the same command again to summarize the rest\n")


@pytest.mark.slow
@pytest.mark.parametrize("stall", ["hang", "retry-after", "blocking input", "hang, 2 workers"])
def test_sigterm_ends_a_batch_within_5_s_with_whole_lines_and_a_rerun_resumes(
        tmp_path: Path, stall: str) -> None:
    """Stuck four ways: a request the endpoint never answers (cancelled), a 429's Retry-After slept
    out in a thread, an input whose read blocks (a FIFO no one writes: a thread that cannot be
    cancelled holds the event loop's shutdown), requests in two worker processes."""
    folder, out = _folder(tmp_path / "in", 4), tmp_path / "r.jsonl"
    if stall == "blocking input":
        (folder / "a001.txt").unlink()
        os.mkfifo(folder / "a001.txt")  # read after a000, and never
    workers = stall.endswith("2 workers")  # which article the first answers go to is chance: none
    endpoint = _AnswersThenStalls(answered=0 if workers else 3,
                                  stall="retry-after" if stall == "retry-after" else "hang")
    with serving(endpoint) as stub:
        command = _batch(folder, out, stub.base_url, "--no-cache",
                         *(["-j", "2", "--workers", "2"] if workers else ["-j", "1"]))
        child = _started(command, out, None if stall == "blocking input" else endpoint,
                         lines=0 if workers else 1)
        sent = time.monotonic()
        child.send_signal(signal.SIGTERM)
        try:
            _, stderr = child.communicate(timeout=60)
        finally:
            took = time.monotonic() - sent
            child.kill()
            endpoint.release.set()
    assert child.returncode == 130, stderr
    assert took < 5
    assert stderr == INTERRUPTED_LINE.format(out=out)  # no traceback, no warning: that one line
    kept = [] if workers else ["a000"]
    raw = out.read_bytes()
    assert raw.endswith(b"\n") or not kept
    assert [r["id"] for r in _lines(out)] == kept  # whole lines only: each parses
    if stall == "blocking input":
        (folder / "a001.txt").unlink()
        (folder / "a001.txt").write_text(TEXT, encoding="utf-8")
    with serving(Stub()) as healthy:
        rerun = CliRunner().invoke(app, _batch(folder, out, healthy.base_url, "--no-cache"))
    assert rerun.exit_code == 0, rerun.output
    assert f"{4 - len(kept)} summarized, 0 incomplete, {len(kept)} already done" in rerun.stderr
    assert len(healthy.log) == 3 * (4 - len(kept))  # the rest, and only the rest
    assert sorted(r["id"] for r in _lines(out)) == [f"a{n:03}" for n in range(4)]


@pytest.mark.slow
def test_a_second_ctrl_c_exits_at_once_without_a_traceback(tmp_path: Path) -> None:
    """The first Ctrl-C's cleanup is held by a read that blocks (a FIFO no one writes): the second
    ends the batch at once, well before the first one's grace runs out."""
    folder, out = _folder(tmp_path / "in", 1), tmp_path / "r.jsonl"
    os.mkfifo(folder / "a001.txt")
    with serving(Stub()) as stub:
        child = _started(_batch(folder, out, stub.base_url, "--no-cache", "-j", "1"), out, None)
        child.send_signal(signal.SIGINT)
        time.sleep(0.5)
        still_running = child.poll() is None
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        try:
            _, stderr = child.communicate(timeout=60)
        finally:
            took = time.monotonic() - sent
            child.kill()
    assert still_running  # the first Ctrl-C's cleanup waits on the read
    assert child.returncode == 130, stderr
    assert took < 1.5
    assert stderr == INTERRUPTED_LINE.format(out=out)  # once, and no traceback
    assert [r["id"] for r in _lines(out)] == ["a000"]
