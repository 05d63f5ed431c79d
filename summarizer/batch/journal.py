"""The results file of a batch: one JSON line per summarized article, appended as soon as it is
done, never torn.

Each line is written with a single `os.write` on an O_APPEND descriptor and fsync'd, so after a crash
the file holds whole lines and at most one torn last line, which `ResultsFile` cuts off before
appending again. Lines are keyed by (document id, sha256 of the text): a rerun skips every key
already present, unless its summary is incomplete (a pass failed: `summary.incomplete`), which a
rerun summarizes again. The new line then supersedes the old one, which is taken out when the file
is closed (the file rewritten without it and renamed into place, so a crash leaves the old file or
the new one); a crash before that leaves both, and the next run takes the old one out on opening.
Each article is in the file once, with its latest result.

One run at a time writes a results file: `ResultsFile` holds an exclusive `flock` on `OUT.lock`
beside it (the real file's, through symlinks) from before it reads the file until it is closed.
The kernel drops the lock when the process ends, however it ends, so a crashed run never leaves a
stale lock behind; the file itself is left in place (removing it would let two runs lock two
different files of one name).
"""

from __future__ import annotations

import bisect
import fcntl
import json
import os
import stat
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


def lock_path(path: Path) -> Path:
    """The lock file of a results file: beside the real file, `OUT.lock`."""
    real = Path(os.path.realpath(path))
    return real.with_name(f"{real.name}.lock")


def _lock(path: Path) -> int:
    """The descriptor holding the exclusive lock of results file `path`; InputError at once when
    another run holds it."""
    lock = lock_path(path)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror}: {lock})") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if isinstance(exc, BlockingIOError):
            raise InputError(f"{path}: another summarizer batch is writing these results now: "
                             "wait for it to end, or give another --out (its lock on "
                             f"{lock.name} ends with it; nothing to delete)") from None
        raise InputError(f"{path}: cannot be locked ({exc.strerror}: {lock})") from exc
    return fd


def is_incomplete(record: Mapping[str, object]) -> bool:
    """Whether a result's summary lacks a pass that failed (its `incomplete` list)."""
    summary = record.get("summary")
    return isinstance(summary, dict) and bool(summary.get("incomplete"))


class ResultsFile:
    """Appends result lines; knows the keys already done (read once, when opened; an incomplete
    result is not done). Holds the results file's lock from opening to `close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: set[Key] = set()
        self._line_of: dict[Key, int] = {}  # each key's latest line
        self._superseded: set[int] = set()  # lines a later line of their key replaces
        self._lines = 0
        self._lock = _lock(path)
        try:
            if path.exists():
                self._read()
            self._fd = _open_append(path)
        except BaseException:
            os.close(self._lock)
            raise

    def _read(self) -> None:
        try:
            _drop_torn_tail(self.path)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot be opened ({exc.strerror})") from exc
        for number, record in stored_lines(self.path):
            self._note(number, record)
        if self._superseded:  # a crash after a redone article's line, before the old one went
            self._take_out_superseded()

    def _note(self, number: int, record: Mapping[str, object]) -> None:
        key = (str(record["id"]), str(record["sha256"]))
        if key in self._line_of:
            self._superseded.add(self._line_of[key])
        self._line_of[key] = self._lines = number
        if is_incomplete(record):
            self.done.discard(key)
        else:
            self.done.add(key)

    def _take_out_superseded(self) -> None:
        _rewrite_without(self.path, self._superseded)
        gone = sorted(self._superseded)
        self._line_of = {key: number - bisect.bisect_left(gone, number)
                         for key, number in self._line_of.items()}
        self._lines -= len(gone)
        self._superseded = set()

    def append(self, record: Mapping[str, object]) -> None:
        _write_whole(self._fd, (results_line(record) + "\n").encode("utf-8"))
        self._note(self._lines + 1, record)

    def close(self) -> None:
        """Close the file, taking out the lines superseded meanwhile, and release the lock."""
        try:
            os.close(self._fd)
            if self._superseded:
                self._take_out_superseded()
        finally:
            os.close(self._lock)  # the next run may write


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


def _rewrite_without(path: Path, dropped: set[int]) -> None:
    """`path` without its lines numbered in `dropped`: a copy fsync'd and renamed over it."""
    temporary = path.with_name(f".{path.name}.rewriting")
    try:
        with path.open("rb") as source, temporary.open("wb") as copy:
            for number, line in enumerate(source, start=1):
                if number not in dropped:
                    copy.write(line)
            copy.flush()
            os.fsync(copy.fileno())
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot be rewritten without its superseded lines "
                             f"({exc.strerror}); it holds them still (a reader takes an article's "
                             "last line), the next run tries again") from exc
        raise


def _write_whole(fd: int, data: bytes) -> None:
    written = os.write(fd, data)
    if written != len(data):  # a full disk: cut back to the last whole line rather than tear it
        os.ftruncate(fd, os.lseek(fd, 0, os.SEEK_END) - written)
        raise InputError(f"short write ({written} of {len(data)} bytes): disk full?")
    os.fsync(fd)
