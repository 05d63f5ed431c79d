"""What our code finds in the article and the model left out: dates and figures, added as drafts.

A small model skips some of the dates and figures it was reminded of. The code already finds them
(`temporal.expressions_in`, `count_phrases.count_phrases`), so the "fill" variants add each one the
model did not report as a drafted item of its own; grounding then locates, resolves and reads it like
any other, so nothing here bypasses the span checks. `bench/README.md` measures what it changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from summarizer.count_phrases import count_phrases
from summarizer.drafts import DateDraft, QuantityDraft
from summarizer.quantities import figures
from summarizer.temporal import expressions_in


def _covered(text: str, reported: Iterable[str]) -> bool:
    wanted = text.lower()
    return any(wanted in other or other in wanted for other in reported)  # "November 12" ~ "on November 12"


def missing_items(article: str, drafted: Iterable[tuple[str, BaseModel]]) -> list[tuple[str, BaseModel]]:
    """Date and quantity drafts for what `article` (the model's view of it) says and `drafted` lacks."""
    drafted = list(drafted)
    dates = [d.expression.lower() for _, d in drafted if isinstance(d, DateDraft)]
    reported = [q for _, q in drafted if isinstance(q, QuantityDraft)]
    values = {q.value for q in reported}
    evidence = [q.evidence.lower() for q in reported]
    added: list[tuple[str, BaseModel]] = []
    for expression in expressions_in(article):
        if len(expression) >= 2 and not _covered(expression, dates):
            added.append(("when", DateDraft(expression=expression, event="")))
    for phrase in count_phrases(article):
        found = [f for f in figures(phrase) if f.value is not None]
        if not found or found[0].value in values or \
                any(found[0].text.lower() in quoted for quoted in evidence):
            continue
        figure = found[0]
        counted = phrase[figure.start + len(figure.text):].strip(" ,.;:")
        added.append(("quantities", QuantityDraft(evidence=phrase, value=figure.value,
                                                  counted=counted)))
    return added
