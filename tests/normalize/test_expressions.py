"""The one date-expression recognizer: what the reminder list and the fill step find."""

from __future__ import annotations

from summarizer.normalize.expressions import date_expressions, expressions_in, reminder_matches


def test_counted_ago_reads_a_an_and_number_words_up_to_ten() -> None:
    text = ("It began a week ago, an hour later, one year ago, two days ago, 12 years ago; ten months ago; "
            "eleven days ago.")
    assert date_expressions(text) == ["a week ago", "one year ago", "two days ago", "12 years ago",
                                      "ten months ago"]


def test_months_need_their_capital_and_bare_may_is_left_out() -> None:
    text = "They march in March; May 2008 saw rallies, and they may return in Sept. 7 or in May."
    assert date_expressions(text) == ["March", "May 2008", "Sept. 7"]
    assert expressions_in(text) == ["Sept. 7"]


def test_reminder_matches_keep_repeats_and_offsets() -> None:
    text = "On Friday, Oct. 7 and on Friday"
    assert [(m.group(), m.start()) for m in reminder_matches(text)] == [
        ("On Friday, Oct. 7", 0), ("on Friday", 22)]
