"""What merging and the conflict rules both compare items by: content words, names, counted nouns,
sentences, and the `Entry` one summary item becomes. Kept apart from both so that
`summarizer.digest.merging` and `summarizer.digest.conflicts` need not import each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from summarizer.digest.duplicates import jaccard
from summarizer.normalize.lexicon import capitalized_words, content_words
from summarizer.output.digest import ItemKind, Version
from summarizer.output.summary import Span
from summarizer.text.document import Document
from summarizer.text.sentences import sentence_bounds

COUNTED_SIMILARITY = 0.6

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")  # a date value resolved to a day at least


def similar_counted(a: str, b: str) -> bool:
    """"Russian citizens" ~ "number of Russian citizens"; "people" !~ "Palestinians"."""
    left, right = content_words(a) - {"number"}, content_words(b) - {"number"}
    if not left or not right:
        return False
    return jaccard(left, right) >= COUNTED_SIMILARITY


def kindred_counted(a: str, b: str) -> bool:
    """Loosely the same kind of thing, for side-by-side listing only: similar, or sharing a proper
    word ("Russian citizens", "evacuated Russians"; not "citizens" and "Russian citizens")."""
    if similar_counted(a, b):
        return True
    proper = content_words(" ".join(capitalized_words(f"{a} {b}")))
    return bool(content_words(a) & content_words(b) & proper)


def sentence_span(doc: Document, span: Span) -> Span:
    """The sentence around a span, as a raw-text span."""
    start, end = sentence_bounds(doc.raw, span.start, span.end)
    if start > span.start or end < span.end:
        start, end = span.start, span.end
    return Span(doc_id=doc.id, start=start, end=end, text=doc.raw[start:end])


# Covariant: an Entry[Quantity] is an Entry[object] to code that only reads spans and text.
Payload = TypeVar("Payload", covariant=True)


@dataclass(frozen=True)
class Entry(Generic[Payload]):
    """One item of one summary as merging and the conflict rules see it: items with equal `key`
    are the same; `payload` is what a rule looks into (the quantity, the date, the content words),
    typed per kind so the rules need no isinstance checks."""

    kind: ItemKind
    key: str
    text: str
    doc_id: str
    story: str
    spans: tuple[Span, ...]
    payload: Payload


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def version_of(cluster: Sequence[Entry[object]], value: str | None = None) -> Version:
    """A cluster as one version of a conflict or comparison, with every source and span."""
    return Version(value=value or cluster[0].text, sources=unique(e.doc_id for e in cluster),
                   spans=list(dict.fromkeys(s for e in cluster for s in e.spans)))
