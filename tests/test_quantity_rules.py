"""Edges of range reading in summarizer.normalize.quantities that mutation testing found unpinned."""

from __future__ import annotations

import pytest

from summarizer.normalize.quantities import figures


def read(text: str) -> list[tuple[str, float | None, float | None, bool]]:
    return [(f.text, f.value, f.high, f.malformed) for f in figures(text)]


def test_equal_ends_are_two_figures_not_a_range() -> None:
    assert read("40-40 people") == [("40", 40, None, False), ("40", 40, None, False)]


def test_the_low_end_borrows_the_scale_only_when_it_is_below_the_high_figure() -> None:
    assert read("12 to 20 million") == [("12 to 20 million", 12e6, 20e6, False)]
    assert read("300 to 2 million") == [("300 to 2 million", 300, 2e6, False)]


@pytest.mark.parametrize("text", ["dozens to 40 people", "40 to dozens of people"])
def test_a_vague_end_makes_no_range(text: str) -> None:
    assert [high for _, _, high, _ in read(text)] == [None, None]


@pytest.mark.parametrize(("text", "written"), [("between 1,20 and 40 people", "between 1,20 and 40"),
                                               ("30 to 1,20 people", "30 to 1,20")])
def test_a_malformed_end_makes_the_whole_range_malformed(text: str, written: str) -> None:
    assert read(text) == [(written, None, None, True)]
