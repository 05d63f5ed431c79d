"""The documentation's examples, run against the recorded model: the replay every example runs in,
and the functions the docs' cog blocks call to write what an example shows.

Every `summarizer` command and Python example in README.md and docs/ runs here with the embedded
model's recorded answers (cassettes/*.yaml) standing in for the model: the embedded server is not
started, and each request it would have been sent is answered from the cassettes (matched by
method, path and body, as the suite replays them). A request no cassette holds fails the example.
The outputs shown in the docs are written by `cog` from these runs (`tests/docs/test_docs.py`
checks them; `pytest tests/docs --snapshot-update` rewrites them).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from glob import glob
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import vcr
import yaml
from typer.testing import CliRunner

from summarizer.backends import local
from summarizer.cli import app
from summarizer.evaluation.recording import VCR_CONFIG
from summarizer.extract import chunked, pipeline

ROOT = Path(__file__).resolve().parents[2]
# As in tests/conftest.py: `summarizer cassettes record` checks a new recording in a scratch copy.
CASSETTES = Path(os.environ.get("SUMMARIZER_CASSETTES_DIR") or ROOT / "cassettes")
# What the examples read, seen from the scratch directory they run in (their outputs land there).
SHARED = ("seeds", "cassettes", "bench", "schemas", "prompts", "tests")
REPLAY_URL = "http://replay.invalid/v1"


@functools.cache
def _all_recorded(cassettes: Path) -> str:
    """One cassette holding every recorded exchange of `cassettes` (not the eval sets'), as YAML:
    read once per process, for every replay."""
    interactions: list[Any] = []
    for path in sorted(cassettes.glob("*.yaml")):
        interactions += yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
    return str(yaml.safe_dump({"version": 1, "interactions": interactions}))


def _merged_cassette(directory: Path) -> Path:
    merged = directory / "all_recorded.yaml"
    merged.write_text(_all_recorded(CASSETTES), encoding="utf-8")
    return merged


@contextlib.contextmanager
def _no_server(*_: Any, **__: Any) -> Iterator[local.LocalServer]:
    yield local.LocalServer(base_url=REPLAY_URL, api_key="unused")


# A summary records how long it took; a replay's seconds vary from run to run, so the pages show 0.
_STOPPED_CLOCK = SimpleNamespace(perf_counter=lambda: 0.0)


@contextlib.contextmanager
def replaying() -> Iterator[Path]:
    """Run in a scratch directory that sees the repository's seeds, cassettes, bench, ...; the
    embedded model "installed" and answering from the cassettes, and a summary's clock stopped
    (its `elapsed_seconds` 0). Yields the directory."""
    with tempfile.TemporaryDirectory(prefix="summarizer-docs-") as scratch:
        workdir = Path(scratch)
        for name in SHARED:
            (workdir / name).symlink_to(ROOT / name, target_is_directory=True)
        cassette = _merged_cassette(workdir)
        before = Path.cwd()
        os.chdir(workdir)
        try:
            with mock.patch.object(local, "is_installed", return_value=True), \
                    mock.patch.object(local, "local_server", _no_server), \
                    mock.patch.object(pipeline, "time", _STOPPED_CLOCK), \
                    mock.patch.object(chunked, "time", _STOPPED_CLOCK), \
                    vcr.VCR(record_mode="none", **VCR_CONFIG).use_cassette(
                        str(cassette), allow_playback_repeats=True):
                yield workdir
        finally:
            os.chdir(before)


def arguments(command: str) -> list[str]:
    """A shell command line's words after `summarizer` (or `.venv/bin/summarizer`), globs expanded
    as a shell would in the current directory."""
    words = shlex.split(command)
    if not words or Path(words[0]).name != "summarizer":
        raise ValueError(f"not a summarizer command: {command!r}")
    expanded: list[str] = []
    for word in words[1:]:
        matches = sorted(glob(word)) if any(c in word for c in "*?[") else []
        expanded += matches or [word]
    return expanded


def invoke(command: str) -> tuple[int, str, str]:
    """Run one `summarizer ...` command line in the current directory: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(app, arguments(command), prog_name="summarizer", env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def _shown(text: str, show: int | None, after: str | None) -> list[str]:
    """The lines of an output a page shows: from the first that starts with `after`, at most `show`."""
    lines = [line.rstrip() for line in text.rstrip("\n").splitlines()]
    if after is not None:
        starts = [i for i, line in enumerate(lines) if line.startswith(after)]
        if not starts:
            raise AssertionError(f"no line starts with {after!r} in:\n{text}")
        lines = lines[starts[0]:]
    if show is not None and len(lines) > show:
        lines = [*lines[:show], f"... ({len(lines) - show} more lines)"]
    return lines


def console(*commands: str, expect: int = 0, show: int | None = None, after: str | None = None,
            output: str = "stdout") -> str:
    """A console block: each command after `$ `, run in the replay, and what it printed (`output`
    "stdout", "stderr" or "none"; from its first line starting with `after`, at most `show` lines).
    Fails unless each command exits with `expect`."""
    lines = ["```console"]
    with replaying():
        for command in commands:
            code, stdout, stderr = invoke(command)
            if code != expect:
                raise AssertionError(f"`{command}` exited {code}, not {expect}:\n{stdout}{stderr}")
            lines.append(f"$ {command}")
            text = {"stdout": stdout, "stderr": stderr, "none": ""}[output]
            lines += _shown(text, show, after) if text else []
    lines.append("```")
    return "\n".join(lines)


def script(command: str, show: int | None = None, after: str | None = None) -> str:
    """A console block: a `python bench/...` command run from the repository's root with this
    Python (the benchmarks replay cassettes themselves), and its first `show` lines of output."""
    words = shlex.split(command)
    if words[0] != "python":
        raise ValueError(f"not a python command: {command!r}")
    done = subprocess.run([sys.executable, *words[1:]], cwd=ROOT, capture_output=True, text=True,
                          check=False, env={**os.environ, "COLUMNS": "100"})
    if done.returncode != 0:
        raise AssertionError(f"`{command}` exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return "\n".join(["```console", f"$ {command}", *_shown(done.stdout, show, after), "```"])


def output_json(command: str) -> Any:
    """What a `summarizer` command prints on stdout, parsed as JSON (run in the replay)."""
    with replaying():
        code, stdout, stderr = invoke(command)
    if code != 0:
        raise AssertionError(f"`{command}` exited {code}:\n{stderr}")
    return json.loads(stdout)


def json_block(value: Any) -> str:
    """A ```json block of `value`, indented as the tool pretty-prints."""
    return f"```json\n{json.dumps(value, indent=2, ensure_ascii=False)}\n```"


def summary_excerpt(command: str, keep: dict[str, int | None]) -> str:
    """A ```json block: the summary a command prints, reduced to the keys of `keep` (a number: that
    many of the list's first items; None: all of it), in the summary's own order."""
    summary = output_json(command)
    return json_block({key: value if keep[key] is None or not isinstance(value, list) else value[:keep[key]]
                       for key, value in summary.items() if key in keep})


def _type_of(schema: dict[str, Any], definitions: dict[str, Any]) -> tuple[str, str]:
    """A property's type as a reader says it, and the description of the model it holds."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"`{name}`", definitions[name].get("description", "")
    if schema.get("type") == "array":
        inner, description = _type_of(schema["items"], definitions)
        return f"list of {inner}", description
    if "anyOf" in schema:
        kinds = [_type_of(option, definitions) for option in schema["anyOf"] if option != {"type": "null"}]
        optional = " or null" if {"type": "null"} in schema["anyOf"] else ""
        return " or ".join(kind for kind, _ in kinds) + optional, next((d for _, d in kinds if d), "")
    if "enum" in schema:
        return " / ".join(f"`{value}`" for value in schema["enum"]), ""
    return f"`{schema.get('type', 'any')}`", ""


def schema_table(path: str) -> str:
    """The top-level fields of a committed JSON Schema (schemas/), as a Markdown table: each field,
    its type, and its description (else that of the model it holds)."""
    schema = json.loads((ROOT / path).read_text(encoding="utf-8"))
    definitions = schema.get("$defs", {})
    required = set(schema.get("required", []))
    rows = ["| field | type | what it holds |", "|---|---|---|"]
    for name, prop in schema["properties"].items():
        kind, described = _type_of(prop, definitions)
        text = " ".join((prop.get("description") or described or "").split())
        rows.append(f"| `{name}`{'' if name in required else ' (optional)'} | {kind} | {text} |")
    return "\n".join(rows)
