"""Date expressions resolved against the article's own clock, as TIMEX3-style values.

`normalize(expression, published, sentence, anchor)` returns a `Resolution`: the value, its
granularity and how it was resolved, or `None` with the reason. Values follow TIMEX3:

    day 2023-11-12   part of day 2023-11-12TMO   week 2023-W46   weekend 2023-W46-WE
    month 2023-11    season 2023-SU   quarter 2023-Q4   year 2023   decade 197

How (`basis`): "explicit" (the text states the year), "relative" (counted from the publication date:
weekdays, "yesterday", "last week"), "inferred-year" (month and day stated, the year chosen by the
rule below), "anaphoric" (counted from the last day the article mentioned before: "the same day").
The rules are ours, and tests/normalize/test_temporal.py holds them:

- An explicit calendar date beats a weekday: "Wednesday, November 15" is the 15th (a weekday that
  disagrees with the date is kept as written and flagged "weekday-mismatch"). The words right after
  the expression count too: "on Friday" followed by ", November 10" in its sentence is the 10th, and
  "October" followed by "of next year" is next year's.
- A bare weekday in past-tense reporting is the most recent such day, the publication day included;
  in future-tense text ("will", "is preparing to", "until") it is the next one, the same day included.
- A date without a year takes the year that puts it nearest the publication date in the direction
  the tense implies; an occurrence on the other side within `periods.NEAR_DAYS` of publication wins
  instead, being the one a writer who left out the year meant. A past-tense date after the
  publication date is kept and flagged "after-publication-date" rather than silently moved back.
- Tense comes from the marker nearest the expression in its sentence (`summarizer.normalize.tense`); with
  none, weekdays look back (news reports the past) and year-less dates take the nearest year.
- Vague references take TIMEX3's PAST_REF, PRESENT_REF and FUTURE_REF (granularity "reference",
  counted from the publication date): "recently", "in the past", "formerly" look back; "now",
  "currently", "at present" hold; "soon", "in the future", "in the coming days" look ahead. Those
  whose direction is the sentence's ("at one point", "eventually", "later") follow the tense, and
  without one resolve to None; "soon" or "later" in past-tense narrative counts from an earlier
  time in the text, not from publication, and is None too.
- Durations ("the past week", "for two weeks") resolve to None with a reason, and so do anaphoric
  expressions ("the same day") when no earlier day is known.

Library: python-dateutil reads the calendar part once our patterns have found it ("Oct. 7",
"March 01 , 2008", "7/8/07", "Nov. 13th, 2023", ISO timestamps); parsing it against two sentinel
defaults tells exactly which of year, month and day the text states, which the year rule and the
granularity need, and `relativedelta` does the month arithmetic. It is small, pure, typed (through
types-python-dateutil) and maintained for two decades. dateparser was evaluated and kept out of the
package: it reads more phrasings and languages, but fills whatever the text leaves out from its
RELATIVE_BASE by its own preference, with no trace of what was stated, so neither our year rule nor
the granularity can be applied on top of it; it also brings regex, pytz and tzlocal along.
`bench/temporal_meantime.py` scores it beside this module on the same spans.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

from summarizer.normalize import periods as p
from summarizer.normalize.expressions import date_expressions, reminder_matches
from summarizer.normalize.lexicon import (
    MONTH_NAMES,
    MONTH_NUMBERS,
    ORDINALS,
    WEEKDAYS,
    alternation,
    counting_words,
)
from summarizer.normalize.periods import Granularity, Period
from summarizer.normalize.references import vague_reference
from summarizer.normalize.tense import Tense, tense_of

Basis = Literal["explicit", "relative", "inferred-year", "anaphoric"]
DateGranularity = Granularity | Literal["reference"]
"""A calendar period's, or "reference" for TIMEX3's PAST_REF, PRESENT_REF and FUTURE_REF."""


@dataclass(frozen=True)
class Resolution:
    """A resolved expression, or `value is None` and `reason` says why."""

    value: str | None
    granularity: DateGranularity | None = None
    basis: Basis | None = None
    reason: str = ""
    flags: tuple[str, ...] = ()


_MONTH = r"\b(?:" + alternation(MONTH_NUMBERS) + r")\b\.?"
_YEAR_TAIL = r"(?:\s*,?\s*(?:of\s+)?\d{4}\b)?"
_MONTH_DAY = (_MONTH + r"\s*\d{1,2}(?:st|nd|rd|th)?\b" + _YEAR_TAIL
              + r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + _YEAR_TAIL)
_CALENDAR = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}(?![\d-])|\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|" + _MONTH_DAY,
                       re.IGNORECASE)
_MONTH_YEAR = re.compile(_MONTH + r"\s*,?\s*(?:of\s+)?\d{4}\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<day>"
                      + "|".join(WEEKDAYS) + r")s?\b", re.IGNORECASE)
_PARTS = re.compile(r"\b(morning|afternoon|evening|night|tonight)\b")
# What may follow an expression in its sentence and complete it: a date after a weekday, a year.
_DATE_AFTER = re.compile(r"\s*,?\s*(?:" + _MONTH_DAY + r")", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"\s*,?\s*(?:of\s+)?(?:(?:1[89]|2[01])\d\d\b|(?:this|last|next)\s+year\b)",
                         re.IGNORECASE)
_ENDS_IN_MONTH_OR_DAY = re.compile(r"(?:" + _MONTH + r"|\b\d{1,2}(?:st|nd|rd|th)?)$", re.IGNORECASE)
_QUARTER_ORDINALS = {**ORDINALS, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "final": 4, "last": 4}
_NUMBER_WORDS = counting_words(1, 12)
# Words that bound or shade a date without changing its value; stripped before the phrase rules.
_FILLER = re.compile(r"^(?:(?:on|in|at|by|during|since|until|till|through|throughout|from|for|of|"
                     r"the|over|within|around|about|before|after|early|earlier|late|later|mid|"
                     r"middle|end|start|beginning|as)\b[\s,-]*)+")
_REL = r"(?P<rel>this|last|next|coming)"
_REL_YEAR = r"(?:\s*,?\s*(?:of\s+)?(?:(?P<year>\d{4})|(?P<yrel>this|last|next)\s+year))?"
_RELATIVE_UNIT = re.compile(_REL + r"\s+(?P<unit>week|weekend|month|year)")
_AGO = re.compile(r"(?P<n>\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(?P<unit>day|week|month|year)s?\s+ago")
_DAY_WORDS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
              "day before yesterday": -2, "day after tomorrow": 2}
_DAY_WORD = re.compile(r"(?P<word>" + "|".join(_DAY_WORDS) + r")(?:\s+(?:morning|afternoon|evening|night))?"
                       r"|(?:this|last)\s+(?:morning|afternoon|evening|night)")
_QUARTER = re.compile(r"(?:(?:" + _REL + r"|(?P<ord>" + "|".join(_QUARTER_ORDINALS)
                      + r"))[\s-]+)?(?:fiscal\s+)?(?:quarter|q(?P<q>[1-4]))" + _REL_YEAR)
_SEASON = re.compile(r"(?:" + _REL + r"\s+)?(?P<season>" + "|".join(p.SEASONS) + r")" + _REL_YEAR)
_NAMED_MONTH = r"(?:" + _REL + r"\s+)?(?P<month>" + "|".join((*MONTH_NAMES, "sept")) + r")\.?"
_BARE_MONTH = re.compile(_NAMED_MONTH + _REL_YEAR)
_WEEK_OF_MONTH = re.compile(r"(?P<ord>" + "|".join((*ORDINALS, "last", "final")) + r")\s+week\s+of\s+"
                            + _NAMED_MONTH + _REL_YEAR)
_DECADE = re.compile(r"(?P<century>\d{2})?'?(?P<decade>\d)0'?s")
_ANAPHORIC = re.compile(r"(?P<which>(?:that|this|same|that same|very)\s+)?(?P<unit>day|week|month|year)"
                        r"|(?P<step>next|following|previous|prior)\s+day|day\s+(?P<side>before|after)")
_DURATION = re.compile(r"(?:(?:past|last|previous|next|coming|\w+)\s+)?(?:\w+\s+)?"
                       r"(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies))")
_NOT_NAMES = frozenset({"on", "by", "until", "since", "from", "early", "late", "earlier", "later",
                        "before", "after", "through", "and", "or", "of", "the", "every"})


@dataclass(frozen=True)
class _Ctx:
    text: str  # the expression (with the words completing it), whitespace collapsed
    lower: str
    core: str  # lowercased, leading prepositions and modifiers stripped
    published: date | None
    tense: Tense | None
    anchor: date | None


_Found = tuple[Period, Basis] | Resolution | None
_NEEDS_DATE = Resolution(None, reason="needs the publication date")


def normalize(expression: str, published: date | None, sentence: str = "",
              anchor: date | None = None) -> Resolution:
    """Resolve `expression` against `published`.

    `sentence` (the one around the expression) gives the tense and may complete the expression;
    `anchor` is the last day the text mentioned before it, for "the same day" and the like.
    """
    text = _clean(expression + _completion(expression, sentence))
    lower = text.lower()
    core = _FILLER.sub("", lower).strip(" ,.;:")
    ctx = _Ctx(text, lower, core, published, tense_of(sentence or expression, expression), anchor)
    for rule in _RULES:
        found = rule(ctx)
        if isinstance(found, Resolution):
            return found
        if found is not None:
            period, basis = found
            part = _PARTS.search(lower)
            if part and period.granularity == "day":
                period = period.part_of_day(part[1])
            return Resolution(period.value, period.granularity, basis, flags=_flags(ctx, period, basis))
    if reference := _reference(ctx):
        return reference
    if _ANAPHORIC.fullmatch(core) or re.match(
            r"(?:that|same|previous|prior|following|its|which|this|then)\b", core):
        return Resolution(None, reason="anaphoric: depends on another time in the text")
    if _DURATION.fullmatch(core):
        return Resolution(None, reason="a duration, not a point in time")
    return Resolution(None, reason="not a date expression these rules read")


def resolve(expression: str, published: date | None, sentence: str = "") -> str | None:
    """Just the value of `normalize`: a TIMEX3-style string, or None."""
    return normalize(expression, published, sentence).value


def parse_iso_date(text: str) -> date | None:
    """An explicit full date ("2023-11-14", "November 12, 2023") or None."""
    found = normalize(text, None)
    return date.fromisoformat(found.value) if found.value and found.granularity == "day" else None


_WRITTEN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@functools.lru_cache(maxsize=1024)  # a sentence holds several statements' evidence
def dates_written(text: str, published: date | None) -> str:
    """The dates `text` names that resolve to a year, month or day, written out ("last month" in an
    article of 2009-02-03 is "January 2009"; "April 3" is "April 3, 2008"): what a statement may
    say of them in other words."""
    out = []
    for expression in date_expressions(text):
        value = normalize(expression, published, text).value
        found = _WRITTEN.fullmatch(value or "")
        if found is None:
            continue
        year, month, day = found.groups()
        month_name = MONTH_NAMES[int(month) - 1].capitalize() if month else ""
        out.append(f"{month_name} {int(day)}, {year}" if day else f"{month_name} {year}".strip())
    return "; ".join(out)


def last_day_mentioned(text: str, published: date | None) -> date | None:
    """The last day-level date that `text` mentions (the anchor for what follows it), or None."""
    last = None
    for match in reminder_matches(text):
        start = max(text.rfind(mark, 0, match.start()) for mark in (". ", "\n")) + 1
        stop = min((i for i in (text.find(". ", match.end()), text.find("\n", match.end())) if i >= 0),
                   default=len(text))
        last = _day_of(match.group(0), published, text[start:stop + 1]) or last
    return last


@functools.lru_cache(maxsize=1024)
def _day_of(expression: str, published: date | None, sentence: str) -> date | None:
    """The day `expression` names in `sentence`, or None. Cached: grounding asks
    `last_day_mentioned` about the text before each date of an article, so the same expressions
    in the same sentences come back once per later date."""
    found = normalize(expression, published, sentence)
    if found.value and found.granularity in ("day", "part-of-day"):
        return date.fromisoformat(found.value[:10])
    return None


def _clean(text: str) -> str:
    return re.sub(r"\s+([,.])", r"\1", " ".join(text.split()))


def _completion(expression: str, sentence: str) -> str:
    """Words right after the expression in its sentence that complete it, or ""."""
    at = sentence.find(expression) if expression else -1
    if at < 0:
        return ""
    after = sentence[at + len(expression):]
    ends = expression.rstrip(" ,")
    if _WEEKDAY.search(ends) and not _CALENDAR.search(ends) and (match := _DATE_AFTER.match(after)):
        return match.group(0)
    if (_ENDS_IN_MONTH_OR_DAY.search(ends) and not re.search(r"\d{4}", ends)
            and (match := _YEAR_AFTER.match(after))):
        return match.group(0)
    return ""


def _flags(ctx: _Ctx, period: Period, basis: Basis) -> tuple[str, ...]:
    flags: list[str] = []
    if (basis in ("explicit", "inferred-year") and ctx.published and ctx.tense == "past"
            and period.start > ctx.published):
        flags.append("after-publication-date")
    weekday = _WEEKDAY.search(ctx.lower)
    if (period.granularity in ("day", "part-of-day") and weekday and not weekday["rel"]
            and WEEKDAYS.index(weekday["day"]) != period.start.weekday()):
        flags.append("weekday-mismatch")
    return tuple(flags)


def _stated_fields(fragment: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) that `fragment` states, None for those it leaves out."""
    try:
        first, second = (dateutil_parser.parse(fragment, default=datetime(y, m, m))
                         for y, m in ((1004, 1), (1008, 2)))  # two leap years, two sentinels
    except (ValueError, OverflowError):
        return None
    return (first.year if first.year == second.year else None,
            first.month if first.month == second.month else None,
            first.day if first.day == second.day else None)


