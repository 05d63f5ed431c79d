"""Read the figures written in text: value, range, unit or currency, and qualifier.

The model proposes a quantity and points at the words; this module reads those words, with no model:

- digits with separators and decimals ("1,200", "2.5", "-36"), number words ("three", "forty-two",
  "one hundred and twenty", "a dozen", "half", "a quarter") and scale words ("1.2 million",
  "four billion", "$40bn", "$15m");
- vague plurals, read literally as a lower bound: "hundreds of" is at least 200, "dozens of" at least 24;
- ranges: "between 30 and 40", "30-40", "30 to 40" (the low end is the value, `high` the upper end);
- currencies ("$", "US$", "AU$", "\u20ac", "\u00a3", "dollars", "euros", "USD") and units ("%", "percent",
  "km", "tonnes", "GB", "points"...); an attached "m" is a million after a currency, else metres;
- qualifiers, mapped to the fixed set of `models.Qualifier` ("nearly" -> approximately, "over" -> more
  than, "no fewer than" -> at least, "as many as" -> up to...).

A figure whose digit grouping is malformed ("11,00") is kept with its text and no value: it is never
read as 11,000 or 1,100. `read_quantity` is the grounding policy built on this (see its docstring).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.normalize.lexicon import (
    LARGE_NUMBERS,
    MULTIPLIERS,
    SMALL_NUMBERS,
    TENS,
    VAGUE_PLURALS,
    alternation,
    counting_words,
)
from summarizer.output.summary import Qualifier

_ABBREVIATIONS = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9,
                  "tn": 1e12, "trn": 1e12}
_CURRENCY_SIGNS = {"$": "$", "US$": "USD", "US $": "USD", "USD$": "USD", "AU$": "AUD", "A$": "AUD",
                   "C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL",
                   "GB\u00a3": "GBP", "\u00a3": "GBP", "\u20ac": "EUR", "\u00a5": "JPY", "\u20b9": "INR",
                   "\u20bd": "RUB", "\u20aa": "ILS"}
_CODES = ("USD", "EUR", "GBP", "JPY", "CNY", "INR", "RUB", "AUD", "CAD", "CHF")
_UNITS = {
    "%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent",
    "percentage points": "percentage point", "percentage point": "percentage point",
    "US dollars": "USD", "U.S. dollars": "USD", "dollars": "$", "dollar": "$", "euros": "EUR",
    "euro": "EUR", "pounds sterling": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY",
    "renminbi": "CNY", "rupees": "INR", "roubles": "RUB", "rubles": "RUB", "shekels": "ILS",
    "cents": "cent", "cent": "cent", "pence": "pence", **{code: code for code in _CODES},
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "m": "m", "metres": "m", "meters": "m", "metre": "m", "meter": "m", "cm": "cm", "mm": "mm",
    "miles": "mile", "mile": "mile", "feet": "ft", "foot": "ft", "ft": "ft", "inches": "inch",
    "inch": "inch", "kg": "kg", "kilograms": "kg", "kilogram": "kg", "tonnes": "tonne",
    "tonne": "tonne", "tons": "ton", "ton": "ton", "lbs": "lb", "lb": "lb", "hectares": "hectare",
    "acres": "acre", "litres": "litre", "liters": "litre", "barrels": "barrel", "sq km": "km2",
    "square kilometres": "km2", "square kilometers": "km2", "square miles": "mile2",
    "GB": "GB", "MB": "MB", "TB": "TB", "GHz": "GHz", "MHz": "MHz", "points": "point",
    "point": "point", "degrees": "degree",
}
_CANONICAL = {key.lower(): unit for key, unit in _UNITS.items()}
_QUALIFIERS: tuple[tuple[str, Qualifier], ...] = (
    ("more than", "more than"), ("over", "more than"), ("above", "more than"),
    ("upwards of", "more than"), ("in excess of", "more than"), ("exceeding", "more than"),
    ("nearly", "approximately"), ("almost", "approximately"), ("about", "approximately"),
    ("around", "approximately"), ("roughly", "approximately"), ("approximately", "approximately"),
    ("some", "approximately"), ("an estimated", "approximately"), ("close to", "approximately"),
    ("at least", "at least"), ("no fewer than", "at least"), ("no less than", "at least"),
    ("not less than", "at least"), ("a minimum of", "at least"),
    ("fewer than", "fewer than"), ("less than", "fewer than"), ("under", "fewer than"),
    ("below", "fewer than"),
    ("at most", "at most"), ("no more than", "at most"), ("not more than", "at most"),
    ("a maximum of", "at most"),
    ("up to", "up to"), ("as many as", "up to"), ("as much as", "up to"), ("as high as", "up to"),
)
_LONGEST_FIRST = sorted(_QUALIFIERS, key=lambda pair: len(pair[0]), reverse=True)
# Each qualifier as its own compiled pattern, and the last words they end with: text that ends
# with none of these words has no qualifier, and is told so without trying the 33 patterns.
_QUALIFIER_PATTERNS = tuple((re.compile(rf"(?:^|\W){re.escape(words)}$"), qualifier)
                            for words, qualifier in _LONGEST_FIRST)
_QUALIFIER_LAST_WORDS = frozenset(words.split()[-1] for words, _ in _QUALIFIERS)
_LAST_WORD = re.compile(r"\w+$")


_SIGN = r"US ?\$|(?:USD|AU|A|C|CA|NZ|HK|S|R)\$|GB\u00a3|[$\u00a3\u20ac\u00a5\u20b9\u20bd\u20aa]"
# The only words a figure can begin with (lowercased): a range's "between", a currency written
# with letters ("US$", "USD 5", "A$"), a vague plural ("hundreds"), "a score of", a fraction
# ("two thirds", "half"), a spelled number ("forty", "a dozen"). `_figure_at` finds nothing at any
# other word, so `figures` skips them unread (faster than a regex alternation of these words);
# tests/normalize/test_quantities.py checks the list.
FIGURE_STARTERS = frozenset({
    "between", *(code.lower() for code in _CODES),
    *(letters[0].lower() for sign in _CURRENCY_SIGNS if (letters := re.match("[A-Za-z]+", sign))),
    *VAGUE_PLURALS, *SMALL_NUMBERS, *TENS, *counting_words(1, 3), "half", "third", "thirds",
    "quarter", "quarters",
})
_START = re.compile(rf"(?<![\w$\u00a3\u20ac\u00a5])(?:{_SIGN}|(?:{'|'.join(_CODES)})(?= ?\d))"
                    r"|(?<![\w.,])\d|(?<![^\s(])[-\u2212](?=\d)"
                    r"|(?P<word>(?i:\b[a-z]+\b))")
_CURRENCY = re.compile(rf"(?:{_SIGN}|(?:{'|'.join(_CODES)})(?= ?\d))")
_DIGITS = re.compile(r"([-\u2212]?)(\d(?:[\d,.]*\d)?)")
_DOTTED_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # "1.200.000": a malformed figure, not a version
_WELL_FORMED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_SCALE = re.compile(r"[ \t\u00a0]*(" + "|".join(LARGE_NUMBERS) + r")\b|"
                    r"[ \t]?(bn|mn|mln|bln|tn|trn)\b"
                    r"|(k|m|b)\b", re.IGNORECASE)
_UNIT_SPACED = re.compile(r"(?:[ \t\u00a0]*|-)(" + alternation(k for k in _UNITS if len(k) > 1)
                          + r"|%)(?!\w)", re.IGNORECASE)
_UNIT_ATTACHED = re.compile(r"(" + alternation(_UNITS) + r")(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\u00a0]+")
_VAGUE = re.compile(r"(" + "|".join(VAGUE_PLURALS) + r")(?:[ \t]+of[ \t]+("
                    + "|".join(w for w, base in VAGUE_PLURALS.items() if base >= 1e3)
                    + r"))?\b([ \t]+of\b)?", re.IGNORECASE)
_SCORE = re.compile(r"a[ \t]+score[ \t]+of\b", re.IGNORECASE)
_FRACTION = re.compile(r"(?:(" + "|".join(counting_words(1, 3)) + r")[ \t]+)?(half|thirds?|quarters?)\b",
                       re.IGNORECASE)
_A = re.compile(r"[ \t]+(?:a|an)\b", re.IGNORECASE)
_AND_A_HALF = re.compile(r"[ \t]+and[ \t]+a[ \t]+half\b", re.IGNORECASE)
_BETWEEN = re.compile(r"between[ \t]+", re.IGNORECASE)
_AND = re.compile(r"[ \t]+and[ \t]+", re.IGNORECASE)
_TO = re.compile(r"[-\u2013]|[ \t]+to[ \t]+", re.IGNORECASE)
_CHANGE = re.compile(r"\b(?:from|by|up|down|fell|rose|dropped|climbed|gained|lost|jumped|slipped|"
                     r"increased|decreased|declined|cut|raised)[ \t]+$", re.IGNORECASE)
_GLUED = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Figure:
    """One figure as written: `text` from `start`, its value (None when malformed), the upper end of a
    range, its unit or currency, qualifier, and the scale word's factor ("2.5 million": 1e6)."""

    text: str
    value: float | None
    qualifier: Qualifier
    start: int
    high: float | None = None
    unit: str | None = None
    scale: float = 1.0

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def malformed(self) -> bool:
        return self.value is None

    def says(self, value: float) -> bool:
        """Whether `value` is what this figure says: its value or range end, with or without its
        scale word ("2.5 million" says 2.5), a percentage also as a fraction (20 % says 0.2)."""
        readings = [v for v in (self.value, self.high) if v is not None]
        readings += [v / self.scale for v in readings]
        if self.unit == "percent":
            readings += [v / 100 for v in readings]
        return any(abs(v - value) <= 1e-9 * max(1.0, abs(value)) for v in readings)


