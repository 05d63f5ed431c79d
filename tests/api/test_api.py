"""The library's public edges: what a `str` and a `Path` mean, option passing, digests and the model
as merge judge, and names that say whether a call asks the model.

Fakes stand behind the Provider seam (summarizer.llm.provider); their answers are written by hand,
not recorded from a model, so these tests hold whatever a model would say.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import summarizer
import summarizer.backends.openai
from summarizer import InputError, NoBackendError, Summarizer, api, asummarize, summarize_many
from summarizer.backends import local as local_model
from summarizer.digest import merging
from summarizer.digest.judge import SameClaimsDraft
from summarizer.errors import ConfigurationError
from summarizer.extract.drafts import EntitiesDraft, FiguresDraft, OverviewDraft, SingleDraft
from summarizer.llm.provider import Extraction, Message
from summarizer.text.document import Document
from tests.cli.test_cli import ENV_VARS, SEED, FakeProvider
from tests.digest.test_merging import FACTS_A, FACTS_C, OTHER_OUTLET, STORY, with_facts
from tests.digest.test_merging import summary as hand_summary

OVERVIEW = {"headline": {"evidence": "miners were trapped in the Tanta coal mine",
                         "text": "Miners were trapped in the Tanta coal mine."},
            "event_type": "accident",
            "summary": [{"evidence": "were trapped in the Tanta coal mine"}],
            "facts": [], "why": [], "how": []}
ENTITIES = {"actors": [], "places": [{"name": "Tanta"}], "quotes": []}
FIGURES = {"quantities": [{"evidence": "more than 40 miners", "value": 40, "counted": "miners"}],
           "dates": []}
ANSWERS: dict[type[BaseModel], dict[str, Any]] = {
    OverviewDraft: OVERVIEW, EntitiesDraft: ENTITIES, FiguresDraft: FIGURES,
    SingleDraft: {**{k: v for k, v in OVERVIEW.items() if k not in ("why", "how")},
                  "summary": [{"evidence": "were trapped in the Tanta coal mine",
                               "text": "Miners were trapped."}], "actors": [],
                  "places": [{"name": "Tanta", "evidence": "Tanta coal mine"}], "quotes": [],
                  **FIGURES},
    SameClaimsDraft: {"answers": [{"pair": 1, "same": True}]},
}


class Fake:
    """The Provider protocol with the hand-written answers above, validated like a model's."""

    parameters: Mapping[str, object] = {"temperature": 0.0}

    def __init__(self, **configured: Any) -> None:
        self.configured = configured
        self.asked: list[str] = []

    @property
    def model(self) -> str:
        return str(self.configured.get("model", "fake-model"))

    @property
    def endpoint_kind(self) -> str:
        return str(self.configured.get("endpoint_kind", "fake"))

    def extract(self, messages: Sequence[Message], response_model: type[Any],
                context: Mapping[str, object]) -> Extraction[Any]:
        self.asked.append(response_model.__name__)
        answered = next(c for c in response_model.__mro__ if c in ANSWERS)  # sized -> base
        value = response_model.model_validate(ANSWERS[answered], context=dict(context))
        return Extraction(value=value, calls=1, prompt_tokens=100, completion_tokens=10)


@pytest.fixture
def no_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(local_model, "is_installed", lambda: False)


@pytest.fixture
def made(no_backend: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Fake]]:
    """No endpoint in the environment and no local model (`no_backend`): only what the caller passes
    can configure one. The adapter the library builds is a Fake that keeps its configuration."""
    fakes: list[Fake] = []

    def factory(**configured: Any) -> Fake:
        fakes.append(Fake(**configured))
        return fakes[-1]

    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", factory)
    yield fakes


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
    providers: list[FakeProvider] = []

    def engine(**endpoint: Any) -> Summarizer:  # what `summarize` asks for, behind the fake seam
        providers.append(FakeProvider(**endpoint))
        return Summarizer(provider=providers[-1], variant=endpoint["variant"],
                          support_check=endpoint["support_check"])

    monkeypatch.setattr(api, "Summarizer", engine)
    summary = asyncio.run(summarizer.asummarize(
        SEED.read_text(encoding="utf-8"), doc_id="mine", title="T", published="2023-11-20",
        url="https://x.example", base_url="http://model.test/v1", api_key="k", model="m",
        variant="focused", max_chars=300_000, timeout=42.0, chunk_chars=50_000,
        support_check="rules"))
    (provider,) = providers
    assert provider.configured == {"base_url": "http://model.test/v1", "api_key": "k",
                                   "model": "m", "variant": "focused", "max_chars": 300_000,
                                   "timeout": 42.0, "chunk_chars": 50_000,
                                   "support_check": "rules"}
    document = summary.document
    assert (document.id, document.title, document.published, document.url) == (
        "mine", "T", "2023-11-20", "https://x.example")
    assert provider.asked == ["OverviewDraft", "EntitiesDraft", "FiguresDraft"]


