"""Grounding drafted items: spans located by our code, figures read by our code."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from summarizer.extract.drafts import (
    ActorDraft,
    DateDraft,
    EntitiesDraft,
    FactDraft,
    NamedActorDraft,
    NamedPlaceDraft,
    PassageDraft,
    PlaceDraft,
    QuantityDraft,
    QuoteDraft,
    SentenceDraft,
)
from summarizer.extract.grounding import Grounded, ground
from summarizer.output.summary import Actor, DateMention, Fact, Quantity, Quote, Span, SummarySentence
from summarizer.text.document import Document, read_article
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"
SUNDAY = date(2023, 11, 12)
TUESDAY = date(2023, 11, 14)


def seed(prefix: str) -> Document:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return read_article(path)


def all_spans(grounded: Grounded) -> list[Span]:
    items: list[Any] = [*grounded.headline, *grounded.summary, *grounded.facts, *grounded.actors,
                        *grounded.places, *grounded.quotes, *grounded.quantities, *grounded.when,
                        *grounded.why, *grounded.how]
    return [span for item in items for span in item.spans]


def assert_invariant(doc: Document, grounded: Grounded) -> None:
    spans = all_spans(grounded)
    assert spans
    for span in spans:
        assert span.doc_id == doc.id
        assert doc.raw[span.start:span.end] == span.text


def test_every_kind_of_draft_is_grounded() -> None:
    doc = seed("000")
    drafts: list[tuple[str, BaseModel]] = [
        ("headline", SentenceDraft.model_validate(
            {"evidence": "Russia has begun evacuating its citizens",
             "text": "Russia evacuates its citizens from Gaza."})),
        ("summary", SentenceDraft.model_validate(
            {"evidence": "would be sent to Cairo", "text": "Evacuees would be sent to Cairo."})),
        ("facts", FactDraft.model_validate(
            {"evidence": "according to a statement released by the Emergency Situations Ministry",
             "claim": "The ministry released a statement."})),
        ("actors", ActorDraft.model_validate(
            {"name": "Dmitry Peskov", "kind": "person", "role": "Kremlin spokesman",
             "evidence": "Kremlin spokesman Dmitry Peskov"})),
        ("places", PlaceDraft.model_validate({"name": "Cairo", "evidence": "sent to Cairo"})),
        ("quotes", QuoteDraft.model_validate(
            {"speaker": "Dmitry Peskov", "quote": "\u201creservedly optimistic\u201d"})),
        ("quantities", QuantityDraft.model_validate(
            {"evidence": "More than 80 Russian citizens", "value": 80,
             "counted": "Russian citizens approved to leave"})),
        ("dates", DateDraft.model_validate(
            {"expression": "on Oct. 7", "event": "Hamas assault on Israel"})),
        ("why", PassageDraft.model_validate({"evidence": "to oversee the evacuations"})),
        ("how", PassageDraft.model_validate({"evidence": "through the Rafah border crossing"})),
    ]
    grounded = ground(doc, drafts, SUNDAY)
    assert grounded.rejected == []
    assert [s.text for s in grounded.headline] == ["Russia evacuates its citizens from Gaza."]
    assert [s.text for s in grounded.summary] == ["Evacuees would be sent to Cairo."]
    assert grounded.facts[0].spans[0].text == (
        "according to a [statement](#) released by the Emergency Situations Ministry"
    )
    assert grounded.actors[0].name == "Dmitry Peskov"
    assert grounded.actors[0].kind == "person"
    assert grounded.places[0].spans[0].text == "sent to Cairo"
    assert grounded.quotes[0].text == '"reservedly optimistic"'
    assert grounded.quotes[0].spans[0].alignment == "normalized"
    assert grounded.quantities[0].qualifier == "more than"
    assert grounded.when[0].value == "2023-10-07"
    assert grounded.when[0].text == "on Oct. 7"
    assert [(e.text, e.spans[0].text) for e in grounded.why] == [
        ("to oversee the evacuations", "to oversee the evacuations")]
    assert [e.text for e in grounded.how] == ["through the Rafah border crossing"]
    assert_invariant(doc, grounded)
    assert len(all_spans(grounded)) == 10
    checked: list[SummarySentence | Fact | Actor | Quote | Quantity | DateMention] = [
        *grounded.headline, *grounded.summary, *grounded.facts, *grounded.actors, *grounded.quotes,
        *grounded.quantities, *grounded.when]
    assert {item.support for item in checked} == {"rules"}


def test_fact_not_in_article_is_rejected() -> None:
    doc = seed("000")
    draft = FactDraft.model_validate(
        {"evidence": "Russia evacuated 2,000 citizens by plane",
         "claim": "Russia evacuated 2,000 citizens."})
    grounded = ground(doc, [("facts", draft)], SUNDAY)
    assert grounded.facts == []
    (rejected,) = grounded.rejected
    assert rejected.section == "facts"
    assert "not found" in rejected.reason
    assert "closest passage" in rejected.reason
    assert rejected.item == {"evidence": "Russia evacuated 2,000 citizens by plane",
                             "claim": "Russia evacuated 2,000 citizens."}


def test_a_cause_not_in_the_article_is_rejected() -> None:
    draft = PassageDraft.model_validate({"evidence": "because of a ceasefire in Gaza"})
    grounded = ground(seed("000"), [("why", draft)], SUNDAY)
    assert grounded.why == []
    (rejected,) = grounded.rejected
    assert (rejected.section, rejected.item) == ("why", {"evidence": "because of a ceasefire in Gaza"})


def test_quantity_with_malformed_figure_is_flagged_never_read() -> None:
    doc = seed("001")
    draft = QuantityDraft.model_validate(
        {"evidence": "Over 11,00 Palestinians", "value": 12000, "counted": "Palestinians killed"})
    grounded = ground(doc, [("quantities", draft)], SUNDAY)
    assert grounded.rejected == []
    (quantity,) = grounded.quantities
    assert quantity.malformed
    assert quantity.value is None  # neither 11,000 nor 1,100
    assert quantity.written == "11,00"
    assert quantity.qualifier == "more than"
    assert quantity.correction is not None
    assert "12000" in quantity.correction
    assert quantity.spans[0].text == "Over 11,00 Palestinians"
    assert_invariant(doc, grounded)


def test_quantity_with_wrong_value_is_corrected_from_the_text() -> None:
    doc = seed("000")
    draft = QuantityDraft.model_validate(
        {"evidence": "More than 60 Russian nationals", "value": 80, "counted": "Russians"})
    grounded = ground(doc, [("quantities", draft)], SUNDAY)
    assert grounded.rejected == []
    (quantity,) = grounded.quantities
    assert (quantity.value, quantity.qualifier, quantity.written) == (60, "more than", "60")
    assert quantity.correction is not None
    assert "80" in quantity.correction


def test_quantity_with_wrong_value_among_several_figures_is_rejected() -> None:
    doc = seed("000")
    draft = QuantityDraft.model_validate(
        {"evidence": "Oct. 7, which saw at least 1,200 people", "value": 1300, "counted": "killed"})
    grounded = ground(doc, [("quantities", draft)], SUNDAY)
    assert grounded.quantities == []
    (rejected,) = grounded.rejected
    assert "1,200" in rejected.reason
    assert "1300" in rejected.reason


# A hand-written article (not a seed): the number guard on figures of other sizes and forms.
STORM = Document(id="storm", raw=(
    "The storm destroyed 1,250 homes and 14 schools in the north, officials said on Monday. "
    "Damage was estimated at $4.5 billion.\n"))


def test_a_quantity_whose_value_no_figure_says_is_rejected_with_the_figures() -> None:
    draft = QuantityDraft.model_validate(
        {"evidence": "1,250 homes and 14 schools", "value": 1520, "counted": "homes"})  # digits swapped
    grounded = ground(STORM, [("quantities", draft)], date(2024, 3, 1))
    assert grounded.quantities == []
    (rejected,) = grounded.rejected
    assert (rejected.section, rejected.reason) == ("quantities", "the quoted text says 1,250, 14, not 1520")


@pytest.mark.parametrize(("proposed", "correction"), [
    (4.5, None),  # "4.5 billion" says 4.5 with or without its scale word
    (4.5e9, None),
    (5.4, "the model proposed 5.4; the text says '$4.5 billion'"),
    (5.4e9, "the model proposed 5.4e+09; the text says '$4.5 billion'"),
])
def test_a_changed_amount_is_read_from_the_text_and_the_model_s_figure_kept_as_a_correction(
        proposed: float, correction: str | None) -> None:
    draft = QuantityDraft.model_validate(
        {"evidence": "estimated at $4.5 billion", "value": proposed, "counted": "damage"})
    grounded = ground(STORM, [("quantities", draft)], date(2024, 3, 1))
    assert grounded.rejected == []
    (quantity,) = grounded.quantities
    assert (quantity.value, quantity.unit, quantity.written, quantity.correction) == (
        4.5e9, "$", "$4.5 billion", correction)


@pytest.mark.parametrize(("section", "draft", "evidence", "reason"), [
    ("facts", FactDraft.model_validate({"evidence": "The storm destroyed 1,250 homes and 14 schools",
                                        "claim": "The storm destroyed 1,520 homes."}),
     "The storm destroyed 1,250 homes and 14 schools", "the figure '1,520' is not in the evidence"),
    ("summary", SentenceDraft.model_validate({"evidence": "Damage was estimated at $4.5 billion",
                                              "text": "Damage reached $5.4 billion."}),
     "Damage was estimated at $4.5 billion", "the figure '$5.4 billion' is not in the evidence"),
])
def test_a_statement_with_a_changed_figure_is_replaced_by_its_evidence(
        section: str, draft: BaseModel, evidence: str, reason: str) -> None:
    grounded = ground(STORM, [(section, draft)], date(2024, 3, 1))
    (item,) = getattr(grounded, section)
    wording = item.claim if section == "facts" else item.text
    assert (wording, item.support, [s.text for s in item.spans]) == (evidence, "evidence-only", [evidence])
    (rejected,) = grounded.rejected
    assert rejected.section == section
    assert rejected.reason == f"replaced by its evidence: {reason}"


def test_corrected_quantity_repeating_a_read_one_collapses() -> None:
    doc = seed("000")
    drafts: list[tuple[str, BaseModel]] = [
        ("quantities", QuantityDraft.model_validate(
            {"evidence": "More than 80 Russian citizens", "value": value, "counted": "citizens"}))
        for value in (80, 90)]
    grounded = ground(doc, drafts, SUNDAY)
    assert [(q.value, q.correction) for q in grounded.quantities] == [(80, None)]


def test_quantity_gets_qualifier_from_the_text() -> None:
    doc = seed("000")
    draft = QuantityDraft.model_validate(
        {"evidence": "Nearly 600 Russian citizens", "value": 600, "counted": "Russian citizens"})
    grounded = ground(doc, [("quantities", draft)], SUNDAY)
    assert grounded.rejected == []
    (quantity,) = grounded.quantities
    assert quantity.value == 600
    assert quantity.qualifier == "approximately"
    assert quantity.counted == "Russian citizens"
    assert quantity.spans[0].text == "Nearly 600 Russian citizens"
    assert_invariant(doc, grounded)


def test_duplicates_collapse() -> None:
    doc = seed("000")
    fact = {"evidence": "More than 80 Russian citizens", "claim": "Over 80 may leave."}
    place = {"name": "Cairo", "evidence": "sent to Cairo"}
    drafts: list[tuple[str, BaseModel]] = [
        ("facts", FactDraft.model_validate(fact)),
        ("facts", FactDraft.model_validate(fact)),
        ("places", PlaceDraft.model_validate(place)),
        ("places", PlaceDraft.model_validate(place)),
        ("places", PlaceDraft.model_validate({"name": "Egypt", "evidence": "sent to Cairo"})),
    ]
    grounded = ground(doc, drafts, SUNDAY)
    assert len(grounded.facts) == 1
    assert [p.name for p in grounded.places] == ["Cairo", "Egypt"]


def test_same_evidence_in_different_sections_is_kept() -> None:
    doc = seed("000")
    evidence = "Nearly 600 Russian citizens"
    drafts: list[tuple[str, BaseModel]] = [
        ("facts", FactDraft.model_validate({"evidence": evidence, "claim": "600 wait."})),
        ("quantities", QuantityDraft.model_validate(
            {"evidence": evidence, "value": 600, "counted": "citizens"})),
    ]
    grounded = ground(doc, drafts, SUNDAY)
    assert len(grounded.facts) == 1
    assert len(grounded.quantities) == 1


def test_weekday_resolved_against_publication_date() -> None:
    doc = seed("001")
    draft = DateDraft.model_validate({"expression": "on Friday", "event": "Peskov spoke"})
    grounded = ground(doc, [("dates", draft)], SUNDAY)
    (mention,) = grounded.when
    assert mention.value == "2023-11-10"
    assert mention.unresolved_reason is None
    assert mention.event == "Peskov spoke"
    assert_invariant(doc, grounded)


def test_weekday_in_future_tense_sentence_goes_forward() -> None:
    doc = seed("002")
    draft = DateDraft.model_validate({"expression": "on Wednesday", "event": "flight to Moscow"})
    grounded = ground(doc, [("dates", draft)], TUESDAY)
    (mention,) = grounded.when
    assert mention.value == "2023-11-15"


def test_date_without_publication_date_is_unresolved_not_rejected() -> None:
    doc = seed("001")
    draft = DateDraft.model_validate({"expression": "on Friday", "event": "Peskov spoke"})
    grounded = ground(doc, [("dates", draft)], None)
    assert grounded.rejected == []
    (mention,) = grounded.when
    assert mention.value is None
    assert mention.unresolved_reason == "needs the publication date"


# --- validators with the document as context -------------------------------------------------


def test_validator_rejects_quote_not_in_article_with_closest_passage() -> None:
    doc = seed("000")
    with pytest.raises(ValidationError) as info:
        FactDraft.model_validate(
            {"evidence": "Kremlin spokesman Dmitry Peskov told reporters on Friday",
             "claim": "Peskov spoke."},
            context={"document": doc},
        )
    message = str(info.value)
    assert "closest passage" in message
    assert "not in the article" in message
    assert "Kremlin spokesman Dmitry Peskov told journalists on Friday" in message


def test_validator_rejects_in_nested_draft() -> None:
    doc = seed("001")
    data = {
        "actors": [],
        "places": [{"name": "Cairo"}],
        "quotes": [{"speaker": "Peskov", "quote": "cautiously optimistic"}],
    }
    assert EntitiesDraft.model_validate(data).quotes[0].quote == "cautiously optimistic"
    with pytest.raises(ValidationError) as info:
        EntitiesDraft.model_validate(data, context={"document": doc})
    (error,) = info.value.errors()
    assert error["loc"] == ("quotes", 0, "quote")
    assert "closest passage" in error["msg"]


def test_validator_accepts_verbatim_and_normalized_quotes() -> None:
    doc = seed("000")
    fact = FactDraft.model_validate(
        {"evidence": "Nearly 600 Russian citizens are awaiting evacuation",
         "claim": "About 600 Russians wait."},
        context={"document": doc},
    )
    assert fact.evidence == "Nearly 600 Russian citizens are awaiting evacuation"
    quote = QuoteDraft.model_validate(
        {"speaker": "Peskov", "quote": "\u201creservedly optimistic\u201d"},
        context={"document": doc},
    )
    assert quote.quote == "\u201creservedly optimistic\u201d"


def test_validator_without_context_checks_nothing() -> None:
    draft = FactDraft.model_validate({"evidence": "not in any article", "claim": "x"})
    assert draft.evidence == "not in any article"


# --- the alignment guard and the speaker check -------------------------------------------------


def test_validator_gives_the_guard_reason_with_the_closest_passage() -> None:
    doc = seed("001")
    with pytest.raises(ValidationError) as info:
        FactDraft.model_validate(
            {"evidence": "Over 11,000 Palestinians have been killed", "claim": "11,000 died."},
            context={"document": doc},
        )
    message = str(info.value)
    assert "not in the article" in message
    assert "the article says 'Over 11,00 Palestinians have been killed', not '11,000'" in message
    assert "closest passage" in message


def test_validator_accepts_fuzzy_and_ellipsis_quotes() -> None:
    doc = seed("000")
    FactDraft.model_validate({"evidence": "Nearly 600 Russian citizen are awaiting evacuation",
                              "claim": "600 wait."}, context={"document": doc})
    FactDraft.model_validate({"evidence": "Russia has begun evacuating ... on Sunday",
                              "claim": "Russia evacuates."}, context={"document": doc})


def test_grounding_rejects_a_changed_negation_with_the_article_wording() -> None:
    doc = seed("000")
    draft = FactDraft.model_validate(
        {"evidence": "More than 60 Russian nationals were not confirmed to have crossed",
         "claim": "The crossing was not confirmed."})
    grounded = ground(doc, [("facts", draft)], SUNDAY)
    assert grounded.facts == []
    (rejected,) = grounded.rejected
    assert "the article says 'More than 60 Russian nationals were confirmed" in rejected.reason
    assert "not 'not'" in rejected.reason
    assert "closest passage" in rejected.reason


def test_ellipsis_evidence_grounds_with_several_spans() -> None:
    doc = seed("000")
    drafts: list[tuple[str, BaseModel]] = [
        ("facts", FactDraft.model_validate(
            {"evidence": "Russia has begun evacuating its citizens \u2026 on Sunday",
             "claim": "Russia began evacuating on Sunday."})),
        ("quotes", QuoteDraft.model_validate(
            {"speaker": "the Emergency Situations Ministry",
             "quote": "The Emergency Situations Ministry together with Russian diplomats ... "
                      "the evacuation of civilians from the Gaza Strip"})),
    ]
    grounded = ground(doc, drafts, SUNDAY)
    assert grounded.rejected == []
    assert [s.text for s in grounded.facts[0].spans] == [
        "Russia has begun evacuating its citizens", "on Sunday"]
    (quote,) = grounded.quotes
    assert len(quote.spans) == 2
    assert quote.text == ("The Emergency Situations Ministry together with Russian diplomats "
                          "\u2026 the evacuation of civilians from the Gaza Strip")
    assert quote.warnings == []
    assert_invariant(doc, grounded)


def test_fuzzy_evidence_grounds_with_its_score() -> None:
    doc = seed("000")
    draft = FactDraft.model_validate(
        {"evidence": "Russia has begun evacuating citizens who are trapped", "claim": "x"})
    (fact,) = ground(doc, [("facts", draft)], SUNDAY).facts
    (span,) = fact.spans
    assert span.text == "Russia has begun evacuating its citizens who are trapped"
    assert span.alignment == "fuzzy"
    assert span.score is not None and 0.75 <= span.score < 1


@pytest.mark.parametrize(
    ("speaker", "quote"),
    [
        ("Dmitry Peskov", "reservedly optimistic"),  # named in the same sentence
        ("Kremlin spokesman Peskov", "reservedly optimistic"),
        ("Emergency Situations Ministry",  # named in the sentence before the quote
         "the operational group of the Emergency Situations Ministry of Russia has been working"),
        ("the ministry's Specialists", "providing medical and psychological support"),
    ],
)
def test_quote_with_speaker_named_nearby_has_no_warning(speaker: str, quote: str) -> None:
    draft = QuoteDraft.model_validate({"speaker": speaker, "quote": quote})
    (grounded,) = ground(seed("000"), [("quotes", draft)], SUNDAY).quotes
    assert grounded.warnings == []


def test_quote_with_speaker_not_named_nearby_keeps_its_words_but_not_the_speaker() -> None:
    doc = seed("000")
    draft = QuoteDraft.model_validate({"speaker": "Sergei Lavrov", "quote": "reservedly optimistic"})
    grounded = ground(doc, [("quotes", draft)], SUNDAY)
    (quote,) = grounded.quotes
    (warning,) = quote.warnings
    assert "'Sergei Lavrov' is not named in the quote's sentence or the one before" in warning
    assert (quote.speaker, quote.support) == ("", "evidence-only")
    (rejected,) = grounded.rejected
    assert rejected.item == {"speaker": "Sergei Lavrov"}
    assert rejected.reason.startswith("replaced by its evidence: the speaker 'Sergei Lavrov'")


def test_repeated_quote_takes_the_occurrence_near_the_speaker() -> None:
    raw = ("The mayor said the bridge will reopen soon. Traffic was heavy all week. "
           "Governor Alda Reyes told reporters: the bridge will reopen soon.")
    doc = Document(id="q", raw=raw)
    draft = QuoteDraft.model_validate({"speaker": "Alda Reyes", "quote": "the bridge will reopen soon"})
    (quote,) = ground(doc, [("quotes", draft)], None).quotes
    assert quote.spans[0].start == raw.rindex("the bridge")
    assert quote.warnings == []


def test_number_of_is_dropped_from_what_is_counted() -> None:
    doc = Document(id="d", raw="The first plane with 70 evacuated Russians arrived.")
    grounded = ground(doc, [("quantities", QuantityDraft(evidence="70 evacuated Russians", value=70,
                                                     counted="the number of evacuated Russians"))],
                      None)
    assert [q.counted for q in grounded.quantities] == ["evacuated Russians"]


def test_the_overview_passages_are_the_articles_words() -> None:
    doc = seed("000")
    said = "Nearly 600 Russian citizens are awaiting evacuation from the Gaza Strip"
    grounded = ground(doc, [
        ("summary", PassageDraft.model_validate({"evidence": said})),
        ("facts", PassageDraft.model_validate({"evidence": said})),  # the summary's words again
        ("facts", PassageDraft.model_validate({"evidence": "would be sent to Cairo"})),
    ], SUNDAY)
    (sentence,) = grounded.summary
    assert (sentence.text, sentence.support) == (said, "rules")
    assert [s.start for s in sentence.spans] == [doc.raw.index(said)]
    assert [(f.claim, f.spans[0].start) for f in grounded.facts] == [
        ("would be sent to Cairo", doc.raw.index("would be sent to Cairo"))]
    assert grounded.rejected == []


def test_an_actor_is_placed_on_the_mention_whose_sentence_states_its_role() -> None:
    doc = seed("000")
    name = "Emergency Situations Ministry"
    acting = ground(doc, [("actors", NamedActorDraft.model_validate(
        {"name": name, "kind": "organization", "role": "organized the evacuation of civilians"}))],
        SUNDAY)
    (actor,) = acting.actors
    # named first at 308 ("a statement released by ..."); the role is said at its second mention
    assert [(s.start, s.text) for s in actor.spans] == [(355, name)]
    assert actor.support == "rules"
    unplaced = ground(doc, [("actors", NamedActorDraft.model_validate(
        {"name": name, "kind": "organization", "role": "government agency"}))], SUNDAY)
    assert [s.start for s in unplaced.actors[0].spans] == [308]  # no sentence says it: the first


def test_a_place_is_its_name_in_the_article_and_an_unnamed_one_is_rejected() -> None:
    doc = seed("000")
    grounded = ground(doc, [("places", NamedPlaceDraft.model_validate({"name": "Cairo"})),
                            ("places", NamedPlaceDraft.model_validate({"name": "Damascus"}))],
                      SUNDAY)
    (place,) = grounded.places
    assert [(s.start, s.end, s.text) for s in place.spans] == [(1737, 1742, "Cairo")]
    (rejected,) = grounded.rejected
    assert (rejected.section, rejected.item) == ("places", {"name": "Damascus"})
    with pytest.raises(ValidationError, match="not in the article"):
        NamedPlaceDraft.model_validate({"name": "Damascus"}, context={"document": doc})


def test_a_summary_passage_from_a_photo_caption_is_rejected_as_furniture() -> None:
    caption = "Smoke rises from the site of an Israeli airstrike in the city of Rafah."
    grounded = ground(seed("000"), [("summary", PassageDraft.model_validate({"evidence": caption})),
                                    ("facts", PassageDraft.model_validate({"evidence": caption}))],
                      SUNDAY)
    assert (grounded.summary, grounded.facts) == ([], [])
    assert [(r.section, r.reason) for r in grounded.rejected] == [
        ("summary", "page furniture (caption), not the article's report"),
        ("facts", "page furniture (caption), not the article's report")]


def test_shown_text_reads_without_markup_while_the_span_stays_raw() -> None:
    evidence = "according to a [statement](#) released by the Emergency Situations Ministry on Sunday"
    grounded = ground(seed("000"), [("summary", PassageDraft.model_validate({"evidence": evidence}))],
                      SUNDAY)
    (sentence,) = grounded.summary
    assert sentence.text == ("according to a statement released by the Emergency Situations "
                             "Ministry on Sunday")
    assert sentence.spans[0].text == evidence


def test_a_cause_inside_the_models_sentence_is_narrowed_to_its_cue_and_phrase() -> None:
    doc = seed("000")
    sentence = ("The Gaza Strip has been decimated by an Israeli bombardment campaign launched in "
                "response to Hamas' surprise assault in southern Israel on Oct. 7")
    grounded = ground(doc, [("why", PassageDraft.model_validate({"evidence": sentence}))], SUNDAY)
    (why,) = grounded.why
    assert why.text == "in response to Hamas' surprise assault in southern Israel on Oct. 7"
    assert doc.raw[why.spans[0].start:why.spans[0].end] == why.text
    assert grounded.rejected == []


def test_a_means_the_model_put_under_why_is_kept_as_a_means() -> None:
    sentence = ("Authorities noted that Russian nationals fleeing the Gaza Strip into Egypt through "
                "the Rafah border crossing would be sent to Cairo")
    grounded = ground(seed("000"), [("why", PassageDraft.model_validate({"evidence": sentence}))],
                      SUNDAY)
    assert grounded.why == []
    assert [h.text for h in grounded.how] == ["through the Rafah border crossing"]
    (rejected,) = grounded.rejected
    assert rejected.section == "why"


def test_a_dates_event_that_only_repeats_the_date_is_told_in_the_articles_words() -> None:
    drafts: list[tuple[str, BaseModel]] = [
        ("when", DateDraft.model_validate({"expression": "on Friday", "event": "Friday"})),
        ("when", DateDraft.model_validate({"expression": "this week", "event": "RIA reported approvals"}))]
    grounded = ground(seed("000"), drafts, SUNDAY)
    friday, week = grounded.when
    assert (friday.event, friday.support) == (
        "Kremlin spokesman Dmitry Peskov told journalists", "evidence-only")
    assert (week.event, week.support) == ("RIA reported approvals", "rules")
