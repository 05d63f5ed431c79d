"""The short phrases that answer what, why and how: exact phrases on headline and lead sentences."""

from __future__ import annotations

import pytest

from summarizer.extract.phrases import (
    MAX_WORDS,
    action_after,
    clause_end,
    cue_phrases,
    headline_subject,
    title_case,
)


def action(sentence: str, name: str) -> str | None:
    found = action_after(sentence, sentence.index(name) + len(name), (0, len(sentence)))
    return sentence[found[0]:found[1]] if found else None


@pytest.mark.parametrize(("sentence", "name", "expected"), [
    ("Lady Gaga protests outside Trump Tower", "Lady Gaga", "protests outside Trump Tower"),
    ("Hillary Clinton blames Comey letters for election defeat, reports say", "Hillary Clinton",
     "blames Comey letters for election defeat"),
    # single quotes around a word stay; "and" before a second verb ends the first action
    ("Donald Trump slams 'rigged' FBI and claims it is impossible", "Donald Trump",
     "slams 'rigged' FBI"),
    # an appositive between commas is skipped; an adverb may open the action
    ("Lady Gaga, a supporter of Hillary Clinton, was photographed outside Trump Tower.",
     "Lady Gaga", "was photographed outside Trump Tower"),
    ("Max Verstappen even stuns his dad by storming home", "Max Verstappen", "even stuns his dad"),
    # a cause's cue ends the action; "by" before a noun does not ("stands by decision")
    ("FBI stands by decision not to charge Clinton after review of emails", "FBI",
     "stands by decision not to charge Clinton"),
    ("Automaker GM to cut 10,000 jobs at Opel", "GM", "to cut 10,000 jobs at Opel"),
    ("Chicago Cubs Win World Series", "Chicago Cubs", "Win World Series"),  # a title-case title
    ("Toblerone chocolate is smaller", "Toblerone", None),  # a noun, not a verb, follows the name
    ("Trump's campaign said it won", "Trump", None),        # a possessive
    ("Boeing 's newest jet flies", "Boeing", None),         # tokenized text: space before 's
    ("Clinton, who lost the vote, spoke", "Clinton", "spoke"),  # a clause between commas is skipped
    ("Comey said the FBI stood by it", "Comey", None),     # a speaker's words are not the event
])
def test_the_action_after_an_agents_name(sentence: str, name: str, expected: str | None) -> None:
    assert action(sentence, name) == expected


def test_an_action_is_at_most_max_words_long() -> None:
    sentence = "Police " + " ".join(["found"] + ["many"] * 20) + " cars"
    found = action(sentence, "Police")
    assert found is not None and len(found.split()) == MAX_WORDS


def test_clause_end_skips_separators_inside_figures() -> None:
    raw = "sold 7.2 bn dollars of 10,000 jets, said the firm"
    assert raw[:clause_end(raw, 0, len(raw))] == "sold 7.2 bn dollars of 10,000 jets"


@pytest.mark.parametrize(("title", "subject", "did"), [
    ("Chicago Cubs win World Series: 'Baseball will never be the same'", "Chicago Cubs",
     "win World Series"),
    ("World Series 2016: Chicago Cubs end 108-year title drought after victory", "Chicago Cubs",
     "end 108-year title drought"),
    ("Formula One star Max Verstappen shows nerves of steel", "Max Verstappen",
     "shows nerves of steel"),
    ("Chinese airlines agree purchase of Boeing jets", "Chinese airlines", "agree purchase of Boeing jets"),
    ("Croydon tram crash: Driver arrested as seven dead", "Driver", "arrested"),
])
def test_a_headlines_subject_and_action(title: str, subject: str, did: str) -> None:
    found = headline_subject(title, (0, len(title)))
    assert found is not None
    assert (title[slice(*found[0])], title[slice(*found[1])]) == (subject, did)


@pytest.mark.parametrize("title", [
    "Afghanistan: Fatal attack on German consulate in Mazar-e-Sharif",  # "Fatal": an adjective
    "3G iPhone launch in Everett",
    "Toblerone chocolate: a history",
    "Croydon tram crash: seven dead",  # a topic before a colon is no subject and action
])
def test_a_headline_without_a_subject_and_verb(title: str) -> None:
    assert headline_subject(title, (0, len(title))) is None


