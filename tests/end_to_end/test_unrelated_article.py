"""An article about something else entirely (MEANTIME 11716, an Airbus order in 2005), summarized
through its own recorded cassette, stays a separate digest next to the Gaza-evacuation seeds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from summarizer.output.summary import EventSummary
from summarizer.text.document import Document

pytestmark = pytest.mark.cassette

SummaryOf = Callable[[str], tuple[Document, EventSummary]]


def test_unrelated_article_is_summarized_with_grounded_spans(summary_of: SummaryOf) -> None:
    doc, summary = summary_of("meantime_11716")
    spans = summary.spans()
    assert spans
    for span in spans:
        assert span.doc_id == doc.id == "meantime_11716"
        assert doc.raw[span.start:span.end] == span.text
