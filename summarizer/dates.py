"""Resolve a date expression to an ISO value against the article's publication date.

Deterministic and deliberately small: explicit dates ("November 15", "Oct. 7", "2023-11-14",
"November 2023"), weekdays ("on Friday", past by default, forward in future-tense sentences), and a
few relative expressions ("today", "yesterday", "this week", "this month"). Anything else resolves
to None rather than to a guess.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"\b(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_MONTH_DAY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4}))?",
                        re.IGNORECASE)
_DAY_MONTH = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH
                        + r"(?:,?\s+(?P<year>\d{4}))?", re.IGNORECASE)
_MONTH_YEAR = re.compile(_MONTH + r",?\s+(?P<year>\d{4})\b", re.IGNORECASE)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_WEEKDAY = re.compile(r"\b(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(will|shall|is preparing|are preparing|plans? to|is due|are due|"
                     r"is expected|are expected|next|is set to|are set to|scheduled)\b",
                     re.IGNORECASE)


def parse_iso_date(text: str) -> date | None:
    """An explicit full date ("2023-11-14", "November 12, 2023") or None."""
    resolved = resolve(text, None)
    return date.fromisoformat(resolved) if resolved and len(resolved) == 10 else None


def _nearest_year(month: int, day: int, published: date) -> date | None:
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - published).days), default=None)


def resolve(expression: str, published: date | None, sentence: str = "") -> str | None:
    """The ISO value of `expression` (day, ISO week, month or year), or None if not determinable."""
    text = expression.strip()
    if match := _ISO.search(text):
        try:
            return date(int(match["year"]), int(match["month"]), int(match["day"])).isoformat()
        except ValueError:
            return None
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        if match := pattern.search(text):
            month, day = _MONTHS[match["month"].lower()], int(match["day"])
            try:
                if match["year"]:
                    return date(int(match["year"]), month, day).isoformat()
            except ValueError:
                return None
            found = _nearest_year(month, day, published) if published else None
            return found.isoformat() if found else None
    if match := _MONTH_YEAR.search(text):
        return f"{int(match['year']):04d}-{_MONTHS[match['month'].lower()]:02d}"
    if published is None:
        return None
    return _relative(text.lower(), published, sentence)


def _relative(text: str, published: date, sentence: str) -> str | None:
    if match := _WEEKDAY.search(text):
        target = _WEEKDAYS.index(match["weekday"].lower())
        if _FUTURE.search(sentence or text):
            ahead = (target - published.weekday()) % 7
            return (published + timedelta(days=ahead)).isoformat()
        back = (published.weekday() - target) % 7
        return (published - timedelta(days=back)).isoformat()
    if re.search(r"\btoday\b", text):
        return published.isoformat()
    if re.search(r"\byesterday\b", text):
        return (published - timedelta(days=1)).isoformat()
    if re.search(r"\btomorrow\b", text):
        return (published + timedelta(days=1)).isoformat()
    if re.search(r"\bthis week\b", text):
        year, week, _ = published.isocalendar()
        return f"{year}-W{week:02d}"
    if re.search(r"\bthis month\b", text):
        return f"{published.year:04d}-{published.month:02d}"
    if re.search(r"\bthis year\b", text):
        return f"{published.year:04d}"
    return None


_ANY_MONTH = _MONTH.replace("?P<month>", "?:")
_EXPRESSIONS = re.compile(
    r"\b(?:on\s+)?(?:" + "|".join(_WEEKDAYS) + r")\b(?:,\s*" + _ANY_MONTH + r"\s+\d{1,2}\b)?"
    r"|" + _ANY_MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:(?:earlier|later)\s+)?(?:this|last|next)\s+(?:week|month|year)\b"
    r"|\b(?:today|yesterday|tomorrow)\b",
    re.IGNORECASE,
)


def expressions_in(text: str) -> list[str]:
    """Date expressions in `text`, in order, each once; used to remind the model of them."""
    seen: dict[str, None] = {}
    for match in _EXPRESSIONS.finditer(text):
        seen.setdefault(match.group(0).strip(), None)
    return list(seen)
