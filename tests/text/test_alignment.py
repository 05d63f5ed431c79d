"""Locating the model's quotes in the article and turning them into raw-text spans."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.errors import GroundingError
from summarizer.normalize import quantities
from summarizer.output.summary import Span
from summarizer.text.alignment import (
    FUZZY_THRESHOLD,
    _normalize,
    align,
    closest_passage,
    locate,
    make_span,
)
from summarizer.text.document import Document, read_article
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"


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
    # document.py balances a pair of markers the span crosses, so the opening ** may come along
    assert span.text.removeprefix("**") == "Related article:** [First Russian Nationals"
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
    plain = text.translate(str.maketrans("\u2019\u201c\u00a0", "'\" "))
    return " ".join(plain.split())


@settings(max_examples=200, deadline=None)
@given(data=st.data(), raw=st.text(alphabet=_ALPHABET, min_size=1, max_size=60))
def test_substring_is_located_exactly(data: st.DataObject, raw: str) -> None:
    doc = Document(id="p", raw=raw)
    assert doc.view == raw.replace("\u00a0", " ")  # the view makes no-break spaces plain
    i = data.draw(st.integers(0, len(raw) - 1))
    j = data.draw(st.integers(i + 1, len(raw)))
    quote = raw[i:j]
    span = locate(doc, quote)
    if not quote.strip():
        assert span is None
        return
    assert span is not None
    assert raw[span.start:span.end] == span.text
    if "\u00a0" in quote.strip():  # not verbatim in the view: found once normalized
        assert span.alignment == "normalized"
        assert _normalize(span.text).text == _normalize(quote).text
    else:
        assert span.alignment == "exact"
        # the first place the view (no-break spaces made plain) says it, maybe with a no-break
        # space in the raw text where the quote has a plain one
        assert span.text.replace("\u00a0", " ") == quote.strip()


def test_a_quote_is_found_first_where_the_view_says_it_with_a_no_break_space() -> None:
    """Found by hypothesis: "a a" is first said at 10, as "a\u00a0a" in the raw text."""
    raw = 'aaaaaaaaa"a\u00a0a a'
    span = locate(Document(id="p", raw=raw), raw[11:15])
    assert span is not None
    assert (span.start, span.end, span.text, span.alignment) == (10, 13, "a\u00a0a", "exact")


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


# --- align: the seed cases ---------------------------------------------------------------------


def test_wrong_number_is_rejected_quoting_the_article() -> None:
    found = align(seed("001"), "Over 11,000 Palestinians")  # seed 001 says "Over 11,00"
    assert not found.found
    assert found.spans == ()
    assert "the article says 'Over 11,00 Palestinians', not '11,000'" in found.reason


@pytest.mark.parametrize(("prefix", "says"), [("000", "Over 11,000"), ("001", "Over 11,00")])
def test_changed_figure_in_a_longer_quote_is_rejected(prefix: str, says: str) -> None:
    found = align(seed(prefix), "Over 12,000 Palestinians have been killed")
    assert not found.found
    assert f"the article says '{says} Palestinians have been killed', not '12,000'" in found.reason


@pytest.mark.parametrize("quote", ["Over 11,00", "Over 1,100 Palestinians", "11,0", "1,20",
                                   "least 1,2", "Over 11,000 Palestinian children"])
def test_figure_cut_or_changed_is_never_grounded(quote: str) -> None:
    assert not align(seed("000"), quote).found  # seed 000 says "Over 11,000", "at least 1,200"


def test_malformed_figure_is_quoted_as_written_never_read_as_another() -> None:
    doc = seed("001")
    (span,) = align(doc, "Over 11,00 Palestinians").spans
    assert span.text == "Over 11,00 Palestinians"
    for value in (11000, 1100, 1100.0):
        reason = quantities.read_value(span.text, value)
        assert isinstance(reason, str)
        assert "malformed" in reason
    for quote in ("Over 11,000 Palestinians", "Over 1,100 Palestinians", "Over 1100 Palestinians"):
        assert not align(doc, quote).found


def test_bold_caption_maps_to_the_full_words_inside_the_markers() -> None:
    doc = seed("000")
    (span,) = align(doc, "Abed Rahim Khatib / dpa").spans
    assert span.text == "Abed Rahim Khatib / dpa"
    assert doc.raw[span.start - 2:span.start] == "**"
    assert doc.raw[span.end:span.end + 2] == "**"
    assert_invariant(doc, span)


def test_link_text_maps_to_the_full_words_inside_the_brackets() -> None:
    doc = seed("000")
    (span,) = align(doc, "First Russian Nationals Prepare to Evacuate Gaza \u2013 State Media").spans
    assert span.text == "First Russian Nationals Prepare to Evacuate Gaza \u2013 State Media"
    assert (doc.raw[span.start - 1], doc.raw[span.end]) == ("[", "]")
    (across,) = align(doc, "according to a statement released by").spans
    assert across.text == "according to a [statement](#) released by"
    assert_invariant(doc, across)


# --- align: ellipsis, fuzzy, guard, repeated passages ------------------------------------------


@pytest.mark.parametrize("joint", [" ... ", "...", " \u2026 ", " [...] "])
def test_ellipsis_gives_one_span_per_fragment_in_order(joint: str) -> None:
    doc = seed("000")
    quote = f"Russia has begun evacuating its citizens{joint}the Emergency Situations Ministry on Sunday"
    found = align(doc, quote)
    assert [s.text for s in found.spans] == ["Russia has begun evacuating its citizens",
                                             "the Emergency Situations Ministry on Sunday"]
    first, second = found.spans
    assert first.end < second.start
    assert second.start < doc.raw.index('"The Emergency')  # the first "on Sunday" after fragment 1
    for span in found.spans:
        assert_invariant(doc, span)
    assert locate(doc, quote) is None  # locate gives one span or none


def test_ellipsis_fragments_out_of_order_are_rejected() -> None:
    doc = seed("000")
    found = align(doc, "Kremlin spokesman Dmitry Peskov ... Russia has begun evacuating")
    assert not found.found
    assert "'Russia has begun evacuating' is not in the article after the previous" in found.reason


def test_ellipsis_fragment_with_a_changed_figure_is_rejected() -> None:
    found = align(seed("000"), "Nearly 600 Russian citizens ... More than 90 Russian citizens")
    assert not found.found
    assert "not '90'" in found.reason


def test_trailing_ellipsis_is_ignored() -> None:
    (span,) = align(seed("000"), "Nearly 600 Russian citizens are awaiting\u2026").spans
    assert span.text == "Nearly 600 Russian citizens are awaiting"


@pytest.mark.parametrize(
    ("quote", "text"),
    [
        ("Russia has begun evacuating citizens who are trapped",  # dropped "its"
         "Russia has begun evacuating its citizens who are trapped"),
        ("Emergency Situations Ministry has established temporary headquarters",  # dropped "a"
         "Emergency Situations Ministry has established a temporary headquarters"),
        ("Nearly 600 Russian citizen are awaiting evacuation",  # a singular for a plural
         "Nearly 600 Russian citizens are awaiting evacuation"),
        ("Israeli bombardment campaigns launched in response to the Hamas' surprise assault",
         "Israeli bombardment campaign launched in response to Hamas' surprise assault"),
    ],
)
def test_fuzzy_alignment_forgives_small_slips_with_a_score(quote: str, text: str) -> None:
    doc = seed("000")
    (span,) = align(doc, quote).spans
    assert span.text == text
    assert span.alignment == "fuzzy"
    assert span.score is not None
    assert FUZZY_THRESHOLD <= span.score < 1
    assert_invariant(doc, span)


def test_exact_and_normalized_spans_carry_no_score() -> None:
    doc = seed("000")
    assert align(doc, "Nearly 600 Russian citizens").spans[0].score is None
    assert align(doc, "nearly 600 russian citizens").spans[0].alignment == "normalized"


@pytest.mark.parametrize(
    ("quote", "says"),
    [
        ("Kremlin spokesman Dmitry Peskov told reporters on Friday", "not 'reporters'"),
        ("Russia has begun evacuating 900 citizens", "not '900'"),
        ("Moscow was cautiously optimistic about the evacuation", "not 'cautiously'"),
    ],
)
def test_fuzzy_alignment_never_swaps_a_word(quote: str, says: str) -> None:
    found = align(seed("000"), quote)
    assert not found.found
    assert says in found.reason


def test_short_quote_with_a_slip_is_not_fuzzy_matched() -> None:
    assert not align(seed("000"), "established temporary").found  # "established a temporary"
    assert align(seed("000"), "has established temporary headquarters").found


def test_negation_added_by_the_quote_is_rejected() -> None:
    found = align(seed("000"), "More than 60 Russian nationals were not confirmed to have crossed")
    assert not found.found
    assert ("the article says 'More than 60 Russian nationals were confirmed to have crossed', "
            "not 'not'") in found.reason


def test_negation_dropped_by_the_quote_is_rejected() -> None:
    doc = Document(id="n", raw="Officials said the deaths were not confirmed by the ministry.")
    found = align(doc, "the deaths were confirmed by the ministry")
    assert not found.found
    assert "'not'" in found.reason
    assert not align(doc, "ot confirmed").found  # cut out of "not": the span would hide it
    assert not align(Document(id="n", raw="They didn't leave."), "They did").found


def test_name_changed_by_the_quote_is_rejected() -> None:
    found = align(seed("000"), "Kremlin spokesman Sergei Peskov told journalists on Friday")
    assert not found.found
    assert "not 'Sergei'" in found.reason
    assert not align(seed("000"), "Kremlin spokesman Dmitry Pesk").found  # a cut name


def test_plural_of_a_name_is_not_forgiven() -> None:
    assert not align(seed("000"), "Nearly 600 Russians citizens are awaiting evacuation").found


def test_repeated_passage_nearest_to_the_evidence_wins() -> None:
    sentence = "Officials said the border is open."
    raw = f"{sentence} Trucks waited for hours at the gate. {sentence} Then it rained."
    doc = Document(id="r", raw=raw)
    second = raw.rindex(sentence)
    assert align(doc, "the border is open").spans[0].start == raw.index("the border")
    assert align(doc, "the border is open", near=len(raw)).spans[0].start == raw.rindex("the border")
    assert align(doc, "the border is open", near=0).spans[0].start == raw.index("the border")
    assert align(doc, "THE BORDER IS OPEN", near=second).spans[0].start == raw.rindex("the border")
    middle = (raw.index("the border") + raw.rindex("the border")) // 2
    assert align(doc, "the border is open", near=middle).spans[0].start in {
        raw.index("the border"), raw.rindex("the border")}
    assert align(doc, "the border is open", near=middle) == align(doc, "the border is open",
                                                                   near=middle)


def test_whole_word_occurrence_goes_before_a_cut_one() -> None:
    raw = "Gazans fled south. Gaza burned."
    (span,) = align(Document(id="w", raw=raw), "Gaza").spans
    assert span.start == raw.index("Gaza burned")


def test_empty_quote_and_absent_quote_reasons() -> None:
    doc = seed("000")
    assert align(doc, "  ").reason == "the quote is empty"
    assert align(doc, "Russia evacuated 2,000 citizens by plane").reason == (
        "quote not found in the article")


def test_fuzzy_span_score_is_checked_by_the_model() -> None:
    doc = Document(id="d", raw="hello world")
    span = make_span(doc, 0, 5, "fuzzy", 0.8)
    assert (span.alignment, span.score) == ("fuzzy", 0.8)
    with pytest.raises(ValueError, match="less than or equal to 1"):
        Span(doc_id="d", start=0, end=5, text="hello", alignment="fuzzy", score=1.5)


def _alter_digit(text: str, at: int) -> str:
    digit = text[at]
    return text[:at] + ("0" if digit != "0" else "7") + text[at + 1:]


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_every_one_digit_change_in_the_seeds_is_rejected(prefix: str) -> None:
    doc = seed(prefix)
    for match in re.finditer(r"\d", doc.view):
        start = doc.view.rfind(" ", 0, max(match.start() - 20, 0)) + 1
        end = doc.view.find(" ", match.end() + 20)
        passage = doc.view[start:end if end > 0 else len(doc.view)]
        assert align(doc, passage).found, passage
        altered = _alter_digit(passage, match.start() - start)
        assert not align(doc, altered).found, altered


# --- properties --------------------------------------------------------------------------------

_LETTERS = "abcdefgh\u00e9\u00f8\u0436\u03bb\u4e2d"
_SEPARATORS = [" ", " ", " ", "\r\n", "\n\n", "\u00a0", "  "]
_QUOTE_STYLES = str.maketrans({"'": "\u2019", "\u2019": "'", '"': "\u201c", "\u201c": '"'})


@st.composite
def _marked_up_documents(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], list[str]]:
    """A raw text of unique words, some runs in **bold** or [links](u), CRLF and odd spaces;
    with each word's raw range and its text."""
    words = draw(st.lists(st.text(alphabet=_LETTERS, min_size=2, max_size=6), min_size=2,
                          max_size=14, unique=True))
    words = [draw(st.sampled_from(["", "'", '"'])) + w if i % 3 == 0 else w
             for i, w in enumerate(words)]
    raw, ranges, i = "", [], 0
    while i < len(words):
        run = draw(st.integers(1, 3))
        wrap = draw(st.sampled_from(["plain", "plain", "bold", "link"]))
        raw += "**" if wrap == "bold" else "[" if wrap == "link" else ""
        for k, word in enumerate(words[i:i + run]):
            if k:
                raw += " "
            ranges.append((len(raw), len(raw) + len(word)))
            raw += word
        raw += "**" if wrap == "bold" else "](https://x.example/u)" if wrap == "link" else ""
        raw += draw(st.sampled_from(_SEPARATORS))
        i += run
    return raw, ranges, words


