"""The digest of the three seeds and of one unrelated article, replaying the recorded cassettes.

These assert what holds for any valid answer of the model; what the recorded model said is compared
with tests/snapshots/ (tests/evaluation/test_recorded_snapshots.py), and the judge's part is tested
on a situation built for it (tests/digest/test_judge_recorded.py).
"""

from __future__ import annotations

from collections.abc import Callable

import jsonschema
import pytest

from summarizer.digest.merging import merge
from summarizer.normalize.quantities import figures
from summarizer.output.digest import ArticleSet, EventDigest
from summarizer.output.markdown_digest import digest_to_markdown
from summarizer.output.schema import output_schema
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document
from tests.conftest import SEEDS

pytestmark = pytest.mark.cassette

SummaryOf = Callable[[str], tuple[Document, EventSummary]]


def digests_of(summary_of: SummaryOf, names: list[str]) -> tuple[list[EventDigest], list[Document]]:
    pairs = [summary_of(name) for name in names]
    docs = [doc for doc, _ in pairs]
    return merge([s for _, s in pairs], docs), docs


def test_three_seeds_give_one_digest(summary_of: SummaryOf) -> None:
    digests, docs = digests_of(summary_of, sorted(SEEDS))
    ids = [doc.id for doc in docs]
    # 000 and 001 are copies of one article (found from the text, whatever the model said)
    digest = next(d for d in digests if ids[0] in {s.doc_id for s in d.sources})
    copies = next(g for g in digest.duplicate_groups if len(g.members) == 2)
    assert copies.members == ids[:2]
    assert ("11,000", "11,00") in {(d.first_text, d.second_text) for d in copies.differences}
    assert sorted(s.doc_id for d in digests for s in d.sources) == ids
    # every span of a digest points at its source's raw text
    raw = {doc.id: doc.raw for doc in docs}
    spans = [span for d in digests for span in d.spans()]
    assert spans
    for span in spans:
        assert raw[span.doc_id][span.start:span.end] == span.text
    assert digest_to_markdown(digest).startswith("# Event digest: ")


def test_quantity_conflicts_only_where_figures_differ(summary_of: SummaryOf) -> None:
    digests, docs = digests_of(summary_of, sorted(SEEDS))
    raw = {doc.id: doc.raw for doc in docs}
    for conflict in (c for d in digests for c in d.conflicts if c.kind == "quantity"):
        written = {tuple((f.value, f.high) for f in figures(v.spans[0].text))
                   for v in conflict.versions}
        assert len(written) == len(conflict.versions) >= 2  # each version states other figures
        for version in conflict.versions:
            assert version.spans
            assert all(raw[s.doc_id][s.start:s.end] == s.text for s in version.spans)
    for item in (i for d in digests for i in d.items):
        assert item.corroboration <= len(item.sources)  # copies of one story count once


def test_timeline_is_ordered_and_every_entry_has_spans(summary_of: SummaryOf) -> None:
    digests, _ = digests_of(summary_of, sorted(SEEDS))
    for digest in digests:
        days = [entry.day for entry in digest.timeline]
        assert days == sorted(days)
        for entry in digest.timeline:
            assert entry.mentions and all(mention.spans for mention in entry.mentions)


def test_an_unrelated_article_stays_a_separate_digest(summary_of: SummaryOf) -> None:
    digests, docs = digests_of(summary_of, ["000", "meantime_11716"])
    assert [[s.doc_id for s in d.sources] for d in digests] == [[docs[0].id], [docs[1].id]]
    digests, _ = digests_of(summary_of, [*sorted(SEEDS), "meantime_11716"])
    assert [s.doc_id for s in digests[-1].sources] == [docs[1].id]


def test_article_set_of_the_seeds_matches_its_json_schema(summary_of: SummaryOf) -> None:
    digests, _ = digests_of(summary_of, sorted(SEEDS))
    articles = ArticleSet(summaries=[summary_of(name)[1] for name in sorted(SEEDS)],
                          digests=digests)
    jsonschema.validate(articles.model_dump(mode="json"), output_schema("articles"))
    assert ArticleSet.model_validate_json(articles.model_dump_json()) == articles



def test_the_seeds_digest_tells_the_event_in_grounded_sentences(summary_of: SummaryOf) -> None:
    """Invariants of the digest summary (its sentences are in tests/snapshots/digest_seeds_0.json)."""
    (digest,), docs = digests_of(summary_of, sorted(SEEDS))
    raw = {doc.id: doc.raw for doc in docs}
    docs_by_id = {doc.id: doc for doc in docs}
    story = {s.doc_id: s.story for s in digest.sources}
    assert 3 <= len(digest.summary) <= 6
    for sentence in digest.summary:
        assert sentence.spans and all(raw[s.doc_id][s.start:s.end] == s.text for s in sentence.spans)
        # each sentence is its own evidence, read without markup
        assert sentence.text == docs_by_id[sentence.spans[0].doc_id].readable(
            sentence.spans[0].start, sentence.spans[0].end)
        assert "**" not in sentence.text and "](" not in sentence.text
        assert sentence.text != "Russia Begins Evacuating Citizens From Gaza Strip"  # a title
        assert sentence.sources == list(dict.fromkeys(s.doc_id for s in sentence.spans))
        assert sentence.single_outlet == (len({story[d] for d in sentence.sources}) == 1)


def test_the_seeds_event_blocks_are_grounded_and_reconciled(summary_of: SummaryOf) -> None:
    """Invariants of the event blocks (their answers are in the snapshots)."""
    pairs = [summary_of(name) for name in sorted(SEEDS)]
    for doc, summary in pairs:
        assert all(doc.raw[s.start:s.end] == s.text for s in summary.event.spans())
    (digest,), docs = digests_of(summary_of, sorted(SEEDS))
    raw = {doc.id: doc.raw for doc in docs}
    for question in ("who", "what", "when", "where"):
        slot = getattr(digest.event, question)
        # an answer, or the sources' differing answers side by side: never a silent pick
        assert (slot.answer is not None) or len(slot.versions) >= 2 or slot.reason
        for answer in [*([slot.answer] if slot.answer else []), *slot.versions]:
            assert all(raw[s.doc_id][s.start:s.end] == s.text for s in answer.spans)
            assert 1 <= answer.corroboration <= digest.independent_sources
