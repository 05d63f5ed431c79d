"""Faults of a batch and what a user sees (README, "Faults and what you see"): two runs on one
`--out`, a pass that fails, a signal, an unwritable cache. Every endpoint here is a STUB
(bench/stub_openai.py, or a subclass written below and labelled so): it answers with the answers a
real model recorded for seed 000, or with the fault the test asks for. No test here talks to a
model."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.stub_openai import SEED_ARTICLE, Stub, serving
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
    assert "0 summarized, 6 already done" in rerun.stderr