@settings(max_examples=120, deadline=None)
@given(data=st.data(), built=_marked_up_documents())
def test_perturbed_words_align_to_their_raw_offsets(
    data: st.DataObject, built: tuple[str, list[tuple[int, int]], list[str]]
) -> None:
    raw, ranges, words = built
    doc = Document(id="p", raw=raw)
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i + 1, min(len(words), i + 6)))
    gaps = [data.draw(st.sampled_from([" ", "  ", "\n", "\t", "\r\n"])) for _ in range(j - i)]
    quote = "".join(word + gap for word, gap in zip(words[i:j], gaps, strict=True)).strip()
    if data.draw(st.booleans()):
        quote = quote.translate(_QUOTE_STYLES)
    found = align(doc, quote)
    (span,) = found.spans
    assert raw[span.start:span.end] == span.text
    start, end = ranges[i][0], ranges[j - 1][1]
    # the span starts and ends at the quoted words; only markup may come along at either edge
    assert span.start <= start and set(raw[span.start:start]) <= set("*[")
    assert span.end >= end and set(raw[end:span.end]) <= set("**](https://x.example/u)")
    kept = "".join(raw[r] for r in doc.view_to_raw if span.start <= r < span.end)
    assert _normalize(kept).text == _normalize(quote).text


@settings(max_examples=120, deadline=None)
@given(data=st.data(), built=_marked_up_documents(),
       figures=st.lists(st.integers(0, 10**7), min_size=1, max_size=4, unique=True))
