"""Re-recording the cassettes as one transaction: record into a scratch copy, check it, then install.

`summarizer cassettes record` copies cassettes/ and tests/snapshots/ into a temporary directory,
records the `cassette` tests into it (rewriting the snapshots from the new answers), runs the whole
offline suite against it, and only when all of that passed replaces the committed files, each one
atomically. Anything earlier that fails (dead endpoint, a test, Ctrl-C) leaves the checkout as it
was. Before installing it says, per cassette, whether the model's answers changed, and how much of
each snapshot changed.
"""

from __future__ import annotations

import difflib
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigurationError

CASSETTES = Path("cassettes")
SNAPSHOTS = Path("tests") / "snapshots"
RECORDED = {".yaml", ".json"}
# Rewrites the outputs README.md and docs/ show from the recorded answers (tests/docs/).
DOCS_UPDATE = "python -m pytest tests/docs --snapshot-update"


def run_pytest(args: Sequence[str], env: Mapping[str, str]) -> int:
    """pytest in a child process (the seam the command's tests replace with a stub)."""
    # One line per failure with the whole error, no captured logs: a dead endpoint or a failed
    # check reads in a few lines (rerun that test with pytest for its full traceback).
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--tb=line",
                           "--show-capture=no", *args], env=dict(env), check=False).returncode


def scratch_copy(root: Path, scratch: Path) -> tuple[Path, Path]:
    """Copies of root's cassettes/ and tests/snapshots/ under `scratch` (cassettes, snapshots)."""
    cassettes, snapshots = scratch / "cassettes", scratch / "snapshots"
    shutil.copytree(root / CASSETTES, cassettes)
    if (root / SNAPSHOTS).is_dir():
        shutil.copytree(root / SNAPSHOTS, snapshots)
    else:
        snapshots.mkdir()
    return cassettes, snapshots


def _files(directory: Path) -> dict[str, Path]:
    """The recorded files (cassettes, stamps, snapshots), not READMEs someone may be editing."""
    return {path.relative_to(directory).as_posix(): path for path in sorted(directory.rglob("*"))
            if path.is_file() and path.suffix in RECORDED and not path.name.startswith(".")}


def _answers(path: Path) -> list[Any]:
    """What the model answered in each response a cassette replays, in order: the messages of a
    chat completion (not its id, creation time or server timings, which differ on every run),
    else the whole body."""
    try:
        from vcr.persisters.filesystem import FilesystemPersister
        from vcr.serializers import yamlserializer
    except ImportError:
        raise ConfigurationError("recording needs vcrpy: pip install 'summarizer[eval]'") from None
    _, responses = FilesystemPersister.load_cassette(str(path), yamlserializer)
    return [_said(response["body"]["string"]) for response in responses]


def _said(body: Any) -> Any:
    try:
        parsed = json.loads(body)
        return [choice["message"] for choice in parsed["choices"]]
    except (TypeError, ValueError, KeyError):
        return body


def cassette_changes(old: Path, new: Path) -> list[tuple[str, str]]:
    """(cassette, identical | changed | new | removed) for every *.yaml at the top of either
    directory (eval/ holds `summarizer eval --record`'s, which this command replays only);
    "identical" compares the recorded answers, not request headers or dates."""
    before = {k: v for k, v in _files(old).items() if k.endswith(".yaml") and "/" not in k}
    after = {k: v for k, v in _files(new).items() if k.endswith(".yaml") and "/" not in k}
    changes = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            changes.append((name, "removed"))
        elif name not in before:
            changes.append((name, "new"))
        else:
            same = _answers(before[name]) == _answers(after[name])
            changes.append((name, "identical" if same else "changed"))
    return changes


def snapshot_changes(old: Path, new: Path) -> list[tuple[str, int, int]]:
    """(snapshot, lines added, lines removed), like `git diff --stat`, for the files that differ."""
    before, after = _files(old), _files(new)
    changes = []
    for name in sorted(before.keys() | after.keys()):
        old_lines = _lines(before.get(name))
        new_lines = _lines(after.get(name))
        if old_lines == new_lines and name in before and name in after:
            continue
        diff = list(difflib.unified_diff(old_lines, new_lines, n=0))
        added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
        removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
        changes.append((name, added, removed))
    return changes


def _lines(path: Path | None) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path else []


def install(new: Path, target: Path) -> Iterator[str]:
    """Make `target`'s recorded files (*.yaml, *.json) those of `new`, each replaced atomically;
    yields what it changed. Only files that differ are touched: an identical recording changes
    nothing."""
    kept, wanted = _files(target), _files(new)
    for name, source in wanted.items():
        destination = target / name
        if name in kept and filecmp.cmp(source, destination, shallow=False):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
        os.close(handle)
        try:
            shutil.copyfile(source, temporary)
            shutil.copymode(source, temporary)  # not mkstemp's 0600
            os.replace(temporary, destination)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        yield f"{'updated' if name in kept else 'added'} {_shown(target / name)}"
    for name in kept.keys() - wanted.keys():
        kept[name].unlink()
        yield f"removed {_shown(target / name)}"


def _shown(path: Path) -> str:
    """Relative to the working directory (the checkout) where it can be."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def docs_note(changed_snapshots: Sequence[str]) -> list[str]:
    """What to do about the docs when what the recorded model said changed: the outputs README.md
    and docs/ show are written from the committed cassettes, and tests/docs fails until they are
    rewritten."""
    if not changed_snapshots:
        return []
    return [f"README.md and docs/ show outputs of the recorded answers, which changed: rewrite them "
            f"with `{DOCS_UPDATE}` and review them with `git diff README.md docs/`"]
