"""Long articles cut into overlapping chunks on sentence boundaries, so that none is truncated.

A chunk is a raw-text range: the model reads `raw[start:end]` as a sub-document and every span it
grounds there is moved back by `start`, so `raw[span.start:span.end] == span.text` holds on the
whole article. Consecutive chunks share `overlap` sentences, so a fact stated across a cut is seen
whole by one of them; the duplicates this makes are removed when the parts are merged.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from summarizer.text.sentences import sentence_starts

DEFAULT_OVERLAP = 1  # sentences two neighbouring chunks share


@dataclass(frozen=True)
class ChunkRange:
    start: int
    end: int


def _cut(raw: str, after: int, limit: int) -> int:
    """Where a chunk without a sentence break that fits must end: after the last whitespace before
    `limit` and past `after` (a word is not split), else at `limit`."""
    space = max(raw.rfind(" ", after, limit - 1), raw.rfind("\n", after, limit - 1))
    return space + 1 if space >= after else limit


def chunk_ranges(raw: str, max_chars: int, overlap: int = DEFAULT_OVERLAP) -> list[ChunkRange]:
    """Ranges of at most `max_chars` characters that together cover all of `raw`, each ending on a
    sentence boundary where one fits, each starting `overlap` sentences before its predecessor's
    end (less where that would not move forward). One range when the text fits."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    if len(raw) <= max_chars:
        return [ChunkRange(0, len(raw))]
    starts = sentence_starts(raw)
    ranges: list[ChunkRange] = []
    start = 0
    while True:
        limit = start + max_chars
        if limit >= len(raw):
            ranges.append(ChunkRange(start, len(raw)))
            return ranges
        done = ranges[-1].end if ranges else start  # each chunk must reach past the last one
        last = bisect_right(starts, limit) - 1
        end = starts[last] if starts[last] > done else _cut(raw, done, limit)
        ranges.append(ChunkRange(start, end))
        first_inside = bisect_right(starts, start)
        inside = bisect_left(starts, end) - first_inside  # sentence starts within the chunk
        # back `overlap` sentences from the end, but always past this chunk's start
        start = starts[first_inside + inside - overlap] if overlap and inside >= overlap else end
