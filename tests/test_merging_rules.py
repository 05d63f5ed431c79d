"""Rules of the merge (summarizer.digest.merging) that the seed digests do not pin down: side-by-side
lists, the timeline, and the thresholds of matching. Hand-built summaries, no model."""

from __future__ import annotations

import pytest

from summarizer.digest.merging import merge
from summarizer.errors import InputError
from summarizer.output.summary import EventSummary, Place, Quote, Span
from summarizer.text.document import Document
from tests.digest.test_merging import OTHER_OUTLET, span, summary

TWO_COUNTS = ("Rescuers said more than 40 miners were trapped in the Tanta coal mine near Karaganda "
              "on Monday. By Tuesday 12 miners had been brought out of the Tanta coal mine alive.")


def test_side_by_side_needs_two_stories() -> None:
    a = Document(id="a", raw=TWO_COUNTS)
    one = summary(a, quantities=[("40", 40, "miners", "more than"), ("12", 12, "miners", "exact")])
    (digest,) = merge([one], [a])
    assert digest.side_by_side == []
    # a copy of the same story is still one story
    copy = Document(id="b", raw=TWO_COUNTS + " ")
    twice = summary(copy, quantities=[("40", 40, "miners", "more than"),
                                      ("12", 12, "miners", "exact")])
    (digest,) = merge([one, twice], [a, copy])
    assert [g.members for g in digest.duplicate_groups] == [["a", "b"]]
    assert digest.side_by_side == []


def test_side_by_side_lists_every_count_of_two_stories() -> None:
    a, c = Document(id="a", raw=TWO_COUNTS), Document(id="c", raw=OTHER_OUTLET)
    first = summary(a, actors=["Tanta", "Karaganda"],
                    quantities=[("40", 40, "miners", "more than"), ("12", 12, "miners", "exact")])
    second = summary(c, actors=["Tanta", "Karaganda"], quantities=[("55", 55, "miners", "exact")])
    (digest,) = merge([first, second], [a, c])
    (compared,) = digest.side_by_side
    assert compared.about == "miners"
    assert [(v.value, v.sources) for v in compared.versions] == [
        ("more than 40 miners", ["a"]), ("12 miners", ["a"]), ("55 miners", ["c"])]


DATED = ("March 5, 2024\nRescuers said more than 40 miners were trapped in the Tanta coal mine on "
         "Monday after a gas explosion on Sunday night. The rescue continued on March 5, 2024.")


def dated_summary(doc: Document, dates: list[tuple[str, str, str]]) -> EventSummary:
    s = summary(doc, dates=[(text, value, event, []) for text, value, event in dates],
                published="2024-03-05")
    return s.model_copy(update={"document": s.document.model_copy(
        update={"published_span": span(doc, "March 5, 2024")})})


def test_timeline_leaves_out_the_articles_own_date_line() -> None:
    doc = Document(id="d", raw=DATED)
    line = DATED.index("March 5, 2024")
    later = DATED.index("March 5, 2024", line + 1)
    s = dated_summary(doc, [("March 5, 2024", "2024-03-05", ""),
                            ("on Monday", "2024-03-04", "miners trapped"),
                            ("on Sunday", "2024-03-03", "gas explosion")])
    (digest,) = merge([s], [doc])
    assert [(e.day, [m.text for m in e.mentions]) for e in digest.timeline] == [
        ("2024-03-03", ["on Sunday"]), ("2024-03-04", ["on Monday"])]
    # the same day written in the body is an event of the timeline
    body = s.model_copy(update={"when": [*s.when, s.when[0].model_copy(update={"spans": [
        Span(doc_id="d", start=later, end=later + 13, text=DATED[later:later + 13])]})]})
    (digest,) = merge([body], [doc])
    assert [(e.day, [m.spans[0].start for m in e.mentions]) for e in digest.timeline][-1] == (
        "2024-03-05", [later])


def test_timeline_mentions_carry_their_sentence_and_skip_unresolved_days() -> None:
    doc = Document(id="d", raw=DATED)
    s = dated_summary(doc, [("on Sunday", "2024-03-03", "gas explosion"),
                            ("Monday", "2024-03", "a month only"),
                            ("Sunday night", "2024-W09", "a week only")])
    (digest,) = merge([s], [doc])
    (entry,) = digest.timeline
    (mention,) = entry.mentions
    assert (entry.day, entry.sources, mention.event) == ("2024-03-03", ["d"], "gas explosion")
    assert [sp.text for sp in mention.spans] == [
        "on Sunday", "Rescuers said more than 40 miners were trapped in the Tanta coal mine on Monday "
                     "after a gas explosion on Sunday night."]


def items_of(summaries: list[EventSummary], docs: list[Document], kind: str) -> list[tuple[str, list[str]]]:
    (digest,) = merge(summaries, docs)
    return [(i.text, i.sources) for i in digest.items if i.kind == kind]


def test_quantities_merge_on_equal_value_and_a_similar_counted_noun() -> None:
    a = Document(id="a", raw=TWO_COUNTS)
    c = Document(id="c", raw=TWO_COUNTS.replace("Rescuers said", "Officials said").replace(
        "12 miners", "12 workers"))
    first = summary(a, actors=["Tanta", "Karaganda"], quantities=[("12", 12, "miners", "exact")])
    same = summary(c, actors=["Tanta", "Karaganda"], quantities=[("12", 12, "miners", "exact")])
    workers = summary(c, actors=["Tanta", "Karaganda"], quantities=[("12", 12, "workers", "exact")])
    assert items_of([first, same], [a, c], "quantity") == [("12 miners", ["a", "c"])]
    assert items_of([first, workers], [a, c], "quantity") == [("12 miners", ["a"]),
                                                              ("12 workers", ["c"])]


