"""Where a text mentions a date: the one recognizer of date expressions.

Two lists, one place. `expressions_in` holds the kinds the extraction prompt reminds the model of
(a weekday, a month and day, an ISO date, "last week", "yesterday"); `summarizer.normalize.temporal`
walks the same matches for the last day a text mentioned. `date_expressions` adds the kinds the
reminder leaves out (a month with no day, a year after a preposition, quarters, seasons, "N weeks
ago"), for the fill step (`summarizer.extract.fill`). Resolving an expression to a value is
`temporal.normalize`'s work, not this module's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from summarizer.normalize.lexicon import (
    MONTH_NAMES,
    MONTH_NUMBERS,
    ORDINALS,
    WEEKDAYS,
    alternation,
    counting_words,
)

_MONTH = r"\b(?:" + alternation(MONTH_NUMBERS) + r")\b\.?"
_REMINDED = re.compile(
    r"\b(?:on\s+)?(?:" + "|".join(WEEKDAYS) + r")\b(?:,\s*" + _MONTH + r"\s+\d{1,2}\b)?"
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:(?:earlier|later)\s+)?(?:this|last|next)\s+(?:week|month|year)\b"
    r"|\b(?:today|yesterday|tomorrow)\b",
    re.IGNORECASE,
)
# Month names are matched with their capital letter ("march" is a verb) and bare "May" is left out
# (a modal verb); "May 2008" is kept.
_CAPITALIZED_MONTHS = "|".join(name.capitalize() for name in MONTH_NAMES if name != "may")
_MORE = re.compile(
    rf"\b(?:(?:early|mid|late)[- ])?(?:{_CAPITALIZED_MONTHS})(?:\s+(?:19|20)\d\d)?\b(?!\s*\d)"
    r"|\bMay\s+(?:19|20)\d\d\b"
    r"|\b(?i:in|by|until|since|from|during|before|after|through)\s+(?:19|20)\d\d\b(?!\s*\d)"
    r"|\b(?i:the\s+(?:" + "|".join((*ORDINALS, "last")) + r")\s+quarter)(?:\s+of\s+(?:19|20)\d\d)?\b"
    r"|\b(?i:(?:this|last|next|in|during)\s+(?:the\s+)?(?:spring|summer|autumn|winter))\b"
    r"|\b(?i:(?:" + "|".join(counting_words(1, 10)) + r"|\d+)\s+"
    r"(?:days?|weeks?|months?|years?)\s+ago)\b"
    r"|\b(?i:recent\s+(?:days|weeks|months|years))\b")


def reminder_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches behind `expressions_in`, in order, repeats included."""
    return _REMINDED.finditer(text)


def expressions_in(text: str) -> list[str]:
    """Date expressions in `text`, in order, each once; used to remind the model of them."""
    seen: dict[str, None] = {}
    for match in _REMINDED.finditer(text):
        seen.setdefault(match.group(0).strip(), None)
    return list(seen)


def date_expressions(text: str) -> list[str]:
    """Every date expression our code finds in `text`, in order, each once: the prompt's reminders
    and the kinds it leaves out."""
    found = {m.start(): m.group(0).strip() for m in _MORE.finditer(text)}
    for expression in expressions_in(text):
        found.setdefault(text.find(expression), expression)
    return list(dict.fromkeys(found[start] for start in sorted(found)))
