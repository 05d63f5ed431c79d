"""The pipeline's choice of headline when the model's own cannot be grounded."""

from __future__ import annotations

import pytest

from summarizer.errors import ProviderError
from summarizer.extract.pipeline import _headline, source_document
from summarizer.output.summary import Fact, SummarySentence
from summarizer.text.alignment import locate
from summarizer.text.document import read_article
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"


def test_headline_falls_back_to_title_then_summary_then_fact() -> None:
    titled = read_article(next(SEEDS.glob("000_*.txt")))
    untitled = read_article(next(SEEDS.glob("002_*.txt")))
    span = locate(untitled, "98 people on board")
    assert span is not None
    sentence = SummarySentence(text="A plane brought 98 people.", spans=[span])
    fact = Fact(claim="98 people were on board.", spans=[span])

    assert _headline([sentence], source_document(titled), [], []) == sentence
    from_title = _headline([], source_document(titled), [sentence], [fact])
    assert from_title.text == "Russia Begins Evacuating Citizens From Gaza Strip"
    assert from_title.spans[0].text == from_title.text
    assert _headline([], source_document(untitled), [sentence], [fact]) == sentence
    from_fact = _headline([], source_document(untitled), [], [fact])
    assert (from_fact.text, from_fact.spans) == (fact.claim, fact.spans)
    with pytest.raises(ProviderError, match="nothing that could be grounded"):
        _headline([], source_document(untitled), [], [])
