"""What every command of the shell shares: endpoint options, one-line errors with their exit codes,
progress that a log shows too, and output files written atomically (never half-written)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from summarizer.errors import InputError, SummarizerError

# Rich markup would swallow "[env: ...]"; escape the bracket.
BaseUrl = Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint "
                                             "\\[env: OPENAI_BASE_URL]", show_default=False)]
ApiKey = Annotated[str | None, typer.Option("--api-key", help="API key \\[env: OPENAI_API_KEY]",
                                            show_default=False)]
Model = Annotated[str | None, typer.Option("--model", help="Model name \\[env: SUMMARIZER_MODEL]",
                                           show_default=False)]
Timeout = Annotated[float | None, typer.Option(
    "--timeout", metavar="SECONDS", help="Deadline of one model request, connect to last byte "
    "(default 600 for a model on this machine, else 120) \\[env: SUMMARIZER_TIMEOUT]",
    show_default=False)]


def fail(message: str, code: int) -> typer.Exit:
    one_line = " ".join(message.splitlines())
    typer.echo(f"summarizer: error: {one_line}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    """SummarizerError -> one line and its exit code; Ctrl-C -> 130; SIGTERM runs cleanups too; any
other exception (a bug) -> one line and exit 1, never a traceback."""

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    except SummarizerError as exc:
        raise fail(str(exc), exc.exit_code) from None
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None
    except (typer.Exit, typer.Abort):
        raise  # typer's own exits
    except Exception as exc:
        detail = " ".join(str(exc).split())
        raise fail(f"internal error: {type(exc).__name__}: {detail} (a bug: please report it "
                   "with the command line)", 1) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def check_writable(target: Path) -> None:
    """InputError unless `write_atomically` can write `target`: checked before any model call, so a
    bad `-o` costs nothing."""
    directory = target.resolve().parent
    if target.is_dir():
        raise InputError(f"{target}: is a directory; give a file name to write")
    if not directory.is_dir():
        raise InputError(f"{target}: directory {directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError(f"{target}: cannot be written (no permission to write in {directory})")


# Seconds between the lines that say a model request is still outstanding (a hung endpoint is
# otherwise silent until its deadline, 600 s on this machine).
WAITING_EVERY = 30.0
# A step that asks the model, as the library announces it ("article 2/3 ID: pass entities",
# "pass overview, chunk 2/3 (characters 0-12000)"): where, then the pass
_MODEL_STEP = re.compile(r"(?P<where>(?:.*: )?)(?P<step>pass .*)", re.DOTALL)


class _Waiting:
    """While the last step shown asks the model, says every `every` seconds how long it has
    been waiting: "article 1/1 ID: waiting for the model: 30 s (pass entities)". A thread of
    its own, so the line comes however long the request blocks the caller."""

    def __init__(self, emit: Callable[[str], None], every: float) -> None:
        self._emit, self._every = emit, every
        self._changed = threading.Condition()
        self._step: tuple[str, str, float] | None = None  # where, pass, when it began
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="summarizer-waiting", daemon=True)
        self._thread.start()

    def step(self, message: str) -> None:
        found = _MODEL_STEP.fullmatch(message)
        with self._changed:
            self._step = (found["where"], found["step"], time.monotonic()) if found else None
            self._changed.notify()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify()
        self._thread.join()

    def _run(self) -> None:
        shown: tuple[str, str, float] | None = None
        due = 0.0
        while True:
            with self._changed:
                if self._closed:
                    return
                if self._step is not shown:  # a new step: its first line `every` from its start
                    shown = self._step
                    due = shown[2] + self._every if shown else 0.0
                if shown is None:
                    self._changed.wait()
                    continue
                now = time.monotonic()
                if now < due:
                    self._changed.wait(due - now)
                    continue
                where, step, began = shown
                waited = round(due - began, 3)  # a multiple of `every`: 30, 60, 90 s
                due += self._every
            self._emit(f"{where}waiting for the model: {waited:g} s ({step})")


@contextlib.contextmanager
def progress_display() -> Iterator[Callable[[str], None]]:
    """Yields a function that shows what the run is doing: on a terminal, rich's status line
    (replaced at each step); piped or logged, one line per step on stderr with the seconds since
    the start, so an unattended run's log shows where it waits. While a step that asks the model
    lasts, a line every WAITING_EVERY seconds says for how long (`_Waiting`)."""
    from rich.console import Console

    console = Console(stderr=True)
    with contextlib.ExitStack() as stack:
        if console.is_terminal:
            status = stack.enter_context(console.status("summarizer: starting"))

            def show(message: str) -> None:
                status.update(f"summarizer: {message}")

            emit = show
        else:
            started = time.monotonic()

            def show(message: str) -> None:
                typer.echo(f"summarizer: {message} ({time.monotonic() - started:.1f} s)", err=True)

            def emit(message: str) -> None:
                typer.echo(f"summarizer: {message}", err=True)

        waiting = _Waiting(emit, WAITING_EVERY)
        stack.callback(waiting.close)

        def shown(message: str) -> None:
            show(message)
            waiting.step(message)

        yield shown


def write_atomically(target: Path, text: str) -> None:
    directory = target.resolve().parent
    if not directory.is_dir():
        raise InputError(f"{target}: directory {directory} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.",
                                             suffix=".tmp")
    except OSError as exc:
        raise InputError(f"{target}: cannot be written ({exc.strerror})") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, _new_file_mode(target))  # mkstemp's 0600 is not what `>` would give
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # e.g. the target is a directory: one line, not a traceback
            raise InputError(f"{target}: cannot be written ({exc.strerror})") from exc
        raise


def _new_file_mode(target: Path) -> int:
    """The existing file's permissions, else those a plain open() would give (0666 less umask)."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
