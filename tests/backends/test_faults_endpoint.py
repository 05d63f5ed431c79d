"""More of the model endpoint's faults (issue 28), each against a stub written here, never a model:
an `httpx2.MockTransport` with hand-written replies, the small HTTP server of `test_faults` on
127.0.0.1, or a fake provider behind the seam (`FakeProvider` of the CLI tests, hand-written
answers). A server that echoes the API key; a request left hanging (the waiting line, the attempts
a timeout gets); the endpoint lost after some of an article's calls were answered, or while its
chunks are asked.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

import summarizer.backends.openai
from summarizer import api, console
from summarizer.backends.openai import OpenAIProvider
from summarizer.cli import app
from summarizer.errors import ProviderError, RetriesExhaustedError
from summarizer.extract.drafts import OverviewDraft
from summarizer.extract.recheck import RestatedDraft, SupportAnswersDraft
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, read_article
from tests.backends import test_faults
from tests.backends.test_faults import (
    KEY_MESSAGE,
    LOOPBACK,
    MODEL_MESSAGE,
    SEED,
    Replies,
    StubServer,
    ask,
    completion_body,
    openai_error,
    real_provider,
)
from tests.cli.test_cli import ANSWERS, PROGRESS, assert_one_line_error
from tests.conftest import ROOT

KEY = "sk-proj-Zq81fakeKEY0123456789"
ECHOED = (f"Incorrect API key provided: {KEY}. Sent headers: Authorization: Bearer {KEY}; "
          "proxy said: bearer tok_9f8e7d6c5b4a")
ECHOED_SHOWN = ("Incorrect API key provided: ***. Sent headers: Authorization: ***; proxy said: "
                "bearer ***")


stub, no_backoff = test_faults.stub, test_faults.no_backoff  # the fixtures of the stub server

# --- a server that echoes the API key (item 7) ---------------------------------------------------


def test_a_key_the_server_echoes_is_redacted_from_the_error(doc: Document) -> None:
    endpoint = Replies(openai_error(401, ECHOED))
    with pytest.raises(ProviderError) as raised:
        ask(endpoint.provider(api_key=KEY), doc)
    assert str(raised.value) == (
        "model endpoint error: HTTP 401 from http://***@fake.test/v1/chat/completions: "
        f"{ECHOED_SHOWN} (check the API key (--api-key or OPENAI_API_KEY))")


def test_a_key_echoed_in_a_5xx_body_is_redacted_after_the_retries(doc: Document) -> None:
    endpoint = Replies(httpx2.Response(502, text=f"upstream rejected Authorization: Bearer {KEY}"))
    with pytest.raises(ProviderError) as raised:
        ask(endpoint.provider(api_key=KEY, attempts=2), doc)
    assert KEY not in str(raised.value)
    assert str(raised.value).endswith("upstream rejected Authorization: *** (the endpoint failed "
                                      "on its side: try again later)")


def _echoing_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's adapter sends through a MockTransport that answers 401 echoing the key."""
    real = summarizer.backends.openai.OpenAIProvider
    transport = httpx2.MockTransport(lambda request: openai_error(401, ECHOED))

    def stubbed(**options: Any) -> OpenAIProvider:
        return real(**{**options, "http_client": httpx2.Client(transport=transport)})

    monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", stubbed)


def test_cli_never_shows_an_echoed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    _echoing_endpoint(monkeypatch)
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--base-url", "http://x.test/v1",
                                      "--model", "m", "--api-key", KEY])
    assert_one_line_error(result, 5, f"HTTP 401 from http://x.test/v1/chat/completions: "
                          f"{ECHOED_SHOWN} (check the API key")
    assert KEY not in result.output