def _reference(ctx: _Ctx) -> Resolution | None:
    """PAST_REF / PRESENT_REF / FUTURE_REF, or None with the reason, for a vague reference."""
    found = vague_reference(ctx.lower, ctx.core, ctx.tense)
    if found is None:
        return None
    value, reason = found
    return Resolution(value, "reference", "relative") if value else Resolution(None, reason=reason)


def _calendar(ctx: _Ctx) -> _Found:
    match = _CALENDAR.search(ctx.text)
    if not match:
        return None
    year, month, day = _stated_fields(match.group(0)) or (None, None, None)
    if month is None or day is None:
        return Resolution(None, reason=f"not a calendar date: {match.group(0)!r}")
    if year is not None:
        return p.day(date(year, month, day)), "explicit"
    if ctx.published is None:
        return _NEEDS_DATE
    found = p.pick_year(lambda y: p.day_in(y, month, day), ctx.published, ctx.tense)
    return (found, "inferred-year") if found else None


def _month_year(ctx: _Ctx) -> _Found:
    match = _MONTH_YEAR.search(ctx.text)
    fields = _stated_fields(match.group(0)) if match else None
    if not fields or fields[0] is None or fields[1] is None:
        return None
    return p.month(fields[0], fields[1]), "explicit"


def _cyclic(ctx: _Ctx, match: re.Match[str], make: Callable[[int], Period | None]) -> _Found:
    """Months, seasons, quarters: a stated year, "of last year", "last March", or the year rule."""
    if match["year"]:
        stated = make(int(match["year"]))
        return (stated, "explicit") if stated else None
    if ctx.published is None:
        return _NEEDS_DATE
    if match["yrel"]:
        shift = {"this": 0, "last": -1, "next": 1}[match["yrel"]]
        found = make(ctx.published.year + shift)
    elif match["rel"] == "this":
        found = make(ctx.published.year)
    elif match["rel"]:
        found = p.previous_or_next(make, ctx.published, match["rel"])
    else:
        found = p.pick_year(make, ctx.published, ctx.tense)
        return (found, "inferred-year") if found else None
    return (found, "relative") if found else None


