"""The pipeline's choice of headline when the model's own cannot be grounded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from pydantic import BaseModel

from summarizer.errors import ProviderError
from summarizer.extract.pipeline import _headline, _lead_sentence, source_document, summarize_document
from summarizer.llm.provider import Extraction, Message
from summarizer.output.summary import Fact, SummarySentence
from summarizer.text.alignment import locate
from summarizer.text.document import Document, read_article
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


def test_lead_sentence_is_the_first_sentence_after_the_date_line() -> None:
    untitled = read_article(next(SEEDS.glob("002_*.txt")))
    lead = _lead_sentence(untitled, source_document(untitled))
    assert lead is not None
    assert lead.text == ("The next group with Russians evacuated from the Gaza Strip is preparing to "
                         "fly from Cairo to Moscow on Wednesday, November 15.")
    (span,) = lead.spans
    assert (span.start, span.end) == (17, 17 + len(lead.text))
    assert untitled.raw[span.start:span.end] == lead.text
    # the lead stands in only where it is given (another pass grounded something)
    assert _headline([], source_document(untitled), [], [], lead) == lead
    short = Document(id="d", raw="Breaking news.\nBy A. Reporter\nhttps://example.org/a/b/c/d/e/f/g")
    assert _lead_sentence(short, source_document(short)) is None


class _Passes:
    """Answers the three passes: an overview whose every item is ungroundable, entities that
    ground an actor."""

    model = "fake"
    endpoint_kind = "none"
    parameters: Mapping[str, object] = {}

    def extract(self, messages: Sequence[Message], response_model: type[BaseModel],
                context: Mapping[str, object]) -> Extraction[Any]:
        answers: dict[str, dict[str, Any]] = {
            "OverviewDraft": {"headline": {"evidence": "The group arrives in Moscow today",
                                           "text": "The group arrives in Moscow today"},
                              "event_type": "", "summary": [{"evidence": "Nobody wrote this"}],
                              "facts": [], "why": [], "how": []},
            "EntitiesDraft": {"actors": [{"name": "Roman Okhotenko", "role": "", "kind": "person"}],
                              "places": [], "quotes": []},
            "FiguresDraft": {"quantities": [], "dates": []}}
        name = next(c.__name__ for c in response_model.__mro__ if c.__name__ in answers)
        return Extraction(response_model.model_validate(answers[name]), 1, 10, 5)


def test_an_overview_with_nothing_grounded_costs_the_other_passes_nothing() -> None:
    untitled = read_article(next(SEEDS.glob("002_*.txt")))
    summary = summarize_document(untitled, _Passes())
    assert summary.headline.text.startswith("The next group with Russians evacuated")
    assert [a.name for a in summary.actors] == ["Roman Okhotenko"]
    assert summary.summary == []
    assert {r.section for r in summary.rejected} >= {"headline", "summary"}
