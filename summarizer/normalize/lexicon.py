"""The words our rules read, written once: month and weekday names, number words, articles, stop
words and negations, and the word tokenizers, one for each different need.

It sits in `normalize/`, the lowest layer but output, so that text, extract, digest and evaluation
may all import it. Names are lowercase; a module that matches them case-sensitively ("March" is
a month, "march" a verb) capitalizes them itself. `alternation` turns a word list into a regex
alternation, longest first, so that "sept" is tried before "sep".

Tokenizers, by need:

- `words`: every word, lowercased, inner separators kept ("11,000", "u.s.", "don't"): shingles,
  names, content words;
- `content_words`: `words` less stop words and one-letter words, a plural's "s" dropped: what two
  claims share;
- `token_matches`: words as `words` reads them and each other symbol, with offsets: a diff;
- `figure_or_word_matches`: figures and letter words apart ("abc123" is two, "U.S." two, "11,000"
  one): comparing a quote with its source word by word;
- `letter_words`: letter words only, inner apostrophes kept ("O'Brien"): the names of a speaker;
- `capitalized_words`: words of two characters or more with an ASCII capital first: proper words;
- `phrase_word_matches`: words of a noun phrase, hyphens kept ("Six-Day", "cease-fire"): what a
  figure counts;
- `answer_tokens`: SQuAD v1.1 answer normalization, for token F1 against gold answers.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Iterator

from lemminflect import getAllInflections, getAllLemmas

# --- calendar ---------------------------------------------------------------------------------

MONTHS: tuple[tuple[str, ...], ...] = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"),
)
"""Each month's full name, then its abbreviations."""
MONTH_NAMES = tuple(names[0] for names in MONTHS)
MONTH_ABBREVIATIONS = tuple(name for names in MONTHS for name in names[1:])
MONTH_NUMBERS = {name: number for number, names in enumerate(MONTHS, start=1) for name in names}
"""Every name and abbreviation of a month, to its number (1-12)."""
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""In `date.weekday()` order."""
CALENDAR_WORDS = frozenset((*MONTH_NUMBERS, *WEEKDAYS))
"""Every month name, month abbreviation and weekday."""

# --- numbers ----------------------------------------------------------------------------------

SMALL_NUMBERS = {word: number for number, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))}
TENS = {word: 10 * number for number, word in enumerate(
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2)}
LARGE_NUMBERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
MULTIPLIERS = {"dozen": 12.0, "hundred": 100.0, **LARGE_NUMBERS}
VAGUE_PLURALS = {"tens": 10.0, "dozens": 12.0, "scores": 20.0, "hundreds": 100.0, "thousands": 1e3,
                 "millions": 1e6, "billions": 1e9}
"""Plurals that state a number vaguely ("hundreds of"), to the unit they count in."""
NUMBER_WORDS = frozenset({*SMALL_NUMBERS, *TENS, *MULTIPLIERS, *VAGUE_PLURALS})
"""Every word that states a number by itself."""
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
"""The ordinals our date rules read (quarters, weeks of a month)."""
ARTICLES = ("a", "an", "the")
INDEFINITE_ARTICLES = ("a", "an")


def counting_words(low: int, high: int) -> dict[str, int]:
    """"a", "an" (one) and the number words from `low` to `high`, to their values:
    what may count days or weeks ("a week ago", "three days ago")."""
    return {**dict.fromkeys(INDEFINITE_ARTICLES, 1),
            **{word: n for word, n in SMALL_NUMBERS.items() if low <= n <= high}}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, escaped, longest first (a stable sort keeps ties in order)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- negation ---------------------------------------------------------------------------------

NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without",
                       "cannot", "deny", "denies", "denied", "refuse", "refuses", "refused"})
"""Words that turn what a sentence says into its opposite; with every word ending in "n't", what
the alignment guard (text.alignment) and the support check (extract.support) compare both ways."""


def is_negation(word: str) -> bool:
    """Whether a lower-cased word negates: one of NEGATIONS or any word ending in "n't" (the one
    test of the alignment guard and the support check)."""
    return word in NEGATIONS or word.endswith("n't")


# --- tokenizers ---------------------------------------------------------------------------------

_WORD = r"\w+(?:[.,'\u2019]\w+)*"
_WORD_RE = re.compile(_WORD)
_TOKEN_RE = re.compile(_WORD + r"|[^\w\s]")
_LETTER_WORD = r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*"
_LETTER_WORD_RE = re.compile(_LETTER_WORD)
_FIGURE_OR_WORD_RE = re.compile(r"\d+(?:[.,]\d+)*|" + _LETTER_WORD)
_CAPITALIZED_RE = re.compile(r"\b[A-Z]\w+")
_PHRASE_WORD_RE = re.compile(r"[^\W\d][\w'\u2019-]*|\d[\d,.]*")
_ARTICLE_RE = re.compile(r"\b(" + "|".join(ARTICLES) + r")\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)

STOP_WORDS = frozenset((
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but",
    "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "it", "its",
    "this", "that", "these", "those", "which", "who", "whom", "whose", "what", "when", "where",
    "while", "than", "then", "there", "their", "they", "them", "he", "she", "his", "her", "we",
    "our", "you", "your", "not", "no", "said", "says", "say", "will", "would", "could", "should",
    "may", "might", "can", "also", "into", "over", "after", "before", "about", "more", "most",
    "some", "such", "only", "other", "all", "any", "each",
))
"""Words too common to tell two claims apart (`content_words` leaves them out)."""


def words(text: str) -> list[str]:
    """Every word, lowercased, punctuation left out; letters and digits joined by one inner
    `.`, `,` or apostrophe stay one word ("11,000", "u.s", "don't")."""
    return [word.lower() for word in _WORD_RE.findall(text)]  # the pattern has no group


def normalized_name(name: str) -> str:
    """A name as compared across summaries and chunks: its words, lowercased, without "the "."""
    kept = " ".join(words(name.replace("\u2019", "'")))
    return kept.removeprefix("the ")


def content_words(text: str) -> set[str]:
    """Lowercased words minus stop words and one-letter words, a plural's "s" dropped."""
    found = set()
    for word in words(text.replace("\u2019", "'")):
        word = word.removesuffix("'s")
        if word in STOP_WORDS or len(word) < 2:
            continue
        found.add(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss")
                  else word)
    return found


