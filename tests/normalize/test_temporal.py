"""Date expressions resolved against the article's own clock (summarizer.normalize.temporal)."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer.extract.drafts import DateDraft
from summarizer.extract.grounding import ground
from summarizer.normalize.expressions import expressions_in
from summarizer.normalize.temporal import (
    Resolution,
    dates_written,
    last_day_mentioned,
    normalize,
    parse_iso_date,
    resolve,
)
from summarizer.normalize.tense import tense_of
from summarizer.text.document import read_article
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"
SUNDAY = date(2023, 11, 12)  # seed 000 / 001
TUESDAY = date(2023, 11, 14)  # seed 002


def seed_sentence(prefix: str, expression: str) -> str:
    """The seed's line holding `expression`: the sentence context the pipeline would give."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return next(line for line in path.read_text(encoding="utf-8").splitlines() if expression in line)


# --- the seeds' expressions and what they resolve to --------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001"])
@pytest.mark.parametrize(
    ("expression", "value", "granularity", "basis"),
    [
        ("on Sunday", "2023-11-12", "day", "relative"),
        ("on Friday", "2023-11-10", "day", "relative"),
        ("this week", "2023-W45", "week", "relative"),  # Sunday 2023-11-12 closes ISO week 45
        ("earlier this month", "2023-11", "month", "relative"),
        ("Oct. 7", "2023-10-07", "day", "inferred-year"),
    ],
)
def test_seed_000_001_published_sunday(prefix: str, expression: str, value: str, granularity: str,
                                       basis: str) -> None:
    found = normalize(expression, SUNDAY, seed_sentence(prefix, expression))
    assert (found.value, found.granularity, found.basis, found.flags) == (value, granularity, basis, ())


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("Wednesday, November 15", "2023-11-15"),
        ("November 13", "2023-11-13"),
        ("October 7", "2023-10-07"),
        ("November 14", "2023-11-14"),
    ],
)
def test_seed_002_dated_tuesday(expression: str, value: str) -> None:
    found = normalize(expression, TUESDAY, seed_sentence("002", expression))
    assert (found.value, found.granularity, found.basis, found.flags) == (
        value, "day", "inferred-year", ())


def test_seed_002_past_report_after_its_own_date_is_kept_and_flagged() -> None:
    (path,) = SEEDS.glob("002_*.txt")
    doc = read_article(path)
    draft = DateDraft.model_validate({"expression": "Earlier on November 15",
                                      "event": "the second group arrived in Moscow"})
    grounded = ground(doc, [("dates", draft)], TUESDAY)
    assert grounded.rejected == []
    (mention,) = grounded.when
    assert mention.value == "2023-11-15"
    assert (mention.granularity, mention.resolution) == ("day", "inferred-year")
    assert mention.flags == ["after-publication-date"]
    span = mention.spans[0]
    assert doc.raw[span.start:span.end] == span.text == "Earlier on November 15"


def test_seed_002_same_day_counts_from_the_day_mentioned_before() -> None:
    (path,) = SEEDS.glob("002_*.txt")
    doc = read_article(path)
    draft = DateDraft.model_validate({"expression": "On the same day", "event": "strikes began"})
    (mention,) = ground(doc, [("dates", draft)], TUESDAY).when
    assert (mention.value, mention.resolution) == ("2023-10-07", "anaphoric")


def test_future_flight_on_its_date_is_not_flagged() -> None:
    (path,) = SEEDS.glob("002_*.txt")
    doc = read_article(path)
    draft = DateDraft.model_validate({"expression": "on Wednesday", "event": "flight to Moscow"})
    (mention,) = ground(doc, [("dates", draft)], TUESDAY).when
    assert (mention.value, mention.flags) == ("2023-11-15", [])


# --- kept from the first dates module -----------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on Sunday", "2023-11-12"),
        ("on Friday", "2023-11-10"),
        ("on Monday", "2023-11-06"),
        ("this week", "2023-W45"),
        ("earlier this month", "2023-11"),
        ("this year", "2023"),
        ("today", "2023-11-12"),
        ("yesterday", "2023-11-11"),
        ("tomorrow", "2023-11-13"),
        ("Oct. 7", "2023-10-07"),
        ("on Oct. 7", "2023-10-07"),
    ],
)
def test_resolve_against_sunday(expression: str, expected: str) -> None:
    assert resolve(expression, SUNDAY) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Wednesday, November 15", "2023-11-15"),
        ("November 13", "2023-11-13"),
        ("October 7", "2023-10-07"),
        ("On October 7", "2023-10-07"),
        ("2023-11-14", "2023-11-14"),
        ("15 November 2023", "2023-11-15"),
        ("Nov. 13th", "2023-11-13"),
        ("November 2023", "2023-11"),
    ],
)
def test_resolve_against_tuesday(expression: str, expected: str) -> None:
    assert resolve(expression, TUESDAY) == expected


