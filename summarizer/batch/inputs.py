"""The articles of a batch, streamed: files, directories (recursive, *.txt and *.md) and JSONL
files of `{id, text, published?, title?, url?}` records. Nothing is read before it is needed, so a
batch of a million articles holds one at a time.

A bad input (missing, empty, binary, not UTF-8, too large, a broken JSONL record) is yielded as an
`Unreadable` with its reason, never raised: a batch reports it and goes on. (`Article` and
`Unreadable` are the library's, `summarizer.api.stream`: `Summarizer.stream` takes them.)
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from summarizer.api.stream import Article, Unreadable
from summarizer.errors import InputError
from summarizer.text.document import decode_article

MAX_BYTES = 1_000_000  # ~150,000 words: far past a news article, short of a mis-globbed dump
SUFFIXES = (".txt", ".md")


def read_inputs(inputs: Iterable[str | Path], max_bytes: int = MAX_BYTES) -> Iterator[Article | Unreadable]:
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith(SUFFIXES):
                        found = True
                        yield _file(Path(root) / name, max_bytes)
            if not found:
                yield Unreadable(path.name, str(path), "no .txt or .md articles in this directory")
        elif path.suffix == ".jsonl":
            yield from _records(path, max_bytes)
        else:
            yield _file(path, max_bytes)


def count_inputs(inputs: Iterable[str | Path]) -> int:
    """How many articles (or bad inputs) `read_inputs` will yield, without reading any article:
    the total of a progress bar."""
    count = 0
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            found = sum(name.endswith(SUFFIXES) for _, _, files in os.walk(path) for name in files)
            count += found or 1
        elif path.suffix == ".jsonl":
            try:
                with path.open("rb") as handle:
                    count += sum(1 for line in handle if line.strip())
            except OSError:
                count += 1
        else:
            count += 1
    return count


def _file(path: Path, max_bytes: int) -> Article | Unreadable:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Unreadable(path.stem, str(path), f"{path}: {size:,} bytes, more than the "
                              f"{max_bytes:,} an article may have")
        text = decode_article(path.read_bytes(), str(path))
    except InputError as exc:
        return Unreadable(path.stem, str(path), str(exc))
    except FileNotFoundError:
        return Unreadable(path.stem, str(path), f"{path}: no such file")
    except OSError as exc:
        return Unreadable(path.stem, str(path), f"{path}: cannot be read ({exc.strerror})")
    return Article(id=path.stem, text=text, source=str(path), path=str(path))


def _records(path: Path, max_bytes: int) -> Iterator[Article | Unreadable]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Unreadable(path.stem, str(path), f"{path}: cannot be read ({exc.strerror})")
        return
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield _record(line, f"{path}:{number}", max_bytes)


def _record(line: bytes, source: str, max_bytes: int) -> Article | Unreadable:
    if len(line) > max_bytes:
        return Unreadable(source, source, f"{source}: {len(line):,} bytes, more than the "
                          f"{max_bytes:,} an article may have")
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return Unreadable(source, source, f"{source}: not a JSON record ({exc})")
    if not isinstance(record, dict):
        return Unreadable(source, source, f"{source}: not a JSON object")
    return article_of(record, source)


def article_of(record: Mapping[str, object], source: str) -> Article | Unreadable:
    """A {id, text, published?, title?, url?} record as an Article, or why it is none (what a
    JSONL line and a Ray Data row are checked for)."""
    doc_id, text = record.get("id"), record.get("text")
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool) or not str(doc_id).strip():
        return Unreadable(source, source, f"{source}: no \"id\" (a string or number)")
    doc_id = str(doc_id)
    if not isinstance(text, str):
        return Unreadable(doc_id, source, f"{source}: no \"text\" string")
    try:
        decode_article(text.encode("utf-8", "surrogatepass"), source)
    except InputError as exc:
        return Unreadable(doc_id, source, str(exc))
    extra: dict[str, str | None] = {}
    for key in ("title", "published", "url"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return Unreadable(doc_id, source, f"{source}: \"{key}\" must be a string")
        extra[key] = value
    return Article(id=doc_id, text=text, source=source, title=extra["title"],
                   published=extra["published"], url=extra["url"])
