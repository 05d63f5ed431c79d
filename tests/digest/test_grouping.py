"""Which stories report one event: exact decisions on hand-built evidence."""

from __future__ import annotations

from datetime import date

from summarizer.digest.grouping import Evidence, events, same_event, shared_names


def story(names: set[str], title: str, *days: str) -> Evidence:
    return Evidence(frozenset(names), frozenset(title.lower().split()),
                    frozenset(date.fromisoformat(d) for d in days))


FBI = story({"fbi", "clinton"}, "fbi stands by decision not to charge clinton", "2016-11-06")
TRUMP = story({"donald trump", "fbi"}, "donald trump slams rigged fbi", "2016-11-07")
CRIES = story({"trump", "fbi", "clinton"}, "trump cries foul as fbi clears clinton", "2016-11-07")
BLAMES = story({"hillary clinton", "comey", "fbi"}, "clinton blames comey letters", "2016-11-12")
GAGA = story({"lady gaga", "trump tower"}, "lady gaga protests outside trump tower", "2016-11-09")


def test_two_central_names_on_compatible_days_are_one_event() -> None:
    assert shared_names(FBI, CRIES) == 2 and same_event(FBI, CRIES)
    # "Clinton" matches "Hillary Clinton" by its last word; but days 6 apart are another event
    assert shared_names(FBI, BLAMES) == 2 and not same_event(FBI, BLAMES)


def test_one_name_needs_titles_that_overlap() -> None:
    assert shared_names(FBI, TRUMP) == 1
    assert not same_event(FBI, TRUMP)  # titles share only "fbi" of 9 words
    same_words = story({"fbi"}, "fbi stands by decision not to charge", "2016-11-07")
    assert same_event(same_words, TRUMP) is False and same_event(same_words, FBI)


def test_no_name_shared_is_another_event_unless_the_titles_are_near_copies() -> None:
    assert not same_event(GAGA, CRIES)  # "trump" and "trump tower" end differently
    copy = story(set(), "lady gaga protests outside trump tower tonight", "2016-11-09")
    assert same_event(GAGA, copy)


def test_events_are_the_components_of_the_stories_compared() -> None:
    assert events([FBI, TRUMP, CRIES, BLAMES, GAGA]) == [[0, 1, 2], [3], [4]]


def test_a_story_between_two_events_told_a_week_apart_does_not_chain_them() -> None:
    bridge = story({"clinton", "comey", "fbi"}, "clinton blames comey fbi decision", "2016-11-09")
    # the bridge is told within 3 days of both; FBI and BLAMES are 6 days apart
    assert same_event(bridge, FBI) and same_event(bridge, BLAMES)
    grouped = events([FBI, CRIES, bridge, BLAMES])
    assert [0, 1] in [g[:2] for g in grouped] and not any({0, 3} <= set(g) for g in grouped)