@dataclass(frozen=True)
class _Measure:
    end: int
    value: float | None
    scale: float = 1.0
    unit: str | None = None
    vague: bool = False
    prefixed: bool = False  # the unit is a currency sign written before the number
    high: float | None = None


def _spelled(text: str, pos: int) -> tuple[float, int, str] | None:
    """A number in words from `pos` ("forty-two", "a dozen", "three hundred and twenty thousand")."""
    total = current = 0.0
    end, last, i = -1, "", pos
    while (match := _WORD.match(text, i)) is not None:
        word = match[0].lower()
        small, tens = SMALL_NUMBERS.get(word), TENS.get(word)
        if word in ("a", "an") and last == "":
            after = _SPACE.match(text, match.end())
            following = _WORD.match(text, after.end()) if after else None
            if following is None or following[0].lower() not in MULTIPLIERS:
                return None
            current, last, i = 1.0, "a", following.start()
            continue
        if small is not None and (last in ("", "hundred", "large") or (last == "tens" and 0 < small < 10)):
            current, last = current + small, "small"
        elif tens is not None and last in ("", "hundred", "large"):
            current, last = current + tens, "tens"
        elif word in ("hundred", "dozen") and last in ("a", "small", "tens"):
            current, last = current * MULTIPLIERS[word], "hundred"
        elif word in LARGE_NUMBERS and last in ("a", "small", "tens", "hundred"):
            total, current, last = total + current * LARGE_NUMBERS[word], 0.0, "large"
        else:
            break
        end = match.end()
        if last == "tens" and text.startswith("-", end) and _WORD.match(text, end + 1):
            i = end + 1
            continue
        space = _SPACE.match(text, end)
        if space is None:
            break
        i = space.end()
        conjunction = _WORD.match(text, i)
        if conjunction and conjunction[0].lower() == "and" and last in ("hundred", "large"):
            space = _SPACE.match(text, conjunction.end())
            i = space.end() if space else i
    return (total + current, end, last) if end > pos else None


