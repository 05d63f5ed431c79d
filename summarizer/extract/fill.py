"""What our code finds in the article and the model left out: dates and figures, added as drafts.

A small model skips some of the dates and figures it was reminded of, and is not reminded of every
kind (the prompt lists `temporal.expressions_in`: days, weekdays, "last week"; not "in 2008", "the
fourth quarter" or "early June"). The "fill" variants add each date expression (`date_expressions`)
and count figure (`count_phrases.count_phrases`) the model did not report as a drafted item of its
own; grounding then locates, resolves and reads it like
any other, so nothing here bypasses the span checks. `bench/README.md` measures what it changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from summarizer.extract.drafts import DateDraft, QuantityDraft
from summarizer.normalize.count_phrases import count_phrases
from summarizer.normalize.quantities import figures
from summarizer.normalize.temporal import expressions_in

_MONTH_NAMES = ("January|February|March|April|June|July|August|September|October|November|December")
# Date expressions the prompt's reminder list (temporal.expressions_in) does not hold: a month with
# no day, a year after a preposition, quarters, seasons, "N weeks ago". Month names are matched with
# their capital letter ("march" is a verb) and bare "May" is left out (a modal verb).
_MORE_DATES = re.compile(
    rf"\b(?:(?:early|mid|late)[- ])?(?:{_MONTH_NAMES})(?:\s+(?:19|20)\d\d)?\b(?!\s*\d)"
    r"|\bMay\s+(?:19|20)\d\d\b"
    r"|\b(?i:in|by|until|since|from|during|before|after|through)\s+(?:19|20)\d\d\b(?!\s*\d)"
    r"|\b(?i:the\s+(?:first|second|third|fourth|last)\s+quarter)(?:\s+of\s+(?:19|20)\d\d)?\b"
    r"|\b(?i:(?:this|last|next|in|during)\s+(?:the\s+)?(?:spring|summer|autumn|winter))\b"
    r"|\b(?i:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
    r"(?:days?|weeks?|months?|years?)\s+ago)\b"
    r"|\b(?i:recent\s+(?:days|weeks|months|years))\b")


def date_expressions(text: str) -> list[str]:
    """Every date expression our code finds in `text`, in order, each once: the prompt's reminders
    and the kinds it leaves out."""
    found = {m.start(): m.group(0).strip() for m in _MORE_DATES.finditer(text)}
    for expression in expressions_in(text):
        found.setdefault(text.find(expression), expression)
    return list(dict.fromkeys(found[start] for start in sorted(found)))


def _covered(text: str, reported: Iterable[str]) -> bool:
    wanted = text.lower()
    return any(wanted in other or other in wanted for other in reported)  # "November 12" ~ "on November 12"


def missing_items(article: str, drafted: Iterable[tuple[str, BaseModel]],
                  kinds: Iterable[str] = ("dates", "figures")) -> list[tuple[str, BaseModel]]:
    """Date and quantity drafts (`kinds`: "dates", "figures") for what `article` (the model's view
    of it) says and `drafted` lacks."""
    kinds = set(kinds)
    drafted = list(drafted)
    dates = [d.expression.lower() for _, d in drafted if isinstance(d, DateDraft)]
    reported = [q for _, q in drafted if isinstance(q, QuantityDraft)]
    values = {q.value for q in reported}
    evidence = [q.evidence.lower() for q in reported]
    added: list[tuple[str, BaseModel]] = []
    for expression in date_expressions(article) if "dates" in kinds else []:
        if len(expression) >= 2 and not _covered(expression, dates):
            added.append(("when", DateDraft(expression=expression, event="")))
    for phrase in count_phrases(article) if "figures" in kinds else []:
        found = [f for f in figures(phrase) if f.value is not None]
        if not found or found[0].value in values or \
                any(found[0].text.lower() in quoted for quoted in evidence):
            continue
        figure = found[0]
        counted = phrase[figure.start + len(figure.text):].strip(" ,.;:")[:80]
        if len(phrase) >= 2:  # a lone digit is too short a quote to ground
            added.append(("quantities", QuantityDraft(evidence=phrase, value=figure.value,
                                                      counted=counted)))
    return added
