"""Near-duplicate articles (copies of one story) and the words on which the copies differ.

Method: word 5-shingles of each document's model-facing `view` (markup such as `**`, `[text](#)`
and heading markers is already set aside there), lowercased; exact Jaccard similarity between the
shingle sets of the pairs whose bottom-`SKETCH` MinHash sketches (the smallest crc32 hashes of
their shingles) share a hash, so an archive is not compared pair by pair. Pairs at or above
`DUPLICATE_JACCARD` are one story; groups are the connected components (single linkage).

Differences: difflib's SequenceMatcher over the word tokens of two views; every replaced, deleted
or inserted run is reported with raw-text spans (mapped back through `Document.raw_range`);
curly and straight quotes, and dashes, count as equal.
"""

from __future__ import annotations

import difflib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.normalize.lexicon import token_matches, words
from summarizer.output.digest import Difference, DuplicateGroup
from summarizer.output.summary import Span
from summarizer.text.document import Document

SHINGLE = 5
SKETCH = 16  # hashes per document's sketch: two copies at Jaccard 0.5 share one but for ~1e-5
DUPLICATE_JACCARD = 0.5  # copies with small edits score ~0.9; different reports of one event < 0.1
MAX_DIFFERENCES = 20  # per pair; beyond that the copies are hardly "the same story with small edits"

# Typographic variants are not differences: curly quotes and apostrophes, dashes.
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "-"})


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # view offsets
    end: int


def tokens(text: str) -> list[Token]:
    """Words (inner separators kept: "11,000", "U.S", "don't") and single symbols, as written."""
    return [Token(m.group(), m.start(), m.end()) for m in token_matches(text)]


def shingles(text: str, k: int = SHINGLE) -> set[tuple[str, ...]]:
    found = words(text)
    if len(found) < k:
        return {tuple(found)} if found else set()
    return {tuple(found[i:i + k]) for i in range(len(found) - k + 1)}


def jaccard(a: set[object] | set[str] | set[tuple[str, ...]], b: set[object] | set[str]
            | set[tuple[str, ...]]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def _span(doc: Document, run: Sequence[Token]) -> list[Span]:
    if not run:
        return []
    start, end = doc.raw_range(run[0].start, run[-1].end)
    return [Span(doc_id=doc.id, start=start, end=end, text=doc.raw[start:end])]


def differences(first: Document, second: Document) -> list[Difference]:
    """The word runs on which two documents' views differ, with spans on each side."""
    a, b = tokens(first.view), tokens(second.view)
    matcher = difflib.SequenceMatcher(None, [t.text.translate(_TYPOGRAPHY) for t in a],
                                      [t.text.translate(_TYPOGRAPHY) for t in b], autojunk=False)
    found: list[Difference] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        run_a, run_b = a[i1:i2], b[j1:j2]
        found.append(Difference(
            first_doc=first.id, second_doc=second.id,
            first_text=first.view[run_a[0].start:run_a[-1].end] if run_a else "",
            second_text=second.view[run_b[0].start:run_b[-1].end] if run_b else "",
            first_spans=_span(first, run_a), second_spans=_span(second, run_b)))
        if len(found) == MAX_DIFFERENCES:
            break
    return found


def _sketch(found: set[tuple[str, ...]]) -> list[int]:
    """The `SKETCH` smallest stable hashes of a shingle set (a bottom-k MinHash sketch)."""
    return sorted(zlib.crc32(" ".join(shingle).encode()) for shingle in found)[:SKETCH]


def similar_pairs(documents: Sequence[Document]) -> dict[tuple[int, int], float]:
    """The exact Jaccard of every pair of documents whose sketches share a hash: copies (Jaccard
    >= `DUPLICATE_JACCARD`) share one all but always, and unrelated articles are never compared,
    so an archive costs near-linear time instead of every pair."""
    sets = [shingles(doc.view) for doc in documents]
    buckets: dict[int, list[int]] = {}
    for i, found in enumerate(sets):
        for key in _sketch(found):
            buckets.setdefault(key, []).append(i)
    pairs = {(a, b) for members in buckets.values() for k, a in enumerate(members)
             for b in members[k + 1:] if a != b}
    return {(a, b): jaccard(sets[a], sets[b]) for a, b in sorted(pairs)}


def components(size: int, linked: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components of `size` nodes (union-find), each sorted, in order of first member."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in linked:
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(size):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda members: members[0])


def duplicate_groups(documents: Sequence[Document]) -> list[DuplicateGroup]:
    """Every document in exactly one group ("story-1", "story-2", ... in input order)."""
    similarity = similar_pairs(documents)
    n = len(documents)
    linked = [pair for pair, value in similarity.items() if value >= DUPLICATE_JACCARD]
    groups: list[DuplicateGroup] = []
    for number, members in enumerate(components(n, linked), start=1):
        lowest = min((similarity.get((i, j), 0.0) for i in members for j in members if i < j),
                     default=1.0)
        diffs = [d for k, i in enumerate(members) for j in members[k + 1:]
                 for d in differences(documents[i], documents[j])]
        groups.append(DuplicateGroup(story=f"story-{number}",
                                     members=[documents[i].id for i in members],
                                     similarity=round(lowest, 3), differences=diffs))
    return groups
