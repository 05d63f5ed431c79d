"""Find a model's quote in a document and turn it into raw-text spans, or say why it is not there.

`align` tries, in order:

1. exact: the quote as given, in the model-facing view;
2. normalized: both sides with whitespace runs collapsed, letter case folded, every quotation mark
   and apostrophe made one character (models swap nested double quotes for single ones), dashes
   and unusual spaces made plain;
3. ellipsis: fragments joined by "..." or "\u2026" give one span each, every fragment found after
   the previous one;
4. fuzzy: a word alignment (`summarizer.text.fuzzy`) anchored on the quote's rarest words, that
   forgives small slips only: an article, possessive determiner or "that" dropped or added (not
   moved), a singular for a plural. No word may be changed, missing or added otherwise. Its score
   is (equal words + half the plurals) / max(quote words, matched words); accepted from
   FUZZY_THRESHOLD with at most 1 + n // 8 slips in an n-word quote.

The guard judges every candidate of every kind: each number, negation and capitalized name of the
quote must be one of the whole words of the matched source (normalized the same way), and the source
may not carry a negation the quote lacks. A candidate that fails is a near miss; the rejection then
quotes the article's own wording ("the article says 'Over 11,00 Palestinians', not '11,000'").

A quote found several times takes the occurrence nearest `near` (a raw offset), else the first;
whole-word occurrences go before ones cut out of a longer word.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from summarizer.errors import GroundingError
from summarizer.normalize.lexicon import NUMBER_WORDS, figure_or_word_matches, is_negation
from summarizer.output.summary import AlignmentStatus, Span
from summarizer.text.document import Document
from summarizer.text.fuzzy import SLIPS, forms, walk

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
_ODD_SPACES = re.compile(r"\s{2,}|[^\S ]")  # whitespace other than one plain space
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s?\.\s?\.|\u2026)\s*\]|\.\s?\.\s?\.|\u2026)\s*")
_CONNECTORS = frozenset("'\u2019.,-\u2011")
_SLIP_PATTERN = "(?:" + "|".join(sorted(SLIPS)) + ")"
FUZZY_THRESHOLD = 0.75
_MAX_OCCURRENCES = 2000
_MAX_ANCHOR_HITS = 400


@dataclass(frozen=True)
class _Normalized:
    text: str
    to_source: tuple[int, ...]


@dataclass(frozen=True)
class Alignment:
    """The spans of a quote (several for an ellipsis), or why it could not be aligned."""

    spans: tuple[Span, ...] = ()
    reason: str = ""

    @property
    def found(self) -> bool:
        return bool(self.spans)


@dataclass(frozen=True)
class _Hit:
    start: int  # view offsets
    end: int
    status: AlignmentStatus
    score: float | None = None


@dataclass(frozen=True)
class _Words:
    words: tuple[str, ...]  # lowercased
    starts: tuple[int, ...]  # offsets in the normalized text
    ends: tuple[int, ...]
    where: dict[str, list[int]]  # word -> its positions


class _Index:
    """The normalized view of one document, built once per document (see `_index`); its words
    are indexed on first use, which only the fuzzy attempt needs."""

    def __init__(self, view: str) -> None:
        self.norm = _normalize(view)

    @functools.cached_property
    def words(self) -> _Words:
        matches = list(figure_or_word_matches(self.norm.text))
        words = tuple(match.group().lower() for match in matches)
        where: dict[str, list[int]] = {}
        for number, word in enumerate(words):
            where.setdefault(word, []).append(number)
        return _Words(words, tuple(m.start() for m in matches), tuple(m.end() for m in matches),
                      where)


def _normalize(text: str) -> _Normalized:
    """Plain characters and single spaces; remembers where each kept character came from."""
    plain = text.translate(_PLAIN)
    if len(plain.lower()) == len(plain):  # lower() keeps offsets for all but a few characters
        plain = plain.lower()
    pos, stop = len(plain) - len(plain.lstrip()), len(plain.rstrip())
    pieces: list[str] = []
    origin: list[int] = []
    for run in _ODD_SPACES.finditer(plain, pos, stop):
        start, end = run.span()
        pieces += (plain[pos:start], " ")
        origin += range(pos, start + 1)  # the run's space stands for its first character
        pos = end
    pieces.append(plain[pos:stop])
    origin += range(pos, stop)
    return _Normalized("".join(pieces), tuple(origin))


@functools.lru_cache(maxsize=32)
def _index(view: str) -> _Index:
    """Keyed on the view text, whose hash Python caches: a repeated look-up costs nothing."""
    return _Index(view)


def make_span(doc: Document, start: int, end: int, alignment: AlignmentStatus = "exact",
              score: float | None = None) -> Span:
    """A span over raw[start:end]; the invariant is checked here, where every span is born."""
    if not 0 <= start < end <= len(doc.raw):
        raise GroundingError(f"{doc.id}: span [{start}, {end}) is outside the document")
    return Span(doc_id=doc.id, start=start, end=end, text=doc.raw[start:end], alignment=alignment,
                score=score)


# --- the guard -------------------------------------------------------------------------------


def _part(text: str, i: int) -> bool:
    """Whether text[i] belongs to a word or figure (a letter, a digit, or "," "'" "-" inside one)."""
    char = text[i]
    if char.isalnum():
        return True
    return (char in _CONNECTORS and 0 < i < len(text) - 1 and text[i - 1].isalnum()
            and text[i + 1].isalnum())


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] widened to the whole words and figures it cuts into."""
    while start > 0 and _part(text, start) and _part(text, start - 1):
        start -= 1
    while end < len(text) and _part(text, end - 1) and _part(text, end):
        end += 1
    return start, end