def test_asummarize_defaults_to_the_focused_passes(made: list[Fake]) -> None:
    summary = asyncio.run(asummarize(STORY, base_url="http://fake.test/v1", model="m"))
    (fake,) = made
    assert fake.asked == ["OverviewDraft", "EntitiesDraft", "FiguresDraft"]
    assert (summary.document.id, summary.document.title, summary.document.published) == (
        "article", None, None)


# --- digests, and the model as merge judge ---------------------------------------------------


def test_summarize_many_digests_per_event_unless_told_not_to(made: list[Fake]) -> None:
    other = Document(id="other", raw=OTHER_OUTLET.replace("55 miners", "more than 40 miners"))
    with Summarizer(provider=Fake()) as engine:
        articles = engine.summarize_many([STORY, STORY, other], published="2024-03-05")
        assert [s.document.id for s in articles.summaries] == ["article-1", "article-2", "other"]
        (digest,) = articles.digests
        assert [s.doc_id for s in digest.sources] == ["article-1", "article-2", "other"]
        assert [g.members for g in digest.duplicate_groups] == [["article-1", "article-2"], ["other"]]
        forty = next(i for i in digest.items if i.kind == "quantity")
        assert (forty.text, forty.corroboration) == ("more than 40 miners", 2)
        assert engine.summarize_many([STORY, other], merge=False).digests == []
    articles = summarize_many([STORY, other], base_url="http://fake.test/v1", model="model-2")
    assert [[s.doc_id for s in d.sources] for d in articles.digests] == [["article-1", "other"]]
    assert summarize_many([STORY], merge=False, base_url="http://fake.test/v1", model="m").digests == []
    assert [fake.configured["model"] for fake in made] == ["model-2", "m"]


def test_summarizer_merge_asks_the_model_what_the_rules_cannot_decide() -> None:
    a, c = Document(id="a", raw=STORY), Document(id="c", raw=OTHER_OUTLET)
    fake = Fake()
    with Summarizer(provider=fake) as engine:
        (digest,) = engine.merge([with_facts(a, FACTS_A), with_facts(c, FACTS_C)], [a, c])
    assert fake.asked == ["SameClaimsDraft"]
    (decision,) = digest.model_decisions
    assert (decision.statements, decision.same, decision.model) == (
        [*FACTS_A, *FACTS_C], True, "fake-model")
    (fact,) = [i for i in digest.items if i.kind == "fact"]
    assert (fact.matched_by, fact.sources, fact.corroboration) == ("model", ["a", "c"], 2)


# --- the support check's default -------------------------------------------------------------


def test_the_support_check_default_comes_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def asked(env: str | None) -> list[str]:
        if env is None:
            monkeypatch.delenv("SUMMARIZER_SUPPORT_CHECK", raising=False)
        else:
            monkeypatch.setenv("SUMMARIZER_SUPPORT_CHECK", env)
        provider = FakeProvider()
        Summarizer(provider=provider).summarize(SEED)
        return provider.asked

    passes = ["OverviewDraft", "EntitiesDraft", "FiguresDraft"]
    assert asked("rules") == passes
    assert asked(None)[:3] == passes and len(asked(None)) > 3  # "model": the check's calls too
    monkeypatch.setenv("SUMMARIZER_SUPPORT_CHECK", "rules")
    provider = FakeProvider()
    Summarizer(provider=provider, support_check="model").summarize(SEED)  # the argument wins
    assert len(provider.asked) > 3
    monkeypatch.setenv("SUMMARIZER_SUPPORT_CHECK", "judge")
    with pytest.raises(ConfigurationError, match="SUMMARIZER_SUPPORT_CHECK must be 'model' or 'rules'"):
        Summarizer(provider=FakeProvider())


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
