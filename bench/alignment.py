"""Our alignment engine against a difflib baseline, on quotes derived from the seeds and MEANTIME.

    python bench/alignment.py [--meantime PATH] [--per-doc N] [--seed N]

Quotes are word windows of the articles' sentences (as the model-facing view shows them), each
unique in its article, in four kinds:

- verbatim: the window as written;
- perturbed (benign): whitespace changed, straight/curly quotes swapped, an inner article dropped,
  a plural made singular, or the letters lowercased; the right answer is the window's raw span;
- altered number: one digit of a figure changed (only where the new figure is nowhere in the
  article); the right answer is a rejection;
- paraphrased: one word replaced by a synonym, or two words swapped; the right answer is a
  rejection.

The baseline, written here, does what the strongest peer does: exact match, else a token-level
`difflib.SequenceMatcher` (`find_longest_match` to find the region, `get_matching_blocks` in it):
all quote tokens in one block is a match, 75% of them matched is a fuzzy match over the blocks,
and anything less is a "lesser" match on the longest block, accepted as the peer does by default.

Both run in the same process on the same quotes. Printed for each: recall on the benign kinds (the
span exactly right), false accepts of altered numbers and of paraphrases, time per quote; then 50
quotes aligned in one ~100,000-character document (MEANTIME texts concatenated) for both, with
our one-off index build timed apart.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from summarizer.text.alignment import _index, align
from summarizer.text.document import Document, read_article

ROOT = Path(__file__).resolve().parent.parent
MEANTIME = ROOT.parent / "shared" / "data" / "meantime" / "meantime_en.jsonl"
_SLIP_WORDS = {"a", "an", "the", "its", "their", "his", "her", "that"}
BENIGN = ("verbatim", "whitespace", "quote style", "dropped article", "plural", "case")
_SENTENCE = re.compile(r"(?:[^\n.!?]|[.!?](?=\S))+[.!?]?")  # "7.2" and "U.S." stay whole
_TOKEN = re.compile(r"\w+|[^\w\s]")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_SYNONYMS = {
    "said": "stated", "told": "informed", "killed": "slain", "people": "persons",
    "officials": "authorities", "government": "administration", "announced": "declared",
    "began": "started", "begun": "started", "country": "nation", "company": "firm",
    "reported": "stated", "according": "pursuant", "citizens": "nationals", "nationals": "citizens",
    "week": "fortnight", "month": "year", "year": "month", "trapped": "stuck", "sent": "taken",
    "support": "assistance", "providing": "giving", "evacuation": "removal", "would": "will",
    "market": "exchange", "shares": "stocks", "price": "cost", "prices": "costs", "deal": "agreement",
    "billion": "million", "million": "billion", "first": "last", "last": "first", "new": "fresh",
    "more": "fewer", "than": "then", "largest": "biggest", "biggest": "largest", "percent": "points",
}
_QUOTE_SWAP = str.maketrans("'\"\u2019\u201c\u201d", "\u2019\u201c'\"\"")
Span = tuple[int, int]
Engine = Callable[[Document, str], Span | None]


@dataclass(frozen=True)
class Case:
    doc: Document
    quote: str
    kind: str
    expected: Span | None  # the raw span, or None when the quote must be rejected


# --- the quotes ------------------------------------------------------------------------------


def _windows(doc: Document, rng: random.Random, per_doc: int) -> list[tuple[int, int]]:
    """View ranges of word windows (6-12 words) of the article's sentences, each unique."""
    found = []
    for sentence in _SENTENCE.finditer(doc.view):
        words = list(re.finditer(r"\S+", sentence.group()))
        if len(words) < 7:
            continue
        size = rng.randint(6, min(12, len(words)))
        first = rng.randint(0, len(words) - size)
        start = sentence.start() + words[first].start()
        end = sentence.start() + words[first + size - 1].end()
        if doc.view.count(doc.view[start:end]) == 1:
            found.append((start, end))
    rng.shuffle(found)
    with_figures = [w for w in found if any(c.isdigit() for c in doc.view[w[0]:w[1]])]
    return sorted(set(found[:per_doc] + with_figures[:2]))