def test_a_quote_with_one_digit_changed_is_never_accepted(
    data: st.DataObject, built: tuple[str, list[tuple[int, int]], list[str]], figures: list[int]
) -> None:
    raw, _, words = built
    written = [f"{n:,}" if data.draw(st.booleans()) else str(n) for n in figures][:len(words)]
    raw = " ".join(f"{w} {n}" for w, n in zip(words, written, strict=False)) + " " + raw
    doc = Document(id="p", raw=raw)
    k = data.draw(st.integers(0, len(written) - 1))
    quote = f"{words[k]} {written[k]}"
    at = data.draw(st.sampled_from([m.start() for m in re.finditer(r"\d", quote)]))
    altered = _alter_digit(quote, at)
    found = align(doc, altered)
    changed = re.findall(r"\d+(?:[.,]\d+)*", altered)[-1]
    for span in found.spans:  # accepted only where the article really writes the changed figure
        assert raw[span.start:span.end] == span.text
        assert changed in re.findall(r"\d+(?:[.,]\d+)*", raw[span.start - 12:span.end + 12])
    if changed not in re.findall(r"\d+(?:[.,]\d+)*", raw):
        assert not found.found


def test_a_quote_is_aligned_once_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model's answer is validated (aligned) and grounded (aligned again): the second time
    is answered from the document, the same as the first; another `near` is its own question."""
    from summarizer.text import alignment

    calls: list[tuple[str, int | None]] = []
    real = alignment._align

    def counted(doc: Document, quote: str, near: int | None) -> alignment.Alignment:
        calls.append((quote, near))
        return real(doc, quote, near)

    monkeypatch.setattr(alignment, "_align", counted)
    doc = Document(id="d", raw="Russia began evacuating citizens. Russia said so.")
    first = alignment.align(doc, "Russia began")
    assert alignment.align(doc, "Russia began") == first and first.found
    assert alignment.align(doc, "Russia", near=40).spans[0].start == 34
    again = alignment.align(Document(id="e", raw=doc.raw), "Russia began")  # another document
    assert [(s.doc_id, s.start, s.end) for s in again.spans] == [("e", 0, 12)]
    assert calls == [("Russia began", None), ("Russia", 40), ("Russia began", None)]
