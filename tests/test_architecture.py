"""The house's shape: few top-level modules, every other module inside a room of the layers contract,
and the tests laid out room by room like the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "summarizer"
# Shared by every room, outside the layers: the exception root, resource lookup, the shell's helpers.
OUTSIDE_LAYERS = {"__init__", "__main__", "errors", "resources", "console"}


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _layered() -> set[str]:
    (layers,) = [c["layers"] for c in _contracts() if c["type"] == "layers"]
    assert isinstance(layers, list)
    return {name.strip().removeprefix("summarizer.") for layer in layers for name in layer.split("|")}


def test_top_level_is_a_few_modules_and_the_rest_are_rooms() -> None:
    modules = sorted(p.stem for p in PACKAGE.glob("*.py"))
    rooms = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert len(modules) <= 8, modules
    assert len(rooms) >= 5, rooms
    assert rooms == sorted(r for r in _layered() if (PACKAGE / r).is_dir())


def test_every_module_is_in_a_layer_or_a_named_shared_helper() -> None:
    layered = _layered()
    for path in PACKAGE.rglob("*.py"):
        room = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert room in layered or room in OUTSIDE_LAYERS, f"{path}: in no layer of the contract"


def test_the_core_is_forbidden_the_model_clients_and_http() -> None:
    (core,) = [c for c in _contracts() if str(c["name"]).startswith("The core")]
    sources, forbidden = core["source_modules"], core["forbidden_modules"]
    assert isinstance(sources, list) and isinstance(forbidden, list)
    assert {"summarizer.extract", "summarizer.digest", "summarizer.llm", "summarizer.text",
            "summarizer.normalize", "summarizer.output"} <= set(sources)
    assert {"openai", "instructor", "typer", "httpx2", "vcr"} <= set(forbidden)


def test_one_name_per_module() -> None:
    """No two modules of the package share a file name (only `__init__.py` repeats): a name says
    which concept a module holds, wherever it is imported from."""
    seen: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name != "__init__.py":
            seen.setdefault(path.name, []).append(str(path.relative_to(PACKAGE)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}


TESTS = ROOT / "tests"
# Test modules of the package as a whole, beside the shared fixtures and fakes at the top of tests/.
WHOLE_PACKAGE_TESTS = {"test_architecture.py", "test_package.py"}


def test_the_tests_mirror_the_rooms() -> None:
    """Each test module sits in tests/<room>/ for the room of the package it tests (`cli` for
    summarizer/cli.py), in tests/end_to_end/, or in tests/docs/ (the README's and the docs'
    examples); only the tests of the package as a whole sit at the top. Each folder is a package,
    so its modules are imported as tests.<room>.<module>."""
    rooms = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert (PACKAGE / "cli.py").is_file()
    folders = rooms | {"cli", "end_to_end", "docs"}
    misplaced = []
    for path in sorted(TESTS.rglob("test_*.py")):
        where = path.relative_to(TESTS)
        if where.parts == (path.name,) and path.name in WHOLE_PACKAGE_TESTS:
            continue
        if len(where.parts) != 2 or where.parts[0] not in folders:
            misplaced.append(str(where))
        else:
            assert (path.parent / "__init__.py").is_file(), f"{where.parent}/ is not a package"
    assert misplaced == [], f"not in a folder named after a room of the package: {misplaced}"


def test_one_name_per_test_module() -> None:
    """No two test modules share a file name, in whatever folders they are: a name says what is
    tested, and `pytest -k` or a traceback finds one module by it."""
    seen: dict[str, list[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        seen.setdefault(path.name, []).append(str(path.relative_to(TESTS)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
