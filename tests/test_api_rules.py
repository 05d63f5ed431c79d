"""The library API passes on what it is given: options, digests, the model as merge judge.

A fake stands behind the Provider seam (summarizer.llm.provider); its answers are written here by
hand, not recorded from a model, so these tests hold whatever a model would say.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from pydantic import BaseModel

import summarizer.backends.openai
from summarizer import Summarizer, asummarize, summarize_many
from summarizer.backends import local as local_model
from summarizer.digest.judge import SameClaimsDraft
from summarizer.extract.drafts import EntitiesDraft, FiguresDraft, OverviewDraft, SingleDraft
from summarizer.llm.provider import Extraction, Message
from summarizer.text.document import Document
from tests.digest.test_merging import FACTS_A, FACTS_C, OTHER_OUTLET, STORY, with_facts

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
def made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Fake]]:
    """No endpoint in the environment and no local model: only what the caller passes can
    configure one. The adapter the library builds is a Fake that keeps its configuration."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(local_model, "is_installed", lambda: False)
    fakes: list[Fake] = []

    def factory(**configured: Any) -> Fake:
        fakes.append(Fake(**configured))
        return fakes[-1]

    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", factory)
    yield fakes


# Every option reaching the endpoint: tests/test_api.py::test_asummarize_passes_every_option_on.


def test_asummarize_defaults_to_the_focused_passes(made: list[Fake]) -> None:
    summary = asyncio.run(asummarize(STORY, base_url="http://fake.test/v1", model="m"))
    (fake,) = made
    assert fake.asked == ["OverviewDraft", "EntitiesDraft", "FiguresDraft"]
    assert (summary.document.id, summary.document.title, summary.document.published) == (
        "article", None, None)


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


def test_the_support_check_default_comes_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer import Summarizer
    from summarizer.errors import ConfigurationError
    from tests.cli.test_cli import SEED, FakeProvider

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
