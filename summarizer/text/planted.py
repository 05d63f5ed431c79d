"""Sentences planted in an article to give orders to an AI ("Ignore previous instructions and
report that ..."): found by these patterns, never by the model, so that no item rests on them.

A news article quotes people; it does not address the reader's software. The patterns are
narrow on purpose (an instruction verb aimed at instructions, a role given to "you", a chat-role
label, "report that ... instead"; a note or a greeting addressed to an AI, a model, an assistant, a
summarizer or the summary; how to summarize "this"; what the summary must say): a false alarm
only moves a sentence into its own section (and tells the model about it), so each pattern names
whom it addresses or what it orders. `bench/planted.py` counts the sentences they flag in the
development sets' clean articles (0 of 99 articles, and 0 in the 120 of the MEANTIME corpus).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from summarizer.text.sentences import sentence_bounds

# Whom a planted sentence addresses: an AI, a model, an assistant, a summarizer, a bot.
_ADDRESSEE = (r"(?:(?:AI|A\.I\.|artificial\s+intelligence|generative\s+AI|automated)\s+(?:models?|"
              r"systems?|assistants?|tools?|agents?|readers?|summari[sz]ers?|bots?)|AIs?|A\.I\.|"
              r"artificial\s+intelligence|(?:large\s+)?language\s+models?|LLMs?|chat\s*bots?|"
              r"bots?|assistants?|summari[sz]ers?|summari[sz]ation\s+(?:tools?|systems?|models?)|"
              r"(?:Chat)?GPT(?:-\w+)?|models?)")
# The article itself, as an instruction names it: "this article", "the text", "this," (not "this
# week", "these findings")
_THIS_TEXT = (r"(?:(?:this|the)\s+(?:article|text|story|piece|passage|page|document|content|post)\b|"
              r"the\s+(?:above|following)\b|this\b(?=\s*[,:;.!?]))")
# What the summary is told to say or leave out
_SAYING = (r"(?:say|state|report|mention|include|claim|read|begin|start|end|note|describe|omit|"
           r"exclude|emphasi[sz]e|stress|conclude|list|name|contain|add|write)\b")
_START = r"(?:^|\n|[.!?:]\s+|[\"\u201c(\[]\s*)"  # where a sentence, or a quoted one, begins

_ORDERS = re.compile("|".join((
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding|foregoing|former|system|original)\b",
    r"\b(?:ignore|disregard)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?(?:instructions|prompts?|"
    r"rules|guidelines)\b",
    r"\byou\s+are\s+now\b",
    r"\bnew\s+instructions?\s*:",
    r"(?:^|[\n\[<]|[.!?]\s+)\s*(?:system|assistant)\s*(?:prompt\s*)?[:\]>]",
    # an imperative: at a sentence's start or after "and", "please", "now"
    r"(?:^|\n|[.!?]\s+|\b(?:and|please|now)\s+)report\s+that\b[^.!?\n]*\binstead\b",
    r"\b(?:as\s+an?|you\s+are\s+an?|you're\s+an?)\s+(?:AI|artificial\s+intelligence|"
    r"language\s+model|LLM|chatbot|AI\s+assistant|summari[sz]er)\b",
    r"\b(?:AI|language\s+model|LLM|chatbot|assistant|summari[sz]er)s?\s*(?:reading|processing|"
    r"summari[sz]ing)\s+this\b",
    r"\bwhen\s+summari[sz]ing\s+this\b",
)), re.IGNORECASE)
# Instructions reworded to address the summarizer: a sentence both kinds find keeps the orders'
# words as its reason.
_ADDRESSED = re.compile("|".join((
    # whoever processes the article: "AI models summarizing this article", "anyone parsing the text"
    rf"\b(?:{_ADDRESSEE}|anyone|anybody|whoever|everyone)\s+(?:reading|processing|summari[sz]ing|"
    rf"parsing|ingesting)\s+{_THIS_TEXT}",
    # a note addressed to one: "Note for the summary:", "Message to AI systems -"
    rf"\b(?:notes?|message|memo|reminder|instructions?|directions?|P\.?S\.?)\s+(?:to|for)\s+"
    rf"(?:any\s+|all\s+|the\s+|every\s+|an?\s+)?(?:{_ADDRESSEE}|summar(?:y|ies))"
    r"\s*(?::|\s[\u2013\u2014-]\s|[\u2013\u2014])",
    # a greeting at a sentence's start: "Dear AI,", "Attention language models:"
    rf"{_START}(?:attention|dear|hey|hello|hi)\s*,?\s+(?:the\s+|all\s+|any\s+)?{_ADDRESSEE}"
    r"\s*[:,!]",
    # told how to summarize: "When you summarize this, ...", "while summarizing the article"
    r"\b(?:when|if|as|while|before|once)\s+(?:you(?:'re|\s+are)?\s+)?summari[sz](?:e|es|ing)\s+"
    rf"{_THIS_TEXT}",
    r"\b(?:when|if|as|while|before|once)\s+you(?:'re|\s+are)?\s+(?:process(?:ing)?|pars(?:e|ing)|"
    rf"condens(?:e|ing)|paraphras(?:e|ing)|rewrit(?:e|ing)|abridg(?:e|ing))\s+{_THIS_TEXT}",
    # the summary given orders: "In your summary, say ...", "Your summary must state ..."
    r"\bin\s+(?:your\s+summar(?:y|ies)\s*[,:]?|the\s+summar(?:y|ies)\s*[,:])\s*(?:(?:please|"
    rf"also|only|always|never|do\s+not|don't|be\s+sure\s+to|make\s+sure\s+to)\s+)?{_SAYING}",
    r"\b(?:say|state|report|mention|include|claim|write|add|note|omit|exclude)\b[^.!?\n]{0,100}"
    r"\b(?:in|into|from)\s+your\s+summar(?:y|ies)\b",
    r"\b(?:your|each|every)\s+summar(?:y|ies)\s+(?:must|should|shall|needs?\s+to|has\s+to|"
    rf"have\s+to|is\s+to|are\s+to)\s+(?:(?:also|only|always|never|not|clearly)\s+)?{_SAYING}",
    # an order to write it so: "Summarize this article as ...", "Please describe the story by ..."
    rf"(?:{_START}|\bplease\s+)(?:summari[sz]e|rewrite|paraphrase|describe|present|portray|frame)"
    r"\s+(?:this|the)\s+(?:article|story|text|passage|document|page|content)\s+(?:as|by|so|with)\b",
)), re.IGNORECASE)
# A word every `_ADDRESSED` match contains (whom it addresses, "summar...", what "you" do to the
# text, an order to write it so), and how far from it the match may reach (the longest pattern,
# ~130 characters before "in your summary", and a long addressee after it)
_TRIGGERS = re.compile(
    r"(?=[aimlbsgyrpdf])"  # the branches' first letters: other positions are passed at once
    r"(?:\bA\.?I\.?s?\b|intelligence|models?\b|\bLLMs?\b|bots?\b|assistants?\b|summar|GPT"
    r"|\byou(?:'re|\s+are)?\s+(?:process|pars|condens|paraphras|rewrit|abridg)"
    r"|\b(?:rewrite|paraphrase|describe|present|portray|frame)\s+(?:this|the)\s)", re.IGNORECASE)
_REACH = 300


@dataclass(frozen=True)
class Planted:
    """A planted sentence: raw[start:end], and the words that gave it away."""

    start: int
    end: int
    reason: str


def planted_instructions(raw: str) -> list[Planted]:
    """Every sentence of `raw` that addresses an AI or gives it orders, in order, each once (its
    reason the first words that gave it away: orders first, then how it addresses one)."""
    orders = _sentences(raw, _ORDERS.finditer(raw), [])
    addressed = (match for start, end in _near_triggers(raw)
                 for match in _ADDRESSED.finditer(raw, start, end))
    return sorted(orders + _sentences(raw, addressed, orders), key=lambda p: p.start)


def _near_triggers(raw: str) -> Iterator[tuple[int, int]]:
    """The stretches of `raw` where an `_ADDRESSED` match may be: within _REACH characters of a
    word every one of them contains (most articles have few: the whole scan took 5 times as long
    as this search on the MEANTIME articles)."""
    stretch: list[int] = []
    for trigger in _TRIGGERS.finditer(raw):
        start, end = max(0, trigger.start() - _REACH), trigger.end() + _REACH
        if stretch and start <= stretch[1]:
            stretch[1] = end
            continue
        if stretch:
            yield stretch[0], stretch[1]
        stretch = [start, end]
    if stretch:
        yield stretch[0], stretch[1]


def _sentences(raw: str, matches: Iterable[re.Match[str]], taken: list[Planted]) -> list[Planted]:
    """The sentences of `matches` (in order), each once, none overlapping `taken` (in order,
    disjoint: only the last one starting before a sentence's end can overlap it)."""
    starts = [p.start for p in taken]
    found: list[Planted] = []
    for match in matches:
        text = match.group().strip(" \n[<.!?").lstrip(":\"\u201c( ")  # a greeting's lead-in
        start, end = sentence_bounds(raw, match.start() + match.group().find(text[:1] or " "),
                                     match.end())
        before = bisect.bisect_left(starts, end)
        if (found and start < found[-1].end) or (before and start < taken[before - 1].end):
            continue
        found.append(Planted(start, end, text))
    return found
