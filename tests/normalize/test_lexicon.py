"""The one lexicon: vocabulary and tokenizers, with exact values; and the shared amount formatter."""

from __future__ import annotations

import re
from datetime import date
from types import ModuleType

import pytest

from summarizer.extract import support
from summarizer.normalize.lexicon import (
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    MONTH_NUMBERS,
    NEGATIONS,
    NUMBER_WORDS,
    ORDINALS,
    SMALL_NUMBERS,
    TENS,
    WEEKDAYS,
    alternation,
    answer_tokens,
    capitalized_words,
    content_words,
    counting_words,
    figure_or_word_matches,
    is_negation,
    letter_words,
    phrase_word_matches,
    token_matches,
    words,
)
from summarizer.output.amounts import amount
from summarizer.output.summary import Quantity, Span
from summarizer.text import alignment
from summarizer.text.document import Document


def test_month_names_abbreviations_and_numbers() -> None:
    assert MONTH_NAMES == ("january", "february", "march", "april", "may", "june", "july", "august",
                           "september", "october", "november", "december")
    assert MONTH_ABBREVIATIONS == ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                                   "oct", "nov", "dec")
    assert len(MONTH_NUMBERS) == 24
    assert (MONTH_NUMBERS["may"], MONTH_NUMBERS["sept"], MONTH_NUMBERS["sep"], MONTH_NUMBERS["dec"]) == (
        5, 9, 9, 12)


def test_weekdays_follow_date_weekday() -> None:
    monday = date(2023, 11, 13)
    assert [WEEKDAYS[date(2023, 11, 13 + k).weekday()] for k in range(7)] == list(WEEKDAYS)
    assert WEEKDAYS[monday.weekday()] == "monday"
    assert WEEKDAYS[6] == "sunday"


def test_number_words() -> None:
    assert list(SMALL_NUMBERS) == [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    assert list(SMALL_NUMBERS.values()) == list(range(20))
    assert TENS == {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                    "eighty": 80, "ninety": 90}
    assert len(NUMBER_WORDS) == 20 + 8 + 6 + 7  # small, tens, multipliers, vague plurals
    assert {"nineteen", "ninety", "dozen", "trillion", "hundreds", "scores"} <= NUMBER_WORDS
    assert "a" not in NUMBER_WORDS and "first" not in NUMBER_WORDS
    assert ORDINALS == {"first": 1, "second": 2, "third": 3, "fourth": 4}


def test_counting_words_take_a_and_an_as_one() -> None:
    assert counting_words(1, 3) == {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}
    assert list(counting_words(1, 12))[-1] == "twelve"
    assert len(counting_words(1, 10)) == 12


def test_alternation_is_escaped_and_longest_first() -> None:
    assert alternation(["sep", "may", "september", "sept"]) == "september|sept|sep|may"
    assert alternation(["$", "US$"]) == r"US\$|\$"
    assert re.fullmatch(f"(?:{alternation(MONTH_NUMBERS)})", "sept")


def test_words_keep_inner_separators() -> None:
    assert words("U.S. officials said 11,000 don\u2019t, 3.5%") == [
        "u.s", "officials", "said", "11,000", "don\u2019t", "3.5"]


def test_content_words_drop_stop_words_and_plural_s() -> None:
    assert content_words("The Russian citizens\u2019 flights were cancelled by a U.S. carrier") == {
        "russian", "citizen", "flight", "cancelled", "u.s", "carrier"}
    assert content_words("Reuters's boss is in class") == {"reuter", "boss", "class"}


def test_token_matches_are_words_and_single_symbols_with_offsets() -> None:
    assert [(m.group(), m.start(), m.end()) for m in token_matches("Hi, U.S.!")] == [
        ("Hi", 0, 2), (",", 2, 3), ("U.S", 4, 7), (".", 7, 8), ("!", 8, 9)]


def test_figure_or_word_matches_keep_figures_and_words_apart() -> None:
    assert [m.group() for m in figure_or_word_matches("abc123 U.S. 11,000 don't 3.5%")] == [
        "abc", "123", "U", "S", "11,000", "don't", "3.5"]


def test_letter_words_and_capitalized_words() -> None:
    assert letter_words("Mr. O\u2019Brien, 3rd O'Neil") == ["Mr", "O\u2019Brien", "rd", "O'Neil"]
    assert capitalized_words("the EADS and U.S. Boeing's A380 jets") == ["EADS", "Boeing", "A380"]


def test_phrase_word_matches_keep_hyphens() -> None:
    text = "600 Russian citizens, cease-fire 1,200"
    assert [m.group() for m in phrase_word_matches(text, 3)] == [
        "Russian", "citizens", "cease-fire", "1,200"]


def test_answer_tokens_follow_squad() -> None:
    assert answer_tokens("The U.S. Army, a unit of an army") == ["us", "army", "unit", "of", "army"]
    assert answer_tokens("the") == []


@pytest.mark.parametrize("word", sorted(NEGATIONS))
def test_every_negation_blocks_alignment_and_support_alike(word: str) -> None:
    """One list for both rules: a quote that leaves out any of the lexicon's negations is not
    aligned, and a statement that adds one is not supported ("refuse" and "refuses" were once
    missing from the alignment guard's own copy)."""
    doc = Document(id="n", raw=f"Officials said the deaths were {word} confirmed by the ministry.")
    found = alignment.align(doc, "the deaths were confirmed by the ministry")
    assert not found.found
    assert f"with {word!r}, which the quote leaves out" in found.reason
    verdict = support.check(f"Russian citizens are {word} awaiting evacuation",
                            "Nearly 600 Russian citizens are awaiting evacuation from the Gaza Strip")
    assert verdict == support.Verdict("unsupported", f"the statement adds the negation {word!r}")


@pytest.mark.parametrize("module", [alignment, support], ids=lambda module: module.__name__)
def test_the_negation_rules_read_the_lexicons_test(module: ModuleType) -> None:
    """Neither rule keeps a copy of its own: each holds the lexicon's `is_negation` itself."""
    assert any(value is is_negation for value in vars(module).values())
    assert not any(value is NEGATIONS or (isinstance(value, frozenset) and "never" in value)
                   for value in vars(module).values())


def test_is_negation() -> None:
    assert [is_negation(w) for w in ("not", "refuses", "wasn't", "knot", "note")] == [
        True, True, True, False, False]


def _quantity(value: float | None, high: float | None = None, unit: str | None = None) -> Quantity:
    written = "11,00" if value is None else "x"
    return Quantity(value=value, range_high=high, unit=unit, counted="x", qualifier="exact",
                    written=written, malformed=value is None,
                    spans=[Span(doc_id="d", start=0, end=len(written), text=written)])


def test_amount_for_people_and_compact() -> None:
    big = _quantity(4e10, unit="USD")
    assert amount(big) == "40,000,000,000 USD"
    assert amount(big, compact=True) == "4e+10 USD"
    ranged = _quantity(30, 40, "percent")
    assert amount(ranged) == "30\u201340 percent"
    assert amount(ranged, compact=True) == "30-40 percent"
    assert amount(_quantity(2.5)) == "2.5"
    assert amount(_quantity(1234567.5), compact=True) == "1.23457e+06"
    assert amount(_quantity(None)) == "malformed figure \u201c11,00\u201d (not read)"
    assert amount(_quantity(None), compact=True) == "11,00 (malformed)"