def test_weekday_defaults_to_the_past() -> None:
    assert resolve("on Wednesday", TUESDAY) == "2023-11-08"


def test_future_tense_sentence_goes_forward() -> None:
    sentence = (
        "The next group with Russians evacuated from the Gaza Strip is preparing to fly from "
        "Cairo to Moscow on Wednesday, November 15."
    )
    assert resolve("on Wednesday", TUESDAY, sentence) == "2023-11-15"
    assert resolve("on Wednesday", TUESDAY, "The plane will land on Wednesday.") == "2023-11-15"


def test_month_day_picks_the_nearest_year() -> None:
    assert resolve("December 30", date(2024, 1, 3)) == "2023-12-30"
    assert resolve("January 2", date(2023, 12, 28)) == "2024-01-02"


def test_explicit_dates_need_no_publication_date() -> None:
    assert resolve("2023-11-14", None) == "2023-11-14"
    assert resolve("November 12, 2023", None) == "2023-11-12"
    assert resolve("November 13", None) is None
    assert resolve("on Friday", None) is None
    assert normalize("on Friday", None).reason == "needs the publication date"


@pytest.mark.parametrize(
    "expression",
    [
        "at some point",  # vague, and no tense to place it
        "2023-02-30",
        "November 31",
        # month abbreviations inside other words are not months
        "Omar 12",
        "12 mayors",
        "in 3 separate attacks",
        "Azerbaijan 2023",
    ],
)
def test_unresolvable_expression_is_none(expression: str) -> None:
    found = normalize(expression, TUESDAY)
    assert found.value is None
    assert found.reason


def test_parse_iso_date() -> None:
    assert parse_iso_date("November 12, 2023") == date(2023, 11, 12)
    assert parse_iso_date("2023-11-14") == date(2023, 11, 14)
    assert parse_iso_date("November 2023") is None
    assert parse_iso_date("November 12") is None
    assert parse_iso_date("not a date") is None


# --- the rules ---------------------------------------------------------------------------------


def test_explicit_date_beats_a_weekday_and_a_wrong_weekday_is_flagged() -> None:
    assert normalize("Monday, November 15, 2023", None) == Resolution(
        "2023-11-15", "day", "explicit", flags=("weekday-mismatch",))


def test_words_after_the_expression_complete_it() -> None:
    sentence = "The group will fly on Friday, November 17, officials said."
    assert resolve("on Friday", TUESDAY, sentence) == "2023-11-17"
    assert normalize("October", TUESDAY, "It ends after October of next year.") == Resolution(
        "2024-10", "month", "relative")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Sales fell in January.", "2023-01"),  # past: the last January
        ("The plant will close in January.", "2024-01"),  # future: the next one
        ("The talks resumed in April.", "2023-04"),
        ("The vote is due in April.", "2024-04"),
        ("Talks began in March.", "2023-03"),
    ],
)
def test_year_less_month_follows_the_tense(sentence: str, expected: str) -> None:
    expression = sentence.split(" in ")[1].rstrip(".")
    found = normalize(expression, TUESDAY, sentence)
    assert (found.value, found.basis) == (expected, "inferred-year")


