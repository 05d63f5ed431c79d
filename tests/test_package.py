"""The package as users get it: its public names, its committed schema, and its wheel."""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
import json
import re
import subprocess
import sys
import tomllib
import typing
import zipfile
from pathlib import Path

import pytest
from pydantic import BaseModel

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


def _models_in(annotation: object) -> set[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    return {m for arg in typing.get_args(annotation) for m in _models_in(arg)}


def test_every_output_model_and_the_provider_seam_are_exported() -> None:
    """Whatever a summary or a digest is built of can be imported from `summarizer`."""
    seen: set[type[BaseModel]] = set()
    todo: list[type[BaseModel]] = [summarizer.EventSummary, summarizer.ArticleSet]
    while todo:
        model = todo.pop()
        if model not in seen:
            seen.add(model)
            todo += [m for f in model.model_fields.values() for m in _models_in(f.annotation)]
    assert len(seen) > 20
    for model in seen:
        assert getattr(summarizer, model.__name__, None) is model, model.__name__
    from summarizer.llm import provider

    for name in ("Provider", "Message", "Extraction"):
        assert getattr(summarizer, name) is getattr(provider, name)


def test_version_is_the_installed_one_with_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert summarizer.__version__ == importlib.metadata.version("summarizer") == declared["version"]

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert summarizer._installed_version() == "0+unknown"


def test_licence_file_matches_the_declared_licence() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert declared["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the summarizer authors" in text


def _imported(directory: Path) -> dict[str, set[str]]:
    """Top-level third-party modules imported by the .py files under `directory` -> the files."""
    found: dict[str, set[str]] = {}
    for path in directory.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("summarizer", "tests", "bench"):
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(requirements: list[str]) -> set[str]:
    """Distribution names of requirements such as "openai>=3,<4" (PEP 503 normalized)."""
    return {_canonical(re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0]) for r in requirements}


@pytest.mark.parametrize(("directory", "extras"), [
    ("summarizer", ()), ("summarizer/evaluation", ("eval",)),
    ("tests", ("eval", "dev", "ray")),  # tests/batch/test_ray_data.py skips itself without ray
    ("bench", ("eval", "dev"))])
def test_every_imported_package_is_declared(directory: str, extras: tuple[str, ...]) -> None:
    """The runtime imports only `dependencies`; the evaluation tooling may use the `eval` extra,
    tests and benchmarks the `dev` one too, tests the `ray` one."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _names(project["dependencies"])
    for extra in extras:
        declared |= _names(project["optional-dependencies"][extra])
    distributions = importlib.metadata.packages_distributions()
    imported = _imported(ROOT / directory)
    if directory == "summarizer":  # the evaluation tooling has its own extras
        imported = _imported_outside(imported, "summarizer/evaluation/")
    assert imported
    for module, files in sorted(imported.items()):
        # an optional extra that is declared but not installed here (ray) has no distribution
        provided = {_canonical(d) for d in distributions.get(module, [])} or {_canonical(module)}
        assert provided & declared, f"{module} (imported by {sorted(files)}) is not declared"


def _imported_outside(imported: dict[str, set[str]], prefix: str) -> dict[str, set[str]]:
    kept = {module: {f for f in files if not f.startswith(prefix)} for module, files in imported.items()}
    return {module: files for module, files in kept.items() if files}


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
    assert "summarizer/py.typed" in names  # type checkers use the package's annotations
    licences = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert licences
    assert zipfile.ZipFile(wheel).read(licences[0]) == (ROOT / "LICENSE").read_bytes()
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
        "print(h._asset('report.js').startswith('// Links the items'));"
        "print(summarizer.__version__)"
    )
    shown = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                           text=True, cwd=tmp_path, env={"PYTHONPATH": str(target)}).stdout.split()
    assert shown[0].startswith(str(target))
    assert shown[1].startswith(str(target))
    assert shown[2:] == ["True", "True", "True", summarizer.__version__]


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
