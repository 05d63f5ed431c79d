"""Which way a date expression points: the tense of the words nearest it in its sentence.

Deliberately shallow: a fixed list of markers, and the one nearest the expression decides. Future
markers ("will", "is set to", "is preparing to", "until") are found first and mask what they contain
("is expected" is not a past "-ed"); past markers are auxiliaries, common irregular pasts and
lowercase "-ed" words. With no marker the tense is unknown and the caller applies its default.
"""

from __future__ import annotations

import re
from typing import Literal

Tense = Literal["past", "future"]

_FUTURE = re.compile(
    r"\b(?:(?:will|wo\s?n't|shall|would|should|(?-i:may)|might)(?:\s+not)?"
    r"(?:\s+(?:be|have(?:\s+been)?)\s+\w+)?"  # "should be completed" is no past "-ed"
    r"|going to|'ll"
    r"|(?:is|are|was|were|be)\s+(?:set|due|scheduled|expected|slated|poised|about|preparing|"
    r"planning|going|to)"
    r"|scheduled|expected to|plans?\s+to|intends?\s+to|aims?\s+to|prepar(?:es|ing)\s+to|upcoming"
    r"|until|till|next)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|ago|earlier|previously|last|already|been|begun|began|became|"
    r"came|fell|rose|met|left|took|gave|made|saw|went|won|lost|sold|paid|held|led|spoke|wrote|"
    r"knew|brought|bought|found|got|struck|flew|broke|chose|drove|fought|grew|ran|sent|shot|stood|"
    r"thought|threw|sank|shut|hit|done|gone|seen|taken|given|known)\b",
    re.IGNORECASE,
)
_ED = re.compile(r"\b[a-z]{2,}ed\b")  # lowercase: a verb mid-sentence, not "United"
_NOT_PAST = frozenset({
    "indeed", "hundred", "speed", "need", "seed", "feed", "proceed", "exceed", "succeed", "bed",
    "red", "breed", "greed", "weed", "based", "related", "limited", "detailed", "advanced",
    "concerned", "interested", "supposed", "alleged",
})


def _gap(start: int, end: int, where: tuple[int, int]) -> int:
    if end <= where[0]:
        return where[0] - end
    if start >= where[1]:
        return start - where[1]
    return 0


def tense_of(sentence: str, expression: str = "") -> Tense | None:
    """The tense of the marker nearest `expression` in `sentence`, or None when there is none."""
    future = [(m.start(), m.end()) for m in _FUTURE.finditer(sentence)]
    past = [(m.start(), m.end()) for m in _PAST.finditer(sentence)]
    past += [(m.start(), m.end()) for m in _ED.finditer(sentence) if m.group(0) not in _NOT_PAST]
    past = [(s, e) for s, e in past if not any(fs < e and s < fe for fs, fe in future)]
    if not future and not past:
        return None
    at = sentence.find(expression) if expression else -1
    if at < 0 and expression:
        at = sentence.lower().find(expression.lower())
    if at < 0:  # no position to measure from: the majority decides, news reporting the tie
        return "future" if len(future) > len(past) else "past"
    where = (at, at + len(expression))
    marks = [(_gap(s, e, where), 0, "past") for s, e in past]
    marks += [(_gap(s, e, where), 1, "future") for s, e in future]
    return "past" if min(marks)[2] == "past" else "future"
