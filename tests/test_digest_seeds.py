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

from .conftest import CASSETTES, SEEDS, recorded_usage

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


def test_fact_matches_the_rules_cannot_decide_are_put_to_the_model(
        summary_of: SummaryOf, cassette_provider: OpenAIProvider,
        recorded: Callable[[Path], contextlib.AbstractContextManager[Any]]) -> None:
    pairs = [summary_of(name) for name in sorted(SEEDS)]
    docs = [doc for doc, _ in pairs]
    judge = ModelJudge(cassette_provider)
    with recorded(CASSETTES / "digest_seeds.yaml"):
        (digest,) = merge([s for _, s in pairs], docs, judge)
    # one question for the event (plus a re-ask, had it been needed): the exchanges recorded
    assert judge.calls == recorded_usage(CASSETTES / "digest_seeds.yaml")[0]
    assert digest.model_decisions, "the seeds have fact pairs the rules leave undecided"
    raw = {doc.id: doc.raw for doc in docs}
    for decision in digest.model_decisions:
        assert decision.same is not None  # the model answered every pair it was asked
        assert decision.model == cassette_provider.model
        assert len({s.doc_id for s in decision.spans}) == 2  # one claim from each outlet
        assert all(raw[s.doc_id][s.start:s.end] == s.text for s in decision.spans)
    said_same = {d.statements[0] for d in digest.model_decisions if d.same}
    assert {i.text for i in digest.items if i.matched_by == "model"} <= said_same
