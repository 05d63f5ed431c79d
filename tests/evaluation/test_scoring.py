"""The quality harness's scoring on hand-built summaries and gold (no model)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from summarizer.errors import InputError
from summarizer.evaluation.report import Report, report, table
from summarizer.evaluation.scoring import (
    GoldArticle,
    failed_article,
    parse_gold,
    score_article,
    token_f1,
)
from summarizer.output.summary import (
    EventAnswer,
    EventSlot,
    EventSummary,
    Place,
    Quantity,
    Question,
    Span,
)
from summarizer.text.document import Document
from tests.digest.test_merging import span, summary

TEXT = ("Rescuers said more than 40 miners were trapped in the Tanta coal mine near Karaganda on "
        "Monday after a gas explosion. Kazakh officials confirmed the rescue at Tanta continued.")


def gold_line(**gold: list[dict[str, object]]) -> str:
    return json.dumps({"id": "mine", "text": TEXT, "published": "2024-03-06", "gold": gold})


def phrase(text: str, **extra: object) -> dict[str, object]:
    start = TEXT.index(text)
    return {"text": text, "start": start, "end": start + len(text), **extra}


def test_token_f1_is_squad_style() -> None:
    assert token_f1("the Tanta coal mine", "Tanta coal mine") == 1.0  # articles ignored
    assert token_f1("Tanta mine", "Tanta coal mine") == pytest.approx(0.8)
    assert token_f1("Karaganda", "Tanta coal mine") == 0.0
    assert token_f1("Rescuers,", "rescuers") == 1.0  # case and punctuation ignored


def test_gold_is_checked_line_by_line() -> None:
    (article,) = parse_gold([gold_line(who=[phrase("Rescuers")]), ""], "g.jsonl")
    assert article.gold["who"][0].start == 0
    with pytest.raises(InputError, match=r"g.jsonl:1: not a gold article"):
        parse_gold(["{not json"], "g.jsonl")
    with pytest.raises(InputError, match=r"g.jsonl:1: who 'Rescuers' is not at \[1:9\]"):
        parse_gold([gold_line(who=[{"text": "Rescuers", "start": 1, "end": 9}])], "g.jsonl")
    with pytest.raises(InputError, match="unknown gold field"):
        parse_gold([gold_line(whom=[phrase("Rescuers")])], "g.jsonl")
    with pytest.raises(InputError, match="used twice"):
        parse_gold([gold_line(), gold_line()], "g.jsonl")
    with pytest.raises(InputError, match="no gold articles"):
        parse_gold(["", " "], "g.jsonl")


def scored(**gold: list[dict[str, object]]) -> Report:
    doc = Document(id="mine", raw=TEXT)
    ours = summary(doc, actors=["Rescuers", "Karaganda"],
                   quantities=[("more than 40", 40, "miners", "more than")],
                   dates=[("Monday", "2024-03-04", "trapped", [])], published="2024-03-06")
    (article,) = parse_gold([gold_line(**gold)], "g.jsonl")
    return report([score_article(article, ours, 1.5)])


def test_fields_score_precision_recall_span_overlap_and_values() -> None:
    result = scored(who=[phrase("Rescuers"), phrase("Kazakh officials")],
                    when=[phrase("Monday", value="2024-03-04")],
                    numbers=[phrase("more than 40", value=40), phrase("Tanta", value=7)])
    fields = result["fields"]
    who = fields["who"]
    assert (who["precision"], who["recall"]) == (0.5, 0.5)  # Karaganda matches nothing
    assert who["span_overlap"] == 0.5
    assert fields["when"]["value_accuracy"] == 1.0
    assert fields["numbers"]["value_accuracy"] == 0.5  # nothing of ours says 7 about "Tanta"
    assert fields["where"]["recall"] is None  # no gold: no figure, not a zero


def test_a_wrong_value_on_the_right_span_is_not_counted() -> None:
    result = scored(when=[phrase("Monday", value="2024-03-11")])
    assert result["fields"]["when"]["value_accuracy"] == 0.0
    assert result["fields"]["when"]["span_overlap"] == 1.0


def test_grounding_figures_need_no_gold() -> None:
    result = scored()
    grounding = result["grounding"]
    assert grounding["span_invariant"] == 1.0
    assert grounding["numbers_unreadable"] == 0
    # 5 of the lists, plus the event block's place found in the article ("in the Tanta coal mine")
    # and its cause after its cue ("after a gas explosion")
    assert grounding["alignment"] == {"exact": 7}
    assert grounding["support"] == {"rules": 5}  # one per list item (the event block's found place has none)
    assert grounding["planted_instructions"] == 0


def test_statements_are_counted_by_support_level() -> None:
    doc = Document(id="mine", raw=TEXT)
    ours = summary(doc, quantities=[("more than 40", 40, "miners", "more than")])
    ours = ours.model_copy(update={"headline": ours.headline.model_copy(
        update={"support": "evidence-only"})})
    (article,) = parse_gold([gold_line()], "g.jsonl")
    result = report([score_article(article, ours, 0.0)])
    assert result["grounding"]["support"] == {"evidence-only": 1, "rules": 1}


def test_a_number_not_readable_from_its_span_is_counted() -> None:
    doc = Document(id="mine", raw=TEXT)
    ours = summary(doc, quantities=[("more than 40", 40, "miners", "more than")])
    wrong = Quantity(value=41, counted="miners", qualifier="exact", written="more than 40",
                     spans=[span(doc, "more than 40")])
    bad_span = Span(doc_id="mine", start=0, end=3, text="xyz")
    ours = ours.model_copy(update={"quantities": [wrong], "facts": []})
    (article,) = parse_gold([gold_line()], "g.jsonl")
    result = report([score_article(article, ours, 0.0)])
    assert result["grounding"]["numbers_unreadable"] == 1
    with_bad = ours.model_copy(update={"headline": ours.headline.model_copy(
        update={"spans": [bad_span]})})
    result = report([score_article(article, with_bad, 0.0)])
    # the headline's span breaks the invariant; the quantity's, and the event block's (its copy of
    # the old headline span, its places "Tanta" and "Karaganda" found in the text and its cause
    # "after a gas explosion") still hold: 5 of 6
    assert result["grounding"]["span_invariant"] == 0.8333


def test_a_failed_article_counts_against_recall_and_compare_prints_deltas() -> None:
    (article,) = parse_gold([gold_line(who=[phrase("Rescuers")])], "g.jsonl")
    failed = report([failed_article(article, "nothing grounded", 2.0)])
    assert failed["failed"] == 1
    assert failed["fields"]["who"]["recall"] == 0.0
    better = scored(who=[phrase("Rescuers")])
    text = table(better, previous=failed)
    who_row = next(line for line in text.splitlines() if line.startswith("who"))
    assert "1.000 (+1.000)" in who_row  # recall went from 0 to 1
    assert "2 (+2)/1 (+0)" in who_row  # our items / gold phrases, and their change


def test_gold_article_accepts_phrases_without_offsets() -> None:
    article = GoldArticle.model_validate(
        {"id": "x", "text": TEXT, "gold": {"who": [{"text": "Kazakh officials"}]}})
    doc = Document(id="x", raw=TEXT)
    ours = summary(doc, actors=["Kazakh officials"])
    fields = report([score_article(article, ours, 0.0)])["fields"]
    assert fields["who"]["recall"] == 1.0
    assert fields["who"]["span_overlap"] is None


def test_the_event_block_is_scored_top1_against_the_best_gold_phrase() -> None:
    # ours: who "Rescuers" (named first), when "Monday", where "Tanta" (found in the lead by code)
    result = scored(who=[phrase("Kazakh officials"), phrase("Rescuers")],
                    when=[phrase("Monday", value="2024-03-04")],
                    where=[phrase("Tanta coal mine")])
    fields = result["fields"]
    assert (fields["who"]["top1_f1"], fields["who"]["top1_hits"]) == (1.0, 1.0)
    assert (fields["when"]["top1_f1"], fields["when"]["top1_hits"]) == (1.0, 1.0)
    assert (fields["where"]["top1_f1"], fields["where"]["top1_hits"]) == (0.5, 1.0)  # 2*(1*1/3)/(4/3)
    assert (fields["what"]["top1_f1"], fields["numbers"]["top1_f1"]) == (None, None)  # no gold / no block
    missed = scored(where=[phrase("Karaganda")])["fields"]["where"]
    assert (missed["top1_f1"], missed["top1_hits"]) == (0.0, 0.0)
    header = table(result).splitlines()[0]
    assert "top-1 F1" in header and "top-1 hits" in header


def test_a_failed_article_scores_zero_top1() -> None:
    (article,) = parse_gold([gold_line(who=[phrase("Rescuers")])], "g.jsonl")
    failed = report([failed_article(article, "nothing grounded", 2.0)])
    assert (failed["fields"]["who"]["top1_f1"], failed["fields"]["who"]["top1_hits"]) == (0.0, 0.0)
    assert failed["fields"]["where"]["top1_f1"] is None  # no gold for it: not counted


def with_answers(ours: EventSummary, doc: Document, question: Question, *texts: str) -> EventSummary:
    """`ours` with the event block's answer to `question` (and runners-up) set to `texts`."""
    answers = [EventAnswer(text=t, section="article", rule="hand-built", spans=[span(doc, t)])
               for t in texts]
    slot = EventSlot(answer=answers[0], runners_up=answers[1:]) if answers else \
        EventSlot(reason="none in the article")
    return ours.model_copy(update={"event": ours.event.model_copy(update={question: slot})})


