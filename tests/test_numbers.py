"""Reading figures and their qualifiers from quoted text."""

from __future__ import annotations

import pytest

from summarizer.numbers import Figure, figures, read_value


def read(text: str, value: float) -> Figure:
    figure = read_value(text, value)
    assert isinstance(figure, Figure), figure
    return figure


@pytest.mark.parametrize(
    ("text", "value", "written", "qualifier"),
    [
        ("Nearly 600 Russian citizens", 600, "600", "approximately"),
        ("More than 80 Russian citizens", 80, "80", "more than"),
        ("at least 1,200 people", 1200, "1,200", "at least"),
        ("Over 11,000 Palestinians", 11000, "11,000", "more than"),
        ("including more than 4,400 children", 4400, "4,400", "more than"),
        ("98 people on board", 98, "98", "exact"),
        ("about 2.5 million people", 2_500_000, "2.5 million", "approximately"),
        ("up to a dozen flights", 12, "a dozen", "up to"),
        ("no fewer than 40 people", 40, "40", "at least"),
        ("no more than 40 people", 40, "40", "at most"),
        ("no less than 40 people", 40, "40", "at least"),
        ("fewer than 40 people", 40, "40", "fewer than"),
    ],
)
def test_read_value_with_qualifier(text: str, value: float, written: str, qualifier: str) -> None:
    figure = read(text, value)
    assert figure.value == value
    assert figure.text == written
    assert figure.qualifier == qualifier
    assert text[figure.start:].startswith(written)


def test_figures_in_seed_phrase() -> None:
    found = figures("Nearly 600 Russian citizens")
    assert [(f.text, f.value, f.qualifier, f.start) for f in found] == [
        ("600", 600.0, "approximately", 7)
    ]


def test_digits_and_number_words_together() -> None:
    text = "the group includes 37 Russians and three Palestinian family members"
    assert [(f.text, f.value) for f in figures(text)] == [("37", 37.0), ("three", 3.0)]
    assert read(text, 37).qualifier == "exact"
    assert read(text, 3).text == "three"


def test_trailing_comma_is_not_part_of_figure() -> None:
    (figure,) = figures("killed 1,200, mostly civilians")
    assert figure.text == "1,200"
    assert figure.value == 1200


def test_malformed_figure_is_reported_not_guessed() -> None:
    (figure,) = figures("Over 11,00 Palestinians")
    assert figure.value is None
    assert figure.text == "11,00"
    reason = read_value("Over 11,00 Palestinians", 11000)
    assert isinstance(reason, str)
    assert "malformed" in reason
    assert "11,00" in reason


def test_malformed_figure_is_not_read_as_1100() -> None:
    assert isinstance(read_value("Over 11,00 Palestinians", 1100), str)


def test_wrong_value_gives_reason() -> None:
    reason = read_value("98 people on board", 99)
    assert isinstance(reason, str)
    assert "98" in reason
    assert "99" in reason


def test_no_figure_gives_reason() -> None:
    reason = read_value("Russia has begun evacuating its citizens", 600)
    assert isinstance(reason, str)
    assert "no figure" in reason


def test_digit_inside_a_word_or_decimal_is_not_a_figure() -> None:
    assert figures("A320 jets") == []
    assert [f.value for f in figures("the 3.5 mark")] == [3.5]