def token_matches(text: str) -> Iterator[re.Match[str]]:
    """Words as `words` reads them (case kept) and every other non-space character alone."""
    return _TOKEN_RE.finditer(text)


def figure_or_word_matches(text: str) -> Iterator[re.Match[str]]:
    """Figures (digits with inner `.` or `,`) and letter words (inner apostrophes kept), each
    apart: "abc123" is "abc" and "123", "U.S." is "U" and "S"; symbols are left out."""
    return _FIGURE_OR_WORD_RE.finditer(text)


def letter_words(text: str) -> list[str]:
    """Words of letters only, inner apostrophes kept ("O'Brien", "O\u2019Brien"), case kept."""
    return _LETTER_WORD_RE.findall(text)


def capitalized_words(text: str) -> list[str]:
    """Words of two or more word characters starting with an ASCII capital ("Russian", "EADS")."""
    return _CAPITALIZED_RE.findall(text)


def phrase_word_matches(text: str, pos: int = 0) -> Iterator[re.Match[str]]:
    """From `pos`, the words of a noun phrase: a word with its inner hyphens and apostrophes
    ("Six-Day", "cease-fire"), or a figure with its separators ("1,200")."""
    return _PHRASE_WORD_RE.finditer(text, pos)


def answer_tokens(text: str) -> list[str]:
    """SQuAD v1.1 answer normalization: lowercased, ASCII punctuation and articles removed,
    split on whitespace."""
    return _ARTICLE_RE.sub(" ", text.lower().translate(_PUNCTUATION)).split()


# --- parts of speech ---------------------------------------------------------------------------


@functools.cache
def parts_of_speech(word: str) -> frozenset[str]:
    """What the word can be, by lemminflect's English lexicon (Universal POS tags: "VERB", "NOUN",
    "ADJ", "ADV"...); empty for a word it does not know. "stages" can be a VERB or a NOUN."""
    return frozenset(getAllLemmas(word.lower()))


@functools.cache
def past_form(word: str) -> bool:
    """Whether the word is a verb's past tense or past participle and not also its present
    ("thrown", "arrested"; not "hit" or "set")."""
    low = word.lower()
    for lemma in getAllLemmas(low).get("VERB", ()):
        forms = getAllInflections(lemma, upos="VERB")
        past = {*forms.get("VBD", ()), *forms.get("VBN", ())}
        present = {*forms.get("VB", ()), *forms.get("VBP", ()), *forms.get("VBZ", ())}
        if low in past and low not in present:
            return True
    return False
