"""Where the sentence around a stretch of raw text begins and ends.

A sentence ends at . ! ? (with any closing quotes or brackets) before whitespace, or at a line
break; not at the period of an abbreviation or an initial ("Oct. 7", "Mr. Peskov", "U.S. officials").
"""

from __future__ import annotations

import re

from summarizer.normalize.lexicon import MONTH_ABBREVIATIONS

_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+|\s*\n\s*")
_FIRST_WINDOW = 1024  # characters scanned back from an item before the window doubles
_BREAK_CHARS = ".!?\"'\u201d\u2019)]"  # with whitespace, every character a break can hold
_ABBREVIATION = re.compile(r"[A-Za-z]|Mrs?|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Sgt|Capt|Prof|No|vs|"
                           + "|".join(name.capitalize() for name in MONTH_ABBREVIATIONS))


def abbreviation(word: str) -> bool:
    """Whether a point after the word is an abbreviation's ("Oct", "Mr", a single letter)."""
    return bool(_ABBREVIATION.fullmatch(word))


def _ends_sentence(raw: str, match: re.Match[str]) -> bool:
    word = re.search(r"(\w+)\.$", raw[max(0, match.start() - 8):match.start() + 1])
    return not (word and _ABBREVIATION.fullmatch(word[1]))


def _breaks_before(raw: str, start: int, wanted: int) -> list[int]:
    """The ends of the last `wanted` sentence breaks in raw[:start] (all of them if fewer), found
    by scanning back from `start` in doubling windows rather than from 0: linear in the article,
    however many items are grounded. A window begins after a character no break can contain, so
    its matches are exactly those a scan from 0 finds there."""
    window = _FIRST_WINDOW
    while True:
        first = max(0, start - window)
        while first > 0 and (raw[first - 1] in _BREAK_CHARS or raw[first - 1].isspace()):
            first -= 1
        breaks = [m.end() for m in _BREAK.finditer(raw, first, start) if _ends_sentence(raw, m)]
        if len(breaks) >= wanted or first == 0:
            return breaks[-wanted:]
        window *= 2


def sentence_bounds(raw: str, start: int, end: int, before: int = 0) -> tuple[int, int]:
    """Raw offsets of the sentence(s) holding raw[start:end], plus `before` sentences before it,
    without surrounding whitespace."""
    breaks = _breaks_before(raw, start, before + 1)
    first = breaks[-1 - before] if len(breaks) > before else 0
    after = next((m for m in _BREAK.finditer(raw, end) if _ends_sentence(raw, m)), None)
    last = after.start() + 1 if after else len(raw)
    while first < last and raw[first].isspace():
        first += 1
    while last > first and raw[last - 1].isspace():
        last -= 1
    return first, last


def sentence_starts(raw: str) -> list[int]:
    """The raw offset where each sentence begins (0 first): the ends of the breaks above, in one
    scan of the text."""
    return [0, *(m.end() for m in _BREAK.finditer(raw) if _ends_sentence(raw, m) and m.end() < len(raw))]