def _digits(text: str, pos: int, currency: bool) -> _Measure | None:
    """Digits at `pos` with a scale word ("2.5 million", "15bn"; "$40m" but "40m" is metres)."""
    if (digits := _DIGITS.match(text, pos)) is None:
        return None
    sign, written = digits.groups()
    if written.count(".") > 1 and not _DOTTED_GROUPS.fullmatch(written):
        return None  # a version, an address or a date ("10.4.1", "12.11.2023"), not a figure
    value = float(written.replace(",", "")) if _WELL_FORMED.fullmatch(written) else None
    end, scale = digits.end(), 1.0
    word = _SCALE.match(text, end)
    if word is not None and (word[1] or word[2] or currency or word[3].lower() == "k"):
        name = (word[1] or word[2] or word[3]).lower()
        scale, end = LARGE_NUMBERS.get(name) or _ABBREVIATIONS[name], word.end()
    if value is not None:
        value *= -scale if sign else scale
    return _Measure(end, value, scale)


def _words(text: str, pos: int) -> _Measure | None:
    """A number in words at `pos`: vague plurals, fractions, then spelled-out numbers."""
    if (vague := _VAGUE.match(text, pos)) is not None:
        head, tail = vague[1].lower(), (vague[2] or "").lower()
        if head == "tens" and not (tail or vague[3]):
            return None
        return _Measure(vague.end(), 2 * VAGUE_PLURALS[head] * VAGUE_PLURALS.get(tail, 1.0), vague=True)
    if (score := _SCORE.match(text, pos)) is not None:
        return _Measure(score.end(), 20.0)
    if (fraction := _FRACTION.match(text, pos)) is not None:
        count, part = (fraction[1] or "").lower(), fraction[2].lower()
        if not count and part != "half":
            return None  # "the third", "a quarter" needs its article
        value = SMALL_NUMBERS.get(count, 1) * {"h": 0.5, "t": 1 / 3, "q": 0.25}[part[0]]
        end, scale = fraction.end(), 1.0
        if (article := _A.match(text, end)) is not None:  # "half a million", "half a percent"
            after = _SPACE.match(text, article.end())
            word = _WORD.match(text, after.end()) if after else None
            if word is not None and word[0].lower() in MULTIPLIERS:
                scale, end = MULTIPLIERS[word[0].lower()], word.end()
            elif _UNIT_SPACED.match(text, article.end()):
                end = article.end()
        return _Measure(end, value * scale, scale)
    if (spelled := _spelled(text, pos)) is None:
        return None
    value, end, last = spelled
    if last != "large" and (half := _AND_A_HALF.match(text, end)) is not None:
        value, end = value + 0.5, half.end()
    scale = 1.0
    if last in ("small", "tens") and (word := _SCALE.match(text, end)) is not None and word[1]:
        scale, end = LARGE_NUMBERS[word[1].lower()], word.end()
    return _Measure(end, value * scale, scale)


