"""A long article summarized in chunks by the real model (cassettes/long_article.yaml): every span
points into the whole file, nothing from the overlaps is kept twice, and dates resolve against the
whole article's publication date."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends.openai import OpenAIProvider
from summarizer.extract.chunked import summarize_chunked
from summarizer.normalize import temporal
from summarizer.output.summary import EventSummary
from summarizer.text.chunks import chunk_ranges
from summarizer.text.document import Document, read_article
from summarizer.text.sentences import sentence_bounds
from tests.conftest import CASSETTES, RECORD_COMMAND, ROOT

LONG = ROOT / "tests" / "data" / "long_article.txt"
CHUNK_CHARS = 2_500  # small, so that this 6,031-character article splits into 3+ chunks

_summaries: dict[str, tuple[Document, EventSummary]] = {}


@pytest.fixture
def long_summary(recorded: Callable[[Path], contextlib.AbstractContextManager[Any]],
                 cassette_provider: OpenAIProvider) -> tuple[Document, EventSummary]:
    cassette = CASSETTES / "long_article.yaml"
    if not cassette.is_file() and "SUMMARIZER_RECORD_BASE_URL" not in os.environ:
        # not recorded yet (the recording ran out of CPU time on its branch): say so, not fail
        pytest.skip(f"{cassette.name} is not recorded yet: run `{RECORD_COMMAND} --missing-only`")
    if "long" not in _summaries:
        doc = read_article(LONG)
        with recorded(cassette):
            _summaries["long"] = (doc, summarize_chunked(doc, cassette_provider, CHUNK_CHARS))
    return _summaries["long"]


@pytest.mark.cassette
def test_long_article_is_chunked_and_every_span_points_into_the_whole_file(
        long_summary: tuple[Document, EventSummary]) -> None:
    doc, summary = long_summary
    ranges = chunk_ranges(doc.raw, CHUNK_CHARS)
    assert len(ranges) >= 3
    assert [(c.start, c.end) for c in summary.metadata.chunks] == [(r.start, r.end) for r in ranges]
    assert summary.metadata.llm_calls >= 3 * len(ranges)  # three passes per chunk
    spans = summary.spans()
    assert spans
    for span in spans:
        assert doc.raw[span.start:span.end] == span.text, span
        assert span.doc_id == doc.id == "long_article"
    # items come from beyond the first chunk: nothing was truncated
    assert any(span.start >= ranges[1].end for span in spans)
    assert summary.model_dump(mode="json")["metadata"]["chunks"]


@pytest.mark.cassette
def test_long_article_keeps_overlap_items_once(
        long_summary: tuple[Document, EventSummary]) -> None:
    _, summary = long_summary
    for section in (summary.summary, summary.when, summary.where, summary.actors, summary.facts,
                    summary.quantities, summary.quotes):
        offsets = [tuple((s.start, s.end) for s in item.spans) for item in section]
        assert len(offsets) == len(set(offsets)), section
    names = [" ".join(a.name.lower().split()) for a in summary.actors]
    assert len(names) == len(set(names))


@pytest.mark.cassette
def test_long_article_uses_the_whole_articles_metadata(
        long_summary: tuple[Document, EventSummary]) -> None:
    doc, summary = long_summary
    assert summary.document.title == "Russia Begins Evacuating Citizens From Gaza Strip"
    assert summary.document.published == "2023-11-12"
    assert summary.document.url is not None and summary.document.url.startswith(
        "https://www.themoscowtimes.com/")
    assert summary.document.url_span is not None
    assert doc.raw[summary.document.url_span.start:summary.document.url_span.end] == \
        summary.document.url
    # every date is resolved against 2023-11-12, the whole article's date, even in later chunks
    published = date(2023, 11, 12)
    first_end = summary.metadata.chunks[0].end
    later = [d for d in summary.when if d.spans[0].start >= first_end]
    assert later, "the model reported no date outside the first chunk"
    for mention in summary.when:
        span = mention.spans[0]
        start, end = sentence_bounds(doc.raw, span.start, span.end)
        if mention.resolution == "relative":
            expected = temporal.normalize(mention.text, published, doc.raw[start:end])
            assert mention.value == expected.value, mention
        assert mention.value is None or mention.resolution is not None
