"""The judge (the model) asked about a fact pair the merge rules cannot decide, its answer recorded
from a real model in cassettes/judge_undecided.yaml.

The situation is built here, not hoped for from a model: the two summaries below are HAND-BUILT
INPUTS (claims written for this test, evidence quoted from the two hand-written articles of
tests/digest/test_merging.py). Only the judge's answer comes from the model; what it answered is
compared with tests/snapshots/judge_undecided.json, the rest are invariants of any answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends.openai import OpenAIProvider
from summarizer.digest.duplicates import jaccard
from summarizer.digest.judge import ModelJudge
from summarizer.digest.merging import FACT_SIMILARITY, FACT_UNDECIDED, merge
from summarizer.normalize.lexicon import content_words
from summarizer.normalize.quantities import figures
from summarizer.text.document import Document
from tests.conftest import CASSETTES, as_json
from tests.digest.test_merging import OTHER_OUTLET, STORY, check_spans, with_facts

pytestmark = pytest.mark.cassette

# Hand-built: one claim per outlet, about the rescue going on; content words overlap 3 of 9.
CLAIM_A = {"Kazakh officials confirmed that the rescue at Tanta continued.":
           "Kazakh officials confirmed the rescue at Tanta continued"}
CLAIM_C = {"The rescue at the Tanta mine continued through the night.":
           "the rescue continued through the night"}


def test_the_situation_is_one_the_rules_cannot_decide() -> None:
    (a,), (c,) = CLAIM_A, CLAIM_C
    assert jaccard(content_words(a), content_words(c)) == pytest.approx(3 / 9)
    assert FACT_UNDECIDED <= 3 / 9 < FACT_SIMILARITY
    assert not figures(a) and not figures(c)  # no differing figures to decide it either


def test_an_undecided_fact_pair_is_put_to_the_model(
        cassette_provider: OpenAIProvider, snapshot: Callable[[str, str], None],
        recorded: Callable[[Path], contextlib.AbstractContextManager[Any]]) -> None:
    a, c = Document(id="a", raw=STORY), Document(id="c", raw=OTHER_OUTLET)
    judge = ModelJudge(cassette_provider)
    with recorded(CASSETTES / "judge_undecided.yaml"):
        (digest,) = merge([with_facts(a, CLAIM_A), with_facts(c, CLAIM_C)], [a, c], judge)
    assert judge.calls >= 1  # one question (plus a re-ask, had one been needed)
    (decision,) = digest.model_decisions
    assert decision.statements == [*CLAIM_A, *CLAIM_C]
    assert decision.model == cassette_provider.model
    assert [s.doc_id for s in decision.spans] == ["a", "c"]  # one claim from each outlet
    check_spans(decision.spans, [a, c])
    facts = [i for i in digest.items if i.kind == "fact"]
    # merged exactly when the model said "same"; left apart when it said no or did not answer
    assert [f.matched_by for f in facts] == (["model"] if decision.same else ["value", "value"])
    snapshot("judge_undecided.json", as_json({"statements": decision.statements,
                                              "same": decision.same}))
