"""The results file of a batch: one JSON line per summarized article, appended as soon as it is
done, never torn.

Each line is written with a single `os.write` on an O_APPEND descriptor and fsync'd, so after a crash
the file holds whole lines and at most one torn last line, which `open_results` cuts off before
appending again. Lines are keyed by (document id, sha256 of the text): a rerun skips every key
already present.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from summarizer.errors import InputError

Key = tuple[str, str]  # (document id, sha256 of its text)


def _drop_torn_tail(path: Path) -> None:
    """Cut a last line that has no newline: the write a crash interrupted."""
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return
        position = size
        while position > 0:  # look back for the last newline, a block at a time
            step = min(65536, position)
            handle.seek(position - step)
            block = handle.read(step)
            newline = block.rfind(b"\n")
            if newline >= 0:
                handle.truncate(position - step + newline + 1)
                return
            position -= step
        handle.truncate(0)


def stored_lines(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """(line number, record) for every whole line of a results file."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.endswith(b"\n"):
                return  # torn: the write a crash interrupted
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}:{number}: not a results line ({exc})") from exc
            if not isinstance(record, dict) or not {"id", "sha256", "summary"} <= record.keys():
                raise InputError(f"{path}:{number}: not a results line (no id, sha256 or summary)")
            yield number, record


def results_line(record: Mapping[str, object]) -> str:
    """A result record as the results file holds it (without its newline)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


class ResultsFile:
    """Appends result lines; knows the keys already done (read once, when opened)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.exists():
            try:
                _drop_torn_tail(path)
            except OSError as exc:
                raise InputError(f"{path}: cannot be opened ({exc.strerror})") from exc
            self.done: set[Key] = {(str(r["id"]), str(r["sha256"])) for _, r in stored_lines(path)}
        else:
            self.done = set()
        self._fd = _open_append(path)

    def append(self, record: Mapping[str, object]) -> None:
        _write_whole(self._fd, (results_line(record) + "\n").encode("utf-8"))
        self.done.add((str(record["id"]), str(record["sha256"])))

    def close(self) -> None:
        os.close(self._fd)


class ErrorsFile:
    """The failures of this run, one JSON line each (rewritten by every run)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = _open_append(path, truncate=True)

    def append(self, record: Mapping[str, object]) -> None:
        _write_whole(self._fd, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))

    def close(self) -> None:
        os.close(self._fd)


def _open_append(path: Path, truncate: bool = False) -> int:
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (os.O_TRUNC if truncate else 0)
    try:
        return os.open(path, flags, 0o666)
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror})") from exc


def _write_whole(fd: int, data: bytes) -> None:
    written = os.write(fd, data)
    if written != len(data):  # a full disk: cut back to the last whole line rather than tear it
        os.ftruncate(fd, os.lseek(fd, 0, os.SEEK_END) - written)
        raise InputError(f"short write ({written} of {len(data)} bytes): disk full?")
    os.fsync(fd)
