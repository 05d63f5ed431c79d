"""`summarizer eval`: the quality harness from the command line, replaying recorded model answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import get_args

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.extract.pipeline import Variant
from tests.conftest import ROOT

GOLD = ROOT / "bench" / "data" / "meantime_5w.jsonl"
RECORDED = ROOT / "cassettes" / "eval" / "focused"
FIRST = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["eval", *args])
    return result.exit_code, result.stdout, result.stderr


def test_replay_scores_an_article_and_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code, stdout, stderr = run(str(GOLD), "--cassettes", str(RECORDED), "--limit", "1",
                               "-o", str(out))
    assert code == 0, stderr
    assert stdout.splitlines()[0].split()[:4] == ["field", "P", "R", "F1"]
    assert f"[1/1] {FIRST['id']}:" in stderr
    report = json.loads(out.read_text())
    assert (report["mode"], report["variant"], report["articles"]) == ("replay", "focused-dates", 1)
    assert report["grounding"]["span_invariant"] == 1.0
    assert report["grounding"]["numbers_unreadable"] == 0
    assert report["cost_per_article"]["calls"] >= 3  # three focused passes at least
    assert list(report["fields"]) == ["who", "what", "when", "where", "numbers", "why", "how"]
    assert report["mean_f1"]["fields"] == ["who", "what", "when", "where", "numbers"]
    # --compare against itself: every change is zero
    code, stdout, _ = run(str(GOLD), "--cassettes", str(RECORDED), "--limit", "1",
                          "-o", str(tmp_path / "again.json"), "--compare", str(out))
    assert code == 0
    assert "(+0.000)" in stdout and "(-" not in stdout


def test_a_fill_variant_replays_the_same_answers(tmp_path: Path) -> None:
    out = tmp_path / "fill.json"
    code, _, stderr = run(str(GOLD), "--cassettes", str(RECORDED), "--limit", "1",
                          "--variant", "focused-fill", "-o", str(out))
    assert code == 0, stderr
    plain = tmp_path / "plain.json"
    assert run(str(GOLD), "--cassettes", str(RECORDED), "--limit", "1", "-o", str(plain))[0] == 0
    filled, unfilled = json.loads(out.read_text()), json.loads(plain.read_text())
    assert filled["cost_per_article"]["calls"] == unfilled["cost_per_article"]["calls"]
    assert filled["fields"]["numbers"]["predicted"] >= unfilled["fields"]["numbers"]["predicted"]


def gold_file(tmp_path: Path, **changes: object) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({**FIRST, **changes}) + "\n")
    return path


@pytest.mark.parametrize(("changes", "message"), [
    ({"id": "not_recorded"}, "not_recorded has no cassette"),
    ({"text": FIRST["text"].replace("Boeing", "Airbus"), "gold": {}}, "no longer matches"),
])
def test_answers_that_were_not_recorded_stop_the_run(tmp_path: Path, changes: dict[str, object],
                                                     message: str) -> None:
    cassettes = tmp_path / "cassettes"
    shutil.copytree(RECORDED, cassettes)
    out = tmp_path / "report.json"
    code, _, stderr = run(str(gold_file(tmp_path, **changes)), "--cassettes", str(cassettes),
                          "-o", str(out))
    assert code == 3
    assert message in stderr and "--record" in stderr
    assert not out.exists()


def test_bad_input_is_one_line_and_its_exit_code(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(FIRST) + "\n{\n")
    code, _, stderr = run(str(broken), "--cassettes", str(RECORDED))
    assert (code, stderr.count("\n")) == (4, 1)
    assert "broken.jsonl:2: not a gold article" in stderr
    assert run(str(tmp_path / "none.jsonl"))[0] == 4
    code, _, stderr = run(str(GOLD), "--record")
    assert code == 3 and "--record needs --cassettes" in stderr
    code, _, stderr = run(str(GOLD), "--variant", "huge")
    assert code == 3 and "--variant must be one of" in stderr
    not_a_report = tmp_path / "x.json"
    not_a_report.write_text("[]")
    code, _, stderr = run(str(GOLD), "--cassettes", str(RECORDED), "--compare", str(not_a_report))
    assert code == 4 and "not a report" in stderr
    code, _, stderr = run(str(GOLD), "--cassettes", str(tmp_path))
    assert code == 3 and "recorded_with.json is missing" in stderr


def test_the_help_names_every_variant() -> None:
    result = CliRunner().invoke(app, ["eval", "--help"], env={"COLUMNS": "200"})
    for variant in get_args(Variant):
        assert variant in result.stdout


def test_a_replay_reports_the_seconds_of_the_live_run(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    shutil.copytree(RECORDED, cassettes)
    (cassettes / "timings.json").write_text(json.dumps({FIRST["id"]: 123.4}))
    out = tmp_path / "report.json"
    assert run(str(GOLD), "--cassettes", str(cassettes), "--limit", "1", "-o", str(out))[0] == 0
    report = json.loads(out.read_text())
    assert report["per_article"][0]["seconds"] == 123.4
    assert report["cost_per_article"]["seconds"] == 123.4
