"""The package as users get it: its public names, its committed schema, and its wheel."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import summarizer
from summarizer.output.schema import (
    SCHEMA_FILES,
    SchemaKind,
    committed_schema_text,
    schema_text,
)

ROOT = Path(__file__).resolve().parent.parent


def test_all_is_sorted_and_matches_the_public_names() -> None:
    assert summarizer.__all__ == sorted(summarizer.__all__)
    public = {name for name in vars(summarizer) if not name.startswith("_")}
    modules = {name for name in public if inspect.ismodule(getattr(summarizer, name))}
    assert set(summarizer.__all__) == public - modules


def test_entry_points_have_real_signatures() -> None:
    for function in (summarizer.summarize, summarizer.asummarize):
        parameters = inspect.signature(function).parameters.values()
        assert all(p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters)
    assert inspect.iscoroutinefunction(summarizer.asummarize)


@pytest.mark.parametrize(("kind", "title"), [("summary", "EventSummary"),
                                           ("articles", "ArticleSet")])
def test_committed_schemas_are_up_to_date(kind: SchemaKind, title: str) -> None:
    committed = (ROOT / "schemas" / SCHEMA_FILES[kind]).read_text(encoding="utf-8")
    assert committed == schema_text(kind), (
        f"schemas/{SCHEMA_FILES[kind]} is out of date: run `summarizer schema --write`"
    )
    assert json.loads(committed)["title"] == title


@pytest.mark.slow
def test_wheel_contains_and_loads_prompts_and_schemas(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist"), str(ROOT)], check=True)
    (wheel,) = (tmp_path / "dist").glob("summarizer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    prompts = sorted(p.name for p in (ROOT / "prompts").glob("*.jinja"))
    assert prompts
    for name in prompts:
        assert f"summarizer/prompts/{name}" in names
    for name in SCHEMA_FILES.values():
        assert f"summarizer/schemas/{name}" in names
    for name in ("report.html.jinja", "report.css", "report.js"):  # the HTML report's templates
        assert f"summarizer/output/templates/{name}" in names

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True)
    probe = (
        "import summarizer, summarizer.llm.prompts as p, summarizer.output.schema as s;"
        "from summarizer.resources import resource_dir;"
        "print(summarizer.__file__);"
        "print(resource_dir('prompts'));"
        "print(len(p.load_template('overview')) > 0);"
        "print(s.committed_schema_text() == s.schema_text());"
        "import summarizer.output.html as h;"
        "print(h._asset('report.js').startswith('// Links the items'))"
    )
    shown = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                           text=True, cwd=tmp_path, env={"PYTHONPATH": str(target)}).stdout.split()
    assert shown[0].startswith(str(target))
    assert shown[1].startswith(str(target))
    assert shown[2:] == ["True", "True", "True"]


def test_checkout_loads_the_same_schema_as_the_wheel_would() -> None:
    assert committed_schema_text() == schema_text()


def test_cli_help_defers_the_heavy_imports() -> None:
    """`summarizer --help` must stay fast: the model client stack loads only when a model is used."""
    probe = (
        "import sys; from summarizer.cli import app; from typer.testing import CliRunner;"
        "result = CliRunner().invoke(app, ['--help']);"
        "assert result.exit_code == 0, result.output;"
        "print(sorted(m for m in ('openai', 'instructor', 'httpx2', 'tenacity') if m in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert shown.stdout.strip() == "[]"