def _measure(text: str, pos: int) -> _Measure | None:
    """Currency sign, number, scale word and unit from `pos`: "US$ 40 billion", "20 %", "500km"."""
    unit = None
    if (sign := _CURRENCY.match(text, pos)) is not None:
        unit = _CURRENCY_SIGNS.get(sign[0], sign[0])
        space = _SPACE.match(text, sign.end())
        pos = space.end() if space else sign.end()
    number = _digits(text, pos, currency=unit is not None) or _words(text, pos)
    if number is None:
        return None
    end = number.end
    written = (_UNIT_ATTACHED if end < len(text) and _GLUED.match(text, end) else _UNIT_SPACED
               ).match(text, end)
    if written is not None:
        named = _CANONICAL[written[1].lower()]
        if unit is None or (unit == "$" and named not in ("$", "cent")):
            unit = named
        end = written.end()
    if _GLUED.match(text, end):
        return None  # "5th", "320x240", "3D": part of a word or a code, not a figure
    return _Measure(end, number.value, number.scale, unit, number.vague, prefixed=sign is not None)


_DOLLARS = {"$", "USD", "AUD", "CAD", "NZD", "HKD", "SGD", "BRL"}


def _range(low: _Measure, high: _Measure) -> _Measure | None:
    """Two measures as one range, the first borrowing the second's scale and unit ("12 to 20 million");
    None when they are not one ("3.16 % to 2138.14", "2.5 percent to \u20ac 2.73", "52-35")."""
    if low.value is None or high.value is None:
        return _Measure(high.end, None)
    value = low.value
    if low.scale == 1.0 and high.scale != 1.0 and value < high.value / high.scale:
        value *= high.scale
    units = {low.unit, high.unit} - {None}
    if value >= high.value or low.vague or high.vague or (len(units) > 1 and not units <= _DOLLARS):
        return None
    if low.unit is not None and high.unit is None and not low.prefixed:
        return None  # a unit written after the low end only: "3.16 % to 2138.14"
    unit = low.unit if low.unit not in (None, "$") or high.unit is None else high.unit
    return _Measure(high.end, value, high.scale, unit, high=high.value)


