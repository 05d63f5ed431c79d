"""`summarizer cassettes record` as a transaction: nothing changes unless the new recording passes.

A dead endpoint runs the real command (and its pytest child) in a copy of the checkout. The reports
of identical and changed answers use a STUB in place of the pytest runs (`rerecord.run_pytest`): it
edits the scratch copy the way a recording would, with a hand-written answer, never a model's.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.evaluation import rerecord
from tests.conftest import ROOT

DEAD = ["cassettes", "record", "--base-url", "http://127.0.0.1:9/v1", "--model", "x"]


def hashes(directory: Path) -> dict[str, str]:
    return {path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(directory.rglob("*")) if path.is_file()
            and not {"__pycache__", ".hypothesis"} & set(path.parts)}  # git-ignored caches


@pytest.mark.slow
def test_a_dead_endpoint_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capfd: pytest.CaptureFixture[str]) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(
        ".git", ".venv", "*_cache", "__pycache__"))
    before = hashes(checkout)
    monkeypatch.chdir(checkout)
    result = CliRunner().invoke(app, DEAD)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == ("summarizer: error: recording failed (see the pytest "
                                              "output above); nothing was changed")
    assert hashes(checkout) == before
    child = capfd.readouterr().out  # the pytest child's output
    # it ran and met the dead endpoint: in a test, or in the fixture a test asked for first (the
    # order is random), which pytest counts as an error
    assert "Connection error" in child
    assert re.search(r"\b1 (?:failed|error)\b", child), child[-300:]


def fake_checkout(root: Path) -> None:
    """Two cassettes copied from the real ones and one snapshot file (stub inputs)."""
    (root / "tests" / "snapshots").mkdir(parents=True)
    (root / "cassettes").mkdir()
    for name in ("seed_000.yaml", "meantime_11716.yaml"):
        shutil.copyfile(ROOT / "cassettes" / name, root / "cassettes" / name)
    (root / "tests" / "snapshots" / "summary_000.json").write_text('{\n  "a": 1\n}\n')


class StubPytest:
    """Stands in for both pytest runs: the "recording" rewrites one answer of meantime_11716.yaml
    (hand-written, labelled `stub`) and one snapshot line; the offline run returns `offline`."""

    def __init__(self, offline: int) -> None:
        self.offline = offline
        self.runs: list[list[str]] = []

    def __call__(self, args: Sequence[str], env: Mapping[str, str]) -> int:
        self.runs.append(list(args))
        if any(a.startswith("--record-mode") for a in args):  # the recording
            judged = Path(env["SUMMARIZER_CASSETTES_DIR"]) / "meantime_11716.yaml"
            cassette = yaml.safe_load(judged.read_text())
            cassette["interactions"][0]["response"]["body"]["string"] = '{"stub": true}'
            judged.write_text(yaml.safe_dump(cassette))
            return 0
        if "--snapshot-update" in args:  # the replay that writes the snapshots
            assert "SUMMARIZER_RECORD_BASE_URL" not in env  # replayed, never asked live
            (Path(env["SUMMARIZER_SNAPSHOTS_DIR"]) / "summary_000.json").write_text('{\n  "a": 2\n}\n')
            return 0
        return self.offline


@pytest.fixture
def local_endpoint_free(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)


def test_identical_and_changed_answers_are_reported_then_installed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, local_endpoint_free: None) -> None:
    fake_checkout(tmp_path)
    monkeypatch.chdir(tmp_path)
    stub = StubPytest(offline=0)
    monkeypatch.setattr(rerecord, "run_pytest", stub)
    result = CliRunner().invoke(app, DEAD)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["cassette meantime_11716.yaml: changed",
                                          "cassette seed_000.yaml: identical",
                                          "snapshot summary_000.json | +1 -1"]
    # record, replay the new cassettes into the snapshots, then the offline suite
    assert [run[:2] for run in stub.runs] == [["-m", "cassette"], ["-m", "cassette"], ["-m", "not live"]]
    assert "--record-mode=rewrite" in stub.runs[0]
    assert "--snapshot-update" in stub.runs[1] and not any(a.startswith("--record") for a in stub.runs[1])
    cassette = yaml.safe_load((tmp_path / "cassettes" / "meantime_11716.yaml").read_text())
    assert cassette["interactions"][0]["response"]["body"]["string"] == '{"stub": true}'
    assert (tmp_path / "tests" / "snapshots" / "summary_000.json").read_text() == \
        '{\n  "a": 2\n}\n'
    assert "updated cassettes/meantime_11716.yaml" in result.stderr.splitlines()
    assert ("README.md and docs/ show outputs of the recorded answers, which changed: rewrite them "
            "with `python -m pytest tests/docs --snapshot-update`") in result.stderr
    assert (tmp_path / "cassettes" / "seed_000.yaml").read_bytes() == \
        (ROOT / "cassettes" / "seed_000.yaml").read_bytes()  # identical: not even rewritten


def test_a_failing_offline_suite_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, local_endpoint_free: None) -> None:
    fake_checkout(tmp_path)
    before = hashes(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(rerecord, "run_pytest", StubPytest(offline=1))
    result = CliRunner().invoke(app, DEAD)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == ("summarizer: error: the offline suite fails against "
                                              "the new recording (see above); nothing was changed")
    assert result.stdout == ""
    assert hashes(tmp_path) == before


def test_a_recording_without_a_cassette_it_used_to_have_removes_it(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "gone.yaml").write_text("x")
    (old / "kept.json").write_text("1")
    (new / "kept.json").write_text("2")
    (new / "kept.json").chmod(0o644)
    (old / "README.md").write_text("edited meanwhile")
    assert list(rerecord.install(new, old)) == [f"updated {old}/kept.json",
                                                 f"removed {old}/gone.yaml"]
    assert {p.name: p.read_text() for p in old.iterdir()} == {"kept.json": "2",
                                                              "README.md": "edited meanwhile"}
    assert (old / "kept.json").stat().st_mode & 0o777 == 0o644  # the new file's, not mkstemp's


def test_answers_that_differ_only_in_ids_and_timings_are_identical(tmp_path: Path) -> None:
    """llama-server stamps every response with a new id, creation time and timings: those are
    not what the model said (run 1 of 2026-12-01 changed nothing else in any cassette)."""
    import json

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    shutil.copyfile(ROOT / "cassettes" / "seed_000.yaml", old / "seed_000.yaml")
    cassette = yaml.safe_load((old / "seed_000.yaml").read_text())
    body = json.loads(cassette["interactions"][0]["response"]["body"]["string"])
    body.update(id="chatcmpl-other", created=1, timings={"predicted_ms": 1.0})
    cassette["interactions"][0]["response"]["body"]["string"] = json.dumps(body)
    (new / "seed_000.yaml").write_text(yaml.safe_dump(cassette))
    assert rerecord.cassette_changes(old, new) == [("seed_000.yaml", "identical")]
    body["choices"][0]["message"]["content"] = '{"stub": true}'
    cassette["interactions"][0]["response"]["body"]["string"] = json.dumps(body)
    (new / "seed_000.yaml").write_text(yaml.safe_dump(cassette))
    assert rerecord.cassette_changes(old, new) == [("seed_000.yaml", "changed")]
