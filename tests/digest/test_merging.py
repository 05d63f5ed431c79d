"""The deterministic merge (summarizer.digest.merging) on hand-built summaries, no model: copies,
corroboration and conflicts, the judge's questions, and the rules the seed digests do not pin down
(side-by-side lists, the timeline, the thresholds of matching)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from summarizer.digest.conflicts import compatible
from summarizer.digest.merging import merge
from summarizer.errors import InputError
from summarizer.extract.main_event import main_event
from summarizer.output.markdown_digest import digest_to_markdown
from summarizer.output.summary import (
    Actor,
    DateMention,
    EventSummary,
    Fact,
    Place,
    Qualifier,
    Quantity,
    Quote,
    RunMetadata,
    SourceDocument,
    Span,
    SummarySentence,
    TokenUsage,
)
from summarizer.text.document import Document

STORY = ("Rescuers said more than 40 miners were trapped in the Tanta coal mine near Karaganda on "
         "Monday after a gas explosion. Kazakh officials confirmed the rescue at Tanta continued.")
OTHER_OUTLET = ("Officials in Karaganda said 55 miners were trapped in the Tanta coal mine on Monday, "
                "and the rescue continued through the night as families waited at the gate.")
UNRELATED = ("The central bank of Norway raised its key interest rate by a quarter point on "
             "Thursday, citing inflation in housing and energy prices.")


def span(doc: Document, text: str) -> Span:
    start = doc.raw.index(text)
    return Span(doc_id=doc.id, start=start, end=start + len(text), text=text)


def summary(doc: Document, *, quantities: Sequence[tuple[str, float | None, str, Qualifier]] = (),
            actors: Sequence[str] = (), dates: Sequence[tuple[str, str, str, list[str]]] = (),
            published: str | None = None) -> EventSummary:
    first = doc.raw.split(".")[0]
    source = SourceDocument(id=doc.id, published=published)
    headline = SummarySentence(text=first, spans=[span(doc, first)])
    when = [DateMention(text=text, value=value, granularity="day", event=event, flags=flags,
                        spans=[span(doc, text)]) for text, value, event, flags in dates]
    who = [Actor(name=name, kind="group", role="", spans=[span(doc, name)]) for name in actors]
    return EventSummary(
        document=source, headline=headline, event_type="accident",
        event=main_event(doc, source, headline=headline, summary=[], facts=[], actors=who,
                         places=[], dates=when),
        summary=[], when=when, where=[], actors=who,
        facts=[], quotes=[], rejected=[],
        quantities=[Quantity(value=value, counted=counted, qualifier=qualifier,
                             written=written, malformed=value is None, spans=[span(doc, written)])
                    for written, value, counted, qualifier in quantities],
        metadata=RunMetadata(model="hand", endpoint_kind="none", prompts=[], usage=TokenUsage(),
                             llm_calls=0, elapsed_seconds=0.0))


def check_spans(digest_spans: list[Span], docs: list[Document]) -> None:
    raw = {doc.id: doc.raw for doc in docs}
    for s in digest_spans:
        assert raw[s.doc_id][s.start:s.end] == s.text


def test_copies_count_once_and_their_differences_are_listed() -> None:
    a = Document(id="a", raw=STORY)
    b = Document(id="b", raw="**" + STORY.replace("40", "4O") + "**")  # markup and one typo
    summaries = [summary(a, actors=["Tanta"]), summary(b, actors=["Tanta"])]
    (digest,) = merge(summaries, [a, b])
    (group,) = digest.duplicate_groups
    assert group.members == ["a", "b"]
    assert [(d.first_text, d.second_text) for d in group.differences] == [("40", "4O")]
    assert digest.independent_sources == 1
    tanta = next(i for i in digest.items if i.kind == "actor")
    assert tanta.sources == ["a", "b"] and tanta.corroboration == 1
    check_spans(digest.spans(), [a, b])


def test_independent_reports_corroborate_and_conflict() -> None:
    a, c = Document(id="a", raw=STORY), Document(id="c", raw=OTHER_OUTLET)
    summaries = [
        summary(a, actors=["Karaganda", "Tanta"], quantities=[("40", 40, "miners", "more than")],
                dates=[("on Monday", "2024-03-04", "miners trapped by explosion", [])]),
        summary(c, actors=["Karaganda", "Tanta coal mine"], quantities=[("55", 55, "miners", "exact")],
                dates=[("on Monday", "2024-03-04", "miners trapped", [])]),
    ]
    (digest,) = merge(summaries, [a, c])
    assert digest.independent_sources == 2
    monday = next(i for i in digest.items if i.kind == "date")
    assert monday.corroboration == 2 and {s.doc_id for s in monday.spans} == {"a", "c"}
    karaganda = next(i for i in digest.items if i.key == "karaganda")
    assert karaganda.corroboration == 2
    # "more than 40" and "55" can both be true: no conflict, but listed side by side
    assert digest.conflicts == []
    (compared,) = digest.side_by_side
    assert [v.sources for v in compared.versions] == [["a"], ["c"]]
    assert [e.day for e in digest.timeline] == ["2024-03-04"]
    check_spans(digest.spans(), [a, c])


def test_incompatible_counts_in_the_same_sentence_are_a_conflict() -> None:
    a = Document(id="a", raw=STORY)
    c = Document(id="c", raw=STORY.replace("more than 40", "12"))
    summaries = [summary(a, quantities=[("40", 40, "miners", "more than")]),
                 summary(c, quantities=[("12", 12, "miners", "exact")])]
    (digest,) = merge(summaries, [a, c])
    (conflict,) = digest.conflicts
    assert conflict.kind == "quantity"
    assert [v.value for v in conflict.versions] == ["more than 40 miners", "12 miners"]
    check_spans(digest.spans(), [a, c])


def test_an_unrelated_article_gets_its_own_digest() -> None:
    a, u = Document(id="a", raw=STORY), Document(id="u", raw=UNRELATED)
    digests = merge([summary(a, actors=["Tanta"]), summary(u, actors=["Norway"])], [a, u])
    assert [[s.doc_id for s in d.sources] for d in digests] == [["a"], ["u"]]


def test_a_date_after_the_articles_own_date_is_a_conflict() -> None:
    raw = "date 2024-03-04 The group had arrived on March 5, officials said on Monday."
    doc = Document(id="d", raw=raw)
    s = summary(doc, dates=[("March 5", "2024-03-05", "arrival", ["after-publication-date"])],
                published="2024-03-04")
    s = s.model_copy(update={"document": s.document.model_copy(
        update={"published_span": span(doc, "2024-03-04")})})
    (digest,) = merge([s], [doc])
    (conflict,) = digest.conflicts
    assert [v.value for v in conflict.versions] == ["2024-03-05 (March 5)", "published 2024-03-04"]
    check_spans(digest.spans(), [doc])


def test_qualifiers_decide_compatibility() -> None:
    def q(value: float, qualifier: Qualifier) -> Quantity:
        return Quantity(value=value, counted="x", qualifier=qualifier,
                        spans=[Span(doc_id="d", start=0, end=1, text="x")])

    assert compatible(q(60, "more than"), q(70, "exact"))
    assert not compatible(q(60, "fewer than"), q(70, "exact"))
    assert compatible(q(600, "approximately"), q(590, "exact"))


class RecordingJudge:
    """Answers from a fixed list and remembers what it was asked (a stand-in for the model)."""

    name = "hand"

    def __init__(self, answers: list[bool | None]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, str]] = []

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[bool | None]:
        self.asked += pairs
        return self.answers[:len(pairs)]


def with_facts(doc: Document, claims: dict[str, str]) -> EventSummary:
    """A summary whose facts are `claim -> evidence quoted from doc`."""
    base = summary(doc, actors=["Karaganda", "Tanta"],
                   dates=[("on Monday", "2024-03-04", "miners trapped", [])])
    return base.model_copy(update={"facts": [Fact(claim=claim, spans=[span(doc, evidence)])
                                             for claim, evidence in claims.items()]})


FACTS_A = {"Miners were trapped in the Tanta coal mine after a gas explosion.":
           "more than 40 miners were trapped in the Tanta coal mine"}
FACTS_C = {"The rescue at the Tanta mine went on overnight.":
           "the rescue continued through the night"}


@pytest.mark.parametrize(("answer", "merged"), [(True, True), (False, False), (None, False)])
def test_undecided_facts_go_to_the_judge_once(answer: bool | None, merged: bool) -> None:
    a, c = Document(id="a", raw=STORY), Document(id="c", raw=OTHER_OUTLET)
    summaries = [with_facts(a, FACTS_A), with_facts(c, FACTS_C)]
    judge = RecordingJudge([answer])
    (digest,) = merge(summaries, [a, c], judge)
    assert judge.asked == [(*FACTS_A, *FACTS_C)]  # one pair, the claims as the sources wrote them
    (decision,) = digest.model_decisions
    assert (decision.same, decision.model, decision.kind) == (answer, "hand", "fact")
    assert {s.doc_id for s in decision.spans} == {"a", "c"}
    facts = [i for i in digest.items if i.kind == "fact"]
    rendered = digest_to_markdown(digest)
    assert "## Asked the model (the rules could not decide)" in rendered
    if merged:
        (fact,) = facts
        assert (fact.matched_by, fact.corroboration, fact.sources) == ("model", 2, ["a", "c"])
        assert "same fact, merged (hand)" in rendered and "[matched by the model]" in rendered
    else:
        assert [f.matched_by for f in facts] == ["value", "value"]
    check_spans(digest.spans(), [a, c])


def test_without_a_judge_undecided_facts_stay_apart_and_decided_ones_need_none() -> None:
    a, c = Document(id="a", raw=STORY), Document(id="c", raw=OTHER_OUTLET)
    (digest,) = merge([with_facts(a, FACTS_A), with_facts(c, FACTS_C)], [a, c])
    assert len([i for i in digest.items if i.kind == "fact"]) == 2 and digest.model_decisions == []
    same = {"Miners were trapped in the Tanta coal mine.": "miners were trapped in the Tanta coal mine"}
    judge = RecordingJudge([])
    (digest,) = merge([with_facts(a, same), with_facts(c, {"Miners were trapped in the Tanta coal "
                                                          "mine.": "55 miners were trapped"})],
                      [a, c], judge)
    (fact,) = [i for i in digest.items if i.kind == "fact"]
    assert (fact.matched_by, fact.corroboration) == ("text", 2)
    assert judge.asked == []  # the rules decided: the model is not asked


def test_claims_with_different_figures_are_decided_without_the_model() -> None:
    a, c = Document(id="a", raw=STORY), Document(id="c", raw=OTHER_OUTLET)
    judge = RecordingJudge([True])
    (digest,) = merge([with_facts(a, {"More than 40 miners were trapped in the Tanta coal mine.":
                                      "more than 40 miners were trapped in the Tanta coal mine"}),
                       with_facts(c, {"55 miners were trapped in the Tanta mine on Monday.":
                                      "55 miners were trapped in the Tanta coal mine on Monday"})],
                      [a, c], judge)
    assert judge.asked == [] and digest.model_decisions == []
    assert len([i for i in digest.items if i.kind == "fact"]) == 2


# rules the seed digests do not pin down: side-by-side lists, the timeline, matching thresholds

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


def test_figures_one_article_lists_are_no_conflict() -> None:
    raw = ("Donald Collett, 62, of Croydon, Philip Logan, 52, and Robert Huxley, 63, died in the "
           "crash when the tram overturned at the bend on Wednesday morning.")
    a = Document(id="a", raw=raw)
    ages = [("62", 62, "years of age", "exact"), ("52", 52, "years of age", "exact"),
            ("63", 63, "years of age", "exact")]
    (digest,) = merge([summary(a, quantities=ages)], [a])  # type: ignore[arg-type]
    assert digest.conflicts == []


def test_a_toll_revised_across_outlets_is_a_conflict_with_every_version() -> None:
    first = Document(id="f", raw=("Croydon tram crash: five people were killed when a tram derailed "
                                  "at Sandilands on Wednesday morning, police said."))
    later = Document(id="l", raw=("Seven killed as Croydon tram derails at Sandilands on Wednesday "
                                  "morning, and 51 people were injured, police said."))
    a = summary(first, actors=["Croydon", "Sandilands"], quantities=[("five", 5, "people", "exact")])
    b = summary(later, actors=["Croydon", "Sandilands"], quantities=[
        ("Seven", 7, "victims", "exact"), ("51", 51, "people", "exact")])
    (digest,) = merge([a, b], [first, later])
    (toll,) = [c for c in digest.conflicts if c.about == "the dead"]
    assert [(v.value, v.sources) for v in toll.versions] == [("5 people", ["f"]), ("7 victims", ["l"])]
    assert not [c for c in digest.conflicts if c.about == "the injured"]  # one figure: no dispute
    same = summary(later, actors=["Croydon", "Sandilands"], quantities=[("Seven", 7, "victims", "exact")])
    again = Document(id="g", raw=later.raw.replace("Seven", "7"))
    (digest,) = merge([same, summary(again, actors=["Croydon"], quantities=[("7", 7, "dead", "exact")])],
                      [later, again])
    assert [c for c in digest.conflicts if c.about == "the dead"] == []  # the same toll


def test_only_documents_whose_sketches_meet_are_compared() -> None:
    from summarizer.digest.duplicates import similar_pairs

    copy = Document(id="c", raw=STORY.replace("more than 40", "over 40"))
    pairs = similar_pairs([Document(id="a", raw=STORY), Document(id="u", raw=UNRELATED), copy])
    assert list(pairs) == [(0, 2)] and pairs[(0, 2)] > 0.5


def test_figures_two_articles_both_list_are_no_conflict() -> None:
    raw = ("Donald Collett, 62, of Croydon, Philip Logan, 52, and Robert Huxley, 63, died in the "
           "crash when the tram overturned at the bend on Wednesday morning.")
    a, b = Document(id="a", raw=raw), Document(id="b", raw="Police said " + raw)
    ages = [("62", 62, "years of age", "exact"), ("52", 52, "years of age", "exact")]
    (digest,) = merge([summary(a, quantities=ages), summary(b, quantities=ages)],  # type: ignore[arg-type]
                      [a, b])
    assert digest.conflicts == []
