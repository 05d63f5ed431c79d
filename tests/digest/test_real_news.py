"""Digests of the second dev set's real news, from the answers recorded for it: what a reader
reads in them holds no photo caption, credit, gallery counter or embedded post (issue: digests of
real news). Every article with a cassette in cassettes/eval/giveme5w1h_* is replayed."""

from __future__ import annotations

import re

from summarizer.digest.merging import merge
from summarizer.evaluation.runs import Replay, _answers, cassette_path, read_gold, replay_provider
from summarizer.extract.pipeline import summarize_document
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, metadata_overrides
from tests.conftest import ROOT

# what galleries and captions leave in the text of these pages, written independently of the
# furniture rules they test
GALLERY = re.compile(r"Getty|Image caption|Media caption|copyright|\(Photo|Photo:|pic\.twitter|"
                     r"Autoplay|Skip Ad|Associated Press \d|\b\d{1,2}/\d{1,2} [A-Z]", re.IGNORECASE)


def replayed() -> tuple[list[EventSummary], list[Document]]:
    summaries, documents = [], []
    for split in ("tune", "validate"):
        directory = ROOT / "cassettes" / "eval" / f"giveme5w1h_{split}"
        provider = replay_provider(directory)
        for article in read_gold(ROOT / "bench" / "data" / "giveme5w1h" / f"giveme5w1h_{split}.jsonl"):
            if not cassette_path(directory, article.id).exists():
                continue
            doc = Document(id=article.id, raw=article.text)
            with _answers(Replay(directory), article.id):
                summaries.append(summarize_document(doc, provider, metadata=metadata_overrides(
                    title=article.title, published=article.published)))
            documents.append(doc)
    return summaries, documents


def test_no_caption_credit_or_gallery_text_in_what_a_reader_reads() -> None:
    summaries, documents = replayed()
    assert len(summaries) >= 40
    for summary in summaries:
        for sentence in summary.summary:
            assert not GALLERY.search(sentence.text), (summary.document.id, sentence.text)
    digests = merge(summaries, documents)
    assert any(len(d.sources) >= 3 for d in digests)
    for digest in digests:
        for told in digest.summary:
            assert not GALLERY.search(told.text), ([s.doc_id for s in digest.sources], told.text)