def _quarters(ctx: _Ctx) -> _Found:
    match = _QUARTER.fullmatch(ctx.core)
    if not match:
        return None
    number = int(match["q"]) if match["q"] else _QUARTER_ORDINALS.get(match["ord"] or "")
    if number is None and match["rel"] == "last" and (match["year"] or match["yrel"]):
        number = 4  # "the last quarter of 2009"
    if number is None:  # "this quarter", "last quarter": counted from publication
        if not match["rel"]:
            return None
        if ctx.published is None:
            return _NEEDS_DATE
        shift = {"this": 0, "last": -3, "next": 3, "coming": 3}[match["rel"]]
        return p.quarter_of(ctx.published + relativedelta(months=shift)), "relative"
    return _cyclic(ctx, match, lambda y: p.quarter(y, number))


def _seasons(ctx: _Ctx) -> _Found:
    match = _SEASON.fullmatch(ctx.core)
    return _cyclic(ctx, match, lambda y: p.season(y, match["season"])) if match else None


def _bare_month(ctx: _Ctx) -> _Found:
    match = _BARE_MONTH.fullmatch(ctx.core)
    if not match or not re.search(r"\b" + match["month"].capitalize(), ctx.text):  # "may", "march"
        return None
    return _cyclic(ctx, match, lambda y: p.month(y, MONTH_NUMBERS[match["month"]]))