def _figure_at(text: str, pos: int) -> _Measure | None:
    """The measure or range starting at `pos`."""
    if (between := _BETWEEN.match(text, pos)) is not None:
        low = _measure(text, between.end())
        joint = _AND.match(text, low.end) if low else None
        high = _measure(text, joint.end()) if joint else None
        return _range(low, high) if low and high else None
    low = _measure(text, pos)
    if low is None or text[max(pos - 1, 0):pos] in ("-", "\u2013"):
        return low  # "11" of "2023-11-14"
    joint = _TO.match(text, low.end)
    if joint is None or ("to" in joint[0].lower() and _CHANGE.search(text[max(0, pos - 12):pos])):
        return low  # "rose from 30 to 40", "was down $ 2.86 to $ 77.11": a change, not a range
    high = _measure(text, joint.end())
    if high is None or re.match(r"[-\u2013]\d", text[high.end:high.end + 2]):
        return low
    return _range(low, high) or low


def qualifier_before(text: str, start: int) -> Qualifier:
    before = text[max(0, start - 24):start].lower().rstrip()
    last = _LAST_WORD.search(before)
    if last is None or last[0] not in _QUALIFIER_LAST_WORDS:
        return "exact"  # every qualifier ends with one of these words
    for pattern, qualifier in _QUALIFIER_PATTERNS:  # "no more than" before "more than"
        if pattern.search(before):
            return qualifier
    return "exact"


def figures(text: str) -> list[Figure]:
    """Every figure in `text`, in order: a range is one figure, a malformed one has no value."""
    found: list[Figure] = []
    pos = 0
    while (start := _START.search(text, pos)) is not None:
        word = start["word"]
        if word is not None and word.lower() not in FIGURE_STARTERS:
            pos = start.end()  # most words of a text: none can begin a figure
            continue
        measure = _figure_at(text, start.start())
        if measure is None:
            pos = start.end()
            continue
        qualifier = qualifier_before(text, start.start())
        if measure.vague and qualifier == "exact":
            qualifier = "at least"  # "hundreds of": at least two hundred
        found.append(Figure(text[start.start():measure.end], measure.value, qualifier,
                            start.start(), measure.high, measure.unit, measure.scale))
        pos = measure.end
    return found


def read_value(text: str, value: float) -> Figure | str:
    """The figure in `text` that says `value`, or the reason none does."""
    written = figures(text)
    for figure in written:
        if figure.says(value):
            return figure
    malformed = [f.text for f in written if f.malformed]
    if malformed:
        return f"the figure {malformed[0]!r} in the text is malformed; {value:g} cannot be confirmed"
    if not written:
        return f"the quoted text contains no figure for {value:g}"
    shown = ", ".join(f.text for f in written)
    return f"the quoted text says {shown}, not {value:g}"


@dataclass(frozen=True)
class Reading:
    """A quantity read from its span, and what was corrected from the model's proposal, if anything."""

    figure: Figure
    correction: str | None = None


def read_quantity(text: str, proposed: float) -> Reading | str:
    """Read the quantity a model proposed from its quoted `text`; the value always comes from the text.

    A figure that says `proposed` is taken as it is. Otherwise, when the text holds exactly one
    figure, that figure is read and the disagreement recorded as the correction (a malformed one is
    kept with no value, never guessed). With no figure, or several and none saying `proposed`, the
    reason is returned and the item must be rejected.
    """
    found = read_value(text, proposed)
    if isinstance(found, Figure):
        return Reading(found)
    written = figures(text)
    if len(written) != 1:
        return found
    (figure,) = written
    if figure.malformed:
        return Reading(figure, f"the model proposed {proposed:g}, but the figure {figure.text!r} as "
                               "written is malformed, so no value is read")
    return Reading(figure, f"the model proposed {proposed:g}; the text says {figure.text!r}")