def _inner_word(words: list[str], pick: Callable[[str], bool], rng: random.Random) -> int | None:
    places = [i for i in range(1, len(words) - 1) if pick(words[i])]
    return rng.choice(places) if places else None


def _perturbations(quote: str, rng: random.Random) -> dict[str, str]:
    words = quote.split(" ")
    out = {"verbatim": quote}
    spaced = "".join(w + rng.choice([" ", "  ", "\n", " \t"]) for w in words).strip()
    if spaced != quote:
        out["whitespace"] = spaced
    swapped = quote.translate(_QUOTE_SWAP)
    if swapped != quote:
        out["quote style"] = swapped
    at = _inner_word(words, lambda w: w.lower() in {"a", "an", "the"}, rng)
    if at is not None and len(words) >= 6:
        out["dropped article"] = " ".join(words[:at] + words[at + 1:])
    at = _inner_word(words, lambda w: re.fullmatch(r"[a-z]{4,}s", w) is not None
                     and not w.endswith("ss"), rng)
    if at is not None:
        out["plural"] = " ".join([*words[:at], words[at][:-1], *words[at + 1:]])
    if quote.lower() != quote:
        out["case"] = quote.lower()
    return out


def _altered(doc: Document, quote: str, rng: random.Random) -> str | None:
    digits = [m.start() for m in re.finditer(r"\d", quote)]
    if not digits:
        return None
    at = rng.choice(digits)
    new = rng.choice([d for d in "0123456789" if d != quote[at]])
    altered = quote[:at] + new + quote[at + 1:]
    written = set(_FIGURE.findall(doc.view))
    return None if set(_FIGURE.findall(altered)) <= written else altered


def _content(word: str) -> bool:
    """A word whose move changes the wording (moving an article is a slip, not a paraphrase)."""
    return word.isalpha() and len(word) > 2 and word.lower() not in _SLIP_WORDS


def _paraphrased(doc: Document, quote: str, rng: random.Random) -> str | None:
    words = quote.split(" ")
    swappable = [i for i, w in enumerate(words) if w.lower() in _SYNONYMS]
    if swappable:
        i = rng.choice(swappable)
        words[i] = _SYNONYMS[words[i].lower()]
    else:
        pairs = [i for i in range(len(words) - 1) if _content(words[i]) and _content(words[i + 1])
                 and words[i].lower() != words[i + 1].lower()]
        if not pairs:
            return None
        i = rng.choice(pairs)
        words[i], words[i + 1] = words[i + 1], words[i]
    text = " ".join(words)
    return None if text.lower() in doc.view.lower() else text


def build_cases(docs: list[Document], rng: random.Random, per_doc: int) -> list[Case]:
    cases = []
    for doc in docs:
        for start, end in _windows(doc, rng, per_doc):
            quote = doc.view[start:end]
            expected = doc.raw_range(start, end)
            for kind, text in _perturbations(quote, rng).items():
                cases.append(Case(doc, text, kind, expected))
            for kind, changed in (("altered number", _altered(doc, quote, rng)),
                                  ("paraphrased", _paraphrased(doc, quote, rng))):
                if changed is not None:
                    cases.append(Case(doc, changed, kind, None))
    return cases


# --- the engines ---------------------------------------------------------------------------------


def ours(doc: Document, quote: str) -> Span | None:
    found = align(doc, quote)
    if not found.spans:
        return None
    return found.spans[0].start, found.spans[-1].end


@functools.lru_cache(maxsize=8)
def _tokens(view: str) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    matches = list(_TOKEN.finditer(view))
    return tuple(m.group().lower() for m in matches), tuple(m.span() for m in matches)


