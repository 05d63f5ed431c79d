"""What the recorded model said, compared with tests/snapshots/ (rewritten by
`summarizer cassettes record`, so a re-recording shows as a reviewable diff of these files).

The seed summaries, the unrelated article's summary, the three seeds' digest (with the judge's
answers recorded in cassettes/digest_seeds.yaml when the seeds leave fact pairs undecided) and the
replayed dev-gold eval report. Wall-clock `elapsed_seconds` is left out of the summaries, and their
`document.path` is relative to the checkout.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.backends.openai import OpenAIProvider
from summarizer.cli import app
from summarizer.digest.judge import ModelJudge
from summarizer.digest.merging import merge
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document
from tests.conftest import ARTICLES, CASSETTES, ROOT, SEEDS, as_json

pytestmark = pytest.mark.cassette

SummaryOf = Callable[[str], tuple[Document, EventSummary]]
Snapshot = Callable[[str, str], None]


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_summary_snapshot(name: str, summary_of: SummaryOf, snapshot: Snapshot) -> None:
    _, summary = summary_of(name)
    dumped = summary.model_dump(mode="json")
    del dumped["metadata"]["elapsed_seconds"]  # wall clock, not what the model said
    # the checkout's place on this machine, not what the model said
    dumped["document"]["path"] = ARTICLES[name].relative_to(ROOT).as_posix()
    snapshot(f"summary_{name}.json", as_json(dumped))


def test_seeds_digest_snapshot(summary_of: SummaryOf, cassette_provider: OpenAIProvider,
                               recorded: Callable[[Path], contextlib.AbstractContextManager[Any]],
                               snapshot: Snapshot) -> None:
    pairs = [summary_of(name) for name in sorted(SEEDS)]
    judge = ModelJudge(cassette_provider)
    # No cassette file when the seeds leave no fact pair undecided: then nothing is asked.
    with recorded(CASSETTES / "digest_seeds.yaml"):
        digests = merge([s for _, s in pairs], [d for d, _ in pairs], judge)
    assert (judge.calls > 0) == any(d.model_decisions for d in digests)
    for index, digest in enumerate(digests):
        snapshot(f"digest_seeds_{index}.json", as_json(digest.model_dump(mode="json")))


def test_eval_report_snapshot(tmp_path: Path, snapshot: Snapshot,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The dev-gold report replayed from cassettes/eval/focused (the gold path as a user types it
    from the repository root, since the report names it)."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["eval", "bench/data/meantime_5w.jsonl", "--cassettes",
                                      os.fspath(CASSETTES / "eval" / "focused"), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    snapshot("eval_report.json", out.read_text(encoding="utf-8"))