def _guard(quote: str, source: str) -> str | None:
    """Why `source` (whole words of the article) does not support `quote`, or None when it does."""
    said = {m.group().lower() for m in figure_or_word_matches(source.translate(_PLAIN))}
    quoted = [m.group() for m in figure_or_word_matches(quote.translate(_PLAIN))]
    lowered = {word.lower() for word in quoted}
    for word in quoted:
        lower = word.lower()
        checked = (lower[0].isdigit() or lower in NUMBER_WORDS or is_negation(lower)
                   or (word[0].isupper() and lower not in SLIPS))
        if checked and lower not in said:
            return f"the article says {source!r}, not {word!r}"
    for word in sorted(said):
        if is_negation(word) and word not in lowered:
            return f"the article says {source!r}, with {word!r}, which the quote leaves out"
    return None


# --- exact and normalized ----------------------------------------------------------------------


def _occurrences(haystack: str, needle: str, after: int) -> Iterator[int]:
    at = haystack.find(needle, after)
    for _ in range(_MAX_OCCURRENCES):
        if at < 0:
            return
        yield at
        at = haystack.find(needle, at + 1)


def _pick(doc: Document, quote: str, hits: Sequence[_Hit], near: int | None
          ) -> tuple[_Hit | None, str | None]:
    """The preferred hit that passes the guard, else the first guard failure's reason."""
    view = doc.view

    def key(hit: _Hit) -> tuple[bool, int, int]:
        cut = _whole_words(view, hit.start, hit.end) != (hit.start, hit.end)
        distance = 0 if near is None else abs(doc.view_to_raw[hit.start] - near)
        return cut, distance, hit.start

    miss: str | None = None
    for hit in sorted(hits, key=key):
        reason = _guard(quote, view[slice(*_whole_words(view, hit.start, hit.end))])
        if reason is None:
            return hit, None
        miss = miss or reason
    return None, miss


