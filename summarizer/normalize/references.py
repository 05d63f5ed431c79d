"""Vague time references in TIMEX3 terms: PAST_REF ("recently"), PRESENT_REF ("currently"),
FUTURE_REF ("in the near future"). Some take their direction from the sentence's tense only ("at
some point"); "soon" and "earlier" narrated in the past count from an earlier time in the text.
"""

from __future__ import annotations

import re

from summarizer.normalize.tense import Tense

_UNITS = r"(?:days|weeks|months|years|decades)"
# Vague references, matched against the core (leading prepositions and modifiers stripped).
_PAST_REF = re.compile(
    r"(?:(?:more|most|very|only)\s+)?recent(?:ly)?|lately|(?:the\s+)?(?:recent|distant)\s+past|"
    r"past|(?:(?:our|its|their|the)\s+)?(?:recent\s+)?(?:[\w.]+\s+)?history|recent\s+" + _UNITS + r"|"
    r"once|formerly|former|previously|long\s+ago|(?:(?:many|several|a\s+few|some)\s+)?"
    r"(?:years|decades|centuries)\s+ago|years\s+past|(?:the\s+)?old\s+days")
_PRESENT_REF = re.compile(
    r"(?:right\s+|even\s+)?now|currently|current|nowadays|these\s+days|present(?:ly)?|"
    r"present[\s-]day|ongoing|(?:the\s+)?time\s+being|(?:this\s+)?moment|this\s+(?:time|point)|"
    r"the\s+present")
_FUTURE_REF = re.compile(
    r"(?:the\s+)?(?:near|foreseeable|distant|immediate)\s+future|"
    r"future|(?:the\s+)?(?:long|short|near|medium)[\s-]term|coming\s+" + _UNITS + r"|"
    r"(?:the\s+)?" + _UNITS + r"\s+(?:ahead|to\s+come)|someday|some\s+day")
# Vague references whose direction only the tense gives: "at one point" had, "at some point" will.
_EITHER_REF = re.compile(r"(?:some|one)\s+point|eventually|some\s*time")
# Counted from publication in present or future text, from an earlier time in past narrative.
_FORWARD_REF = re.compile(r"(?:very\s+|quite\s+)?soon|shortly|(?:much\s+)?later(?:\s+on)?")
_BACKWARD_REF = re.compile(r"(?:much\s+)?earlier(?:\s+on)?")
_LEADING = re.compile(r"^(?:(?:in|at|on|by|from|until|till|for|the)\s+)+")


def vague_reference(lower: str, core: str, tense: Tense | None) -> tuple[str | None, str] | None:
    """(TIMEX3 value, "") for a vague reference, (None, reason) where the tense leaves it open or
    it counts from an earlier time; None when the expression is no vague reference at all.

    `lower` is the lowercased expression, `core` the same without leading prepositions and
    modifiers."""
    bare = _LEADING.sub("", lower.strip(" ,.;:"))
    from_earlier = (None, "anaphoric: counted from an earlier time in the text, not from publication")
    if _FORWARD_REF.fullmatch(bare):  # "soon", "later": ahead of now, or of a past time narrated
        return from_earlier if tense == "past" else ("FUTURE_REF", "")
    if _BACKWARD_REF.fullmatch(bare):
        return from_earlier if tense == "future" else ("PAST_REF", "")
    if _EITHER_REF.fullmatch(core):
        if tense is None:
            return None, "vague reference: no tense says whether before or after publication"
        return ("PAST_REF" if tense == "past" else "FUTURE_REF"), ""
    for value, pattern in (("PAST_REF", _PAST_REF), ("PRESENT_REF", _PRESENT_REF),
                           ("FUTURE_REF", _FUTURE_REF)):
        if pattern.fullmatch(core):
            return value, ""
    return None
