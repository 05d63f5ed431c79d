"""Stored results read back: the summaries of a results file and the articles they were made from,
for digests that never ask the model for the summaries again."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from summarizer.api.stream import Article
from summarizer.batch.inputs import read_inputs
from summarizer.batch.journal import Key, stored_lines
from summarizer.errors import InputError
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document

_JSONL_LINE = re.compile(r"^(?P<path>.*\.jsonl):\d+$")


def _source_file(source: str) -> str:
    """"archive.jsonl:17" -> "archive.jsonl"; a file path stays itself."""
    found = _JSONL_LINE.match(source)
    return found["path"] if found else source


def load_results(results: Path,
                 articles: Sequence[str] | None = None) -> tuple[list[EventSummary], list[Document]]:
    """The stored summaries and their articles, re-read from `articles` (inputs as for a batch) or
    else from the sources the results record, each checked against its sha256."""
    if not results.is_file():
        raise InputError(f"{results}: no such results file")
    summaries: dict[Key, EventSummary] = {}
    sources: dict[str, None] = {}
    for number, record in stored_lines(results):
        try:
            summary = EventSummary.model_validate(record["summary"])
        except ValueError as exc:
            raise InputError(f"{results}:{number}: not an EventSummary ({exc})") from exc
        summaries[(str(record["id"]), str(record["sha256"]))] = summary
        sources[_source_file(str(record.get("source", "")))] = None
    found: dict[Key, Article] = {}
    for item in read_inputs(list(articles) if articles else list(sources)):
        if isinstance(item, Article) and (item.id, item.sha256) in summaries:
            found[(item.id, item.sha256)] = item
    missing = [key for key in summaries if key not in found]
    if missing:
        doc_id, sha = missing[0]
        raise InputError(f"{len(missing)} stored article(s) not found with the text they were "
                         f"summarized from, first {doc_id!r} (sha256 {sha[:12]}...): "
                         "pass --articles with the inputs of the batch")
    documents = [Document(id=key[0], raw=found[key].text, path=found[key].path) for key in summaries]
    return list(summaries.values()), documents
