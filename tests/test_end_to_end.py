"""End to end on the three seed articles, replaying answers recorded from a real model.

The cassettes in cassettes/ were recorded from the local Qwen2.5-Coder-1.5B model (see
cassettes/README.md); `summarizer cassettes record` re-records them. The assertions on content are
what that recorded model got right, checked against the article text, not against itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
import vcr

from summarizer.backends.openai import OpenAIProvider
from summarizer.errors import SummarizerError
from summarizer.evaluation.recording import stale_cassette
from summarizer.extract.pipeline import summarize_document
from summarizer.output.schema import output_schema
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, read_article

from .conftest import CASSETTES, SEEDS, recorded_usage

pytestmark = pytest.mark.cassette


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_summary_is_schema_valid_and_every_span_points_at_its_text(
        seed: str, summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    doc, summary = summary_of(seed)
    jsonschema.validate(summary.model_dump(mode="json"), output_schema())
    assert EventSummary.model_validate_json(summary.model_dump_json()) == summary
    spans = summary.spans()
    for span in spans:
        assert span.doc_id == doc.id
        assert doc.raw[span.start:span.end] == span.text
    # the article's own title, date line and URL, as the document reader found them
    own = [located for located in (doc.title, doc.published, doc.url) if located]
    assert [(s.start, s.end) for s in spans[len(spans) - len(own):]] == [(o.start, o.end) for o in own]
    assert summary.metadata.endpoint_kind == "local"  # the cassette provider's, passed through
    # calls and tokens are those of the recorded exchanges, every one of them counted once
    calls, prompt_tokens, completion_tokens = recorded_usage(CASSETTES / f"seed_{seed}.yaml")
    assert summary.metadata.llm_calls == calls
    assert (summary.metadata.usage.prompt_tokens, summary.metadata.usage.completion_tokens) == (
        prompt_tokens, completion_tokens)
    assert [stamp.name for stamp in summary.metadata.prompts] == ["overview", "entities", "figures"]



@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_rejected_items_are_not_in_the_grounded_sections(
        seed: str, summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    doc, summary = summary_of(seed)
    grounded_texts = {span.text for span in summary.spans()}
    for rejected in summary.rejected:
        assert rejected.reason
        quoted = rejected.item.get("evidence") or rejected.item.get("quote")
        if isinstance(quoted, str) and "not found" in rejected.reason:
            assert quoted not in doc.view
            assert quoted not in grounded_texts


def _quantities(summary: EventSummary) -> set[tuple[float | None, str]]:
    return {(q.value, q.qualifier) for q in summary.quantities}


def _dates(summary: EventSummary) -> dict[str, str | None]:
    return {d.text: d.value for d in summary.when}


def test_seed_000_counts_dates_and_metadata(
        summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    _, summary = summary_of("000")
    assert summary.document.title == "Russia Begins Evacuating Citizens From Gaza Strip"
    assert summary.document.published == "2023-11-12"
    assert summary.document.url is not None
    assert summary.document.url.endswith("russia-begins-evacuating-citizens-from-gaza-strip-a83079")
    assert {(600, "approximately"), (80, "more than"), (60, "more than"), (1200, "at least"),
            (11000, "more than"), (4400, "more than")} <= _quantities(summary)
    dates = _dates(summary)
    assert dates["on Sunday"] == "2023-11-12"
    assert dates["on Friday"] == "2023-11-10"
    assert dates["this week"] == "2023-W45"
    assert dates["earlier this month"] == "2023-11"
    assert dates["Oct. 7"] == "2023-10-07"


def test_seed_001_typo_is_flagged_and_a_failed_reask_is_rejected(
        summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    doc, summary = summary_of("001")
    assert {(600, "approximately"), (80, "more than"), (60, "more than")} <= _quantities(summary)
    (typo,) = [q for q in summary.quantities if "11,00 " in q.spans[0].text]
    assert typo.malformed and typo.value is None and typo.written == "11,00"
    assert all(q.value not in (11000, 1100) for q in summary.quantities)
    # no date line in this copy: relative dates stay unresolved and say why
    assert summary.document.published is None
    on_sunday = next(d for d in summary.when if d.text == "on Sunday")
    assert on_sunday.value is None
    assert on_sunday.unresolved_reason and "publication date" in on_sunday.unresolved_reason
    # the recorded model was re-asked about a quote it invented, kept it, and it was rejected
    assert summary.metadata.llm_calls > 3
    assert summary.rejected
    for rejected in summary.rejected:
        quoted = rejected.item.get("evidence")
        assert isinstance(quoted, str) and quoted not in doc.view


def test_seed_002_counts_dates_and_speakers(
        summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    doc, summary = summary_of("002")
    assert summary.document.published == "2023-11-14"
    assert {(98, "exact"), (70, "exact"), (37, "exact"), (3, "exact"), (40, "exact"),
            (78, "exact")} <= _quantities(summary)
    dates = _dates(summary)
    assert dates["November 13"] == "2023-11-13"
    assert dates["October 7"] == "2023-10-07"
    assert dates["on Wednesday, November 15"] == "2023-11-15"
    # "Earlier on November 15, ... had arrived" in an article dated November 14: kept and flagged
    later = next(d for d in summary.when if d.text == "November 15")
    assert later.value == "2023-11-15" and "after-publication-date" in later.flags
    assert doc.raw[later.spans[0].start - 11:later.spans[0].end] == "Earlier on November 15"
    okhotenko = next(q for q in summary.quotes if q.speaker == "Roman Okhotenko")
    assert okhotenko.warnings == []
    assert "40 people" in okhotenko.text
    assert any(q.warnings for q in summary.quotes)  # attributions the text does not support


def test_a_changed_request_is_reported_as_astale_cassette(vcr_config: dict[str, Any]) -> None:
    """A request the cassette does not hold (here: another model name) is recognised as a stale
    cassette, which the report hook in conftest turns into the re-record instruction."""
    provider = OpenAIProvider(model="some-other-model", base_url="http://replay.invalid/v1",
                              endpoint_kind="local", attempts=1)
    recorder = vcr.VCR(record_mode="none", **vcr_config)
    with recorder.use_cassette(str(CASSETTES / "seed_000.yaml")), \
            pytest.raises(SummarizerError) as raised:
        summarize_document(read_article(SEEDS["000"]), provider)
    assert stale_cassette(raised.value)
