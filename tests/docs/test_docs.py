"""The README's and the documentation's examples run, and the outputs they show are what the code
prints now (tests/docs/examples.py has the replay they run in).

- Every Python block runs (sybil), in page order, against the recorded model.
- Every output a page shows is written by a cog block that runs its command; this checks that each
  is current (`--snapshot-update` rewrites them).
- A shell block not written by cog may only hold set-up commands (install, CI, recording against a
  live model), and each `summarizer` command in it must parse: a renamed flag fails here.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import unittest
from pathlib import Path

import pytest
from cogapp import Cog
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from typer.testing import CliRunner

from summarizer.cli import app
from tests.docs.examples import ROOT, arguments, invoke, replaying

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
GENERATED = [page for page in PAGES if "[[[cog" in page.read_text(encoding="utf-8")]
WITH_PYTHON = [page for page in PAGES if "```python" in page.read_text(encoding="utf-8")]


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("page", GENERATED, ids=_name)
def test_the_outputs_a_page_shows_are_what_the_code_prints(page: Path,
                                                          request: pytest.FixtureRequest) -> None:
    if os.environ.get("SUMMARIZER_CASSETTES_DIR"):
        pytest.skip("a re-recording is being checked: the pages show the committed answers until "
                    "it lands (then `python -m pytest tests/docs --snapshot-update`)")
    update = request.config.getoption("--snapshot-update")
    messages = io.StringIO()
    cog = Cog()
    cog.set_output(stdout=messages, stderr=messages)
    with contextlib.chdir(ROOT):
        mode = ["-r"] if update else ["--check", "--diff"]
        code = cog.main(["cog", *mode, "-I", str(ROOT), _name(page)])
    assert code == 0, (f"{_name(page)} shows outputs the code no longer prints: rewrite them with "
                       f"`python -m pytest tests/docs --snapshot-update`\n{messages.getvalue()}")


@pytest.mark.parametrize("page", WITH_PYTHON, ids=_name)
def test_the_python_examples_of_a_page_run(page: Path) -> None:
    document = Sybil(parsers=[PythonCodeBlockParser(), SkipParser()]).parse(page)
    examples = list(document.examples())
    assert examples, f"{_name(page)}: no Python example found"
    skipped = []
    with replaying():
        for example in examples:
            try:
                example.evaluate()
            except unittest.SkipTest as skip:  # `<!-- skip: next "why" -->` on the page
                skipped.append(f"line {example.line}: {skip}")
    # a page may skip an example only by naming the test that runs the same calls
    assert [reason for reason in skipped if "tests/" not in reason] == []


FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
COG_OUTPUT = re.compile(r"^\]\]\] -->\n(.*?)^<!-- \[\[\[end\]\]\] -->", re.MULTILINE | re.DOTALL)
SHELL = {"sh", "bash", "shell", "console"}
# Commands a page may show without running them here: setting up, and asking a live model.
SET_UP = (
    re.compile(r"^bash (scripts/install-local|\.ci/run)$"),
    re.compile(r"^python3 -m venv \.venv$"),
    re.compile(r"^(LLAMA_CPP_DIR=\S+ LLAMA_CPP_BUILD_JOBS=\d+ )?(\.venv/bin/)?pip install "
               r"(-e )?'?\.(\[[\w,]+\])?'?$"),
    re.compile(r"^(\.venv/bin/)?summarizer (cassettes record|eval .* --record)\b"),
)


def _commands(block: str) -> list[str]:
    """The commands of a shell block: its lines without comments, prompts and continuations, each
    split at `&&`."""
    joined = re.sub(r"\s*\\\n\s*", " ", block)
    commands = []
    for line in joined.splitlines():
        line = line.split(" #")[0].strip().removeprefix("$ ")
        if line and not line.startswith("#"):
            commands += [part.strip() for part in line.split("&&")]
    return commands


def _parses(command: str) -> None:
    """Parse a `summarizer` command line as the CLI would, without running it: with `--help` at
    its end the command only prints its help, after its options were read (an unknown one fails)."""
    result = CliRunner().invoke(app, [*shlex.split(command)[1:], "--help"], prog_name="summarizer")
    assert result.exit_code == 0, f"`{command}` does not parse:\n{result.output}"


def _hand_written_shell_blocks(text: str) -> list[tuple[str, str]]:
    generated = "".join(COG_OUTPUT.findall(text))
    return [(language, body) for language, body in FENCE.findall(text)
            if language in SHELL and f"```{language}\n{body}```" not in generated]


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_a_shell_command_a_page_shows_runs_or_is_set_up_and_parses(page: Path) -> None:
    """A hand-written shell block's `summarizer` commands run in the replay, in order, in one
    scratch directory (a command may read what an earlier one wrote); set-up commands (installing,
    CI, asking a live model) cannot run here, and their `summarizer` part must parse."""
    for language, body in _hand_written_shell_blocks(page.read_text(encoding="utf-8")):
        assert language != "console", (f"{_name(page)}: a console block must be written by a cog "
                                       f"block (tests/docs/examples.py console), not by hand:\n{body}")
        with replaying():
            for command in _commands(body):
                if any(pattern.search(command) for pattern in SET_UP):
                    if "summarizer " in command:
                        _parses(command[command.index("summarizer"):])
                    continue
                assert Path(shlex.split(command)[0]).name == "summarizer", (
                    f"{_name(page)}: `{command}` is shown but cannot run here: write it with a cog "
                    "block (tests/docs/examples.py), or add it to SET_UP if it is a set-up step")
                code, stdout, stderr = invoke(command)
                assert code == 0, f"{_name(page)}: `{command}` exited {code}:\n{stdout}{stderr}"


def test_a_renamed_flag_fails_the_parse_check() -> None:
    with pytest.raises(AssertionError, match="No such option: --no-such-flag"):
        _parses("summarizer summarize seeds/ --no-such-flag")
    with pytest.raises(AssertionError, match="No such command 'recrd'"):
        _parses("summarizer cassettes recrd")
    _parses("summarizer cassettes record --missing-only")


def test_commands_are_read_as_a_shell_reads_them() -> None:
    assert _commands("# a comment\n$ bash scripts/install-local && .venv/bin/summarizer summarize \\\n"
                     "    seeds/a.txt  # why\n") == ["bash scripts/install-local",
                                                     ".venv/bin/summarizer summarize seeds/a.txt"]
    with replaying():
        assert arguments("summarizer summarize seeds/00[01]*.txt -f markdown") == [
            "summarize", "seeds/000_eb5bbfd39dc007a5.txt", "seeds/001_922f9856dfd84345.txt", "-f",
            "markdown"]