def test_a_near_date_beats_the_tense() -> None:
    # 10 days ahead in a past-tense sentence: this year's, flagged, not last year's
    found = normalize("November 24", TUESDAY, "The convoy arrived on November 24.")
    assert (found.value, found.flags) == ("2023-11-24", ("after-publication-date",))
    # a few days back in a future-tense sentence stays this year's, with no flag
    assert normalize("November 10", TUESDAY, "It will be decided on November 10.").value == "2023-11-10"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("last week", "2023-W45"),
        ("next week", "2023-W47"),
        ("last month", "2023-10"),
        ("next month", "2023-12"),
        ("last year", "2022"),
        ("next year", "2024"),
        ("later this year", "2023"),
        ("the end of the year", "2023"),
        ("3 days ago", "2023-11-11"),
        ("two weeks ago", "2023-10-31"),
        ("a month ago", "2023-10"),
        ("20 years ago", "2003"),
        ("the day before yesterday", "2023-11-12"),
        ("this morning", "2023-11-14TMO"),
        ("last night", "2023-11-13TNI"),
        ("tonight", "2023-11-14TNI"),
        ("yesterday afternoon", "2023-11-13TAF"),
        ("on Sunday evening", "2023-11-12TEV"),
        ("last Tuesday", "2023-11-07"),
        ("next Tuesday", "2023-11-21"),
        ("on Tuesday", "2023-11-14"),  # the publication day itself counts
        ("the weekend", "2023-W45-WE"),  # the one just past
        ("next weekend", "2023-W46-WE"),
        ("in March", "2024-03"),  # no tense: the nearest March
        ("last March", "2023-03"),
        ("last November", "2022-11"),
        ("next March", "2024-03"),
        ("March 2022", "2022-03"),
        ("the fourth quarter of 2022", "2022-Q4"),
        ("the first quarter of last year", "2022-Q1"),
        ("last quarter", "2023-Q3"),
        ("third-quarter", "2023-Q3"),
        ("summer", "2023-SU"),
        ("this spring", "2023-SP"),
        ("the fall of 2021", "2021-FA"),
        ("the last week of October", "2023-W43"),
        ("in 2019", "2019"),
        ("early 2009", "2009"),
        ("the 1990s", "199"),
        ("the '80s", "198"),
        ("'82", "1982"),
        ("7/8/07", "2007-07-08"),
        ("March 01 , 2008", "2008-03-01"),
        ("2023-11-14T08:30:00Z", "2023-11-14"),
    ],
)
def test_relative_and_calendar_expressions(expression: str, expected: str) -> None:
    assert resolve(expression, TUESDAY) == expected


FRIDAY = date(2024, 3, 1)  # a leap year's February lies before it
NEW_YEAR_TUESDAY = date(2024, 1, 2)


@pytest.mark.parametrize(
    ("published", "sentence", "expression", "expected"),
    [
        # past tense: the most recent such day, the publication day included
        (FRIDAY, "The minister said on Monday that talks had failed.", "on Monday", "2024-02-26"),
        (FRIDAY, "Protesters gathered outside parliament on Friday.", "on Friday", "2024-03-01"),
        (FRIDAY, "Rescuers found two more survivors on Saturday.", "on Saturday", "2024-02-24"),
        (NEW_YEAR_TUESDAY, "Police arrested the suspect on Saturday.", "on Saturday", "2023-12-30"),
        # future tense: the next such day, the publication day included
        (FRIDAY, "The minister will visit the region on Monday.", "on Monday", "2024-03-04"),
        (FRIDAY, "The court is expected to rule on Friday.", "on Friday", "2024-03-01"),
        (FRIDAY, "The strike is set to end on Thursday.", "on Thursday", "2024-03-07"),
        (NEW_YEAR_TUESDAY, "Talks are scheduled to resume on Saturday.", "on Saturday",
         "2024-01-06"),
    ],
)
def test_a_weekday_looks_back_in_past_tense_and_ahead_in_future_tense(
        published: date, sentence: str, expression: str, expected: str) -> None:
    assert normalize(expression, published, sentence) == Resolution(expected, "day", "relative")


def test_the_same_weekday_resolves_both_ways_by_the_tense_of_its_sentence() -> None:
    # one publication date, one weekday: only the tense differs, and the two days are a week apart
    past = resolve("on Wednesday", NEW_YEAR_TUESDAY, "Flights were cancelled on Wednesday.")
    future = resolve("on Wednesday", NEW_YEAR_TUESDAY, "Flights will be cancelled on Wednesday.")
    assert (past, future) == ("2023-12-27", "2024-01-03")
    # the marker nearest the weekday decides, not the first in the sentence
    assert resolve("on Wednesday", NEW_YEAR_TUESDAY,
                   "He said the vote will be held on Wednesday.") == "2024-01-03"
    assert resolve("on Wednesday", NEW_YEAR_TUESDAY,
                   "Talks will resume after the strike that ended on Wednesday.") == "2023-12-27"


