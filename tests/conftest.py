"""Shared test configuration: cassette (vcrpy) settings and the provider the cassette tests use.

Cassettes are recorded by `summarizer cassettes record`, which sets SUMMARIZER_RECORD_* to a live
endpoint and runs the `cassette` tests with `--record-mode=rewrite --snapshot-update` into a copy of
cassettes/ and tests/snapshots/ (SUMMARIZER_CASSETTES_DIR, SUMMARIZER_SNAPSHOTS_DIR), then runs
the suite against that copy. Offline they replay: the request must match a recorded one by method,
path and body (never host, so any base URL replays).

Snapshots: what a recorded model said is compared with a JSON file under tests/snapshots/ (the
`snapshot` fixture); `--snapshot-update` rewrites the files instead, so a re-recording shows its
effect as a reviewable diff. Everything else asserts invariants that hold for any valid answer.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
import vcr
import yaml
from hypothesis import settings

from summarizer.backends.config import LOCAL_TIMEOUT
from summarizer.backends.grammar import COMPACT_JSON, JSON_SCHEMA
from summarizer.backends.openai import OpenAIProvider
from summarizer.evaluation.recording import (
    VCR_CONFIG,
    recorded_answer_format,
    recorded_model,
    stale_cassette,
    stamp_content,
)
from summarizer.extract.pipeline import summarize_document
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, read_article

ROOT = Path(__file__).resolve().parent.parent
# Overridable so that `summarizer cassettes record` can record and check in a scratch copy.
CASSETTES = Path(os.environ.get("SUMMARIZER_CASSETTES_DIR") or ROOT / "cassettes")
SNAPSHOTS = Path(os.environ.get("SUMMARIZER_SNAPSHOTS_DIR") or ROOT / "tests" / "snapshots")
RECORDED_WITH = CASSETTES / "recorded_with.json"
RECORD_COMMAND = "summarizer cassettes record"
SEEDS = {path.name[:3]: path for path in sorted((ROOT / "seeds").glob("*.txt"))}
# Articles summarized through a cassette: the seeds (cassettes/seed_NNN.yaml), an unrelated
# MEANTIME article (cassettes/meantime_11716.yaml) and copies of seed 000 and of that article with
# instructions planted in them (cassettes/injected_*.yaml; see tests/data/README.md).
ARTICLES = {**SEEDS, **{name: ROOT / "tests" / "data" / f"{name}.txt" for name in (
    "meantime_11716", "injected_000", "injected_meantime_11716")}}


# Property tests draw the same examples on every run ("derandomize"), so the suite cannot fail at
# random on an example no earlier run met; `pytest --hypothesis-profile=explore` draws new ones
# (and keeps what fails in .hypothesis/, for the next run to try first).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile("repeatable")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--snapshot-update", action="store_true",
                     help="write the snapshot files from what the tests produce instead of "
                          "comparing (done by `summarizer cassettes record`)")


def as_json(value: Any) -> str:
    """The one JSON layout of every snapshot file."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A live model may take many minutes per answer (see cassette_provider): recording, and the
    # `live` tests, wait on the model's own deadline, not the per-test timeout in pyproject.
    for item in items:
        if _recording() or item.get_closest_marker("live"):
            item.add_marker(pytest.mark.timeout(0))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    # Also under -q, where pytest prints no header: the seed that replays this run's order.
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int) and config.pluginmanager.hasplugin("randomly"):
        terminalreporter.write_line(f"random order: replay it with --randomly-seed={seed} "
                                    "(file order: -p no:randomly)")


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare `text` with SNAPSHOTS/`name` (or write it there with --snapshot-update)."""
    update = request.config.getoption("--snapshot-update")

    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            return
        if not path.is_file():
            pytest.fail(f"no snapshot {path}: run `{RECORD_COMMAND}` (or pytest --snapshot-update)")
        kept = path.read_text(encoding="utf-8")
        if name.endswith(".json"):
            assert json.loads(text) == json.loads(kept), f"{name}: differs from the snapshot"
        assert text == kept, f"{name}: differs from the snapshot (layout)"

    return check


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    return VCR_CONFIG


@pytest.fixture(scope="session")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


def _recording() -> bool:
    return "SUMMARIZER_RECORD_BASE_URL" in os.environ


@pytest.fixture(scope="session")
def cassette_model(request: pytest.FixtureRequest) -> str:
    if _recording():
        model = os.environ["SUMMARIZER_RECORD_MODEL"]
        answer_format = os.environ.get("SUMMARIZER_RECORD_ANSWER_FORMAT", JSON_SCHEMA)
        if request.config.getoption("--record-mode") == "once" and RECORDED_WITH.is_file():
            kept = (recorded_model(CASSETTES), recorded_answer_format(CASSETTES))
            if kept != (model, answer_format):
                pytest.fail(f"the cassettes were recorded with {kept}, not "
                            f"{(model, answer_format)}: re-record them all with "
                            f"`{RECORD_COMMAND}`")
            return model
        RECORDED_WITH.write_text(stamp_content(model, answer_format))
        return model
    if not RECORDED_WITH.is_file():
        pytest.fail(f"no cassettes recorded yet: run `{RECORD_COMMAND}`")
    return str(recorded_model(CASSETTES))


def recorded_compact_json() -> bool:
    """Whether the provider sends the compact JSON grammar, as the cassettes were recorded."""
    if _recording():
        return os.environ.get("SUMMARIZER_RECORD_ANSWER_FORMAT") == COMPACT_JSON
    return recorded_answer_format(CASSETTES) == COMPACT_JSON


@pytest.fixture
def cassette_provider(cassette_model: str) -> Iterator[OpenAIProvider]:
    """The real adapter, pointed at the live endpoint when recording and at nothing otherwise."""
    yield OpenAIProvider(
        model=cassette_model,
        base_url=os.environ.get("SUMMARIZER_RECORD_BASE_URL", "http://replay.invalid/v1"),
        api_key=os.environ.get("SUMMARIZER_RECORD_API_KEY", "unused"),
        endpoint_kind="local",
        attempts=1 if not _recording() else 4,
        # A 1.5B model on 2 busy cores can take over 300 s for one answer, and a retry only queues
        # behind the first request on llama-server's single slot (timeouts are not in the bodies).
        timeout=float(os.environ.get("SUMMARIZER_TIMEOUT") or (1800.0 if _recording() else LOCAL_TIMEOUT)),
        compact_json=recorded_compact_json(),
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if call.excinfo is not None and stale_cassette(call.excinfo.value):
        report.longrepr = (
            f"{item.nodeid}: the recorded cassette no longer matches what the code sends "
            f"(prompt, schema or parameters changed). Re-record with `{RECORD_COMMAND}`."
        )
    return report


_summaries: dict[str, tuple[Document, EventSummary]] = {}


def _cassette_of(name: str) -> Path:
    return CASSETTES / (f"seed_{name}.yaml" if name in SEEDS else f"{name}.yaml")


_recorded_this_session: set[Path] = set()


@pytest.fixture
def recorded(request: pytest.FixtureRequest,
             vcr_config: dict[str, Any]) -> Callable[[Path], contextlib.AbstractContextManager[Any]]:
    """A context that replays `cassette` (or records it, as --record-mode asks). A cassette is
    recorded once per session: tests that share it (in any order: the suite runs in random order)
    replay that one recording, so the snapshots and every test agree with what the cassette holds."""
    mode = request.config.getoption("--record-mode") or "none"

    def use(cassette: Path) -> contextlib.AbstractContextManager[Any]:
        mode_now = mode
        if mode in {"rewrite", "all"}:
            mode_now = "none" if cassette in _recorded_this_session else "all"
            if mode_now == "all":
                cassette.unlink(missing_ok=True)
                _recorded_this_session.add(cassette)
        context: contextlib.AbstractContextManager[Any] = vcr.VCR(
            record_mode=mode_now, **vcr_config).use_cassette(str(cassette))
        return context

    return use


@pytest.fixture
def replayed(vcr_config: dict[str, Any]) -> Callable[[Path], contextlib.AbstractContextManager[Any]]:
    """A context that only replays `cassette`, also while recording: a test that asks the same
    requests a second way (on the event loop, after threads) compares with the one recorded
    answer, never with a second live answer of the model (which differs from run to run)."""

    def use(cassette: Path) -> contextlib.AbstractContextManager[Any]:
        replaying: contextlib.AbstractContextManager[Any] = vcr.VCR(
            record_mode="none", **vcr_config).use_cassette(str(cassette))
        return replaying

    return use


@pytest.fixture
def summary_of(recorded: Callable[[Path], contextlib.AbstractContextManager[Any]],
               cassette_provider: OpenAIProvider) -> Callable[[str], tuple[Document, EventSummary]]:
    """Summarize an article of ARTICLES once per session through its cassette (recording when
    asked to)."""

    def run(name: str) -> tuple[Document, EventSummary]:
        if name not in _summaries:
            doc = read_article(ARTICLES[name])
            with recorded(_cassette_of(name)):
                # as the product runs by default: the model re-asks and judges its own wording
                _summaries[name] = (doc, summarize_document(doc, cassette_provider,
                                                            support_check="model"))
        return _summaries[name]

    return run


def recorded_usage(cassette: Path) -> tuple[int, int, int]:
    """(exchanges, prompt tokens, completion tokens) as the cassette recorded the model's answers."""
    interactions = yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]
    usage = [json.loads(i["response"]["body"]["string"])["usage"] for i in interactions]
    return (len(interactions), sum(u["prompt_tokens"] for u in usage),
            sum(u["completion_tokens"] for u in usage))
