"""Whether the article's words that the model chose as the main event's cause (why) or means
(how) read as one: a word that says so comes just before them or opens them.

The local model answers why and how even where the article states neither, most often with the
title or the lead sentence (7 of the first 7 dev articles recorded). A cause is written after
"because of", "due to", "citing", "amid", "in an attempt to" ...; a means after "by", "through",
"with", "in" ... (the words before the gold spans of bench/data/meantime_5w.jsonl, whose why and
how are the project's own annotation). Words without such a cue are rejected with the reason, like
any other item that cannot be grounded as what it claims to be.
"""

from __future__ import annotations

import re
from typing import Literal

from summarizer.extract.phrases import cue_phrases
from summarizer.output.summary import Span
from summarizer.text.document import Document

_CUES: dict[str, tuple[str, ...]] = {
    "why": ("because", "because of", "due to", "owing to", "thanks to", "in response to",
            "as a result of", "result of", "resulting from", "caused by", "after", "amid",
            "over", "following", "since", "citing", "cited", "blamed on", "points to",
            "point to", "fear of", "fears of", "concern over", "concerns over", "in order to",
            "in an attempt to", "in a bid to", "in an effort to", "so as to", "so that",
            "aimed at", "to"),
    "how": ("by", "by means of", "through", "via", "using", "with", "in", "under"),
}
# how far back a cue may stand: the few words before the span, within its sentence
_BEFORE = 40


def _cue(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                             for w in sorted(words, key=len, reverse=True)) + ")"


_ENDS_WITH = {q: re.compile(rf"\b{_cue(words)}[\s,:]*$", re.IGNORECASE) for q, words in _CUES.items()}
# a cue before a figure is a preposition of the figure, not a cause or a means: "Over 11,000
# Palestinians", "rose to 5%", "in 2008", "by 40%"
_OPENS_WITH = {q: re.compile(rf"^\W*{_cue(words)}\b(?![\s,:]*\d)", re.IGNORECASE)
               for q, words in _CUES.items()}
_FIGURE_FIRST = re.compile(r"^\W*\d")


def unstated(doc: Document, spans: list[Span], question: Literal["why", "how"]) -> str | None:
    """None when a cue of `question` stands just before the first span or opens it; otherwise
    why the words are no cause (means) the article states."""
    first = spans[0]
    before = doc.raw[max(0, first.start - _BEFORE):first.start]
    before = re.split(r"[.!?\n]", before)[-1]  # the span's own sentence only
    if (_ENDS_WITH[question].search(before) and not _FIGURE_FIRST.match(first.text)) \
            or _OPENS_WITH[question].search(first.text):
        return None
    cues = ", ".join(f'"{w}"' for w in _CUES[question][:6])
    noun = "a cause" if question == "why" else "a means"
    return (f"the article does not give these words as {noun}: no word such as {cues} ... "
            "stands before them or opens them")



def stated_within(doc: Document, spans: list[Span],
                  question: Literal["why", "how"]) -> tuple[int, int] | None:
    """Where the words the model chose hold a cause (a means) after its cue: the cue and the phrase
    after it ("in retaliation for air strikes last week" in "The Taliban said it carried out the
    attack in retaliation for air strikes last week."). None where they hold none."""
    for span in spans:
        for phrase in cue_phrases(doc.raw, span.start, span.end, question):
            return phrase.cue_start, phrase.end
    return None
