"""Locating the model's quotes in the article and turning them into raw-text spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.alignment import _normalize, closest_passage, locate, make_span
from summarizer.document import Document, read_article
from summarizer.errors import GroundingError
from summarizer.models import Span

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> Document:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return read_article(path)


def assert_invariant(doc: Document, span: Span) -> None:
    assert span.doc_id == doc.id
    assert 0 <= span.start < span.end <= len(doc.raw)
    assert doc.raw[span.start:span.end] == span.text


def test_exact_match_in_markdown_seed() -> None:
    doc = seed("000")
    quote = "Nearly 600 Russian citizens are awaiting evacuation from the Gaza Strip"
    span = locate(doc, quote)
    assert span is not None
    assert span.alignment == "exact"
    assert span.text == quote
    assert span.start == doc.raw.index(quote)
    assert_invariant(doc, span)


def test_surrounding_whitespace_is_ignored() -> None:
    doc = seed("000")
    span = locate(doc, "  More than 80 Russian citizens \n")
    assert span is not None
    assert span.text == "More than 80 Russian citizens"
    assert span.alignment == "exact"


def test_quote_across_markdown_link_maps_to_raw_markup() -> None:
    doc = seed("000")
    span = locate(doc, "according to a statement released by")
    assert span is not None
    assert span.alignment == "exact"
    assert span.text == "according to a [statement](#) released by"
    assert_invariant(doc, span)


def test_quote_across_emphasis_and_link() -> None:
    doc = seed("000")
    span = locate(doc, "Related article: First Russian Nationals")
    assert span is not None
    assert span.text == "Related article:** [First Russian Nationals"
    assert_invariant(doc, span)


def test_curly_apostrophe_matches_straight_one() -> None:
    doc = seed("000")  # the article writes "Hamas' surprise assault" with a straight apostrophe
    span = locate(doc, "Hamas\u2019 surprise assault")
    assert span is not None
    assert span.alignment == "normalized"
    assert span.text == "Hamas' surprise assault"
    assert_invariant(doc, span)


def test_straight_apostrophe_matches_curly_one() -> None:
    doc = seed("001")  # seed 001 writes "Israel\u2019s approval"
    span = locate(doc, "Israel's approval to leave Gaza")
    assert span is not None
    assert span.alignment == "normalized"
    assert span.text == "Israel\u2019s approval to leave Gaza"
    assert_invariant(doc, span)


def test_curly_double_quotes_match_straight_ones() -> None:
    doc = seed("000")
    span = locate(doc, "Moscow was \u201creservedly optimistic\u201d")
    assert span is not None
    assert span.alignment == "normalized"
    assert span.text == 'Moscow was "reservedly optimistic"'
    assert_invariant(doc, span)


def test_straight_double_quotes_match_curly_ones() -> None:
    doc = seed("002")
    span = locate(doc, '"Primary medical care was provided')
    assert span is not None
    assert span.alignment == "normalized"
    assert span.text == "\u201cPrimary medical care was provided"
    assert_invariant(doc, span)


def test_collapsed_whitespace_matches_paragraph_break() -> None:
    doc = seed("000")
    quote = "citing Russian diplomats. Related article: First Russian"
    span = locate(doc, quote)
    assert span is not None
    assert span.alignment == "normalized"
    assert span.text.startswith("citing Russian diplomats.\n\n")
    assert span.text.endswith("First Russian")
    assert_invariant(doc, span)


def test_extra_spaces_in_quote_match() -> None:
    doc = seed("001")
    span = locate(doc, "Nearly   600\tRussian citizens")
    assert span is not None
    assert span.alignment == "normalized"
    assert span.text == "Nearly 600 Russian citizens"


@pytest.mark.parametrize(
    "quote",
    [
        "Russia has begun evacuating 900 citizens",
        "Over 11,000 Palestinians",  # seed 001 says "11,00"
        "reservedly pessimistic",
        "   ",
        "",
    ],
)
def test_quote_not_in_article_returns_none(quote: str) -> None:
    assert locate(seed("001"), quote) is None


def test_link_target_is_not_quotable() -> None:
    doc = seed("000")
    assert locate(doc, "[statement](#)") is None
    assert locate(doc, "themoscowtimes.com") is None


def test_closest_passage_returns_most_similar_sentence() -> None:
    doc = seed("000")
    passage = closest_passage(
        doc,
        "Nearly 600 Russian citizens are waiting for evacuation from the Gaza Strip, "
        "state media reported this month, citing Russian diplomats.",
    )
    assert passage == (
        "Nearly 600 Russian citizens are awaiting evacuation from the Gaza Strip, state media "
        "reported earlier this month, citing Russian diplomats."
    )


def test_closest_passage_other_sentence() -> None:
    doc = seed("001")
    passage = closest_passage(
        doc, "Authorities said Russians leaving Gaza via the Rafah crossing go to Cairo"
    )
    assert passage.startswith("Authorities noted that Russian nationals fleeing the Gaza Strip")


def test_closest_passage_for_short_misquoted_fragment() -> None:
    doc = seed("000")
    passage = closest_passage(doc, "Nearly 600 Russians await evacuation")
    assert passage.startswith("Nearly 600 Russian citizens are awaiting evacuation")


def test_closest_passage_truncates_to_limit() -> None:
    doc = seed("001")
    passage = closest_passage(
        doc,
        "Over the past week the operational group of the Emergency Situations Ministry has been "
        "working to coordinate the procedure and routes for the evacuation of Russian citizens",
        limit=40,
    )
    assert len(passage) == 40
    assert passage.endswith("\u2026")
    assert passage.startswith('"Over the past week')


def test_closest_passage_of_blank_document_is_empty() -> None:
    assert closest_passage(Document(id="b", raw=" \n\n "), "anything") == ""


def test_make_span_inside_document() -> None:
    doc = Document(id="d", raw="hello world")
    span = make_span(doc, 6, 11)
    assert span.text == "world"
    assert span.alignment == "exact"
    assert make_span(doc, 0, 5, "normalized").alignment == "normalized"


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (0, 12), (5, 5), (6, 4), (11, 12)])
def test_make_span_outside_document_raises(start: int, end: int) -> None:
    doc = Document(id="d", raw="hello world")
    with pytest.raises(GroundingError, match="outside the document"):
        make_span(doc, start, end)


# --- properties ------------------------------------------------------------------------------

_ALPHABET = "ab c\n\u2019'\u201c\"\u00a0."
_MARKUP_ALPHABET = "ab *[]()_\n\u2019'"


def _collapse(text: str) -> str:
    plain = text.translate(str.maketrans({"\u2019": "'", "\u201c": '"', "\u00a0": " "}))
    return " ".join(plain.split())


@settings(max_examples=200, deadline=None)
@given(data=st.data(), raw=st.text(alphabet=_ALPHABET, min_size=1, max_size=60))
def test_substring_is_located_exactly(data: st.DataObject, raw: str) -> None:
    doc = Document(id="p", raw=raw)
    assert doc.view == raw
    i = data.draw(st.integers(0, len(raw) - 1))
    j = data.draw(st.integers(i + 1, len(raw)))
    quote = raw[i:j]
    span = locate(doc, quote)
    if not quote.strip():
        assert span is None
        return
    assert span is not None
    assert span.alignment == "exact"
    assert span.text == quote.strip()
    assert raw[span.start:span.end] == span.text


@settings(max_examples=200, deadline=None)
@given(data=st.data(), raw=st.text(alphabet=_ALPHABET, min_size=1, max_size=60))
def test_plainified_substring_is_located(data: st.DataObject, raw: str) -> None:
    doc = Document(id="p", raw=raw)
    i = data.draw(st.integers(0, len(raw) - 1))
    j = data.draw(st.integers(i + 1, len(raw)))
    quote = _collapse(raw[i:j])
    span = locate(doc, quote)
    if not quote:
        assert span is None
        return
    assert span is not None
    assert raw[span.start:span.end] == span.text
    # quotation marks, apostrophes and letter case are interchangeable when matching
    assert _normalize(span.text).text == _normalize(quote).text


@settings(max_examples=200, deadline=None)
@given(data=st.data(), raw=st.text(alphabet=_MARKUP_ALPHABET, min_size=1, max_size=60))
def test_view_substring_maps_back_through_markup(data: st.DataObject, raw: str) -> None:
    doc = Document(id="p", raw=raw)
    if not doc.view.strip():
        return
    i = data.draw(st.integers(0, len(doc.view) - 1))
    j = data.draw(st.integers(i + 1, len(doc.view)))
    quote = doc.view[i:j]
    span = locate(doc, quote)
    if not quote.strip():
        assert span is None
        return
    assert span is not None
    assert span.alignment == "exact"
    assert raw[span.start:span.end] == span.text
    # the view characters inside the span spell the quote
    kept = "".join(raw[r] for r in doc.view_to_raw if span.start <= r < span.end)
    assert kept == quote.strip()
