"""The main event block of one article: each ranking rule on a hand-built article, exact answers."""

from __future__ import annotations

import json
from collections.abc import Sequence

from summarizer.extract.main_event import layout, main_event, rank_when
from summarizer.extract.pipeline import source_document
from summarizer.output.summary import (
    Actor,
    ActorKind,
    DateMention,
    EventBlock,
    Explanation,
    Fact,
    Place,
    Span,
    SummarySentence,
)
from summarizer.text.document import Document
from tests.conftest import ROOT

ARTICLE = """Apple launches 3G iPhone in Everett
June 9, 2008
Smoke rises over the venue. Abed Rahim Khatib / dpa
Apple Computer today launched a 3G version of its iPhone in San Francisco, Steve Jobs said on Monday.
Police investigators from the Cupertino Police said the launch at Singapore's Changi Airport went well.
Qatar Airways ordered devices in March 2005 for staff at the Chrysler LLC offices.
Sales rose recently.
"""
PLAIN = ARTICLE.replace(" in Everett", "")  # a title naming no place
NOUN_TITLE = ARTICLE.replace("Apple launches 3G iPhone in Everett", "3G iPhone launch in Everett")
"""A title with no subject and verb: no action or agent is read from it."""


def span(doc: Document, text: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = doc.raw.index(text, start + 1)
    return Span(doc_id=doc.id, start=start, end=start + len(text), text=text)


def actor(doc: Document, name: str, kind: ActorKind = "organization", role: str = "",
          quote: str | None = None) -> Actor:
    return Actor(name=name, kind=kind, role=role, spans=[span(doc, quote or name)])


def date(doc: Document, text: str, value: str | None, nth: int = 0) -> DateMention:
    return DateMention(text=text, value=value, spans=[span(doc, text, nth)])


def event(raw: str = ARTICLE, *, headline: str | None = None, facts: Sequence[str] = (),
          actors: Sequence[tuple[str, ActorKind, str]] = (), places: Sequence[str] = (),
          dates: Sequence[tuple[str, str | None]] = (), why: Sequence[str] = (),
          how: Sequence[str] = ()) -> EventBlock:
    doc = Document(id="a", raw=raw)
    first = headline or raw.splitlines()[0]
    return main_event(
        doc, source_document(doc), headline=SummarySentence(text=first, spans=[span(doc, first)]),
        summary=[], facts=[Fact(claim=f, spans=[span(doc, f)]) for f in facts],
        actors=[actor(doc, name, kind, role) for name, kind, role in actors],
        places=[Place(name=p, spans=[span(doc, p)]) for p in places],
        dates=[date(doc, text, value) for text, value in dates],
        why=[Explanation(text=w, spans=[span(doc, w)]) for w in why],
        how=[Explanation(text=h, spans=[span(doc, h)]) for h in how])


def test_layout_skips_title_date_line_and_photo_caption() -> None:
    doc = Document(id="a", raw=ARTICLE)
    lay = layout(doc, source_document(doc))
    assert lay.title == (0, len("Apple launches 3G iPhone in Everett"))
    assert lay.date_line == (36, 48)
    assert lay.lead is not None
    assert doc.raw[lay.lead[0]:lay.lead[1]].startswith("Apple Computer today launched")
    assert doc.raw[lay.lead[0]:lay.lead[1]].endswith("on Monday.")


def test_who_the_actor_named_in_the_title_comes_first() -> None:
    block = event(actors=[("Steve Jobs", "person", "CEO"), ("Apple Computer", "organization", "maker")])
    assert block.who.answer is not None
    assert (block.who.answer.text, block.who.answer.index) == ("Apple Computer", 1)
    assert block.who.answer.rule == "the actor named as the title's subject"
    assert [r.text for r in block.who.runners_up] == ["Steve Jobs"]
    assert block.who.runners_up[0].rule == "the actor named in the lead sentence"


def test_who_agents_before_observers() -> None:
    block = event(NOUN_TITLE, actors=[("Cupertino Police", "organization", "investigators"),
                          ("Qatar Airways", "organization", "buyer")])
    assert block.who.answer is not None and block.who.answer.text == "Qatar Airways"
    assert block.who.runners_up[0].rule == "an observer, not the agent (role: investigators)"


def test_who_a_company_is_named_without_its_suffix() -> None:
    raw = "Apple introduces iPhone\nSteve Jobs spoke, and Apple Inc. showed a phone to everyone.\n"
    block = event(raw, actors=[("Steve Jobs", "person", "CEO"), ("Apple Inc.", "organization", "")])
    assert block.who.answer is not None and block.who.answer.text == "Apple Inc."


def test_what_the_headline_grounded_in_the_title_else_the_earliest_statement() -> None:
    fact = "Qatar Airways ordered devices in March 2005"
    block = event(NOUN_TITLE, facts=[fact])
    assert block.what.answer is not None
    assert (block.what.answer.section, block.what.answer.rule) == (
        "headline", "the headline, grounded in the title")
    block = event(NOUN_TITLE, headline="Police investigators from the Cupertino Police said the launch",
                  facts=[fact, "Apple Computer today launched a 3G version of its iPhone"])
    assert block.what.answer is not None
    assert (block.what.answer.section, block.what.answer.index) == ("facts", 1)
    assert block.what.answer.rule == "the statement grounded in the lead sentence"


def test_what_the_action_after_the_titles_subject() -> None:
    block = event(facts=["Qatar Airways ordered devices in March 2005"])
    answer = block.what.answer
    assert answer is not None
    assert (answer.text, answer.section, answer.rule) == (
        "launches 3G iPhone in Everett", "article", "the action after the title's subject")
    assert answer.spans[0].start == ARTICLE.index("launches")
    assert [r.text for r in block.what.runners_up] == [
        "Apple launches 3G iPhone in Everett", "Qatar Airways ordered devices in March 2005"]


def test_what_a_passive_title_keeps_its_subject() -> None:
    raw = "First Airbus A380 delivered\nThe first A380 was delivered today to Singapore Airlines.\n"
    block = event(raw)
    assert block.what.answer is not None
    assert (block.what.answer.text, block.what.answer.rule) == (
        "First Airbus A380 delivered", "the title's subject and its action (a passive)")
    # the one it happened to is not the agent
    assert block.who.answer is None


def test_what_the_action_after_the_agents_name_in_the_lead() -> None:
    raw = ("Fatal attack on consulate\nThe Taliban, a militant group, has rammed a truck into the "
           "consulate, killing six.\n")
    block = event(raw, actors=[("Taliban", "group", "attacker")])
    assert block.what.answer is not None
    # the title's headline first, then the lead's action
    assert [block.what.answer.text, *(r.text for r in block.what.runners_up)] == [
        "Fatal attack on consulate", "has rammed a truck into the consulate"]
    assert block.what.runners_up[0].rule == "the action after the agent's name in the lead sentence"
    raw = "Fatal attack on consulate\nA suicide bomber has rammed a truck into the consulate.\n"
    block = event(raw)
    assert [r.rule for r in block.what.runners_up] == ["the action after the subject in the lead sentence"]
    assert block.what.runners_up[0].text == "has rammed a truck into the consulate"


def test_who_the_titles_subject_a_name_before_the_listed_actors() -> None:
    raw = "FBI stands by decision\nThe bureau's director James Comey wrote to Congress.\n"
    block = event(raw, actors=[("James Comey", "person", "director")])
    assert block.who.answer is not None
    assert (block.who.answer.text, block.who.answer.section, block.who.answer.rule) == (
        "FBI", "article", "the title's subject (no listed actor)")
    assert [r.text for r in block.who.runners_up] == ["James Comey"]
    # a common noun as the subject follows the actors the title names
    raw = "Footage shows rescuers at a well\nRescuers dug all night.\n"
    block = event(raw, actors=[("rescuers", "group", "rescue team")])
    assert block.who.answer is not None and block.who.answer.text == "rescuers"
    assert [r.text for r in block.who.runners_up] == ["Footage"]


def test_who_is_never_a_place() -> None:
    raw = "Afghanistan: Fatal attack on consulate\nA bomber struck the German consulate.\n"
    block = event(raw, actors=[("Afghanistan", "country", "location"),
                               ("German consulate", "organization", "target site")])
    assert (block.who.answer, block.who.reason) == (None, "no actor")


def test_when_background_and_coarse_dates_follow_the_days() -> None:
    raw = ("Cubs win title\nThe Cubs, champions in 1908 and without a title since 1945, won "
           "this year on Thursday in Cleveland, USA TODAY said.\n")
    block = event(raw, dates=[("in 1908", "1908"), ("since 1945", "1945"), ("this year", "2016"),
                              ("on Thursday", "2016-11-03"), ("TODAY", "2016-11-04")])
    doc = Document(id="a", raw=raw)
    source = source_document(doc).model_copy(update={"published": "2016-11-04"})
    dates = [date(doc, "in 1908", "1908"), date(doc, "since 1945", "1945"),
             date(doc, "this year", "2016").model_copy(update={"granularity": "year"}),
             date(doc, "on Thursday", "2016-11-03"), date(doc, "TODAY", "2016-11-04")]
    slot = rank_when(layout(doc, source), dates,
        SummarySentence(text="Cubs win title", spans=[span(doc, "Cubs win title")]), raw, "2016-11-04")
    assert slot.answer is not None
    assert [slot.answer.text, *(r.text for r in slot.runners_up)] == ["on Thursday", "this year", "in 1908"]
    assert slot.answer.rule == "the date the lead sentence names"
    assert slot.runners_up[0].rule == "the date the lead sentence names (a coarse date, after the days)"
    assert slot.runners_up[1].rule == "background (long before publication), after the recent dates"
    assert block.when.answer is not None  # without a publication date nothing is background


def test_when_the_lead_date_not_the_date_line_nor_background() -> None:
    block = event(dates=[("June 9", "2008-06-09"), ("March 2005", "2005-03"),
                         ("recently", "PAST_REF"), ("today", "2008-06-09")])
    assert block.when.answer is not None
    assert (block.when.answer.text, block.when.answer.value) == ("today", "2008-06-09")
    assert block.when.answer.rule == "the date the lead sentence names"
    assert [r.text for r in block.when.runners_up] == ["March 2005", "recently"]
    assert block.when.runners_up[1].rule == "a vague reference, after the dated mentions"


def test_when_only_the_date_line_gives_no_answer() -> None:
    block = event(dates=[("June 9", "2008-06-09")])
    assert block.when.answer is None
    assert block.when.reason == "the only date is the article's own date line"
    assert event().when.reason == "no resolved date"


def test_where_organisations_are_no_places_but_facilities_are() -> None:
    raw = "Chrysler LLC closes offices\nChrysler LLC said its staff at Changi Airport would go.\n"
    block = event(raw, actors=[("Chrysler LLC", "organization", "owner"),
                               ("Changi Airport", "organization", "airport")],
                  places=["Chrysler LLC", "Changi Airport"])
    assert block.where.answer is not None
    assert (block.where.answer.text, block.where.answer.section) == ("Changi Airport", "where")


def test_where_a_place_inside_an_organisations_name_is_not_a_mention() -> None:
    raw = "Qatar Airways buys jets\nQatar Airways bought jets at the Paris Air Show.\nQatar paid.\n"
    block = event(raw, actors=[("Qatar Airways", "organization", "buyer")],
                  places=["Qatar", "Paris Air Show"])
    assert block.where.answer is not None and block.where.answer.text == "Paris Air Show"


def test_where_the_more_specific_of_two_places_written_together() -> None:
    raw = "Launch went well\nThe first jet landed at Singapore's Changi Airport, officials said.\n"
    block = event(raw, places=["Singapore", "Changi Airport"])
    assert block.where.answer is not None
    assert block.where.answer.text == "Changi Airport"
    assert block.where.runners_up[0].rule == \
        "the place named in the lead sentence, written as the container of a more specific place"


def test_where_a_place_written_in_the_title_or_lead_that_no_list_holds() -> None:
    block = event(places=["Qatar"])
    assert block.where.answer is not None
    answer = block.where.answer
    assert (answer.text, answer.section, answer.index) == ("Everett", "article", None)
    assert answer.rule == "a place written after in/at/near in the title (no list item holds it)"
    assert answer.spans[0].start == ARTICLE.index("Everett")
    raw = "Markets fall\nStocks dropped in Europe and Asia Monday, in a Manhattan, New York court.\n"
    block = event(raw)
    assert block.where.answer is not None
    assert [block.where.answer.text, *(r.text for r in block.where.runners_up)] == [
        "Europe and Asia", "Manhattan, New York"]
    # "in San Francisco, Steve Jobs said": the name after the comma is a speaker, not a region
    block = event(PLAIN)
    assert block.where.answer is not None and block.where.answer.text == "San Francisco"


def test_where_a_list_place_named_in_the_lead_beats_the_same_words_found_by_code() -> None:
    block = event(PLAIN, places=["San Francisco"])
    assert block.where.answer is not None
    assert (block.where.answer.text, block.where.answer.section) == ("San Francisco", "where")


def test_why_and_how_the_one_written_earliest_the_lead_before_the_rest() -> None:
    block = event(why=["for staff at the Chrysler LLC offices", "3G version"],
                  how=["at Singapore's Changi Airport"])
    assert block.why.answer is not None and block.how.answer is not None
    assert (block.why.answer.text, block.why.answer.section, block.why.answer.index,
            block.why.answer.rule) == ("3G version", "why", 1, "the cause grounded in the lead sentence")
    assert [(r.text, r.rule) for r in block.why.runners_up] == [
        ("for staff at the Chrysler LLC offices", "the cause grounded first in the article")]
    assert (block.how.answer.text, block.how.answer.rule) == (
        "at Singapore's Changi Airport", "the means grounded first in the article")


def test_why_and_how_after_their_cue_in_the_title_and_the_lead() -> None:
    raw = ("FBI stands by decision after review of emails\nThe director ended the inquiry by "
           "announcing that there would be no charges, officials said.\n")
    block = event(raw, why=["review of emails"])
    assert block.why.answer is not None and block.how.answer is not None
    assert (block.why.answer.text, block.why.answer.section, block.why.answer.rule) == (
        "after review of emails", "article", 'the cause after "after" in the title')
    # the model's item of the same words ranks after (the same place, no cue)
    assert [r.text for r in block.why.runners_up] == ["review of emails"]
    assert (block.how.answer.text, block.how.answer.rule) == (
        "by announcing that there would be no charges", 'the means after "by" in the lead sentence')


def test_why_and_how_without_a_grounded_item_say_so() -> None:
    block = event()
    assert (block.why.answer, block.why.reason) == (None, "no cause that the article states was found")
    assert (block.how.answer, block.how.reason) == (None, "no means that the article states was found")


def test_every_answer_span_holds_the_invariant() -> None:
    block = event(actors=[("Apple Computer", "organization", "maker")], places=["Singapore"],
                  dates=[("today", "2008-06-09")], facts=["Qatar Airways ordered devices"],
                  why=["for staff"], how=["in San Francisco"])
    spans = block.spans()
    assert len(spans) >= 7
    assert all(ARTICLE[s.start:s.end] == s.text for s in spans)


def test_when_a_vague_reference_comes_after_a_dated_mention_of_the_same_sentence() -> None:
    raw = "Index falls\nPrices rose recently, and on Monday the index fell by a tenth.\n"
    block = event(raw, dates=[("recently", "PAST_REF"), ("on Monday", "2024-03-04")])
    assert block.when.answer is not None and block.when.answer.text == "on Monday"
    assert [r.text for r in block.when.runners_up] == ["recently"]


def test_a_summary_stored_before_the_event_block_reads_as_unranked() -> None:
    from summarizer.output.summary import UNRANKED, EventSummary

    stored = json.loads((ROOT / "tests" / "data" / "summary_before_event_block.json").read_text())
    assert "event" not in stored
    summary = EventSummary.model_validate(stored)
    assert [getattr(summary.event, q).reason for q in ("who", "what", "when", "where")] == [UNRANKED] * 4
    assert summary.event.who.answer is None


def test_where_the_place_an_owner_holds_before_the_owner() -> None:
    raw = "Jet lands\nThe jet landed at Singapore 's Changi International Airport after a flight.\n"
    block = event(raw, places=["Singapore"])
    assert block.where.answer is not None
    assert (block.where.answer.text, block.where.answer.section) == (
        "Changi International Airport", "article")
    assert [(r.text, r.rule) for r in block.where.runners_up] == [
        ("Singapore", "the place named in the lead sentence, written as the container of a more "
                      "specific place")]


def test_where_a_name_never_written_where_a_place_stands_is_no_place() -> None:
    raw = "Toblerone shrinks\nFans told BBC News they were sad and wrote on Twitter about it.\n"
    block = event(raw, places=["Twitter", "BBC News"])
    # "on Twitter" is no locative; "BBC News they" reads as a name before a pronoun, not a place
    assert [block.where.answer and block.where.answer.text] == [None]


def test_when_the_time_of_day_written_with_the_date_and_no_embedded_posts_date() -> None:
    raw = ("Tram overturns\nThe tram overturned at around 6:10am on Wednesday, police said. "
           "Fans wrote -- Ann Lee (@annlee) October 29, 2016 and left in the early hours of "
           "Thursday morning.\n")
    doc = Document(id="a", raw=raw)
    source = source_document(doc).model_copy(update={"published": "2016-11-10"})
    dates = [date(doc, "October 29, 2016", "2016-10-29"), date(doc, "on Wednesday", "2016-11-09"),
             date(doc, "Thursday", "2016-11-10")]
    slot = rank_when(layout(doc, source), dates,
                     SummarySentence(text="Tram overturns", spans=[span(doc, "Tram overturns")]),
                     raw, "2016-11-10")
    assert slot.answer is not None
    assert [slot.answer.text, *(r.text for r in slot.runners_up)] == [
        "6:10am on Wednesday", "in the early hours of Thursday morning"]
    assert slot.answer.spans[0].text == raw[slot.answer.spans[0].start:slot.answer.spans[0].end]
    assert slot.answer.value == "2016-11-09"


def test_who_the_lead_sentences_subject_where_the_title_names_no_agent() -> None:
    raw = ("Fatal attack on consulate\nA suicide bomber has rammed a truck into the consulate, "
           "officials said.\n")
    block = event(raw, actors=[("officials", "group", "officials")])
    assert block.who.answer is not None
    assert (block.who.answer.text, block.who.answer.rule) == (
        "suicide bomber", "the lead sentence's subject (no listed actor)")
    # a passive lead's subject undergoes the event
    raw = "Crash victims\nThe final victims of the crash have been named as three adults.\n"
    assert event(raw).who.answer is None


def test_where_a_town_with_its_region_before_an_area_named_earlier() -> None:
    raw = ("Trump slams FBI\nTrump attacked the bureau again on Sunday. The rally was held in the "
           "Detroit suburbs before noon. He spoke to supporters gathered in Sterling Heights, "
           "Michigan.\n")
    block = event(raw, places=["Detroit suburbs", "Sterling Heights, Michigan"])
    assert block.where.answer is not None
    assert (block.where.answer.text, block.where.answer.rule) == (
        "Sterling Heights, Michigan", "the place named first in the article, with its region")


def test_where_the_dateline_a_report_is_filed_from() -> None:
    raw = ("Toblerone changes its shape\nPhoto LONDON -- The peaks are slimmer and the valleys "
           "wider, fans in Britain said.\n")
    block = event(raw, places=["Britain"])
    assert block.where.answer is not None
    assert (block.where.answer.text, block.where.answer.rule) == (
        "LONDON", "the dateline: the place the report is filed from")
    assert event(raw.replace("LONDON", "London"), places=["Britain"]).where.answer is not None
    assert event(raw.replace("LONDON", "London"),
                 places=["Britain"]).where.answer.text == "Britain"  # type: ignore[union-attr]
