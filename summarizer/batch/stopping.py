"""A batch stopped by Ctrl-C or SIGTERM ends within seconds, whatever it was waiting for.

The first signal raises KeyboardInterrupt in the main thread: the stream cancels the articles in
flight and their requests with them, the results and errors files are closed (each line was one
write: the file holds whole lines, the finished articles kept), and the engine is closed. Then
the process exits with its line and 130 at once, without waiting for the threads that cannot be
cancelled and would otherwise hold the interpreter's exit (a thread sleeping out a Retry-After,
a request of a provider without `aextract`); with none left (the parent of `--workers`), it exits
the ordinary way, multiprocessing's cleanup included. If the cleanup itself is held (an input
read that blocks), the process exits `GRACE` seconds after the signal all the same; a second
signal exits at once.

Never a traceback, and never inside a line's write: the exits happen in Python signal handlers,
which run on the main thread between two bytecodes, never inside the `os.write` of a line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

GRACE = 4.0  # seconds from the first signal to the exit, at the most
INTERRUPTED = 130
_SHOW_CURSOR = b"\x1b[?25h"  # a progress bar cut short leaves the terminal's cursor hidden


def _leave(line: str) -> None:
    """Exit now with `line` on stderr, without unwinding: no cleanup may hold it any longer."""
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    with contextlib.suppress(OSError):
        if os.isatty(sys.stdout.fileno()):
            os.write(sys.stdout.fileno(), _SHOW_CURSOR)
    with contextlib.suppress(OSError):
        os.write(sys.stderr.fileno(), (line + "\n").encode("utf-8", "replace"))
    os._exit(INTERRUPTED)


@contextlib.contextmanager
def stopped_within_seconds(line: str) -> Iterator[None]:
    """Inside: SIGINT or SIGTERM stops the batch as the module says, exiting with `line` on stderr
    and code 130. Outside the main thread (where no handler can be set) it changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def again(signum: int, frame: FrameType | None) -> None:  # a second signal, or the grace ends
        _leave(line)

    def first(signum: int, frame: FrameType | None) -> None:
        for each in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
            signal.signal(each, again)
        signal.setitimer(signal.ITIMER_REAL, GRACE)
        raise KeyboardInterrupt

    previous = {each: signal.signal(each, first) for each in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    except KeyboardInterrupt:  # cancelled and closed; `again` stays in place until the exit
        pass
    else:
        return
    finally:
        if signal.getsignal(signal.SIGTERM) is first:  # no signal came: as it was
            for each, handler in previous.items():
                signal.signal(each, handler)
    if any(not thread.daemon and thread is not threading.main_thread()
           for thread in threading.enumerate()):
        _leave(line)  # not waited for: they may be busy until their deadline
    with contextlib.suppress(OSError):
        os.write(sys.stderr.fileno(), (line + "\n").encode("utf-8", "replace"))
    raise SystemExit(INTERRUPTED)
