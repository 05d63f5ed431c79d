"""The development gold `bench/data/meantime_5w.jsonl` and the project's own why/how annotation
merged into it (`bench/data/meantime_5w_whyhow.jsonl`, guidelines in bench/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.make_meantime_5w import with_why_how
from summarizer.evaluation.scoring import FIELDS, parse_gold
from tests.conftest import ROOT

GOLD = ROOT / "bench" / "data" / "meantime_5w.jsonl"
WHY_HOW = ROOT / "bench" / "data" / "meantime_5w_whyhow.jsonl"


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_every_gold_span_selects_its_text_in_the_text_the_eval_reads() -> None:
    checked = 0
    for article in parse_gold(GOLD.read_text(encoding="utf-8").splitlines(), str(GOLD)):
        assert set(article.gold) <= set(FIELDS)
        for phrases in article.gold.values():
            for phrase in phrases:
                assert phrase.start is not None and phrase.end is not None, phrase
                assert article.text[phrase.start:phrase.end] == phrase.text, (article.id, phrase)
                checked += 1
    assert checked > 200  # 250: every phrase of every field has offsets


def test_every_article_carries_the_why_how_annotation_as_written() -> None:
    gold = {row["id"]: row for row in rows(GOLD)}
    annotation = rows(WHY_HOW)
    assert [row["id"] for row in annotation] == list(gold)  # all 20, in the gold's order
    for row in annotation:
        article = gold[row["id"]]
        assert row["note"].strip(), row["id"]  # each decision, empty ones included, is explained
        for field in ("why", "how"):
            # the generator's merge is in the gold file (regenerating keeps it)
            assert article["gold"][field] == row[field], (row["id"], field)
            for phrase in row[field]:
                assert article["text"][phrase["start"]:phrase["end"]] == phrase["text"]
    spans = {field: sum(len(row[field]) for row in annotation) for field in ("why", "how")}
    assert spans == {"why": 10, "how": 5}  # the counts bench/README.md gives


def test_the_generator_refuses_a_span_that_is_not_in_the_text() -> None:
    text = "Ford cut jobs because of losses ."
    merged = with_why_how(text, {"who": []}, {"why": [{"text": "losses", "start": 25, "end": 31}],
                                              "how": []})
    assert merged == {"who": [], "why": [{"text": "losses", "start": 25, "end": 31}], "how": []}
    assert with_why_how(text, {"who": []}, None) == {"who": []}  # not annotated: not scored
    with pytest.raises(AssertionError):
        with_why_how(text, {}, {"why": [{"text": "losses", "start": 24, "end": 30}], "how": []})
