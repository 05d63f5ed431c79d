"""Resolving date expressions against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer.dates import parse_iso_date, resolve

SUNDAY = date(2023, 11, 12)  # seed 000 / 001
TUESDAY = date(2023, 11, 14)  # seed 002


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on Sunday", "2023-11-12"),
        ("on Friday", "2023-11-10"),
        ("on Monday", "2023-11-06"),
        ("this week", "2023-W45"),
        ("earlier this month", "2023-11"),
        ("this year", "2023"),
        ("today", "2023-11-12"),
        ("yesterday", "2023-11-11"),
        ("tomorrow", "2023-11-13"),
        ("Oct. 7", "2023-10-07"),
        ("on Oct. 7", "2023-10-07"),
    ],
)
def test_resolve_against_sunday(expression: str, expected: str) -> None:
    assert resolve(expression, SUNDAY) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Wednesday, November 15", "2023-11-15"),
        ("November 13", "2023-11-13"),
        ("October 7", "2023-10-07"),
        ("On October 7", "2023-10-07"),
        ("2023-11-14", "2023-11-14"),
        ("15 November 2023", "2023-11-15"),
        ("Nov. 13th", "2023-11-13"),
        ("November 2023", "2023-11"),
    ],
)
def test_resolve_against_tuesday(expression: str, expected: str) -> None:
    assert resolve(expression, TUESDAY) == expected


def test_weekday_defaults_to_the_past() -> None:
    assert resolve("on Wednesday", TUESDAY) == "2023-11-08"


def test_future_tense_sentence_goes_forward() -> None:
    sentence = (
        "The next group with Russians evacuated from the Gaza Strip is preparing to fly from "
        "Cairo to Moscow on Wednesday, November 15."
    )
    assert resolve("on Wednesday", TUESDAY, sentence) == "2023-11-15"
    assert resolve("on Wednesday", TUESDAY, "The plane will land on Wednesday.") == "2023-11-15"


def test_month_day_picks_the_nearest_year() -> None:
    assert resolve("December 30", date(2024, 1, 3)) == "2023-12-30"
    assert resolve("January 2", date(2023, 12, 28)) == "2024-01-02"


def test_explicit_dates_need_no_publication_date() -> None:
    assert resolve("2023-11-14", None) == "2023-11-14"
    assert resolve("November 12, 2023", None) == "2023-11-12"
    assert resolve("November 13", None) is None
    assert resolve("on Friday", None) is None


@pytest.mark.parametrize(
    "expression",
    [
        "at some point",
        "recently",
        "2023-02-30",
        "November 31",
        # month abbreviations inside other words are not months
        "Omar 12",
        "12 mayors",
        "in 3 separate attacks",
        "Azerbaijan 2023",
    ],
)
def test_unresolvable_expression_is_none(expression: str) -> None:
    assert resolve(expression, TUESDAY) is None


def test_parse_iso_date() -> None:
    assert parse_iso_date("November 12, 2023") == date(2023, 11, 12)
    assert parse_iso_date("2023-11-14") == date(2023, 11, 14)
    assert parse_iso_date("November 2023") is None
    assert parse_iso_date("November 12") is None
    assert parse_iso_date("not a date") is None
