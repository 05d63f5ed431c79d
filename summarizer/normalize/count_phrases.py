"""The article's count figures as phrases to quote ("Nearly 600 Russian citizens"), found by our
code and listed in the figures prompt so that a small model reports every one of them."""

from __future__ import annotations

import re

from summarizer.normalize.lexicon import MONTH_NUMBERS, TENS, alternation, phrase_word_matches
from summarizer.normalize.quantities import Figure, figures, qualifier_before

_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# A month's name or any word it begins ("Sept.", "March"): the figure after it is a day.
_AFTER_MONTH = re.compile(r"(?:" + alternation(MONTH_NUMBERS) + r")[a-z]*\.?\s*$", re.IGNORECASE)
_COMPOUND = re.compile(r"\b(?:" + "|".join(TENS) + r")-", re.IGNORECASE)
_MONTH_LETTER = re.compile(r"[a-z]", re.IGNORECASE)  # the letters _AFTER_MONTH's [a-z] matches


_NOUN_STOP = re.compile(
    r"(?:are|were|is|was|have|has|had|will|would|may|might|can|could|to|in|on|at|from|by|for|"
    r"and|or|but|who|which|that|with|of|than|(?!family|ally|rally|assembly|supply|italy|july)\w+ly)$",
    re.IGNORECASE)


def _after_month(text: str, start: int) -> bool:
    """`_AFTER_MONTH.search(text[:start])`, searching only the letters, dot and spaces that end
    text[:start] (a match cannot begin before them): linear in the article, not quadratic."""
    at = start
    while at > 0 and text[at - 1].isspace():  # str.isspace is exactly regex \s
        at -= 1
    if at > 0 and text[at - 1] == ".":
        at -= 1
    while at > 0 and _MONTH_LETTER.match(text, at - 1):
        at -= 1
    return _AFTER_MONTH.search(text, at, start) is not None


def _count_figures(text: str) -> list[Figure]:
    """Figures that may count something: not years, not days of a month, in order, each once."""
    found: dict[str, Figure] = {}
    for figure in figures(text):
        hyphen = ("-" in _COMPOUND.sub("", figure.text)
                  or "-" in text[max(figure.start - 1, 0):figure.start] + text[figure.end:figure.end + 1])
        fraction = figure.value is not None and figure.value < 1 and not re.search(r"\d", figure.text)
        numbers = re.findall(r"[\d,.]+", figure.text)
        years = bool(numbers) and all(_YEAR.fullmatch(n) for n in numbers)
        if ((years and not figure.unit) or _after_month(text, figure.start)
                or figure.text.lower() == "one" or hyphen or fraction):
            continue  # a year, a day of a month, "one of", part of "2023-11-14" / "Six-Day", "half"
        found.setdefault(figure.text, figure)
    return sorted(found.values(), key=lambda f: f.start)


def counts_in(text: str) -> list[str]:
    """The figures of `text` that may count something, as written."""
    return [figure.text for figure in _count_figures(text)]


def count_phrases(text: str, max_words: int = 3) -> list[str]:
    """Each count figure with its qualifier and the few words naming what it counts, verbatim
    ("Nearly 600 Russian citizens"): shown to the model as the phrases to quote."""
    phrases = []
    for figure in _count_figures(text):
        start = figure.start
        if figure.qualifier != "exact":
            before = text[max(0, start - 24):start]
            words = re.search(r"(\w+(?:\s+\w+)*)\s*$", before)
            for length in (1, 2, 3):  # widen to the qualifier's own words ("more than")
                if words is None:
                    break
                tail = " ".join(words.group(1).split()[-length:])
                if qualifier_before(tail + " ", len(tail) + 1) == figure.qualifier:
                    start -= len(before) - before.lower().rfind(tail.lower())
                    break
        end = figure.end
        taken = 0
        for word in phrase_word_matches(text, end):
            gap = text[end:word.start()]
            if taken == max_words or gap.strip() or "\n" in gap or _NOUN_STOP.fullmatch(word[0]):
                break
            end, taken = word.end(), taken + 1
        phrases.append(text[start:end])
    return phrases
