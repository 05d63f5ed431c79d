"""`summarizer batch --workers N`: several processes over one archive, against the STUB
OpenAI-compatible server of bench/stub_openai.py (the answers the real model recorded for seed 000).
No test here talks to a model."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bench.stub_openai import SEED_ARTICLE, Stub, serving
from summarizer.backends import local as local_model
from summarizer.batch.session import run_batch
from summarizer.errors import ConfigurationError
from tests.conftest import ROOT

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

TEXT = SEED_ARTICLE.read_text(encoding="utf-8")
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()


@pytest.fixture(autouse=True)
def _passes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three calls an article (the passes), in the workers too: they inherit the environment."""
    monkeypatch.setenv("SUMMARIZER_SUPPORT_CHECK", "rules")


@pytest.fixture
def stub() -> Iterator[Stub]:
    with serving(Stub()) as running:
        yield running


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A result line without what differs from run to run (the seconds)."""
    summary = dict(record["summary"])
    summary["metadata"] = {k: v for k, v in summary["metadata"].items() if k != "elapsed_seconds"}
    return {**record, "summary": summary}


def _archive(path: Path, ids: list[str]) -> Path:
    records = [{"id": doc_id, "text": TEXT, "published": "2023-11-20"} for doc_id in ids]
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "{broken\n", encoding="utf-8")
    return path


def test_workers_write_what_one_process_writes(stub: Stub, tmp_path: Path) -> None:
    archive = _archive(tmp_path / "in.jsonl", ["r0", "r1", "r2", "r3", "r4", "r1"])
    one = run_batch([archive], tmp_path / "one.jsonl", tmp_path / "one.errors.jsonl",
                    concurrency=4, base_url=stub.base_url, api_key="unused", model="stub")
    asked = len(stub.log)
    two = run_batch([archive], tmp_path / "two.jsonl", tmp_path / "two.errors.jsonl",
                    concurrency=4, workers=2, base_url=stub.base_url, api_key="unused",
                    model="stub")
    assert len(stub.log) - asked == asked == 15  # 5 articles, 3 passes each, in both runs
    assert (two.done, two.duplicates, two.failed, two.total) == (5, 1, 1, 7)
    assert (two.calls, two.prompt_tokens, two.completion_tokens) == (
        one.calls, one.prompt_tokens, one.completion_tokens)
    by_id = {r["id"]: _comparable(r) for r in _lines(tmp_path / "one.jsonl")}
    assert {r["id"]: _comparable(r) for r in _lines(tmp_path / "two.jsonl")} == by_id
    assert [e["reason"] for e in _lines(tmp_path / "two.errors.jsonl")] == [
        f"{archive}:7: not a JSON record (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1))"]


def test_workers_resume_and_share_the_cache(stub: Stub, tmp_path: Path) -> None:
    out, errors, cache = tmp_path / "r.jsonl", tmp_path / "e.jsonl", tmp_path / "cache"
    args: dict[str, Any] = {"concurrency": 2, "workers": 2, "cache_dir": cache,
                            "base_url": stub.base_url, "api_key": "unused", "model": "stub"}
    first = run_batch([_archive(tmp_path / "first.jsonl", ["r0"])], out, errors, **args)
    # r1 and r2 are r0's text: each of their requests was answered for r0, in another process
    again = run_batch([_archive(tmp_path / "in.jsonl", ["r0", "r1", "r2"])], out, errors, **args)
    assert (first.done, first.cache_hits, first.calls) == (1, 0, 3)
    assert (again.done, again.already_done, again.cache_hits) == (2, 1, 6)
    assert len(stub.log) == 3
    assert sorted(r["id"] for r in _lines(out)) == ["r0", "r1", "r2"]


def test_workers_are_refused_where_they_cannot_help(stub: Stub, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _archive(tmp_path / "in.jsonl", ["r0"])
    args: dict[str, Any] = {"base_url": stub.base_url, "api_key": "unused", "model": "stub"}
    with pytest.raises(ConfigurationError, match="would leave workers idle"):
        run_batch([archive], tmp_path / "r.jsonl", tmp_path / "e.jsonl", concurrency=1, workers=2,
                  **args)
    with pytest.raises(ConfigurationError, match="workers must be 1 to 64, not 0"):
        run_batch([archive], tmp_path / "r.jsonl", tmp_path / "e.jsonl", workers=0, **args)
    with pytest.raises(ConfigurationError, match="prices"):
        run_batch([archive], tmp_path / "r.jsonl", tmp_path / "e.jsonl", workers=2,
                  prices="stub=nonsense", **args)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setattr(local_model, "is_installed", lambda: True)
    with pytest.raises(ConfigurationError, match="SUMMARIZER_LOCAL_SLOTS"):
        run_batch([archive], tmp_path / "r.jsonl", tmp_path / "e.jsonl", workers=2)
    assert stub.log == [] and not (tmp_path / "r.jsonl").exists()


def _workers(pid: int) -> set[int]:
    """The worker processes `pid` spawned (Linux /proc): not its resource tracker."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = stat.with_name("cmdline").read_bytes()
        except OSError:
            continue
        if parent == pid and b"spawn_main" in command:
            found.add(int(stat.parent.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists()
            and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"}


def _batch(folder: Path, out: Path, base_url: str) -> list[str]:
    return [sys.executable, "-m", "summarizer", "batch", str(folder), "--out", str(out), "-j", "4",
            "--workers", "2", "--no-cache", "--base-url", base_url, "--model", "stub",
            "--api-key", "unused"]


def _wait_for_lines(out: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while (not out.exists() or len(out.read_bytes().splitlines()) < count) and time.monotonic() < deadline:
        time.sleep(0.02)


def _folder(directory: Path, count: int) -> Path:
    directory.mkdir()
    for n in range(count):
        (directory / f"a{n:03}.txt").write_text(TEXT, encoding="utf-8")
    return directory


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers in /proc")
def test_killing_the_batch_stops_its_workers_and_a_rerun_does_only_the_rest(tmp_path: Path) -> None:
    folder, out = _folder(tmp_path / "in", 16), tmp_path / "r.jsonl"
    with serving(Stub(delay=0.1)) as stub:
        command = _batch(folder, out, stub.base_url)
        child = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        _wait_for_lines(out, 4)
        workers = _workers(child.pid)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        deadline = time.monotonic() + 10
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) == 2 and _alive(workers) == set()  # none summarizes on for nobody
        done_before = len(_lines(out))
        asked_before = len(stub.log)
        rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(r["id"] for r in _lines(out)) == [f"a{n:03}" for n in range(16)]
    assert len(stub.log) - asked_before == 3 * (16 - done_before)


@dataclass
class _Holding(Stub):
    """The stub that answers until `hold` is set, then keeps every later request waiting until
    `release` is: the batch has articles in flight, whatever the machine's speed."""

    hold: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    held: int = 0

    def answer(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.hold.is_set():
            with self.lock:
                self.held += 1
            self.release.wait(60)
        return super().answer(body)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers in /proc")
def test_a_worker_killed_stops_the_batch_with_what_was_written_kept(tmp_path: Path) -> None:
    folder, out = _folder(tmp_path / "in", 16), tmp_path / "r.jsonl"
    holding = _Holding()
    with serving(holding) as stub:
        command = _batch(folder, out, stub.base_url)
        child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        _wait_for_lines(out, 2)
        holding.hold.set()
        deadline = time.monotonic() + 60
        while holding.held < 4 and time.monotonic() < deadline:  # -j 4: both workers are waiting
            time.sleep(0.02)
        worker = min(_workers(child.pid))
        os.kill(worker, signal.SIGKILL)
        holding.release.set()
        _, stderr = child.communicate(timeout=60)
        assert child.returncode == 1
        assert f"batch worker process {worker} stopped (signal 9) with articles in flight" in stderr
        assert "run the same command again" in stderr
        assert "Traceback" not in stderr
        kept = len(_lines(out))
        holding.hold.clear()
        rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert 2 <= kept < 16
    assert sorted(r["id"] for r in _lines(out)) == [f"a{n:03}" for n in range(16)]


def test_a_source_that_waits_does_not_hold_back_finished_articles(stub: Stub) -> None:
    """A worker's source blocks until the parent sends the next article, which it does once an
    outcome comes back: the stream must yield what is finished while it waits for the next."""
    import threading

    from summarizer import Summarizer
    from summarizer.api.stream import Article, Done, stream_sync

    first_back = threading.Event()
    waited_in_vain: list[bool] = []

    def inbox() -> Iterator[Article]:
        yield Article(id="a", text=TEXT, source="a")
        waited_in_vain.append(not first_back.wait(timeout=20))
        yield Article(id="b", text=TEXT, source="b")

    with Summarizer(base_url=stub.base_url, api_key="unused", model="stub") as engine:
        ids = []
        for outcome in stream_sync(engine, inbox(), concurrency=2):
            assert isinstance(outcome, Done)
            ids.append(outcome.article.id)
            first_back.set()
    assert (ids, waited_in_vain) == (["a", "b"], [False])


def test_a_repeated_article_is_a_duplicate_even_once_its_first_copy_is_in_the_results() -> None:
    from summarizer.api.stream import Article, Skipped, triage

    article = Article(id="a", text="Some text.", source="x.jsonl:1")
    seen: set[tuple[str, str]] = set()
    done: set[tuple[str, str]] = set()
    assert triage(article, done, seen) is article
    done.add((article.id, article.sha256))  # its result was appended while the input was read on
    again = triage(article, done, seen)
    assert isinstance(again, Skipped) and again.why == "duplicate"
    assert triage(article, done, set()) == Skipped(article, "done")


def test_the_batch_api_path_has_no_workers(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from summarizer.cli import app

    archive = _archive(tmp_path / "in.jsonl", ["r0"])
    result = CliRunner().invoke(app, ["batch", str(archive), "--out", str(tmp_path / "r.jsonl"),
                                      "--via", "batch-api", "--workers", "2", "--api-key", "k"])
    assert result.exit_code == 3
    assert "--via batch-api has no --workers: they are for the requests asked live" in result.output
    assert not (tmp_path / "r.jsonl").exists()


def test_workers_that_cannot_start_stop_the_batch_with_why_and_it_exits(tmp_path: Path) -> None:
    """A script without the `if __name__ == "__main__":` guard: each spawned worker runs it again
    and fails before taking an article. The batch must say so and exit, though its 32 articles
    (96 KB) wait in a pipe no worker reads."""
    archive = _archive(tmp_path / "in.jsonl", [f"r{n}" for n in range(32)])
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from pathlib import Path\n"
        "from summarizer.batch.session import run_batch\n"
        f"run_batch([Path({str(archive)!r})], Path({str(tmp_path / 'r.jsonl')!r}),\n"
        f"          Path({str(tmp_path / 'e.jsonl')!r}), concurrency=32, workers=2,\n"
        "          base_url='http://127.0.0.1:9/v1', api_key='unused', model='stub')\n",
        encoding="utf-8")
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                         cwd=ROOT)
    assert ran.returncode == 1
    assert "could not start (exit code 1; its error is above). From a script, call run_batch " \
           'under `if __name__ == "__main__":`' in ran.stderr
    assert _lines(tmp_path / "r.jsonl") == []
