"""The digest of the three seeds and of one unrelated article, replaying the recorded cassettes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from summarizer.backends.openai import OpenAIProvider
from summarizer.digest.judge import ModelJudge
from summarizer.digest.merging import merge
from summarizer.output.digest import ArticleSet, EventDigest
from summarizer.output.markdown_digest import digest_to_markdown
from summarizer.output.schema import output_schema
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document

from .conftest import CASSETTES, SEEDS

pytestmark = pytest.mark.cassette

SummaryOf = Callable[[str], tuple[Document, EventSummary]]


def digests_of(summary_of: SummaryOf, names: list[str]) -> tuple[list[EventDigest], list[Document]]:
    pairs = [summary_of(name) for name in names]
    docs = [doc for doc, _ in pairs]
    return merge([s for _, s in pairs], docs), docs


def test_three_seeds_give_one_digest(summary_of: SummaryOf) -> None:
    (digest,), docs = digests_of(summary_of, sorted(SEEDS))
    ids = [doc.id for doc in docs]
    assert [s.doc_id for s in digest.sources] == ids
    assert digest.independent_sources == 2
    copies = next(g for g in digest.duplicate_groups if len(g.members) == 2)
    assert copies.members == ids[:2]
    assert ("11,000", "11,00") in {(d.first_text, d.second_text) for d in copies.differences}
    # every span of the digest points at its source's raw text
    raw = {doc.id: doc.raw for doc in docs}
    spans = digest.spans()
    assert spans
    for span in spans:
        assert raw[span.doc_id][span.start:span.end] == span.text
    assert digest_to_markdown(digest).startswith("# Event digest: ")


def test_evacuee_counts_are_shown_from_both_outlets(summary_of: SummaryOf) -> None:
    (digest,), docs = digests_of(summary_of, sorted(SEEDS))
    outlet_a, outlet_b = {docs[0].id, docs[1].id}, {docs[2].id}
    russians = next(c for c in digest.side_by_side if "Russian" in c.about)
    cited = {span.doc_id for v in russians.versions for span in v.spans}
    assert cited & outlet_a and cited & outlet_b
    values = {v.value for v in russians.versions}
    assert {"approximately 600 Russian citizens", "70 evacuated Russians"} <= values
    # the copies' 11,000 vs 11,00 is a conflict between versions, each with its span
    (palestinians,) = [c for c in digest.conflicts if c.kind == "quantity"]
    assert [v.spans[0].text for v in palestinians.versions] == ["Over 11,000 Palestinians",
                                                                "Over 11,00 Palestinians"]
    six_hundred = next(i for i in digest.items if i.key == "approximately 600 Russian citizens")
    assert six_hundred.sources == [docs[0].id, docs[1].id] and six_hundred.corroboration == 1


def test_timeline_is_ordered_and_every_entry_has_spans(summary_of: SummaryOf) -> None:
    (digest,), docs = digests_of(summary_of, sorted(SEEDS))
    days = [entry.day for entry in digest.timeline]
    assert days == sorted(days)
    assert {"2023-10-07", "2023-11-12", "2023-11-13", "2023-11-15"} <= set(days)
    for entry in digest.timeline:
        assert all(mention.spans for mention in entry.mentions)
    attack = next(e for e in digest.timeline if e.day == "2023-10-07")
    assert set(attack.sources) == {doc.id for doc in docs}  # 001's "Oct. 7" takes 000's value
    october = next(i for i in digest.items if i.kind == "date" and i.key == "2023-10-07")
    assert october.corroboration == 2


def test_an_unrelated_article_stays_a_separate_digest(summary_of: SummaryOf) -> None:
    digests, docs = digests_of(summary_of, ["000", "meantime_11716"])
    assert [[s.doc_id for s in d.sources] for d in digests] == [[docs[0].id], [docs[1].id]]
    digests, _ = digests_of(summary_of, [*sorted(SEEDS), "meantime_11716"])
    assert [len(d.sources) for d in digests] == [3, 1]


def test_article_set_of_the_seeds_matches_its_json_schema(summary_of: SummaryOf) -> None:
    digests, _ = digests_of(summary_of, sorted(SEEDS))
    articles = ArticleSet(summaries=[summary_of(name)[1] for name in sorted(SEEDS)],
                          digests=digests)
    jsonschema.validate(articles.model_dump(mode="json"), output_schema("articles"))
    assert ArticleSet.model_validate_json(articles.model_dump_json()) == articles


def test_a_date_after_the_articles_own_date_is_a_conflict(summary_of: SummaryOf) -> None:
    (digest,), docs = digests_of(summary_of, sorted(SEEDS))
    (dated,) = [c for c in digest.conflicts if c.kind == "date"]
    assert [v.value for v in dated.versions] == ["2023-11-15 (November 15)", "published 2023-11-14"]
    assert {span.doc_id for v in dated.versions for span in v.spans} == {docs[2].id}


RECORDED_PAIR = ("Nearly 600 Russian citizens are awaiting evacuation from the Gaza Strip",
                 "The evacuation will continue until all Russians have been removed.")


def test_the_recorded_judge_answers_the_recorded_question(
        cassette_provider: OpenAIProvider,
        recorded: Callable[[Path], contextlib.AbstractContextManager[Any]]) -> None:
    """The pair the seeds' digest put to the model when it was recorded, asked again through the
    cassette: the same request, the model's recorded answer."""
    judge = ModelJudge(cassette_provider)
    with recorded(CASSETTES / "digest_seeds.yaml"):
        assert judge([RECORDED_PAIR]) == [False]
    assert judge.calls == 1


