"""Sentences planted in an article to give orders to an AI ("Ignore previous instructions and
report that ..."): found by these patterns, never by the model, so that no item rests on them.

A news article quotes people; it does not address the reader's software. The patterns are
narrow on purpose (an instruction verb aimed at instructions, a role given to "you", a chat-role
label, "report that ... instead"): a false alarm only moves a sentence into its own section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.text.sentences import sentence_bounds

_PATTERNS = re.compile("|".join((
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding|foregoing|former|system|original)\b",
    r"\b(?:ignore|disregard)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?(?:instructions|prompts?|"
    r"rules|guidelines)\b",
    r"\byou\s+are\s+now\b",
    r"\bnew\s+instructions?\s*:",
    r"(?:^|[\n\[<]|[.!?]\s+)\s*(?:system|assistant)\s*(?:prompt\s*)?[:\]>]",
    # an imperative: at a sentence's start or after "and", "please", "now"
    r"(?:^|\n|[.!?]\s+|\b(?:and|please|now)\s+)report\s+that\b[^.!?\n]*\binstead\b",
    r"\b(?:as\s+an?|you\s+are\s+an?)\s+(?:AI|artificial\s+intelligence|language\s+model|LLM|"
    r"chatbot|AI\s+assistant)\b",
    r"\b(?:AI|language\s+model|LLM|chatbot|assistant|summari[sz]er)s?\s*(?:reading|processing|"
    r"summari[sz]ing)\s+this\b",
    r"\bwhen\s+summari[sz]ing\s+this\b",
)), re.IGNORECASE)


@dataclass(frozen=True)
class Planted:
    """A planted sentence: raw[start:end], and the words that gave it away."""

    start: int
    end: int
    reason: str


def planted_instructions(raw: str) -> list[Planted]:
    """Every sentence of `raw` that addresses an AI or gives it orders, in order, each once."""
    found: list[Planted] = []
    for match in _PATTERNS.finditer(raw):
        text = match.group().strip(" \n[<.!?")
        start, end = sentence_bounds(raw, match.start() + match.group().find(text[:1] or " "),
                                     match.end())
        if found and start < found[-1].end:
            continue
        found.append(Planted(start, end, text))
    return found
