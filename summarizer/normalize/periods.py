"""Calendar periods with TIMEX3 values, and the year rule for dates written without a year.

A `Period` is a value ("2023-W45", "2023-SU") with the first and last day it covers, so that periods
of any granularity compare with a publication date in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta

from summarizer.normalize.tense import Tense

Granularity = Literal[
    "part-of-day", "day", "weekend", "week", "month", "season", "quarter", "year", "decade"
]

NEAR_DAYS = 31
"""A year-less date this close to publication is the occurrence meant, whatever the tense says."""

SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "autumn": ("FA", 9), "fall": ("FA", 9),
           "winter": ("WI", 12)}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}


@dataclass(frozen=True)
class Period:
    value: str
    granularity: Granularity
    start: date
    end: date

    def part_of_day(self, part: str) -> Period:
        """This day narrowed to "morning", "evening"...: 2023-11-12TMO."""
        value = f"{self.value}T{PARTS_OF_DAY[part]}"
        return Period(value, "part-of-day", self.start, self.end)


def day(d: date) -> Period:
    return Period(d.isoformat(), "day", d, d)


def day_in(year: int, month: int, day_of_month: int) -> Period | None:
    try:
        return day(date(year, month, day_of_month))
    except ValueError:  # 29 February in a common year
        return None


def week(d: date) -> Period:
    """The ISO week (Monday to Sunday) containing `d`."""
    year, number, _ = d.isocalendar()
    monday = d - timedelta(days=d.weekday())
    return Period(f"{year:04d}-W{number:02d}", "week", monday, monday + timedelta(days=6))


def week_of_month(year: int, number: int, ordinal: int) -> Period:
    """"the first/last week of March": the ISO week holding its first/last Thursday (most of the
    week lies in the month, ISO's own rule for week 1); `ordinal` 1 to 4, or -1 for the last."""
    if ordinal > 0:
        first = date(year, number, 1)
        return week(first + timedelta(days=(3 - first.weekday()) % 7 + 7 * (ordinal - 1)))
    end = date(year, number, 1) + relativedelta(months=1, days=-1)
    return week(end - timedelta(days=(end.weekday() - 3) % 7))


def weekend(saturday: date) -> Period:
    year, number, _ = saturday.isocalendar()
    return Period(f"{year:04d}-W{number:02d}-WE", "weekend", saturday, saturday + timedelta(days=1))


def weekend_near(published: date, rel: str | None, tense: Tense | None) -> Period:
    """"the weekend", "this/last/next weekend": back by default, forward in future tense."""
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)  # latest Saturday <= pub
    if rel == "last":
        ended = saturday + timedelta(days=1) < published
        return weekend(saturday if ended else saturday - timedelta(weeks=1))
    if rel in ("next", "coming") or (rel in (None, "this") and tense == "future"):
        current = published.weekday() >= 5 and rel != "next"
        return weekend(saturday if current else saturday + timedelta(weeks=1))
    return weekend(saturday)


def _months(year: int, month: int, count: int, value: str, granularity: Granularity) -> Period:
    start = date(year, month, 1)
    return Period(value, granularity, start, start + relativedelta(months=count, days=-1))


def month(year: int, number: int) -> Period:
    return _months(year, number, 1, f"{year:04d}-{number:02d}", "month")


def month_of(d: date) -> Period:
    return month(d.year, d.month)


def quarter(year: int, number: int) -> Period:
    return _months(year, 3 * number - 2, 3, f"{year:04d}-Q{number}", "quarter")


def quarter_of(d: date) -> Period:
    return quarter(d.year, (d.month - 1) // 3 + 1)


def season(year: int, name: str) -> Period:
    code, first_month = SEASONS[name]
    return _months(year, first_month, 3, f"{year:04d}-{code}", "season")


def year(number: int) -> Period:
    return Period(f"{number:04d}", "year", date(number, 1, 1), date(number, 12, 31))


def decade(first_three_digits: str) -> Period:
    first = int(first_three_digits) * 10
    return Period(first_three_digits, "decade", date(first, 1, 1), date(first + 9, 12, 31))


def distance(period: Period, published: date) -> int:
    """Days between the period and the publication date; 0 when it contains it."""
    if period.start <= published <= period.end:
        return 0
    return min(abs((period.start - published).days), abs((period.end - published).days))


def pick_year(make: Callable[[int], Period | None], published: date, tense: Tense | None) -> Period | None:
    """The occurrence (year before, of, or after publication) of a year-less period to take.

    Nearest the publication date in the direction of the tense; none known, nearest; and an
    occurrence within NEAR_DAYS of publication wins over the tense, which the caller then flags.
    """
    candidates = [p for y in range(published.year - 1, published.year + 2) if (p := make(y))]
    if not candidates:
        return None
    nearest = min(candidates, key=lambda p: distance(p, published))
    if tense == "past":
        before = [p for p in candidates if p.start <= published]
        chosen = max(before, key=lambda p: p.start) if before else nearest
    elif tense == "future":
        after = [p for p in candidates if p.end >= published]
        chosen = min(after, key=lambda p: p.start) if after else nearest
    else:
        chosen = nearest
    return nearest if distance(nearest, published) <= NEAR_DAYS else chosen


def previous_or_next(make: Callable[[int], Period | None], published: date, rel: str) -> Period | None:
    """"last March" is the latest March wholly before publication; "next March" the first after."""
    if rel == "last":
        options = [p for y in (published.year, published.year - 1) if (p := make(y))]
        return next((p for p in options if p.end < published), None)
    options = [p for y in (published.year, published.year + 1) if (p := make(y))]
    return next((p for p in options if p.start > published), None)