def scored_why_how(why: Sequence[str], how: Sequence[str], /,
                   **gold: list[dict[str, object]]) -> Report:
    """Our answers to why and how (answer, then runners-up) scored against `gold`."""
    doc = Document(id="mine", raw=TEXT)
    ours = summary(doc, actors=["Rescuers", "Karaganda"],
                   quantities=[("more than 40", 40, "miners", "more than")],
                   dates=[("Monday", "2024-03-04", "trapped", [])], published="2024-03-06")
    ours = ours.model_copy(update={"where": [Place(name="Karaganda", spans=[span(doc, "Karaganda")])]})
    ours = with_answers(with_answers(ours, doc, "why", *why), doc, "how", *how)
    (article,) = parse_gold([gold_line(**gold)], "g.jsonl")
    return report([score_article(article, ours, 0.0)])


def test_why_and_how_are_scored_from_the_event_block_like_the_other_fields() -> None:
    result = scored_why_how(["Monday after a gas explosion", "Rescuers"], [],
                            why=[phrase("a gas explosion")], how=[phrase("confirmed the rescue")])
    why, how = result["fields"]["why"], result["fields"]["how"]
    # answer vs gold: 2 of its 4 tokens, both gold tokens ("a" dropped): P 1/2, R 1, F1 2/3;
    # the runner-up "Rescuers" matches nothing
    assert (why["predicted"], why["gold"]) == (2, 1)
    assert why["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert why["recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert why["f1"] == pytest.approx(4 / 9, abs=1e-4)
    assert why["span_overlap"] == 1.0  # the answer's span covers the gold phrase
    assert why["top1_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert why["top1_hits"] == 1.0
    # no answer to how: recall 0, no precision (nothing said), so no F1, as for any field
    assert (how["predicted"], how["precision"], how["recall"], how["f1"]) == (0, None, 0.0, None)
    assert (how["top1_f1"], how["top1_hits"]) == (0.0, 0.0)
    exact = scored_why_how(["a gas explosion"], ["confirmed the rescue"],
                           why=[phrase("a gas explosion")], how=[phrase("confirmed the rescue")])
    assert [exact["fields"][name]["f1"] for name in ("why", "how")] == [1.0, 1.0]
    lines = table(result).splitlines()
    assert [line.split()[0] for line in lines[1:8]] == ["who", "what", "when", "where", "numbers",
                                                        "why", "how"]


def test_empty_why_gold_is_not_scored_and_an_answer_to_it_costs_precision() -> None:
    empty = scored_why_how([], [], why=[])["fields"]["why"]
    no_gold = scored()["fields"]["where"]  # no place and no gold place: every field's convention
    assert empty == no_gold
    assert (empty["predicted"], empty["gold"], empty["f1"], empty["top1_f1"]) == (0, 0, None, None)
    said = scored_why_how(["a gas explosion"], [], why=[])["fields"]["why"]
    assert (said["predicted"], said["precision"], said["recall"], said["f1"]) == (1, 0.0, None, None)
    assert said["top1_f1"] is None  # no gold: the answer is not ranked against anything


def test_the_mean_f1_stays_over_the_five_fields() -> None:
    five = {"who": [phrase("Rescuers")], "what": [phrase("Rescuers said")],
            "when": [phrase("Monday", value="2024-03-04")], "where": [phrase("Karaganda")],
            "numbers": [phrase("more than 40", value=40)]}
    without = scored_why_how([], [], **five)
    right = scored_why_how(["a gas explosion"], [], why=[phrase("a gas explosion")], **five)
    wrong = scored_why_how(["Rescuers"], [], why=[phrase("a gas explosion")], **five)
    f1 = [without["fields"][name]["f1"] for name in five]
    assert None not in f1
    assert without["mean_f1"] == {"fields": list(five),
                                  "f1": pytest.approx(sum(f or 0.0 for f in f1) / 5, abs=1e-4)}
    assert right["mean_f1"] == wrong["mean_f1"] == without["mean_f1"]
    assert right["fields"]["why"]["f1"] == 1.0 and wrong["fields"]["why"]["f1"] == 0.0
    assert f"mean F1 over who, what, when, where, numbers: {without['mean_f1']['f1']:.3f}" in \
        table(without)
    assert scored_why_how([], [], who=five["who"])["mean_f1"]["f1"] is None  # a field without F1


def test_answers_of_the_wrong_type_are_listed_by_the_summarys_own_lists() -> None:
    from summarizer.evaluation.scoring import wrong_type

    doc = Document(id="mine", raw=TEXT)
    ours = summary(doc, actors=["Rescuers"], dates=[("Monday", "2024-03-04", "trapped", [])])
    ours = ours.model_copy(update={"where": [Place(name="Tanta", spans=[span(doc, "Tanta")])]})

    def answered(who: str, where: str) -> EventSummary:
        event = ours.event.model_copy(update={
            "who": EventSlot(answer=EventAnswer(text=who, section="article", rule="r",
                                                spans=[span(doc, who)])),
            "where": EventSlot(answer=EventAnswer(text=where, section="article", rule="r",
                                                  spans=[span(doc, where)]))})
        return ours.model_copy(update={"event": event})

    assert wrong_type(answered("Rescuers", "Tanta coal mine")) == []
    assert wrong_type(answered("Tanta", "Monday")) == [
        "who 'Tanta' is a place", "where 'Monday' is a date"]
    # a group's capitalized name is not caught (only people and organisations are); a person is
    assert wrong_type(answered("Monday", "Rescuers")) == ["who 'Monday' is a date"]
    people = ours.model_copy(update={"actors": [ours.actors[0].model_copy(update={"kind": "person"})]})
    event = answered("Monday", "Rescuers").event
    assert wrong_type(people.model_copy(update={"event": event})) == [
        "who 'Monday' is a date", "where 'Rescuers' is a person or an organisation"]
    assert wrong_type(answered("Rescuers", "gas explosion")) == ["where 'gas explosion' names no place"]
    (article,) = parse_gold([gold_line()], "g.jsonl")
    result = report([score_article(article, answered("Tanta", "Monday"), 0.0)])
    assert result["grounding"]["wrong_type_answers"] == 2
    assert result["per_article"][0]["wrong_type"] == ["who 'Tanta' is a place", "where 'Monday' is a date"]


def test_a_gold_articles_date_is_an_iso_date_or_none() -> None:
    line = json.dumps({"id": "m", "text": TEXT, "published": "None", "gold": {}})
    (article,) = parse_gold([line], "g.jsonl")
    assert article.published is None  # a converter's "None" is no date
    with pytest.raises(InputError, match=r"g.jsonl:1: not a gold article \(published: "):
        parse_gold([line.replace('"None"', '"yesterday"')], "g.jsonl")