def test_batch_errors_file_never_holds_an_echoed_key(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    _echoing_endpoint(monkeypatch)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(tmp_path / "r.jsonl"),
                                      "--no-cache", "--base-url", "http://x.test/v1",
                                      "--model", "m", "--api-key", KEY])
    assert result.exit_code == 7, result.output
    errors = [json.loads(line) for line in (tmp_path / "r.errors.jsonl").read_text().splitlines()]
    assert len(errors) == 2
    assert all(ECHOED_SHOWN in str(line["reason"]) for line in errors)
    assert KEY not in (tmp_path / "r.errors.jsonl").read_text() + result.output


def test_the_batch_apis_errors_never_show_an_echoed_key() -> None:
    from summarizer.backends.openai_batch import batch_client, submit

    echoing = httpx2.MockTransport(lambda request: openai_error(401, ECHOED))
    client = batch_client("http://x.test/v1", KEY, httpx2.Client(transport=echoing))
    with pytest.raises(ProviderError) as raised:
        submit(client, [b"{}\n"])
    assert str(raised.value).startswith("the Batch API refused the batch: ")
    assert "Authorization: ***" in str(raised.value)
    assert KEY not in str(raised.value)


# --- a request left hanging (item 6) ------------------------------------------------------------


@LOOPBACK
def test_a_hung_request_says_it_is_waiting_and_is_retried_once(
        stub: Callable[..., StubServer], no_backoff: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "WAITING_EVERY", 0.5)
    server = stub("hung")
    result = CliRunner().invoke(app, ["summarize", str(SEED), "--base-url", server.base_url,
                                      "--model", "stub-model", "--timeout", "0.8"])
    assert result.exit_code == 5, result.output
    assert len(server.requests) == 2  # one retry for a request that ran into its deadline
    waiting = [line for line in result.stderr.splitlines() if "waiting" in line]
    # two attempts of 0.8 s: a line at 0.5 and at 1 s of the one pass (the retry counts on)
    assert waiting[:2] == [f"summarizer: article 1/1 {SEED.stem}: waiting for the model: {n} s "
                           "(pass overview)" for n in ("0.5", "1")]
    assert result.stderr.splitlines()[-1].startswith(
        f"summarizer: error: {SEED.stem}, pass overview: model endpoint failed 2 times, last: "
        "no complete answer from")


def test_waiting_lines_follow_the_step_that_asks_the_model() -> None:
    """`_Waiting` alone, with a short period: a line per period while a pass lasts, none once a
    step that asks no model is shown, a fresh count for the next pass."""
    said: list[str] = []
    waiting = console._Waiting(said.append, 0.1)
    try:
        waiting.step("article 2/3 a: pass entities")
        time.sleep(0.45)
        waiting.step("merging")
        time.sleep(0.05)
        after_the_pass = len(said)
        time.sleep(0.3)
        quiet = len(said)
        waiting.step("pass overview, chunk 2/3 (characters 0-120)")
        time.sleep(0.25)
    finally:
        waiting.close()
    assert after_the_pass >= 3
    assert said[:3] == [f"article 2/3 a: waiting for the model: {n} s (pass entities)"
                        for n in ("0.1", "0.2", "0.3")]
    assert quiet == after_the_pass
    assert said[quiet] == "waiting for the model: 0.1 s (pass overview, chunk 2/3 (characters 0-120))"


@pytest.mark.parametrize(("reply", "requests"), [("hung", 2), ("503", 4)])
@LOOPBACK
def test_a_timeout_gets_two_attempts_other_faults_four(
        stub: Callable[..., StubServer], doc: Document, reply: str, requests: int) -> None:
    if reply == "hung":
        server = stub("hung")
        provider = real_provider(server.base_url, timeout=0.3)  # attempts: the default, 4
        with pytest.raises(RetriesExhaustedError, match="failed 2 times, last: no complete"):
            ask(provider, doc)
        assert len(server.requests) == requests
        return
    endpoint = Replies(httpx2.Response(503, json={"detail": "loading"}))
    with pytest.raises(RetriesExhaustedError, match="failed 4 times"):
        ask(endpoint.provider(), doc)
    assert endpoint.count == requests


# --- the endpoint lost after some of an article's calls (item 4) --------------------------------

