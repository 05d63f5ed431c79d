"""The library's public edges: what a `str` and a `Path` mean, option passing, and names that say
whether a call asks the model. A hand-written fake sits behind the provider seam (no model)."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Any

import pytest

import summarizer
from summarizer import InputError, NoBackendError, Summarizer, api
from summarizer.backends import local as local_model
from summarizer.digest import merging
from tests.cli.test_cli import ENV_VARS, SEED, FakeProvider
from tests.digest.test_merging import OTHER_OUTLET, STORY
from tests.digest.test_merging import summary as hand_summary


@pytest.fixture
def no_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(local_model, "is_installed", lambda: False)


# --- a str is text, a Path is a file ---------------------------------------------------------


@pytest.mark.parametrize("name", ["a.txt", "notes/article.md", "SEED.TXT"])
def test_a_file_name_given_as_str_is_refused_before_any_backend(no_backend: None, name: str) -> None:
    with pytest.raises(InputError) as info:
        summarizer.summarize(name)
    assert not isinstance(info.value, NoBackendError)  # the input is checked first
    assert str(info.value) == (f"{name!r} looks like a file name, but a str is article text: "
                               f"pass Path({name!r}) to read the file")


def test_an_existing_file_named_by_a_str_is_refused_everywhere(tmp_path: Path) -> None:
    article = tmp_path / "article"  # no suffix: refused because it exists
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    provider = FakeProvider()
    with Summarizer(provider=provider) as engine:
        with pytest.raises(InputError, match=r"pass Path\("):
            engine.summarize(str(article))
        with pytest.raises(InputError, match=r"pass Path\("):
            engine.summarize_many([str(SEED)])
        assert provider.asked == []  # refused before the model was asked
        assert engine.summarize(article).document.id == "article"  # the Path is read


@pytest.mark.parametrize("text", ["Earthquake!", "A quake hit at 3 a.m.; see report.txt",
                                  "line one\nfile.txt"])
def test_text_that_is_no_file_name_stays_text(text: str) -> None:
    document = api.document_of(text, "mine")
    assert (document.id, document.raw, document.path) == ("mine", text, None)


# --- asummarize passes every option ----------------------------------------------------------


def test_asummarize_takes_exactly_the_options_of_summarize() -> None:
    assert inspect.signature(summarizer.asummarize).parameters == \
        inspect.signature(summarizer.summarize).parameters


def test_asummarize_passes_every_option_on(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[FakeProvider] = []

    def engine(**endpoint: Any) -> Summarizer:  # what `summarize` asks for, behind the fake seam
        made.append(FakeProvider(**endpoint))
        return Summarizer(provider=made[-1], variant=endpoint["variant"],
                          support_check=endpoint["support_check"])

    monkeypatch.setattr(api, "Summarizer", engine)
    summary = asyncio.run(summarizer.asummarize(
        SEED.read_text(encoding="utf-8"), doc_id="mine", title="T", published="2023-11-20",
        url="https://x.example", base_url="http://model.test/v1", api_key="k", model="m",
        variant="focused", max_chars=300_000, timeout=42.0, chunk_chars=50_000,
        support_check="rules"))
    (provider,) = made
    assert provider.configured == {"base_url": "http://model.test/v1", "api_key": "k",
                                   "model": "m", "variant": "focused", "max_chars": 300_000,
                                   "timeout": 42.0, "chunk_chars": 50_000,
                                   "support_check": "rules"}
    document = summary.document
    assert (document.id, document.title, document.published, document.url) == (
        "mine", "T", "2023-11-20", "https://x.example")
    assert provider.asked == ["OverviewDraft", "EntitiesDraft", "FiguresDraft"]


# --- names say whether the model is asked ----------------------------------------------------


def _two_outlets() -> tuple[list[summarizer.EventSummary], list[summarizer.Document]]:
    a = summarizer.Document(id="a", raw=STORY)
    b = summarizer.Document(id="b", raw=OTHER_OUTLET)
    return [hand_summary(a, actors=["Tanta"]), hand_summary(b, actors=["Tanta"])], [a, b]


def test_merge_by_rules_is_the_rules_alone() -> None:
    summaries, documents = _two_outlets()
    digests = summarizer.merge_by_rules(summaries, documents)
    assert digests == merging.merge(summaries, documents)
    assert [d.independent_sources for d in digests] == [2]
    assert digests[0].model_decisions == []


def test_the_old_merge_name_still_works_and_warns() -> None:
    summaries, documents = _two_outlets()
    for module in (summarizer, api):
        old = getattr(module, "merge")  # noqa: B009 (type checkers rightly see no such name)
        with pytest.warns(DeprecationWarning, match="renamed merge_by_rules"):
            assert old(summaries, documents) == summarizer.merge_by_rules(summaries, documents)
    with pytest.raises(AttributeError, match="no attribute 'merge_rules'"):
        getattr(summarizer, "merge_rules")  # noqa: B009
