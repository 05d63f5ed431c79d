"""What our code finds in the article and the model left out: dates and figures, added as drafts.

A small model skips some of the dates and figures it was reminded of, and is not reminded of every
kind (the prompt lists `expressions.expressions_in`: days, weekdays, "last week"; not "in 2008", "the
fourth quarter" or "early June"). The "fill" variants add each date expression
(`expressions.date_expressions`, the one recognizer) and count figure (`count_phrases.count_phrases`)
the model did not report as a drafted item of its own; grounding then locates, resolves and reads it like
any other, so nothing here bypasses the span checks. `bench/CHANGELOG.md` (2026-11-23) measures
what it changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from summarizer.extract.drafts import DateDraft, QuantityDraft
from summarizer.normalize.count_phrases import count_phrases
from summarizer.normalize.expressions import date_expressions
from summarizer.normalize.quantities import figures


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