def test_weekend_looks_forward_in_future_tense() -> None:
    assert resolve("this weekend", TUESDAY, "Talks will resume this weekend.") == "2023-W46-WE"


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("at some point", "vague"),
        ("the past week", "duration"),
        ("three years", "duration"),
        ("for two weeks", "duration"),
        ("later", "anaphoric"),  # in past-tense narrative: after a time narrated, not publication
        ("the same day", "anaphoric"),
        ("Black Monday", "named day"),
        ("the Joint Strike Fighter program", "not a date"),
    ],
)
def test_unresolved_expressions_say_why(expression: str, reason: str) -> None:
    found = normalize(expression, TUESDAY, "He left and later returned." if expression == "later" else "")
    assert found.value is None
    assert reason in found.reason


@pytest.mark.parametrize(
    ("expression", "sentence", "value"),
    [
        ("recently", "", "PAST_REF"),
        ("more recently", "", "PAST_REF"),
        ("in the past", "", "PAST_REF"),
        ("in recent years", "", "PAST_REF"),
        ("in recent U.S. history", "", "PAST_REF"),
        ("formerly", "", "PAST_REF"),
        ("once", "", "PAST_REF"),
        ("earlier", "As reported earlier, talks stalled.", "PAST_REF"),
        ("at one point", "It had, at one point, set a new low.", "PAST_REF"),
        ("now", "", "PRESENT_REF"),
        ("currently", "", "PRESENT_REF"),
        ("at present", "", "PRESENT_REF"),
        ("nowadays", "", "PRESENT_REF"),
        ("for the time being", "", "PRESENT_REF"),
        ("soon", "", "FUTURE_REF"),
        ("very soon", "The next flight will leave very soon.", "FUTURE_REF"),
        ("in the future", "", "FUTURE_REF"),
        ("in coming days", "", "FUTURE_REF"),
        ("in the coming weeks", "", "FUTURE_REF"),
        ("the long term", "", "FUTURE_REF"),
        ("at some point", "Talks will resume at some point.", "FUTURE_REF"),
        ("later", "We will decide later.", "FUTURE_REF"),
    ],
)
def test_vague_references_take_timex3_ref_values(expression: str, sentence: str, value: str) -> None:
    assert normalize(expression, TUESDAY, sentence) == Resolution(value, "reference", "relative")
    assert normalize(expression, None, sentence).value == value  # no publication date needed


def test_anaphoric_expressions_count_from_the_anchor() -> None:
    anchor = date(2023, 10, 7)
    assert normalize("On the same day", TUESDAY, anchor=anchor) == Resolution(
        "2023-10-07", "day", "anaphoric")
    assert resolve("the following day", TUESDAY) is None
    assert normalize("the following day", TUESDAY, anchor=anchor).value == "2023-10-08"
    assert normalize("that month", TUESDAY, anchor=anchor).value == "2023-10"


def test_last_day_mentioned() -> None:
    text = "On October 7, Hamas attacked. On Friday, talks began. Later this month, more."
    assert last_day_mentioned(text, SUNDAY) == date(2023, 11, 10)
    assert last_day_mentioned("No dates here.", SUNDAY) is None


def test_dates_written_out_against_the_publication_date() -> None:
    assert dates_written("Sales dropped last month and in January a year ago.",
                         date(2009, 2, 3)) == "January 2009; January 2009; 2008"
    assert dates_written("The shares rose on Thursday, April 3.", date(2008, 4, 4)) == \
        "April 3, 2008"
    assert dates_written("The week before, and in the third quarter.", date(2008, 4, 4)) == ""
    assert dates_written("No dates here.", SUNDAY) == ""


@pytest.mark.parametrize(
    ("sentence", "expression", "expected"),
    [
        ("Peskov told journalists on Friday that Moscow was optimistic.", "on Friday", "past"),
        ("Apple announced Friday that it will give owners a case.", "Friday", "past"),
        ("The trial is set to begin on Wednesday.", "on Wednesday", "future"),
        ("The transaction should be completed in October.", "October", "future"),
        ("Markets remain closed until Friday.", "Friday", "future"),
        ("The vote on Friday.", "Friday", None),
    ],
)
def test_tense_of_the_nearest_marker(sentence: str, expression: str, expected: str | None) -> None:
    assert tense_of(sentence, expression) == expected


def test_expressions_in_lists_each_once() -> None:
    text = "On Friday, and on Friday again, Oct. 7 and this week; yesterday."
    assert expressions_in(text) == ["On Friday", "on Friday", "Oct. 7", "this week", "yesterday"]
