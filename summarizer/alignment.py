"""Find a model's verbatim quote in a document and turn it into a raw-text span.

Two attempts, in order: the quote exactly as given in the model-facing view; then both sides
normalized: whitespace runs collapsed, letter case folded, every quotation mark and apostrophe made
one character (models swap nested double quotes for single ones), dashes and unusual spaces made
plain. Nothing fuzzier: a quote that needs more than that (a changed word or figure) is not grounded.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from summarizer.document import Document
from summarizer.errors import GroundingError
from summarizer.models import AlignmentStatus, Span

_PLAIN = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": "'", "\u201d": "'", "\u201e": "'", "\u201f": "'", "\u2033": "'",
        "\u00ab": "'", "\u00bb": "'", '"': "'", "`": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u3000": " ",
    }
)
_SENTENCE_END = re.compile(r"(?<=[.!?\"\u201d])\s+|\n+")


@dataclass(frozen=True)
class _Normalized:
    text: str
    to_source: tuple[int, ...]


def _normalize(text: str) -> _Normalized:
    """Plain characters and single spaces; remembers where each kept character came from."""
    plain = text.translate(_PLAIN)
    if len(plain.lower()) == len(plain):  # lower() keeps offsets for all but a few characters
        plain = plain.lower()
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(plain):
        if char.isspace():
            if not chars or chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        origin.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return _Normalized("".join(chars), tuple(origin))


def make_span(doc: Document, start: int, end: int, alignment: AlignmentStatus = "exact") -> Span:
    """A span over raw[start:end]; the invariant is checked here, where every span is born."""
    if not 0 <= start < end <= len(doc.raw):
        raise GroundingError(f"{doc.id}: span [{start}, {end}) is outside the document")
    return Span(doc_id=doc.id, start=start, end=end, text=doc.raw[start:end], alignment=alignment)


def locate(doc: Document, quote: str) -> Span | None:
    """The raw span of `quote`, or None when the article does not contain it."""
    wanted = quote.strip()
    if not wanted:
        return None
    at = doc.view.find(wanted)
    if at >= 0:
        return make_span(doc, *doc.raw_range(at, at + len(wanted)), "exact")
    view = _normalize(doc.view)
    needle = _normalize(wanted).text
    at = view.text.find(needle) if needle else -1
    if at < 0:
        return None
    view_start = view.to_source[at]
    view_end = view.to_source[at + len(needle) - 1] + 1
    return make_span(doc, *doc.raw_range(view_start, view_end), "normalized")


def closest_passage(doc: Document, quote: str, limit: int = 240) -> str:
    """The article sentence most like `quote`, for an error message the model can act on.

    Sentences are ranked by how much of the quote they cover, then by overall similarity, so a
    short misquoted fragment still finds the long sentence it came from."""
    sentences = [s.strip() for s in _SENTENCE_END.split(doc.view) if s.strip()]
    if not sentences:
        return ""
    matcher = difflib.SequenceMatcher(autojunk=False)
    wanted = _normalize(quote).text
    matcher.set_seq2(wanted)
    best, best_score = sentences[0], (-1.0, -1.0)
    for sentence in sentences:
        matcher.set_seq1(_normalize(sentence).text)
        covered = sum(block.size for block in matcher.get_matching_blocks())
        score = (covered / max(len(wanted), 1), matcher.ratio())
        if score > best_score:
            best, best_score = sentence, score
    return best if len(best) <= limit else best[: limit - 1] + "\u2026"