def test_malformed_figures_merge_only_with_the_same_writing_of_the_same_thing() -> None:
    raw = TWO_COUNTS.replace("12 miners", "1,20 miners and 1,20 workers")
    a, c = Document(id="a", raw=raw), Document(id="c", raw=raw.replace("Rescuers", "Officials"))
    broken = summary(a, quantities=[("1,20", None, "miners", "exact")])
    assert items_of([broken, summary(c, quantities=[("1,20", None, "miners", "exact")])], [a, c],
                    "quantity") == [("1,20 (malformed) miners", ["a", "c"])]
    assert len(items_of([broken, summary(c, quantities=[("1,20", None, "workers", "exact")])],
                        [a, c], "quantity")) == 2
    assert len(items_of([broken, summary(c, quantities=[("1,20", 120, "miners", "exact")])],
                        [a, c], "quantity")) == 2


def test_a_copy_takes_its_group_mates_value_for_an_unresolved_date() -> None:
    a, b = Document(id="a", raw=DATED), Document(id="b", raw=DATED + " ")
    resolved = summary(a, dates=[("on Sunday", "2024-03-03", "gas explosion", [])])
    unresolved = summary(b, dates=[("on Sunday", None, "gas explosion", []),  # type: ignore[list-item]
                                   ("on Monday", None, "miners trapped", [])])  # type: ignore[list-item]
    (digest,) = merge([resolved, unresolved], [a, b])
    assert [(i.key, i.sources) for i in digest.items if i.kind == "date"] == [("2024-03-03", ["a", "b"])]
    assert [(e.day, [m.doc_id for m in e.mentions]) for e in digest.timeline] == [
        ("2024-03-03", ["a", "b"])]
    # another outlet's article is not a copy: its unresolved date stays unresolved
    other = Document(id="o", raw=OTHER_OUTLET + " The explosion came on Sunday.")
    apart = summary(other, dates=[("on Sunday", None, "gas explosion", [])])  # type: ignore[list-item]
    (digest,) = merge([resolved, apart], [a, other])
    assert [(i.key, i.sources) for i in digest.items if i.kind == "date"] == [("2024-03-03", ["a"])]


def quoting(doc: Document, speaker: str, words: str) -> EventSummary:
    base = summary(doc, actors=["Tanta", "Karaganda"])
    return base.model_copy(update={"quotes": [Quote(speaker=speaker, text=words,
                                                     spans=[span(doc, words)])]})


QUOTED = TWO_COUNTS + (" Akhmetov said the rescue teams worked through the night. Serik said the"
                       " families waited at the gate. Akhmetov said gas levels were falling.")


def test_quotes_merge_on_one_speaker_and_half_the_shorter_quotes_words() -> None:
    a, c = Document(id="a", raw=QUOTED), Document(id="c", raw=OTHER_OUTLET + " " + QUOTED)
    long = "the rescue teams worked through the night"  # rescue, team, worked, through, night
    short = "rescue teams worked"  # 3 of 3 words in the longer quote
    half = "through the night. Serik said the families"  # through, night, serik, familie: 2 of 4
    less = "the night. Serik said the families"  # night, serik, familie: 1 of 3
    def quotes(first: str, second: str, speaker: str = "Akhmetov") -> list[tuple[str, list[str]]]:
        return items_of([quoting(a, "Akhmetov", first), quoting(c, speaker, second)], [a, c], "quote")

    assert quotes(long, short) == [(f"Akhmetov: \u201c{long}\u201d", ["a", "c"])]
    assert quotes(short, long) == [(f"Akhmetov: \u201c{short}\u201d", ["a", "c"])]
    assert len(quotes(long, half)) == 1
    assert len(quotes(long, "the rescue")) == 1  # one word, and it is in the longer quote
    assert len(quotes(long, less)) == 2
    assert len(quotes(long, long, speaker="Serik")) == 2
    assert len(quotes("gas levels were falling", long)) == 2


def test_places_merge_on_their_normalized_name_and_items_sort_by_corroboration() -> None:
    a, c = Document(id="a", raw=TWO_COUNTS), Document(id="c", raw=OTHER_OUTLET)
    first = summary(a, actors=["Tanta", "Karaganda"])
    first = first.model_copy(update={"where": [Place(name="the Tanta coal mine", spans=[
        span(a, "the Tanta coal mine")]), Place(name="Monday", spans=[span(a, "Monday")])]})
    second = summary(c, actors=["Tanta", "Karaganda"])
    second = second.model_copy(update={"where": [Place(name="Tanta coal mine", spans=[
        span(c, "Tanta coal mine")])]})
    (digest,) = merge([first, second], [a, c])
    assert [(i.kind, i.key, i.sources) for i in digest.items if i.kind == "place"] == [
        ("place", "tanta coal mine", ["a", "c"]), ("place", "monday", ["a"])]
    assert [i.corroboration for i in digest.items] == sorted(
        (i.corroboration for i in digest.items), reverse=True)


def test_merge_refuses_summaries_without_their_document_or_sharing_an_id() -> None:
    a = Document(id="a", raw=TWO_COUNTS)
    with pytest.raises(InputError) as missing:
        merge([summary(a)], [])
    assert str(missing.value) == "no document given for summaries a"
    with pytest.raises(InputError) as shared:
        merge([summary(a), summary(a)], [a])
    assert str(shared.value) == "two summaries share one doc_id; give each article a distinct id"