ARTICLE = ROOT / "seeds" / "000_eb5bbfd39dc007a5.txt"  # the article of the CLI tests' answers
REFUSED_KEY = openai_error(401, KEY_MESSAGE)
UNKNOWN_MODEL = openai_error(404, MODEL_MESSAGE)
Failing = Callable[[int, str], "httpx2.Response | Exception | None"]


class Endpoint:
    """A MockTransport endpoint (a stub, never a model): answers each pass with the CLI tests'
    hand-written drafts, chosen by the schema the request names, and the support check's calls
    with "no" / an empty wording for every item, unless `failing(request number, schema name)`
    gives a reply or an exception to raise instead. `headline` replaces the overview's headline
    (one that breaks a support rule makes the support check re-ask it)."""

    def __init__(self, failing: Failing = lambda number, name: None,
                 headline: str | None = None) -> None:
        self.failing, self.headline = failing, headline
        self.asked: list[str] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        schema = json.loads(request.content)["response_format"]["json_schema"]
        name = str(schema["name"])
        self.asked.append(name)
        failure = self.failing(len(self.asked), name)
        if isinstance(failure, Exception):
            raise failure
        if failure is not None:
            return failure
        answered = next(cls for cls in ANSWERS if name.startswith(cls.__name__.removesuffix("Draft")))
        answer: dict[str, Any] = dict(ANSWERS[answered])
        if answered is SupportAnswersDraft or answered is RestatedDraft:
            answer = {key: answered is RestatedDraft and "" for key in schema["schema"]["required"]}
        if answered is OverviewDraft and self.headline:
            answer["headline"] = {**answer["headline"], "text": self.headline}
        return httpx2.Response(200, json=completion_body(json.dumps(answer)))

    def serving_the_cli(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The CLI's adapter (the real one) sends through this endpoint, backoff sleeps skipped."""
        real = summarizer.backends.openai.OpenAIProvider
        transport = httpx2.MockTransport(self)

        def stubbed(**options: Any) -> OpenAIProvider:
            return real(**{**options, "http_client": httpx2.Client(transport=transport),
                           "sleep": lambda seconds: None})

        monkeypatch.setattr(summarizer.backends.openai, "OpenAIProvider", stubbed)


def summarize_cli(*options: str, article: Path = ARTICLE) -> Any:
    return CliRunner().invoke(app, ["summarize", str(article), "--base-url", "http://x.test/v1",
                                    "--model", "m", *options])


def shortfalls(result: Any) -> list[str]:
    """The stderr lines that are neither progress nor the error line."""
    return [line for line in result.stderr.splitlines()
            if not PROGRESS.fullmatch(line) and not line.startswith("summarizer: error:")]


def without_run(summary: EventSummary) -> dict[str, Any]:
    """The summary less what says how the run went (calls, stamps, what failed)."""
    return summary.model_dump(mode="json", exclude={"metadata", "incomplete"})


@pytest.mark.parametrize("reply", [REFUSED_KEY, UNKNOWN_MODEL,
                                   httpx2.ConnectError("[Errno 111] Connection refused")],
                         ids=["401", "404", "refused"])
def test_the_endpoint_lost_at_the_judge_keeps_the_summary(
        monkeypatch: pytest.MonkeyPatch, reply: httpx2.Response | Exception) -> None:
    endpoint = Endpoint(lambda number, name: reply if name.startswith("SupportAnswers") else None)
    endpoint.serving_the_cli(monkeypatch)
    result = summarize_cli()
    assert result.exit_code == 7, result.output
    summary = EventSummary.model_validate_json(result.stdout)
    (lost,) = summary.incomplete
    assert lost.name == "support_judge"
    assert lost.error.startswith(("model endpoint error: HTTP 4", "model endpoint failed 4 times, "
                                  "last: cannot connect to"))
    assert shortfalls(result) == [f"summarizer: {ARTICLE.stem}: pass support_judge failed, its "
                                  f"statements were checked by the rules alone: {lost.error}"]
    assert result.stderr.splitlines()[-1] == ("summarizer: error: incomplete: 1 failure(s) listed "
                                              "above; the output holds what the rest grounded")
    # what the judge would have decided, the rules decided: as with --support-check rules
    assert summary.judged == []
    assert without_run(summary) == without_run(rules_only(monkeypatch))


def test_the_async_route_keeps_the_same_summary_when_the_judge_is_lost() -> None:
    """`asummarize_document` (the batch's route, the passes at once) gives what `summarize`
    gives: the summary kept, the judge listed."""
    def provider() -> OpenAIProvider:
        endpoint = Endpoint(lambda number, name: REFUSED_KEY if name.startswith("SupportAnswers")
                            else None)
        return OpenAIProvider(model="m", base_url="http://x.test/v1", sleep=lambda seconds: None,
                              http_client=httpx2.Client(transport=httpx2.MockTransport(endpoint)))

    doc = read_article(ARTICLE)
    with api.Summarizer(provider=provider()) as engine:
        in_turn = engine.summarize_document(doc)
    with api.Summarizer(provider=provider(), passes_at_once=3) as engine:
        at_once = asyncio.run(engine.asummarize_document(doc))
    for summary in (in_turn, at_once):
        assert [p.name for p in summary.incomplete] == ["support_judge"]
    assert without_run(at_once) == without_run(in_turn)


def rules_only(monkeypatch: pytest.MonkeyPatch, headline: str | None = None) -> EventSummary:
    healthy = Endpoint(headline=headline)
    healthy.serving_the_cli(monkeypatch)
    result = summarize_cli("--support-check", "rules")
    assert result.exit_code == 0, result.output
    return EventSummary.model_validate_json(result.stdout)


def test_the_endpoint_lost_at_the_reask_leaves_the_rest_to_the_rules(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A headline with a figure its evidence does not say is re-asked; the re-ask finds the
    endpoint refusing connections (4 attempts), so the judge is not asked at all."""
    headline = "Russia starts evacuating 5,000 of its citizens from Gaza."
    endpoint = Endpoint(lambda number, name: httpx2.ConnectError("[Errno 111] Connection refused")
                        if name.startswith("Restated") else None, headline=headline)
    endpoint.serving_the_cli(monkeypatch)
    result = summarize_cli()
    assert result.exit_code == 7, result.output
    assert [name.rstrip("0123456789") for name in endpoint.asked] == [
        "OverviewDraft", "EntitiesDraft", "FiguresDraft", *["Restated"] * 4]
    summary = EventSummary.model_validate_json(result.stdout)
    assert [(p.name, p.error.split(":")[0]) for p in summary.incomplete] == [
        ("reask", "model endpoint failed 4 times, last"),
        ("support_judge", "not attempted, the endpoint is down")]
    assert (summary.reasked, summary.judged) == ([], [])
    assert without_run(summary) == without_run(rules_only(monkeypatch, headline))


@pytest.mark.parametrize(("lost_at", "kept", "missing"), [
    (2, ["overview"], ["entities", "figures"]),
    (3, ["overview", "entities"], ["figures"]),
])
def test_the_endpoint_lost_after_some_passes_keeps_them(
        monkeypatch: pytest.MonkeyPatch, lost_at: int, kept: list[str], missing: list[str]) -> None:
    # the headline breaks a support rule: a healthy endpoint would be asked to re-word it
    endpoint = Endpoint(lambda number, name: UNKNOWN_MODEL if number >= lost_at else None,
                        headline="Russia starts evacuating 5,000 of its citizens from Gaza.")
    endpoint.serving_the_cli(monkeypatch)
    result = summarize_cli()
    assert result.exit_code == 7, result.output
    assert len(endpoint.asked) == lost_at  # nothing after the refusal: no pass, no support check
    summary = EventSummary.model_validate_json(result.stdout)
    assert (summary.headline.text, summary.headline.support) == (
        "Russia has begun evacuating its citizens", "evidence-only")  # the rules' fallback
    summary = EventSummary.model_validate_json(result.stdout)
    assert [p.name for p in summary.incomplete] == missing
    assert summary.incomplete[0].error.startswith("model endpoint error: HTTP 404 from ")
    assert all(p.error.startswith("not attempted, the endpoint is down: model endpoint error: "
                                  "HTTP 404") for p in summary.incomplete[1:])
    assert [s.name for s in summary.metadata.prompts] == kept
    assert summary.reasked == []
    assert shortfalls(result)[0] == (f"summarizer: {ARTICLE.stem}: pass {missing[0]} failed, its "
                                     f"items are missing: {summary.incomplete[0].error}")
    assert summary.headline.text and (summary.actors == []) is ("entities" in missing)


def test_the_endpoint_lost_at_the_first_pass_is_the_error_as_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    endpoint = Endpoint(lambda number, name: REFUSED_KEY)
    endpoint.serving_the_cli(monkeypatch)
    result = summarize_cli()
    assert_one_line_error(result, 5, f"summarizer: error: {ARTICLE.stem}, pass overview: model "
                          "endpoint error: HTTP 401 from http://x.test/v1/chat/completions")
    assert endpoint.asked == ["OverviewDraft"]


# --- chunks past a dead endpoint (item 8) -------------------------------------------------------


def long_article(tmp_path: Path, copies: int = 4) -> Path:
    """Seed 000 `copies` times over: with --chunk-chars 3000, a chunk per copy, each with the
    evidence of the hand-written answers."""
    text = ARTICLE.read_text(encoding="utf-8")
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join([text] * copies), encoding="utf-8")
    return path


def test_a_model_refused_from_the_start_ends_the_chunks_at_once(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    endpoint = Endpoint(lambda number, name: UNKNOWN_MODEL)
    endpoint.serving_the_cli(monkeypatch)
    result = summarize_cli("--chunk-chars", "3000", article=long_article(tmp_path, 12))
    assert result.exit_code == 5, result.output
    assert result.stderr.splitlines()[-1] == (
        "summarizer: error: long, pass overview: model endpoint error: HTTP 404 from "
        f"http://x.test/v1/chat/completions: {MODEL_MESSAGE} (check the model name (--model or "
        "SUMMARIZER_MODEL) and the base URL)")
    assert endpoint.asked == ["OverviewDraft"]  # one request, not one per chunk


def test_the_endpoint_lost_in_the_second_chunk_keeps_the_first(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    endpoint = Endpoint(lambda number, name: REFUSED_KEY if number >= 6 else None)
    endpoint.serving_the_cli(monkeypatch)
    result = summarize_cli("--chunk-chars", "3000", article=long_article(tmp_path))
    assert result.exit_code == 7, result.output
    summary = EventSummary.model_validate_json(result.stdout)
    assert summary.metadata.chunks is not None and len(summary.metadata.chunks) == 4
    # chunk 1: three passes and its judge; chunk 2: its overview, then the key is refused
    assert [name.rstrip("0123456789") for name in endpoint.asked] == [
        "OverviewDraft", "EntitiesDraft", "FiguresDraft", "SupportAnswers", "OverviewDraft",
        "EntitiesDraft"]
    down = (f"model endpoint error: HTTP 401 from http://x.test/v1/chat/completions: {KEY_MESSAGE} "
            "(check the API key (--api-key or OPENAI_API_KEY))")
    second = summary.metadata.chunks[1]
    label = f"chunk 2/4 (characters {second.start}-{second.end})"
    assert [(p.name, p.error) for p in summary.incomplete] == [
        ("entities", f"{label}: {down}"),
        ("figures", f"{label}: not attempted, the endpoint is down: {down}"),
        ("chunk 3", f"not attempted, the endpoint is down: {down}"),
        ("chunk 4", f"not attempted, the endpoint is down: {down}")]
    assert summary.actors  # chunk 1's items are kept


@pytest.fixture(scope="module")
def doc() -> Document:
    return read_article(SEED)


