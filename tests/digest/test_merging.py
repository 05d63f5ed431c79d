"""The deterministic merge on hand-built summaries (no model)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from summarizer.digest.conflicts import compatible
from summarizer.digest.merging import merge
from summarizer.extract.main_event import main_event
from summarizer.output.markdown_digest import digest_to_markdown
from summarizer.output.summary import (
    Actor,
    DateMention,
    EventSummary,
    Fact,
    Qualifier,
    Quantity,
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
    who = [Actor(name=name, kind="other", role="", spans=[span(doc, name)]) for name in actors]
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