def _literal(doc: Document, index: _Index, quote: str, near: int | None, after: int
             ) -> tuple[_Hit | None, str | None]:
    """Exact, then normalized occurrences of `quote` starting at view offset `after` or later."""
    size = len(quote)
    hits = [_Hit(at, at + size, "exact") for at in _occurrences(doc.view, quote, after)]
    found, miss = _pick(doc, quote, hits, near)
    if found is not None:
        return found, None
    needle = _normalize(quote).text
    if not needle:
        return None, miss
    norm = index.norm
    hits = [_Hit(norm.to_source[at], norm.to_source[at + len(needle) - 1] + 1, "normalized")
            for at in _occurrences(norm.text, needle, bisect.bisect_left(norm.to_source, after))]
    found, miss2 = _pick(doc, quote, hits, near)
    return found, miss or miss2


# --- fuzzy ---------------------------------------------------------------------------------------


def _edges(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """text[start:end] (normalized, from word to word) widened over the punctuation that the
    normalized quote has before its first word and after its last, where the text has it too
    (with at most one slip word between: `, main union` finds `, the main union`)."""
    words = list(figure_or_word_matches(quote))
    prefix, suffix = quote[:words[0].start()].strip(), quote[words[-1].end():].strip()
    if prefix:
        low = max(0, start - len(prefix) - 8)
        found = re.search(f"{re.escape(prefix)} ?(?:{_SLIP_PATTERN} )?$", text[low:start])
        start = low + found.start() if found else start
    if suffix:
        found = re.match(f" ?(?:{_SLIP_PATTERN} ?)?{re.escape(suffix)}", text[end:end + len(suffix) + 8])
        end = end + found.end() if found else end
    return start, end


def _fuzzy(doc: Document, index: _Index, quote: str, near: int | None, after: int
           ) -> tuple[_Hit | None, str | None]:
    """The best small-slip alignment of `quote`'s words, or the reason the nearest miss fails."""
    original = [m.group() for m in figure_or_word_matches(quote.translate(_PLAIN))]
    q = [word.lower() for word in original]
    if len(q) < 2:
        return None, None
    normalized_quote = _normalize(quote).text
    indexed, norm = index.words, index.norm
    d = indexed.words
    hits_of: dict[int, list[int]] = {}
    for k, word in enumerate(q):
        if word not in SLIPS and all(word != q[other] for other in hits_of):
            hits_of[k] = sorted(p for form in forms(word) for p in indexed.where.get(form, ()))
    anchors = sorted((k for k in hits_of if hits_of[k]), key=lambda k: (len(hits_of[k]), k))[:3]
    budget = max(3, len(q))
    seen: set[tuple[int, int]] = set()
    accepted: list[tuple[tuple[int, int, int], _Hit]] = []
    misses: list[tuple[tuple[int, int], str]] = []
    for k in anchors:
        for p in hits_of[k][:_MAX_ANCHOR_HITS]:
            back = walk(q, d, k - 1, p - 1, -1, budget)
            ahead = walk(q, d, k + 1, p + 1, 1, budget - back.cost) if back else None
            if back is None or ahead is None or (back.edge, ahead.edge) in seen:
                continue
            seen.add((back.edge, ahead.edge))
            low, high = _edges(norm.text, indexed.starts[back.edge], indexed.ends[ahead.edge],
                               normalized_quote)
            start, end = norm.to_source[low], norm.to_source[high - 1] + 1
            if start < after:
                continue
            breaks = back.breaks + ahead.breaks
            plural = q[k] != d[p]  # the anchor itself may be a plural for a singular
            slips = back.slips + ahead.slips + plural
            cost = back.cost + ahead.cost + plural
            equal = back.equal + ahead.equal + (not plural)
            variants = back.variants + ahead.variants + plural
            taken = ahead.edge - back.edge + 1
            score = round((equal + 0.5 * variants) / max(len(q), taken), 3)
            source = doc.view[slice(*_whole_words(doc.view, start, end))]
            reason = _guard(quote, source)
            moved = set(back.dropped + ahead.dropped) & set(back.added + ahead.added)
            clean = not breaks and not back.extras and not ahead.extras and not moved
            if clean and slips <= 1 + len(q) // 8 and score >= FUZZY_THRESHOLD and not reason:
                distance = 0 if near is None else abs(doc.view_to_raw[start] - near)
                accepted.append(((cost, distance, start), _Hit(start, end, "fuzzy", score)))
            elif len(q) - len(breaks) >= max(2, (len(q) + 1) // 2):
                if reason is None and breaks:
                    written = {word.lower(): word for word in original}
                    reason = f"the article says {source!r}, not {written[breaks[0]]!r}"
                elif reason is None:
                    order = ", in another order" if moved else ""
                    reason = f"the article says {source!r}{order}"
                misses.append(((cost, start), reason))
    if accepted:
        return min(accepted, key=lambda pair: pair[0])[1], None
    return None, min(misses)[1] if misses else None


# --- the public functions ------------------------------------------------------------------------


def _one(doc: Document, index: _Index, quote: str, near: int | None, after: int
         ) -> tuple[_Hit | None, str | None]:
    found, miss = _literal(doc, index, quote, near, after)
    if found is None:
        found, fuzzy_miss = _fuzzy(doc, index, quote, near, after)
        miss = miss or fuzzy_miss
    return found, miss


def _spans(doc: Document, hits: Sequence[_Hit]) -> Alignment:
    return Alignment(tuple(make_span(doc, *doc.raw_range(h.start, h.end), h.status, h.score)
                           for h in hits))


def align(doc: Document, quote: str, near: int | None = None) -> Alignment:
    """Where the article says `quote`: one span, or one per ellipsis-joined fragment, in order.

    `near` is a raw offset (the rest of the item's evidence): of several occurrences, the
    nearest one is taken. A rejection's reason quotes the article's wording when it came close.
    Found once per document: the same question is answered from `doc.aligned`."""
    found = doc.aligned.get((quote, near))
    if not isinstance(found, Alignment):
        found = doc.aligned[(quote, near)] = _align(doc, quote, near)
    return found


def _align(doc: Document, quote: str, near: int | None) -> Alignment:
    wanted = quote.strip()
    if not wanted:
        return Alignment(reason="the quote is empty")
    index = _index(doc.view)
    found, miss = _literal(doc, index, wanted, near, 0)
    if found is not None:
        return _spans(doc, [found])
    fragments = [part.strip() for part in _ELLIPSIS.split(wanted) if part.strip()]
    if len(fragments) > 1:
        hits: list[_Hit] = []
        for fragment in fragments:
            hit, why = _one(doc, index, fragment, near if not hits else None,
                            hits[-1].end if hits else 0)
            if hit is None:
                where = " after the previous fragment" if hits else ""
                return Alignment(reason=f"the fragment {fragment!r} is not in the article{where}"
                                 + (f": {why}" if why else ""))
            hits.append(hit)
        return _spans(doc, hits)
    # a leading or trailing ellipsis: the article may write it, else the quote was cut short
    single = fragments[0] if fragments else wanted
    if single != wanted:
        found, single_miss = _literal(doc, index, single, near, 0)
        miss = miss or single_miss
    if found is None:
        found, fuzzy_miss = _fuzzy(doc, index, wanted, near, 0)
        miss = miss or fuzzy_miss
    if found is None and single != wanted:
        found, fuzzy_miss = _fuzzy(doc, index, single, near, 0)
        miss = miss or fuzzy_miss
    if found is not None:
        return _spans(doc, [found])
    if miss:
        return Alignment(reason=f"quote does not match the article: {miss}")
    return Alignment(reason="quote not found in the article")


def locate(doc: Document, quote: str, near: int | None = None) -> Span | None:
    """The raw span of `quote`, or None when the article does not say it in one passage."""
    found = align(doc, quote, near)
    return found.spans[0] if len(found.spans) == 1 else None


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