def baseline(doc: Document, quote: str) -> Span | None:
    """Exact; else token blocks of difflib: whole, fuzzy (>= 75% matched) or lesser (longest)."""
    quote = quote.strip()
    at = doc.view.find(quote)
    if at >= 0:
        return doc.raw_range(at, at + len(quote))
    words, offsets = _tokens(doc.view)
    wanted = [m.group().lower() for m in _TOKEN.finditer(quote)]
    if not wanted:
        return None
    matcher = difflib.SequenceMatcher(None, words, wanted, autojunk=False)
    longest = matcher.find_longest_match(0, len(words), 0, len(wanted))
    if longest.size == 0:
        return None
    low = max(0, longest.a - longest.b - 2)
    high = min(len(words), longest.a + len(wanted) - longest.b + 2)
    matcher.set_seq1(words[low:high])
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    matched = sum(b.size for b in blocks)
    if matched == len(wanted) or matched >= 0.75 * len(wanted):
        first, last = low + blocks[0].a, low + blocks[-1].a + blocks[-1].size - 1
    else:  # a "lesser" match: the longest block, accepted
        first, last = longest.a, longest.a + longest.size - 1
    start, end = offsets[first][0], offsets[last][1]
    return doc.raw_range(start, end)


# --- the runs ----------------------------------------------------------------------------------


def score(name: str, engine: Engine, cases: list[Case]) -> dict[str, float]:
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    began = time.perf_counter()
    for case in cases:
        got = engine(case.doc, case.quote)
        total[case.kind] += 1
        if case.expected is None:
            right[case.kind] += got is not None  # a false accept
        else:
            right[case.kind] += got == case.expected
    seconds = time.perf_counter() - began
    benign = sum(right[k] for k in BENIGN) / max(1, sum(total[k] for k in BENIGN))
    print(f"\n{name}")
    for kind in (*BENIGN, "altered number", "paraphrased"):
        label = "false accepts" if kind in ("altered number", "paraphrased") else "right span"
        print(f"  {kind:16} {label:14} {right[kind]:4} / {total[kind]:<4}"
              f" ({right[kind] / max(1, total[kind]):.1%})")
    print(f"  benign recall {benign:.1%}; time per quote {1000 * seconds / len(cases):.3f} ms")
    return {"recall": benign, "altered": right["altered number"], "paraphrased": right["paraphrased"],
            "ms": 1000 * seconds / len(cases)}


def big_document(records: list[dict[str, str]], size: int = 100_000) -> Document:
    texts: list[str] = []
    for record in records:
        texts.append(record["text"])
        if sum(map(len, texts)) >= size:
            break
    return Document(id="meantime-100k", raw="\n\n".join(texts))


def timed_big(doc: Document, rng: random.Random) -> None:
    cases = build_cases([doc], rng, per_doc=400)
    picked = (rng.sample([c for c in cases if c.expected is not None], 40)
              + rng.sample([c for c in cases if c.expected is None], 10))
    began = time.perf_counter()
    _index(doc.view)
    build = time.perf_counter() - began
    results = {}
    for name, engine in (("ours", ours), ("baseline", baseline)):
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            for case in picked:
                engine(case.doc, case.quote)
            best = min(best, time.perf_counter() - began)
        results[name] = 1000 * best
    print(f"\n50 quotes (40 benign, 10 to reject) in one {len(doc.raw):,}-character document:")
    print(f"  ours     {results['ours']:8.1f} ms  (plus a one-off index build of "
          f"{1000 * build:.1f} ms per document)")
    print(f"  baseline {results['baseline']:8.1f} ms")
    print(f"  ours / baseline = {results['ours'] / results['baseline']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meantime", type=Path, default=MEANTIME)
    parser.add_argument("--per-doc", type=int, default=3)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    records = [json.loads(line) for line in args.meantime.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    docs = [read_article(path) for path in sorted((ROOT / "seeds").glob("*.txt"))]
    docs += [Document(id=r["doc_id"], raw=r["text"]) for r in records]
    cases = build_cases(docs, rng, args.per_doc)
    print(f"{len(cases)} quotes from {len(docs)} articles (3 seeds, {len(records)} MEANTIME)")
    mine = score("ours (summarizer.text.alignment.align)", ours, cases)
    theirs = score("baseline (difflib SequenceMatcher, lesser matches accepted)", baseline, cases)
    print(f"\ntargets: zero false accepts of altered numbers: {mine['altered'] == 0}; "
          f"recall >= baseline's: {mine['recall'] >= theirs['recall']}")
    timed_big(big_document(records), rng)


if __name__ == "__main__":
    main()