def test_title_case() -> None:
    assert title_case("Chicago Cubs Win World Series Over Cleveland")
    assert not title_case("Chicago Cubs win the World Series over Cleveland")


def phrases_of(raw: str, question: str) -> list[tuple[str, str]]:
    return [(p.cue, raw[p.cue_start:p.end]) for p in cue_phrases(raw, 0, len(raw), question)]  # type: ignore[arg-type]


def test_causes_after_their_cue_up_to_the_clause_end() -> None:
    raw = ("The Taliban carried out the attack in retaliation for air strikes in Kunduz, officials "
           "said. The FBI stood by its decision after review of emails amid protests. Costs rose "
           "after 2008.")
    assert phrases_of(raw, "why") == [
        ("in retaliation for", "in retaliation for air strikes in Kunduz"),
        ("after", "after review of emails"),
        ("amid", "amid protests"),
    ]  # "after 2008": a cue before a figure is the figure's


def test_means_after_by_with_a_gerund_not_an_agent() -> None:
    raw = ("He won by storming home into third place. He was shot by police. It grew by 40%. "
           "Rescuers dug using diggers.")
    assert phrases_of(raw, "how") == [
        ("by", "by storming home into third place"),
        ("using", "using diggers"),
    ]


def test_an_abbreviations_point_ends_no_phrase_and_a_modal_ends_a_noun_phrase() -> None:
    raw = ("The campaign began in response to the assault in Israel on Oct. 7, officials said. "
           "Nationals fleeing through the Rafah crossing would be sent to Cairo. "
           "He ended it by announcing that there would be no charges.")
    assert [raw[p.cue_start:p.end] for p in cue_phrases(raw, 0, len(raw), "why")] == [
        "in response to the assault in Israel on Oct. 7"]
    assert [raw[p.cue_start:p.end] for p in cue_phrases(raw, 0, len(raw), "how")] == [
        "through the Rafah crossing", "by announcing that there would be no charges"]


def test_a_dates_event_in_the_articles_words() -> None:
    from summarizer.extract.phrases import event_around, only_when
    from summarizer.normalize.lexicon import CALENDAR_WORDS

    raw = ("Kremlin spokesman Dmitry Peskov [told](#) journalists on Friday that Moscow was "
           "optimistic. On Sunday, Russia began evacuating its citizens from Gaza.")
    first = raw.index("on Friday")
    found = event_around(raw, first, first + 9, (0, raw.index(" On Sunday")))
    assert found is not None
    assert raw[found[0]:found[1]] == "Kremlin spokesman Dmitry Peskov [told](#) journalists"
    second = raw.index("On Sunday")
    found = event_around(raw, second, second + 9, (second, len(raw)))
    assert found is not None and raw[found[0]:found[1]] == "Russia began evacuating its citizens from Gaza"
    assert only_when("Wednesday", CALENDAR_WORDS)
    assert only_when("the date of the article", CALENDAR_WORDS)
    assert only_when("next week", CALENDAR_WORDS) and only_when("Oct. 7", CALENDAR_WORDS)
    assert not only_when("Peskov spoke to journalists", CALENDAR_WORDS)


def test_a_long_clause_gives_the_event_from_its_last_inner_clause() -> None:
    from summarizer.extract.phrases import event_around

    raw = ("Passengers had remained trapped in the wreckage for hours after the vehicle overturned "
           "at a fork in the tracks at around 6:10am on Wednesday.")
    at = raw.index("on Wednesday")
    found = event_around(raw, at, at + len("on Wednesday"), (0, len(raw)))
    assert found is not None
    assert raw[found[0]:found[1]] == "the vehicle overturned at a fork in the tracks at around 6:10am"


def test_a_reason_after_for_with_a_gerund_and_a_purpose_after_a_nouns_to() -> None:
    raw = ("Clinton blames the letter for stopping momentum. Rescuers used diggers to save the boy. "
           "He wants to go home. It is impossible to read them. Thank you for subscribing. "
           "They are yet to declare.")
    assert phrases_of(raw, "why") == [
        ("for", "for stopping momentum"), ("to", "to save the boy")]