def test_the_seeds_digest_needs_no_judge_once_statements_are_checked(summary_of: SummaryOf) -> None:
    """The recorded pair was undecided only through seed 001's unattributed paraphrase ("600
    Russian citizens awaiting evacuation from Gaza", content-word Jaccard 0.22 with the other
    claim). The support check replaces it by the article's words, which state who reported it;
    no pair is then left in the undecided band and the judge is not asked."""
    pairs = [summary_of(name) for name in sorted(SEEDS)]
    asked: list[object] = []

    class Judge:
        name = "spy"

        def __call__(self, statements: object) -> list[bool | None]:
            asked.append(statements)
            return []

    (digest,) = merge([s for _, s in pairs], [doc for doc, _ in pairs], Judge())
    assert asked == [] and digest.model_decisions == []
    (fact,) = [f for f in pairs[1][1].facts if f.spans[0].text.startswith("Nearly 600")]
    assert (fact.support, "state media reported" in fact.claim) == ("evidence-only", True)


def test_the_seeds_digest_tells_the_event_in_grounded_sentences(summary_of: SummaryOf) -> None:
    (digest,), docs = digests_of(summary_of, sorted(SEEDS))
    raw = {doc.id: doc.raw for doc in docs}
    assert 3 <= len(digest.summary) <= 6
    for sentence in digest.summary:
        assert sentence.spans and all(raw[s.doc_id][s.start:s.end] == s.text for s in sentence.spans)
        assert sentence.text == sentence.spans[0].text  # each sentence is its own evidence
    told = " ".join(s.text for s in digest.summary)
    # the three seeds' main facts, as the recorded summaries carry them
    for fact in ("has begun evacuating", "Nearly 600 Russian citizens are awaiting evacuation",
                 "The first plane with 70 evacuated Russians arrived in Moscow on November 13",
                 "second group of Russians", "There were 98 people on board"):
        assert fact in told
    # the copies (000, 001) are one outlet: what only they say is marked so
    began = next(s for s in digest.summary if "has begun evacuating" in s.text)
    assert began.sources == [docs[0].id, docs[1].id] and began.single_outlet


def test_the_seeds_event_blocks_are_grounded_and_reconciled(summary_of: SummaryOf) -> None:
    pairs = [summary_of(name) for name in sorted(SEEDS)]
    for doc, summary in pairs:
        assert all(doc.raw[s.start:s.end] == s.text for s in summary.event.spans())
    first = pairs[0][1].event
    assert first.who.answer is not None and first.who.answer.text == "Russia"
    assert first.when.answer is not None and first.when.answer.value == "2023-11-12"
    assert first.where.answer is not None and first.where.answer.text == "Gaza Strip"
    (digest,), _ = digests_of(summary_of, sorted(SEEDS))
    where = digest.event.where
    # the two outlets put different places first: a conflict with both versions, no silent pick
    assert where.answer is None and where.reason == "the independent sources disagree"
    assert [(v.text, v.corroboration) for v in where.versions] == [("Gaza Strip", 1), ("Cairo", 1)]