def _week_of_month(ctx: _Ctx) -> _Found:
    match = _WEEK_OF_MONTH.fullmatch(ctx.core)
    if not match:
        return None
    ordinal = {"last": -1, "final": -1}.get(match["ord"]) or ORDINALS[match["ord"]]
    return _cyclic(ctx, match, lambda y: p.week_of_month(y, MONTH_NUMBERS[match["month"]], ordinal))


def _year_or_decade(ctx: _Ctx) -> _Found:
    if match := re.fullmatch(r"(?:fiscal\s+)?(?P<year>1\d{3}|2\d{3})", ctx.core):
        return p.year(int(match["year"])), "explicit"
    short = re.fullmatch(r"'(?P<yy>\d{2})", ctx.core)
    decade = _DECADE.fullmatch(ctx.core)
    if decade and decade["century"]:
        return p.decade(decade["century"] + decade["decade"]), "explicit"
    if not (short or decade):
        return None
    if ctx.published is None:
        return _NEEDS_DATE
    now = ctx.published.year
    if short or decade is None:
        yy = int(short["yy"]) if short else 0
        options = [c * 100 + yy for c in (now // 100 - 1, now // 100)]
        return p.year(min(options, key=lambda y: abs(y - now))), "inferred-year"
    century = now // 100 - (now % 100 < int(decade["decade"]) * 10)  # the latest such decade begun
    return p.decade(f"{century}{decade['decade']}"), "inferred-year"


def _relative(ctx: _Ctx) -> _Found:
    core, pub = ctx.core, ctx.published
    day_word, ago, unit = _DAY_WORD.fullmatch(core), _AGO.fullmatch(core), _RELATIVE_UNIT.fullmatch(core)
    if not (day_word or ago or unit or core in ("weekend", "year")):
        return None
    if pub is None:
        return _NEEDS_DATE
    if day_word:
        shift = _DAY_WORDS[day_word["word"]] if day_word["word"] else -(core == "last night")
        return p.day(pub + timedelta(days=shift)), "relative"
    if ago:
        count = int(ago["n"]) if ago["n"].isdigit() else _NUMBER_WORDS[ago["n"]]
        if ago["unit"] in ("day", "week"):
            return p.day(pub - timedelta(days=count * (7 if ago["unit"] == "week" else 1))), "relative"
        if ago["unit"] == "month":
            return p.month_of(pub - relativedelta(months=count)), "relative"
        return p.year(pub.year - count), "relative"
    if core == "year":  # "the year", "earlier in the year": news means the current one
        return p.year(pub.year), "relative"
    if core == "weekend" or (unit and unit["unit"] == "weekend"):
        return p.weekend_near(pub, unit["rel"] if unit else None, ctx.tense), "relative"
    step = {"this": 0, "last": -1, "next": 1, "coming": 1}[unit["rel"]] if unit else 0
    if unit and unit["unit"] == "week":
        return p.week(pub + timedelta(weeks=step)), "relative"
    if unit and unit["unit"] == "month":
        return p.month_of(pub + relativedelta(months=step)), "relative"
    return p.year(pub.year + step), "relative"


def _weekday(ctx: _Ctx) -> _Found:
    match = _WEEKDAY.search(ctx.text)
    if not match:
        return None
    before = ctx.text[:match.start()].split()
    if (before and before[-1][:1].isupper() and match["rel"] is None
            and before[-1].lower() not in _NOT_NAMES):
        return Resolution(None, reason=f"a named day: {before[-1]} {match['day']}")
    if ctx.published is None:
        return _NEEDS_DATE
    target, today = WEEKDAYS.index(match["day"].lower()), ctx.published.weekday()
    rel = (match["rel"] or "").lower()
    if rel in ("last", "past"):
        shift = -((today - target) % 7 or 7)
    elif rel in ("next", "coming"):
        shift = (target - today) % 7 or 7
    elif ctx.tense == "future":
        shift = (target - today) % 7
    else:
        shift = -((today - target) % 7)
    return p.day(ctx.published + timedelta(days=shift)), "relative"


def _anaphoric(ctx: _Ctx) -> _Found:
    match = _ANAPHORIC.fullmatch(ctx.core)
    if not match or ctx.anchor is None or (match["unit"] and not match["which"] and match["unit"] != "day"):
        return None  # bare "week", "month": not this rule's
    if match["step"] or match["side"]:
        forward = match["step"] in ("next", "following") or match["side"] == "after"
        return p.day(ctx.anchor + timedelta(days=1 if forward else -1)), "anaphoric"
    if match["unit"] == "day":
        return p.day(ctx.anchor), "anaphoric"
    if match["unit"] == "week":
        return p.week(ctx.anchor), "anaphoric"
    if match["unit"] == "month":
        return p.month_of(ctx.anchor), "anaphoric"
    return p.year(ctx.anchor.year), "anaphoric"


_RULES: tuple[Callable[[_Ctx], _Found], ...] = (
    _calendar, _month_year, _quarters, _seasons, _bare_month, _week_of_month, _year_or_decade,
    _relative, _weekday, _anaphoric,
)
