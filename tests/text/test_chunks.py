"""Long articles cut into overlapping chunks (pure), and the chunks' summaries merged into one
(a fake provider behind the seam that quotes each chunk's own sentences, labelled as such)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer import api
from summarizer.errors import ConfigurationError, ProviderError
from summarizer.extract.chunked import DEFAULT_CHUNK_CHARS, summarize_chunked
from summarizer.extract.drafts import (
    DateDraft,
    EntitiesDraft,
    FiguresDraft,
    NamedActorDraft,
    OverviewDraft,
    PassageDraft,
    SentenceDraft,
)
from summarizer.extract.pipeline import summarize_document
from summarizer.llm.provider import Extraction, Message
from summarizer.output.markdown import to_markdown
from summarizer.text.chunks import chunk_ranges
from summarizer.text.document import Document
from summarizer.text.sentences import sentence_starts

SENTENCES = [f"Sentence {n} says Alice counted {n} boxes." for n in range(1, 13)]
SENTENCES[9] = "Alice met Bob on Monday."
ARTICLE = "date 2023-11-12 " + " ".join(SENTENCES)


# --- the cut ----------------------------------------------------------------------------------------


def test_a_text_that_fits_is_one_chunk() -> None:
    assert [(c.start, c.end) for c in chunk_ranges(ARTICLE, len(ARTICLE))] == [(0, len(ARTICLE))]


def test_chunks_end_on_sentence_boundaries_and_overlap_by_one_sentence() -> None:
    raw = " ".join(SENTENCES)
    ranges = chunk_ranges(raw, 120)
    starts = sentence_starts(raw)
    assert [(c.start, c.end) for c in ranges] == [(0, 117), (78, 195), (156, 273), (234, 351),
                                                  (312, 417), (376, 457)]
    for before, after in pairwise(ranges):
        assert before.end in starts and after.start in starts
        assert after.start < before.end  # overlap
        # exactly one sentence is shared
        assert [s for s in starts if after.start <= s < before.end] == [after.start]
    assert raw[ranges[1].start:ranges[0].end].strip() == SENTENCES[2]


def test_a_sentence_longer_than_a_chunk_is_cut_at_a_space_never_dropped() -> None:
    raw = "word " * 50
    ranges = chunk_ranges(raw, 32)
    assert ranges[0].start == 0 and ranges[-1].end == len(raw)
    assert all(raw[c.end - 1] == " " for c in ranges[:-1])
    assert all(a.end == b.start for a, b in pairwise(ranges))


@given(st.text(alphabet="ab .!?\n", max_size=300), st.integers(min_value=1, max_value=60),
       st.integers(min_value=0, max_value=3))
def test_chunks_cover_the_text_in_bounded_forward_steps(raw: str, size: int, overlap: int) -> None:
    ranges = chunk_ranges(raw, size, overlap)
    assert ranges[0].start == 0 and ranges[-1].end == len(raw)
    for chunk in ranges:
        assert 0 < chunk.end - chunk.start <= size or raw == ""
    for before, after in pairwise(ranges):
        assert before.start < after.start <= before.end < after.end  # covered, always forward


def test_chunk_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        chunk_ranges("text", 0)


# --- the merge ---------------------------------------------------------------------------------------


class QuotingProvider:
    """A fake behind the provider seam (no model): it quotes every sentence of the chunk it is
    shown as a fact, Alice as an actor, and "Monday" as a date where the chunk has them."""

    model = "fake"
    endpoint_kind = "fake"
    parameters: Mapping[str, object] = {}

    def __init__(self, fail_on: str | None = None, every_pass: bool = False) -> None:
        self.prompts: list[str] = []
        self.fail_on = fail_on
        self.every_pass = every_pass

    def extract(self, messages: Sequence[Message], response_model: type[Any],
                context: Mapping[str, object]) -> Extraction[Any]:
        doc = context["document"]
        assert isinstance(doc, Document)
        self.prompts.append(messages[-1].content)
        if self.fail_on and self.fail_on in doc.raw and (self.every_pass
                                                         or response_model is EntitiesDraft):
            raise ProviderError("HTTP 500 from the fake")
        sentences = re.findall(r"[A-Z][^.]*\.", doc.view)
        value: Any
        if response_model is OverviewDraft:
            # not a whole sentence: a fact in the headline's or the summary's words is dropped
            first = SentenceDraft(evidence=sentences[0][:-1], text=sentences[0])
            # every sentence of the chunk as a fact, past the schema's bound of 2: the merge of
            # the chunks is under test, not the bound (model_construct skips validation)
            value = OverviewDraft.model_construct(
                headline=first, event_type="counting",
                summary=[PassageDraft(evidence=sentences[0][:-1])],
                facts=[PassageDraft(evidence=s) for s in sentences[:4]], why=[], how=[])
        elif response_model is EntitiesDraft:
            value = EntitiesDraft(actors=[NamedActorDraft(name="Alice", kind="person",
                                                          role="counts")], places=[], quotes=[])
        else:
            dates = [DateDraft(expression="on Monday", event="met")] if "Monday" in doc.view else []
            value = FiguresDraft(quantities=[], dates=dates)
        return Extraction(value=value, calls=1, prompt_tokens=10, completion_tokens=5)


def test_chunk_summaries_merge_with_whole_article_offsets_and_no_duplicates() -> None:
    doc = Document(id="long", raw=ARTICLE)
    provider = QuotingProvider()
    summary = summarize_chunked(doc, provider, 120)
    ranges = chunk_ranges(ARTICLE, 120)
    assert len(ranges) == 6
    assert [(c.start, c.end) for c in summary.metadata.chunks] == [(r.start, r.end) for r in ranges]
    assert summary.metadata.llm_calls == 3 * 6 and summary.metadata.usage.prompt_tokens == 180
    for span in summary.spans():
        assert ARTICLE[span.start:span.end] == span.text
    # every sentence once, in article order, though the overlaps showed some to two chunks
    assert [f.claim for f in summary.facts] == SENTENCES
    assert [a.name for a in summary.actors] == ["Alice"]
    assert summary.actors[0].spans[0].start == ARTICLE.index("Alice")
    # the date is in a later chunk, without the date line, and still resolves against it
    [monday] = summary.when
    assert monday.spans[0].start == ARTICLE.index("on Monday") > ranges[0].end
    assert (monday.value, monday.resolution) == ("2023-11-06", "relative")
    assert summary.document.published == "2023-11-12"
    assert all("published on 2023-11-12" in p for p in provider.prompts if "overview" in p.lower()
               or "dates" in p.lower())
    assert summary.headline.spans[0].start == ARTICLE.index("Sentence 1")
    assert summary.incomplete == []
    assert ("- **Read in:** 6 overlapping chunks (characters 0-94, 55-172, 133-250, 211-328, "
            "289-392, 367-473)\n") in to_markdown(summary)


def test_an_article_that_fits_is_summarized_as_before_and_says_nothing_of_chunks() -> None:
    doc = Document(id="short", raw=ARTICLE)
    chunked = summarize_chunked(doc, QuotingProvider(), len(ARTICLE))
    whole = summarize_document(doc, QuotingProvider())
    assert chunked.model_dump(exclude={"metadata"}) == whole.model_dump(exclude={"metadata"})
    assert "chunks" not in chunked.model_dump(mode="json")["metadata"]
    assert "Read in" not in to_markdown(chunked)


def test_a_failed_chunk_is_named_and_the_others_are_kept() -> None:
    doc = Document(id="long", raw=ARTICLE)
    summary = summarize_chunked(doc, QuotingProvider(fail_on="Sentence 5 "), 120)
    failed = [(p.name, p.error) for p in summary.incomplete]
    assert failed == [("entities", "chunk 3/6 (characters 133-250): HTTP 500 from the fake")]
    assert [f.claim for f in summary.facts] == SENTENCES  # the overview passes all succeeded


def test_chunk_chars_comes_from_argument_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMARIZER_CHUNK_CHARS", raising=False)
    assert api.resolve_chunk_chars() == DEFAULT_CHUNK_CHARS == 12_000
    monkeypatch.setenv("SUMMARIZER_CHUNK_CHARS", "3_000")
    assert api.resolve_chunk_chars() == 3000
    assert api.resolve_chunk_chars(500) == 500
    monkeypatch.setenv("SUMMARIZER_CHUNK_CHARS", "lots")
    with pytest.raises(ConfigurationError, match="SUMMARIZER_CHUNK_CHARS must be a whole number"):
        api.resolve_chunk_chars()
    with pytest.raises(ConfigurationError, match="chunk_chars must be at least 1, not 0"):
        api.resolve_chunk_chars(0)


def test_a_chunk_whose_every_pass_fails_is_named_and_only_all_failing_raises() -> None:
    doc = Document(id="long", raw=ARTICLE)
    summary = summarize_chunked(doc, QuotingProvider(fail_on="Sentence 5 ", every_pass=True), 120)
    assert [(p.name, p.error) for p in summary.incomplete] == [
        ("chunk 3", "chunk 3/6 (characters 133-250): HTTP 500 from the fake")]
    # only the sentence no other chunk shares is missing: 4 and 6 came from chunks 2 and 4
    assert [f.claim for f in summary.facts] == SENTENCES[:4] + SENTENCES[5:]
    with pytest.raises(ProviderError, match="HTTP 500 from the fake"):
        summarize_chunked(doc, QuotingProvider(fail_on="Alice", every_pass=True), 120)
