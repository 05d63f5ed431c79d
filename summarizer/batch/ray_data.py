"""Beyond one machine: a Ray Data dataset of articles mapped through Summarizers, one per worker
(the optional extra `ray`: `pip install 'summarizer[ray]'`).

    import ray.data
    from summarizer.batch.ray_data import summarize_dataset, records

    articles = ray.data.read_json("archive.jsonl")          # rows {id, text, title?, published?, url?}
    done = summarize_dataset(articles, concurrency=4, summarizer={"model": "gpt-4o-mini"})
    for record in records(done):                            # the lines `summarizer batch` writes
        ...

`Summarize` is the callable class `map_batches` runs: each of the `concurrency` workers builds one
Summarizer when it starts and summarizes the rows of each batch it is given (`threads` at once).
Every row comes back as {"id", "line", "error"}: `line` the results line `summarizer batch`
would write for the article (the same JSON, byte for byte), or `error` the errors line of its
failure (a row is checked as a JSONL record is: an empty text is an input error, not a call);
an article repeated within one batch is summarized once, its repeats left empty. `summarizer
digest` reads a file of the `line`s. Resuming, rate limits and the cache are the batch command's,
not this module's: Ray schedules and retries the work.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from summarizer.api import Summarizer
from summarizer.api.stream import Article, Done, Failed, Outcome, Skipped, Unreadable, stream_sync
from summarizer.batch.inputs import article_of
from summarizer.batch.journal import results_line
from summarizer.llm.provider import Provider

ROW_FIELDS = ("id", "text", "title", "published", "url", "source")


def _text(value: Any) -> str | None:
    """A batch's cell as the text a JSONL record would hold: Ray reads a column of dates
    ("2023-11-12") as timestamps, which become "YYYY-MM-DD" again."""
    if value is None:
        return None
    if type(value).__name__ == "datetime64":  # numpy's; its .item() may be an int of nanoseconds
        if value != value:  # NaT, numpy's missing time
            return None
        day = value.astype("datetime64[D]")
        return str(day) if day == value else str(value)
    item = value.item() if hasattr(value, "item") else value  # a numpy scalar from a batch
    if isinstance(item, datetime.datetime) and item.time() == datetime.time(0) and not item.tzinfo:
        return item.date().isoformat()
    if isinstance(item, datetime.date):
        return item.isoformat()
    return None if item is None else str(item)


class Summarize:
    """One worker's Summarizer, built once: `summarizer` are its keyword arguments (base_url,
    api_key, model, variant, ...), `provider` a picklable factory of the provider it asks
    instead (tests replay recorded answers through one)."""

    def __init__(self, summarizer: Mapping[str, Any] | None = None,
                 provider: Callable[[], Provider] | None = None, threads: int = 1) -> None:
        options = dict(summarizer or {})
        if provider is not None:
            options["provider"] = provider()
        self._engine = Summarizer(**options)
        self._threads = threads

    def close(self) -> None:
        self._engine.close()

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[str | None]]:
        items: list[Article | Unreadable] = []
        for n in range(len(batch["id"])):
            row = {name: _text(batch[name][n]) if name in batch else None for name in ROW_FIELDS}
            items.append(article_of(row, row["source"] or row["id"] or f"row {n}"))
        rows: dict[tuple[str, ...], list[int]] = {}  # the rows of each article, in order
        for n, item in enumerate(items):
            rows.setdefault(_key(item), []).append(n)
        outcomes: dict[int, Outcome] = {}
        for outcome in stream_sync(self._engine, items, concurrency=self._threads):
            if not isinstance(outcome, Skipped):  # a repeat: its row stays empty
                outcomes[rows[_key(outcome)].pop(0)] = outcome
        out: dict[str, list[str | None]] = {"id": [], "line": [], "error": []}
        for n, item in enumerate(items):
            found = outcomes.get(n)
            out["id"].append(item.id)
            out["line"].append(results_line(found.record()) if isinstance(found, Done) else None)
            out["error"].append(json.dumps(found.record(), ensure_ascii=False)
                                if isinstance(found, Failed) else None)
        return out


def _key(item: Article | Unreadable | Done | Failed) -> tuple[str, ...]:
    """Which row an outcome belongs to: an article's (id, sha256), an unreadable row's source."""
    if isinstance(item, Done):
        item = item.article
    if isinstance(item, Article):
        return ("article", item.id, item.sha256)
    if isinstance(item, Failed) and item.sha256 is not None:
        return ("article", item.id, item.sha256)
    return ("unreadable", item.id, item.source)


def summarize_dataset(dataset: Any, *, concurrency: int = 2, batch_size: int = 8,
                      threads: int = 1, num_cpus: float = 0.5,
                      summarizer: Mapping[str, Any] | None = None,
                      provider: Callable[[], Provider] | None = None) -> Any:
    """`dataset` (a ray.data.Dataset of article rows) mapped through `concurrency` workers of
    `Summarize`, each reserving `num_cpus` of Ray's CPUs (half: a worker mostly waits on the
    endpoint, and the dataset's own reads need CPUs too); lazy, as Ray Data is: nothing runs
    before the result is read."""
    return dataset.map_batches(
        Summarize, fn_constructor_kwargs={"summarizer": dict(summarizer or {}),
                                          "provider": provider, "threads": threads},
        concurrency=concurrency, batch_size=batch_size, batch_format="numpy", num_cpus=num_cpus)


def records(dataset: Any) -> Iterator[dict[str, Any]]:
    """The results lines of a summarized dataset, as dicts (failures left out: see `errors`)."""
    for row in dataset.iter_rows():
        if row["line"] is not None:
            yield json.loads(row["line"])


def errors(dataset: Any) -> Iterator[dict[str, Any]]:
    """The errors lines of a summarized dataset's failures, as dicts."""
    for row in dataset.iter_rows():
        if row["error"] is not None:
            yield json.loads(row["error"])
