"""End to end on the three seed articles, replaying answers recorded from a real model.

The cassettes in cassettes/ were recorded from the local Qwen2.5-Coder-1.5B model (see
cassettes/README.md); `summarizer cassettes record` re-records them. The assertions on content are
what that recorded model got right, checked against the article text, not against itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import vcr

from summarizer.document import Document, read_article
from summarizer.models import EventSummary
from summarizer.openai_provider import OpenAIProvider
from summarizer.pipeline import summarize_document
from summarizer.schema import output_schema

from .conftest import CASSETTES

pytestmark = pytest.mark.cassette

SEEDS = {path.name[:3]: path for path in sorted(
    (Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))}
_cache: dict[str, tuple[Document, EventSummary]] = {}


@pytest.fixture
def summary_of(request: pytest.FixtureRequest, vcr_config: dict[str, Any],
               cassette_provider: OpenAIProvider) -> Callable[[str], tuple[Document, EventSummary]]:
    """Summarize a seed once per session through its cassette (recording when asked to)."""
    mode = request.config.getoption("--record-mode") or "none"

    def run(seed: str) -> tuple[Document, EventSummary]:
        if seed not in _cache:
            cassette = CASSETTES / f"seed_{seed}.yaml"
            if mode in {"rewrite", "all"}:
                cassette.unlink(missing_ok=True)
                mode_now = "all"
            else:
                mode_now = mode
            recorder = vcr.VCR(record_mode=mode_now, **vcr_config)
            doc = read_article(SEEDS[seed])
            with recorder.use_cassette(str(cassette)):
                _cache[seed] = (doc, summarize_document(doc, cassette_provider))
        return _cache[seed]

    return run


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_summary_is_schema_valid_and_every_span_points_at_its_text(
        seed: str, summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    doc, summary = summary_of(seed)
    jsonschema.validate(summary.model_dump(mode="json"), output_schema())
    assert EventSummary.model_validate_json(summary.model_dump_json()) == summary
    spans = summary.spans()
    assert len(spans) >= 5
    for span in spans:
        assert span.doc_id == doc.id
        assert doc.raw[span.start:span.end] == span.text
    assert summary.metadata.endpoint_kind == "local"
    assert summary.metadata.llm_calls >= 3
    assert summary.metadata.usage.prompt_tokens > 0
    assert {stamp.name for stamp in summary.metadata.prompts} == {"overview", "entities", "figures"}


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
