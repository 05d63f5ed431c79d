"""End to end on the three seed articles, replaying answers recorded from a real model.

The cassettes in cassettes/ were recorded from the local Qwen2.5-Coder-1.5B model (see
cassettes/README.md); `summarizer cassettes record` re-records them. These assert what holds for
any valid answer (spans, values read from their spans, what the article's own header says); what
the recorded model said is compared with tests/snapshots/
(tests/evaluation/test_recorded_snapshots.py).
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
from summarizer.normalize.quantities import figures
from summarizer.output.schema import output_schema
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, read_article
from tests.conftest import CASSETTES, SEEDS, recorded_usage

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
    # the three passes, then each support-check call the answers needed
    assert [stamp.name for stamp in summary.metadata.prompts] == [
        "overview", "entities", "figures"] + (["reask"] if summary.reasked else []) + (
        ["support_judge"] if summary.judged else [])



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


def test_seed_000_metadata_comes_from_the_article(
        summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    _, summary = summary_of("000")
    assert summary.document.title == "Russia Begins Evacuating Citizens From Gaza Strip"
    assert summary.document.published == "2023-11-12"
    assert summary.document.url is not None
    assert summary.document.url.endswith("russia-begins-evacuating-citizens-from-gaza-strip-a83079")


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_quantity_values_are_read_from_their_spans(
        seed: str, summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    _, summary = summary_of(seed)
    for quantity in summary.quantities:
        read = [(f.value, f.text) for f in figures(quantity.spans[0].text)]
        assert (quantity.value, quantity.written) in read
        assert quantity.malformed == (quantity.value is None)


def test_seed_001_typo_is_never_read_as_a_number(
        summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    _, summary = summary_of("001")
    assert all(q.value not in (11000, 1100) for q in summary.quantities)  # the text has "11,00"
    for typo in (q for q in summary.quantities if "11,00 " in q.spans[0].text):
        assert typo.malformed and typo.value is None and typo.written == "11,00"
    # no date line in this copy: no relative date is resolved, and each says why
    assert summary.document.published is None
    for date in summary.when:
        if date.value is None:
            assert date.unresolved_reason


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_only_dates_after_the_articles_own_date_are_flagged_as_such(
        seed: str, summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    _, summary = summary_of(seed)
    published = summary.document.published
    for date in summary.when:
        later = published is not None and date.value is not None and \
            date.value[:10] > published and len(date.value) >= 10
        if "after-publication-date" in date.flags:  # (a future date reported as such is not)
            assert later, date


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
