"""Align two word sequences one way from an anchor, forgiving only small slips.

The fuzzy attempt of `summarizer.text.alignment` anchors a quote's rare word in the article and walks
out from it both ways. A walk forgives, at a cost of 1 each: a singular for a plural (or a
possessive), one article for another, and a slip word (an article, a possessive determiner,
"that") that one side has and the other lacks. Any other difference (a changed, missing or extra
word) costs 3 and is recorded, so the caller can reject the match and say which word differs.
Words are lowercased tokens; figures only ever match themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.normalize import lexicon

ARTICLES = frozenset(lexicon.ARTICLES)
SLIPS = ARTICLES | {"its", "their", "his", "her", "that"}  # words a fuzzy match may drop or add


def variant(a: str, b: str) -> bool:
    """Singular and plural (or possessive) of one word: "citizen"/"citizens", "city"/"cities"."""
    if a == b or a[:2] != b[:2] or abs(len(a) - len(b)) > 3 or not a[:1].isalpha():
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 3:
        return False
    if long.startswith(short) and long[len(short):] in ("s", "es", "'s", "'"):
        return True
    return short.endswith("y") and long == short[:-1] + "ies"


def same(a: str | None, b: str | None) -> bool:
    """The same word, or its plural or singular."""
    return a is not None and b is not None and (a == b or variant(a, b))


def forms(word: str) -> set[str]:
    """Words `same` may match, for looking anchors up in the index."""
    if len(word) < 3 or not word[0].isalpha():
        return {word}
    found = {word, word + "s", word + "es", word + "'s", word + "'"}
    for tail in ("s", "es", "'s", "'"):
        if word.endswith(tail) and len(word) - len(tail) >= 3:
            found.add(word[: -len(tail)])
    if word.endswith("y"):
        found.add(word[:-1] + "ies")
    if word.endswith("ies") and len(word) >= 5:
        found.add(word[:-3] + "y")
    return found


@dataclass(frozen=True)
class Walk:
    """One way of an alignment out from the anchor: what it cost and what differed."""

    cost: int
    edge: int  # the outermost document word taken
    equal: int  # quote words found as written
    variants: int  # quote words found as the plural or singular
    slips: int  # cheap differences: a dropped article, a plural
    breaks: tuple[str, ...]  # quote words changed or missing in the article
    extras: int  # other words of the article that the quote leaves out
    dropped: tuple[str, ...]  # slip words of the quote the article lacks
    added: tuple[str, ...]  # slip words of the article the quote lacks


def walk(q: Sequence[str], d: Sequence[str], i: int, j: int, step: int, budget: int) -> Walk | None:
    """Align q from word i with d from word j, going one way (step +1 or -1), greedily."""

    def at(seq: Sequence[str], k: int) -> str | None:
        return seq[k] if 0 <= k < len(seq) else None

    cost, edge, equal, variants, slips, extras = 0, j - step, 0, 0, 0, 0
    breaks: list[str] = []
    dropped: list[str] = []
    added: list[str] = []
    while 0 <= i < len(q):
        a, b = q[i], at(d, j)
        a2, b2 = at(q, i + step), at(d, j + step)
        if b is None:
            rest = q[i:] if step > 0 else q[: i + 1]
            breaks.extend(rest)
            cost += 3 * len(rest)
            break
        if a == b or variant(a, b) or (a in ARTICLES and b in ARTICLES):
            if a == b:
                equal += 1
            else:
                cost, slips, variants = cost + 1, slips + 1, variants + variant(a, b)
            edge, i, j = j, i + step, j + step
        elif b in SLIPS and same(a, b2):
            cost, slips, j = cost + 1, slips + 1, j + step
            added.append(b)
        elif a in SLIPS and (a2 is None or same(a2, b)):
            cost, slips, i = cost + 1, slips + 1, i + step
            dropped.append(a)
        elif a2 is not None and not same(a2, b2) and same(a2, b):
            breaks.append(a)  # a quote word the article lacks
            cost, i = cost + 3, i + step
        elif a2 is not None and not same(a2, b2) and same(a, b2):
            cost, extras, j = cost + 3, extras + 1, j + step  # an article word the quote lacks
        else:
            breaks.append(a)  # a changed word
            cost, edge, i, j = cost + 3, j, i + step, j + step
        if cost > budget:
            return None
    return Walk(cost, edge, equal, variants, slips, tuple(breaks), extras, tuple(dropped),
                 tuple(added))
