"""The conflict rules (summarizer.digest.conflicts) on hand-built entries and summaries, no model.

Each rule is checked on both sides of its threshold, so that loosening or dropping it fails here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pytest

from summarizer.digest.conflicts import (
    CONTEXT_OVERLAP,
    EVENT_OVERLAP,
    QUOTE_SAME,
    after_publication,
    compatible,
    date_conflicts,
    quantity_conflicts,
    quote_conflicts,
)
from summarizer.digest.matching import Entry
from summarizer.digest.merging import merge
from summarizer.normalize.lexicon import content_words
from summarizer.output.digest import ItemKind
from summarizer.output.summary import DateMention, EventSummary, Quantity, Quote, Span
from summarizer.text.document import Document
from tests.digest.test_merging import OTHER_OUTLET, STORY, span, summary


def quantity(value: float | None, qualifier: str = "exact", *, counted: str = "miners",
             unit: str | None = None, written: str | None = None,
             range_high: float | None = None) -> Quantity:
    return Quantity(value=value, counted=counted, qualifier=qualifier,
                    unit=unit, written=written, malformed=value is None, range_high=range_high,
                    spans=[Span(doc_id="d", start=0, end=1, text="x")])


# --- quantities: which figures can both be true ------------------------------------------------


@pytest.mark.parametrize(("other", "expected"), [
    (89, False), (90, True), (100, True), (110, True), (111, False), (115, False), (150, False),
])
def test_approximately_allows_ten_percent_either_way(other: float, expected: bool) -> None:
    assert compatible(quantity(100, "approximately"), quantity(other)) is expected
    assert compatible(quantity(other), quantity(100, "approximately")) is expected


@pytest.mark.parametrize(("qualifier", "compatible_with", "incompatible_with"), [
    ("exact", [60], [59, 61]),
    ("more than", [60, 61, 10_000], [59]),
    ("at least", [60, 61, 10_000], [59]),
    ("fewer than", [0, 1, 60], [61]),
    ("at most", [0, 1, 60], [61]),
    ("up to", [0, 1, 60], [61]),
])
def test_qualifiers_bound_the_figure_on_their_side_only(
        qualifier: str, compatible_with: list[float], incompatible_with: list[float]) -> None:
    bounded = quantity(60, qualifier)
    assert [compatible(bounded, quantity(v)) for v in compatible_with] == [True] * len(compatible_with)
    assert [compatible(quantity(v), bounded) for v in incompatible_with] == [False] * len(
        incompatible_with)


def test_ranges_units_and_malformed_figures() -> None:
    assert compatible(quantity(40, range_high=50), quantity(50))
    assert not compatible(quantity(40, range_high=50), quantity(51))
    assert not compatible(quantity(40, unit="km"), quantity(40, unit="mi"))
    assert not compatible(quantity(40, unit="km"), quantity(40))
    broken = quantity(None, written="11,00")
    assert compatible(broken, quantity(None, written="11,00"))
    assert not compatible(broken, quantity(None, written="1,1000"))
    assert not compatible(broken, quantity(1100))
    assert not compatible(quantity(1100), broken)
    assert not compatible(quantity(None, written="1100"), quantity(1100, written="1100"))


Payload = TypeVar("Payload")


def entry(kind: ItemKind, key: str, text: str, doc_id: str, payload: Payload,
          spans: Sequence[Span] = ()) -> Entry[Payload]:
    spans = tuple(spans) or (Span(doc_id=doc_id, start=0, end=len(text), text=text),)
    return Entry(kind, key, text, doc_id, f"story-{doc_id}", tuple(spans), payload)


def quantity_entry(doc_id: str, value: float, counted: str = "miners", *,
                   spans: Sequence[Span] = ()) -> Entry[Quantity]:
    q = quantity(value, counted=counted)
    return entry("quantity", f"{value:g} {counted}", f"{value:g} {counted}", doc_id, q, spans)


def sentence(doc_id: str, start: int) -> Span:
    return Span(doc_id=doc_id, start=start, end=start + 1, text="x")


# Context words of the sentence around a span, by the span's start: 0 and 10 share 3 of 5 words
# (Jaccard 0.6, the threshold), 0 and 20 share 1 of 4.
CONTEXTS = {0: {"miner", "trapped", "mine", "gas"}, 10: {"miner", "trapped", "mine", "rescue"},
            20: {"miner", "bank", "rate", "inflation"}}


def context(span: Span) -> set[str]:
    return CONTEXTS[span.start]


def test_quantity_conflict_needs_similar_sentences_at_the_threshold() -> None:
    assert CONTEXT_OVERLAP == 0.6
    a = quantity_entry("a", 40, spans=[sentence("a", 0)])
    near = quantity_entry("b", 12, spans=[sentence("b", 10)])  # Jaccard 3/5: exactly the threshold
    far = quantity_entry("c", 12, spans=[sentence("c", 20)])
    (conflict,) = quantity_conflicts([[a], [near]], context)
    assert (conflict.kind, conflict.about) == ("quantity", "miners")
    assert conflict.rule.startswith("same counted noun, sentences sharing 60% of their content words")
    assert [(v.value, v.sources) for v in conflict.versions] == [("40 miners", ["a"]),
                                                                 ("12 miners", ["b"])]
    assert quantity_conflicts([[a], [far]], context) == []


def test_quantity_conflict_looks_past_pairs_it_skips() -> None:
    a = quantity_entry("a", 40, spans=[sentence("a", 0)])
    dogs = quantity_entry("b", 5, counted="dogs", spans=[sentence("b", 10)])  # another noun
    far = quantity_entry("c", 12, spans=[sentence("c", 20)])  # another sentence
    same = quantity_entry("d", 40, spans=[sentence("d", 10)])  # an agreeing figure
    late = quantity_entry("e", 12, spans=[sentence("e", 10)])
    found = quantity_conflicts([[a], [dogs], [far], [same], [late]], context)
    assert [[v.value for v in c.versions] for c in found] == [["40 miners", "12 miners"],
                                                              ["40 miners", "12 miners"]]
    assert [[v.sources for v in c.versions] for c in found] == [[["a"], ["e"]], [["d"], ["e"]]]


def test_quantity_conflict_reads_the_sentence_of_each_entrys_first_span() -> None:
    a = quantity_entry("a", 40, spans=[sentence("a", 20), sentence("a", 0)])
    b = quantity_entry("b", 12, spans=[sentence("b", 10)])
    assert quantity_conflicts([[a], [b]], context) == []
    assert quantity_conflicts([[b], [a]], context) == []


def test_approximate_and_exact_counts_in_one_sentence_conflict_beyond_ten_percent() -> None:
    a = Document(id="a", raw=STORY.replace("more than 40", "about 100"))
    c = Document(id="c", raw=STORY.replace("more than 40", "120"))
    close = Document(id="k", raw=STORY.replace("more than 40", "105"))
    about = summary(a, quantities=[("100", 100, "miners", "approximately")])
    (digest,) = merge([about, summary(c, quantities=[("120", 120, "miners", "exact")])], [a, c])
    (conflict,) = digest.conflicts
    assert [v.value for v in conflict.versions] == ["approximately 100 miners", "120 miners"]
    (digest,) = merge([about, summary(close, quantities=[("105", 105, "miners", "exact")])],
                      [a, close])
    assert digest.conflicts == []


# --- dates: one event on different days -----------------------------------------------------------


def date_entry(doc_id: str, value: str, event: str, text: str = "on Monday") -> Entry[DateMention]:
    mention = DateMention(text=text, value=value, granularity="day", event=event,
                          spans=[Span(doc_id=doc_id, start=0, end=len(text), text=text)])
    return entry("date", value, text, doc_id, mention)


def test_one_event_on_two_days_is_a_date_conflict() -> None:
    assert EVENT_OVERLAP == 0.6
    first = date_entry("a", "2024-03-04", "miners trapped by gas explosion")
    second = date_entry("b", "2024-03-05", "miners trapped by explosion", text="on Tuesday")
    (conflict,) = date_conflicts([first, second])
    assert (conflict.kind, conflict.about) == ("date", "miners trapped by gas explosion")
    assert conflict.rule == "the same event (model descriptions overlapping) on different days"
    assert [(v.value, v.sources, [s.text for s in v.spans]) for v in conflict.versions] == [
        ("2024-03-04", ["a"], ["on Monday"]), ("2024-03-05", ["b"], ["on Tuesday"])]


def test_date_conflict_thresholds() -> None:
    # content words {miner, trapped, gas, explosion, tanta} against three of them: 3/5 = 0.6
    base = date_entry("a", "2024-03-04", "miners trapped by gas explosion at Tanta")
    at_threshold = date_entry("b", "2024-03-05", "miners trapped, explosion")
    below = date_entry("c", "2024-03-05", "miners trapped")  # 2/5
    assert len(date_conflicts([base, at_threshold])) == 1
    assert date_conflicts([base, below]) == []
    # the same day, written with and without a time, is no conflict
    assert date_conflicts([base, date_entry("d", "2024-03-04T10:00", "miners trapped, explosion")]) == []
    # an event of fewer than two content words is too vague to compare
    vague = date_entry("e", "2024-03-04", "the explosion")
    assert date_conflicts([vague, date_entry("f", "2024-03-05", "the explosion")]) == []
    # only days are compared: a month or a week against a day says nothing
    assert date_conflicts([date_entry("g", "2024-03", "miners trapped, explosion"), base]) == []
    assert date_conflicts([base, date_entry("h", "2024-W10", "miners trapped, explosion")]) == []


def test_date_conflicts_check_every_pair() -> None:
    month = date_entry("m", "2024-03", "miners trapped by gas explosion")
    other = date_entry("o", "2024-03-04", "bank raises interest rate")
    same_day = date_entry("s", "2024-03-04", "miners trapped by gas explosion")
    a = date_entry("a", "2024-03-04", "miners trapped by gas explosion")
    b = date_entry("b", "2024-03-06", "miners trapped by gas explosion")
    found = date_conflicts([month, other, a, same_day, b])
    assert [[v.sources[0] for v in c.versions] for c in found] == [["a", "b"], ["s", "b"]]


def test_two_outlets_dating_one_event_differently_conflict_in_the_digest() -> None:
    a, c = Document(id="a", raw=STORY), Document(id="c", raw=OTHER_OUTLET)
    first = summary(a, actors=["Karaganda", "Tanta"],
                    dates=[("on Monday", "2024-03-04", "miners trapped in the Tanta mine", [])])
    second = summary(c, actors=["Karaganda", "Tanta"],
                     dates=[("on Monday", "2024-03-11", "miners trapped in Tanta mine", [])])
    (digest,) = merge([first, second], [a, c])
    (conflict,) = digest.conflicts
    assert conflict.kind == "date"
    assert [(v.value, v.sources) for v in conflict.versions] == [("2024-03-04", ["a"]),
                                                                 ("2024-03-11", ["c"])]


# --- quotes: the same words, different speakers --------------------------------------------------


def quote_entry(doc_id: str, speaker: str, words: str) -> Entry[set[str]]:
    return entry("quote", speaker.lower(), f"{speaker}: \u201c{words}\u201d", doc_id,
                 content_words(words))


def test_the_same_words_from_two_speakers_are_a_quote_conflict() -> None:
    assert QUOTE_SAME == 0.8
    said = "the rescue will continue through the night"
    first, second = quote_entry("a", "Marat Akhmetov", said), quote_entry("b", "Daniyar Serik", said)
    (conflict,) = quote_conflicts([first, second])
    assert (conflict.kind, conflict.about) == ("quote", f"\u201c{said}\u201d")
    assert conflict.rule == "the same words attributed to different speakers"
    assert [(v.value, v.sources) for v in conflict.versions] == [("marat akhmetov", ["a"]),
                                                                 ("daniyar serik", ["b"])]
    assert quote_conflicts([first, quote_entry("c", "Marat Akhmetov", said)]) == []


def test_quote_conflict_thresholds() -> None:
    five = quote_entry("a", "Akhmetov", "rescue continue through night shifts")  # 5 words
    four_of_five = quote_entry("b", "Serik", "rescue continue through night")  # 4/5 = 0.8
    three_of_five = quote_entry("c", "Serik", "rescue continue night")  # 3/5
    assert len(quote_conflicts([five, four_of_five])) == 1
    assert quote_conflicts([five, three_of_five]) == []
    # words with no content (stop words only) say nothing about who said what
    empty = quote_entry("d", "Akhmetov", "it is what it is")
    assert quote_conflicts([empty, quote_entry("e", "Serik", "it is what it is")]) == []


def test_quote_conflicts_check_every_pair() -> None:
    said = "the rescue will continue through the night"
    found = quote_conflicts([quote_entry("a", "Akhmetov", said), quote_entry("b", "Akhmetov", said),
                             quote_entry("c", "Serik", "gas levels are falling"),
                             quote_entry("d", "Serik", said)])
    assert [[v.sources[0] for v in c.versions] for c in found] == [["a", "d"], ["b", "d"]]


def with_quote(doc: Document, speaker: str, words: str) -> EventSummary:
    base = summary(doc, actors=["Karaganda", "Tanta"])
    return base.model_copy(update={"quotes": [Quote(speaker=speaker, text=words,
                                                     spans=[span(doc, words)])]})


def test_one_quote_given_to_two_speakers_conflicts_in_the_digest() -> None:
    said = "the rescue continued through the night"
    a = Document(id="a", raw=f"{STORY} Akhmetov said {said}.")
    c = Document(id="c", raw=f"{OTHER_OUTLET} Serik said {said}.")
    (digest,) = merge([with_quote(a, "Akhmetov", said), with_quote(c, "Serik", said)], [a, c])
    (conflict,) = digest.conflicts
    assert conflict.kind == "quote"
    assert [(v.value, v.sources) for v in conflict.versions] == [("akhmetov", ["a"]), ("serik", ["c"])]
    assert {s.doc_id: s.text for v in conflict.versions for s in v.spans} == {"a": said, "c": said}


def test_date_conflict_edges_an_event_of_two_words_and_a_time_on_either_side() -> None:
    two_words = date_entry("a", "2024-03-04", "gas explosion")
    assert len(date_conflicts([two_words, date_entry("b", "2024-03-05", "gas explosion")])) == 1
    with_time = date_entry("t", "2024-03-04T10:00", "miners trapped, explosion")
    assert date_conflicts([with_time, date_entry("d", "2024-03-04", "miners trapped, explosion")]) == []


def test_quote_conflict_is_about_the_words_even_when_they_hold_a_colon() -> None:
    said = "one goal: the miners come out alive"
    (conflict,) = quote_conflicts([quote_entry("a", "Akhmetov", said), quote_entry("b", "Serik", said)])
    assert conflict.about == f"\u201c{said}\u201d"


RAW = "date 2024-03-04 The group had arrived on March 5, officials said on Monday."


def dated(flags: list[str], *, own_span: bool = True, event: str = "arrival") -> EventSummary:
    doc = Document(id="d", raw=RAW)
    s = summary(doc, dates=[("March 5", "2024-03-05", event, flags)], published="2024-03-04")
    update = {"published_span": span(doc, "2024-03-04")} if own_span else {}
    return s.model_copy(update={"document": s.document.model_copy(update=update)})


def test_after_publication_needs_the_flag_and_the_articles_own_date() -> None:
    (conflict,) = after_publication([dated(["after-publication-date"])])
    assert (conflict.kind, conflict.about) == ("date", "arrival")
    assert after_publication([dated([])]) == []
    assert after_publication([dated(["after-publication-date"], own_span=False)]) == []
    (unnamed,) = after_publication([dated(["after-publication-date"], event="")])
    assert unnamed.about == "March 5"


def test_a_toll_is_named_in_the_figures_own_phrase_and_a_part_is_no_toll() -> None:
    from summarizer.digest.conflicts import toll_of

    assert toll_of(quantity(7, counted="people"), " were killed in the crash") == "the dead"
    assert toll_of(quantity(51, counted="injured"), "") == "the injured"
    # "six men and one woman died": the men are a part; "Eight of those hurt": a part too
    assert toll_of(quantity(6, counted="men"), " and one woman died in the crash") is None
    assert toll_of(quantity(8, counted="people"), " of those hurt were treated") is None
    assert toll_of(quantity(3, counted="adults"), " from South London") is None


def test_one_article_telling_two_days_tells_two_events_not_a_conflict() -> None:
    a = Document(id="a", raw=STORY + " The mine first flooded on March 4, 2023.")
    one = summary(a, actors=["Karaganda", "Tanta"],
                  dates=[("on Monday", "2024-03-04", "miners trapped in the Tanta mine", []),
                         ("March 4, 2023", "2023-03-04", "miners trapped in the Tanta mine", [])])
    (digest,) = merge([one], [a])
    assert [c for c in digest.conflicts if c.kind == "date"] == []
