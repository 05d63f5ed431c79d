"""Read the figures written in a span of text, with their qualifiers ("nearly", "more than").

The model proposes a quantity and points at the words; this module reads those words and decides
whether they say that value. A malformed figure such as "11,00" is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.models import Qualifier

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_QUALIFIERS: tuple[tuple[str, Qualifier], ...] = (
    ("more than", "more than"), ("over", "more than"), ("above", "more than"),
    ("upwards of", "more than"), ("in excess of", "more than"),
    ("nearly", "approximately"), ("almost", "approximately"), ("about", "approximately"),
    ("around", "approximately"), ("roughly", "approximately"), ("approximately", "approximately"),
    ("some", "approximately"), ("an estimated", "approximately"),
    ("at least", "at least"), ("no fewer than", "at least"), ("no less than", "at least"),
    ("fewer than", "fewer than"), ("less than", "fewer than"), ("under", "fewer than"),
    ("at most", "at most"), ("no more than", "at most"), ("up to", "up to"),
)
_LONGEST_FIRST = sorted(_QUALIFIERS, key=lambda pair: len(pair[0]), reverse=True)
_FIGURE = re.compile(
    r"(?<![\w.,])(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s+(?P<scale>thousand|million|billion|trillion))?",
    re.IGNORECASE,
)
_WELL_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_WORD_FIGURE = re.compile(r"\b(?P<num>a dozen|" + "|".join(sorted(_WORDS, key=len, reverse=True))
                          + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """One figure as written: its value (None when malformed), qualifier and where it starts."""

    text: str
    value: float | None
    qualifier: Qualifier
    start: int


def _qualifier_before(text: str, start: int) -> Qualifier:
    before = text[max(0, start - 24):start].lower().rstrip()
    for words, qualifier in _LONGEST_FIRST:  # "no more than" before "more than"
        if re.search(rf"(?:^|\W){re.escape(words)}$", before):
            return qualifier
    return "exact"


def figures(text: str) -> list[Figure]:
    """Every figure in `text`, digits first, then number words."""
    found: list[Figure] = []
    for match in _FIGURE.finditer(text):
        written = match["num"].rstrip(",")
        value: float | None = None
        if _WELL_GROUPED.fullmatch(written):
            value = float(written.replace(",", ""))
            if match["scale"]:
                value *= _SCALES[match["scale"].lower()]
        found.append(Figure(match.group(0).rstrip(","), value,
                            _qualifier_before(text, match.start()), match.start()))
    for match in _WORD_FIGURE.finditer(text):
        found.append(Figure(match.group(0), float(_WORDS[match["num"].lower()]),
                            _qualifier_before(text, match.start()), match.start()))
    return found


def read_value(text: str, value: float) -> Figure | str:
    """The figure in `text` that says `value`, or the reason none does."""
    written = figures(text)
    for figure in written:
        if figure.value is not None and abs(figure.value - value) < 1e-9 * max(1.0, abs(value)):
            return figure
    malformed = [f.text for f in written if f.value is None]
    if malformed:
        return f"the figure {malformed[0]!r} in the text is malformed; {value:g} cannot be confirmed"
    if not written:
        return f"the quoted text contains no figure for {value:g}"
    shown = ", ".join(f.text for f in written)
    return f"the quoted text says {shown}, not {value:g}"


_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_AFTER_MONTH = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$",
                          re.IGNORECASE)


_NOUN_STOP = re.compile(
    r"(?:are|were|is|was|have|has|had|will|would|may|might|can|could|to|in|on|at|from|by|for|"
    r"and|or|but|who|which|that|with|of|than|(?!family|ally|rally|assembly|supply|italy|july)\w+ly)$",
    re.IGNORECASE)
_WORD = re.compile(r"[^\W\d][\w'\u2019-]*|\d[\d,.]*")


def _count_figures(text: str) -> list[Figure]:
    """Figures that may count something: not years, not days of a month, in order, each once."""
    found: dict[str, Figure] = {}
    for figure in figures(text):
        end = figure.start + len(figure.text)
        if (_YEAR.fullmatch(figure.text) or _AFTER_MONTH.search(text[:figure.start])
                or figure.text.lower() == "one" or "-" in text[max(figure.start - 1, 0):end + 1]):
            continue  # a year, a day of a month, "one of", or part of "2023-11-14" / "Six-Day"
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
                if _qualifier_before(tail + " ", len(tail) + 1) == figure.qualifier:
                    start -= len(before) - before.lower().rfind(tail.lower())
                    break
        end = figure.start + len(figure.text)
        taken = 0
        for word in _WORD.finditer(text, end):
            gap = text[end:word.start()]
            if taken == max_words or gap.strip() or "\n" in gap or _NOUN_STOP.fullmatch(word[0]):
                break
            end, taken = word.end(), taken + 1
        phrases.append(text[start:end])
    return phrases
