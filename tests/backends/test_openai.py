"""The OpenAI adapter and the pipeline under endpoint faults, through a transport fake.

Every response here is written by hand and served by an `httpx2.MockTransport` handed to the real
openai client; these are fault scenarios from a transport fake (429 with Retry-After, 5xx, refused
connections, 400, truncated answers, invalid JSON, quotes not in the article), not recorded model
output. Nothing touches the network. The behaviour under test is the real stack: openai's client
(its own retries off), instructor's re-asks, tenacity's transport retries and our grounding.

Every test runs twice: through `extract` and the sync client, and through `aextract` and openai's
async client on an event loop (the batch's path), with the pipeline driven by `adrive`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest

from summarizer.backends.openai import OpenAIProvider
from summarizer.errors import ProviderError, RetriesExhaustedError
from summarizer.extract.asking import adrive
from summarizer.extract.drafts import FiguresDraft
from summarizer.extract.grounding import ground
from summarizer.extract.pipeline import summarize_document as summarize_in_threads
from summarizer.extract.pipeline import summary_steps
from summarizer.llm.provider import Draft, Extraction, Message
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, read_article
from tests.conftest import ROOT

SEED = ROOT / "seeds" / "001_922f9856dfd84345.txt"

GOOD_QUANTITY = {"evidence": "Nearly 600 Russian citizens", "value": 600,
                 "counted": "Russian citizens awaiting evacuation"}
BAD_QUANTITY = {"evidence": "Almost 700 Russian people", "value": 700,
                "counted": "Russian citizens awaiting evacuation"}
GOOD_DATE = {"expression": "on Sunday", "event": "the ministry released its statement"}
GOOD_FIGURES = {"quantities": [GOOD_QUANTITY], "dates": [GOOD_DATE]}
BAD_FIGURES = {"quantities": [BAD_QUANTITY], "dates": [GOOD_DATE]}

Reply = httpx2.Response | Exception
Script = Callable[[int, dict[str, Any]], Reply]
ASYNC = [False]  # this run's way of asking: set by the `way` fixture


@pytest.fixture(autouse=True, params=["extract", "aextract"])
def way(request: pytest.FixtureRequest) -> Iterator[str]:
    ASYNC[0] = request.param == "aextract"
    yield request.param
    ASYNC[0] = False


def ask(provider: OpenAIProvider, sent: list[Message], model: type[Draft],
        doc: Document) -> Extraction[Draft]:
    if ASYNC[0]:
        return asyncio.run(provider.aextract(sent, model, {"document": doc}))
    return provider.extract(sent, model, {"document": doc})


def summarize_document(doc: Document, provider: OpenAIProvider, **options: Any) -> EventSummary:
    """The pipeline over the provider: the passes in turn, asked in threads or on an event loop."""
    if ASYNC[0]:
        return asyncio.run(adrive(summary_steps(doc, provider, **options), provider, at_once=False))
    return summarize_in_threads(doc, provider, **options)


@pytest.fixture(scope="module")
def doc() -> Document:
    return read_article(SEED)


def completion(content: str, *, finish_reason: str = "stop", prompt_tokens: int = 100,
               completion_tokens: int = 20) -> httpx2.Response:
    """An OpenAI-style chat.completions answer whose message content is `content`."""
    return httpx2.Response(200, json={
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "test-model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": finish_reason,
        }],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    })


def answer(payload: dict[str, Any], *, prompt_tokens: int = 100,
           completion_tokens: int = 20) -> httpx2.Response:
    return completion(json.dumps(payload), prompt_tokens=prompt_tokens,
                      completion_tokens=completion_tokens)


def error(status: int, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(status, json={"error": {"message": f"fake {status}", "type": "x"}},
                           headers=headers)


class FakeEndpoint:
    """Serves scripted replies; records every request body and every backoff sleep."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.bodies: list[dict[str, Any]] = []
        self.sleeps: list[float] = []

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        assert request.url.path == "/v1/chat/completions"
        body = json.loads(request.content)
        self.bodies.append(body)
        reply = self.script(len(self.bodies), body)
        if isinstance(reply, Exception):
            raise reply
        return reply

    def provider(self, **overrides: Any) -> OpenAIProvider:
        options: dict[str, Any] = {"backoff": 0, "attempts": 4, "reasks": 2}
        options.update(overrides)
        return OpenAIProvider(
            model="test-model", base_url="http://fake.test/v1",
            http_client=httpx2.Client(transport=httpx2.MockTransport(self.handle)),
            async_http_client=lambda: httpx2.AsyncClient(transport=httpx2.MockTransport(self.handle)),
            sleep=self.sleeps.append, **options,
        )

    @property
    def requests(self) -> int:
        return len(self.bodies)


def sequence(*replies: Reply) -> Script:
    """Reply n is the n-th scripted one; the last repeats."""
    def script(number: int, body: dict[str, Any]) -> Reply:
        return replies[min(number, len(replies)) - 1]
    return script


def assert_figures(value: object, expected: dict[str, Any]) -> None:
    # instructor answers with its own subclass of the response model, so compare the data
    assert isinstance(value, FiguresDraft)
    assert value.model_dump() == FiguresDraft.model_validate(expected).model_dump()


def messages() -> list[Message]:
    return [Message("system", "Answer in JSON."), Message("user", "Numbers and dates, please.")]


def extract_figures(endpoint: FakeEndpoint, doc: Document, **overrides: Any) -> Any:
    return ask(endpoint.provider(**overrides), messages(), FiguresDraft, doc)


# --- transport faults: tenacity's loop ---------------------------------------------------------


def test_429_honours_retry_after_then_parses_the_answer(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(error(429, {"Retry-After": "3"}),
                                     answer(GOOD_FIGURES, prompt_tokens=111,
                                            completion_tokens=22)))
    result = extract_figures(endpoint, doc)

    assert endpoint.requests == 2
    assert endpoint.sleeps == [3.0]  # Retry-After, not the (zero) exponential backoff
    assert_figures(result.value, GOOD_FIGURES)
    assert result.unverified is None
    # Only responses that carried a completion count: the 429 has no usage and is no call.
    assert (result.calls, result.prompt_tokens, result.completion_tokens) == (1, 111, 22)


def test_retry_after_is_capped_at_a_minute(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(error(429, {"Retry-After": "86400"}), answer(GOOD_FIGURES)))
    result = extract_figures(endpoint, doc)
    assert endpoint.sleeps == [60.0]
    assert result.value.quantities[0].value == 600


def test_unparseable_retry_after_falls_back_to_backoff(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(
        error(429, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), answer(GOOD_FIGURES)))
    result = extract_figures(endpoint, doc, backoff=0.5)
    assert len(endpoint.sleeps) == 1
    assert endpoint.sleeps == [1.0]  # the first rate-limit wait: backoff * 2**1
    assert result.calls == 1


def test_500_on_every_request_exhausts_the_retries(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(error(500)))
    with pytest.raises(RetriesExhaustedError) as raised:
        extract_figures(endpoint, doc, attempts=3, backoff=0.5)

    assert endpoint.requests == 3
    assert raised.value.attempts == 3
    assert "failed 3 times" in str(raised.value)
    assert "HTTP 500" in str(raised.value)
    assert raised.value.prompt_tokens == raised.value.completion_tokens == 0
    # a wait between attempts, none after the last; jittered exponential within its cap
    assert len(endpoint.sleeps) == 2
    assert all(0.0 <= wait <= 0.5 * 2**i for i, wait in enumerate(endpoint.sleeps))


def test_transient_failures_then_success_within_the_attempts(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(error(503), error(502), answer(GOOD_FIGURES)))
    result = extract_figures(endpoint, doc, attempts=3)
    assert endpoint.requests == 3
    assert result.calls == 1
    assert result.value.dates[0].expression == "on Sunday"


def test_connection_errors_are_retried_then_exhausted(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(httpx2.ConnectError("connection refused")))
    with pytest.raises(RetriesExhaustedError) as raised:
        extract_figures(endpoint, doc, attempts=4)
    assert endpoint.requests == 4
    assert raised.value.attempts == 4
    assert str(raised.value) == (
        "model endpoint failed 4 times, last: cannot connect to "
        "http://fake.test/v1/chat/completions: connection refused (is the server running, is the "
        "URL right?)")
    assert len(endpoint.sleeps) == 3


def test_connection_error_then_success(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(httpx2.ConnectError("refused"), answer(GOOD_FIGURES)))
    result = extract_figures(endpoint, doc)
    assert endpoint.requests == 2
    assert_figures(result.value, GOOD_FIGURES)


def test_400_is_a_provider_error_and_not_retried(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(error(400)))
    with pytest.raises(ProviderError) as raised:
        extract_figures(endpoint, doc)
    assert not isinstance(raised.value, RetriesExhaustedError)
    assert "HTTP 400" in str(raised.value)
    assert endpoint.requests == 1
    assert endpoint.sleeps == []


def test_answer_cut_off_at_max_tokens_is_a_provider_error(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(completion('{"quantities": [{"evidence": "Nea',
                                                finish_reason="length")))
    with pytest.raises(ProviderError) as raised:
        extract_figures(endpoint, doc, max_tokens=64)
    assert not isinstance(raised.value, RetriesExhaustedError)
    assert "cut off" in str(raised.value)
    assert "64 tokens" in str(raised.value)
    assert endpoint.requests == 1  # neither re-asked nor retried


# --- bad answers: instructor's re-asks -----------------------------------------------------------


def test_invalid_json_is_reasked_and_the_valid_answer_kept(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(completion("not json", prompt_tokens=50, completion_tokens=3),
                                     answer(GOOD_FIGURES, prompt_tokens=80,
                                            completion_tokens=30)))
    result = extract_figures(endpoint, doc)

    assert endpoint.requests == 2
    assert_figures(result.value, GOOD_FIGURES)
    assert result.unverified is None
    assert (result.calls, result.prompt_tokens, result.completion_tokens) == (2, 130, 33)
    reask = endpoint.bodies[1]["messages"]
    assert reask[: len(messages())] == endpoint.bodies[0]["messages"]
    assert {"role": "assistant", "content": "not json"} in reask
    assert "Invalid JSON" in reask[-1]["content"]


def test_by_default_an_answer_with_a_bad_item_is_not_reasked_and_kept_unverified(
    doc: Document, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The default (REASKS 0, SUMMARIZER_REASKS unset): one request; grounding drops the bad item."""
    monkeypatch.delenv("SUMMARIZER_REASKS", raising=False)
    endpoint = FakeEndpoint(sequence(answer(BAD_FIGURES), answer(GOOD_FIGURES)))
    provider = OpenAIProvider(model="test-model", base_url="http://fake.test/v1",
                              http_client=httpx2.Client(transport=httpx2.MockTransport(
                                  endpoint.handle)))
    result = ask(provider, messages(), FiguresDraft, doc)
    assert endpoint.requests == 1 and result.calls == 1
    assert result.unverified is not None and "not in the article" in result.unverified
    assert provider.parameters["reasks"] == 0


@pytest.mark.parametrize(("raw", "expected"), [(None, 0), ("2", 2), (" 1 ", 1)])
def test_reasks_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, raw: str | None,
                                          expected: int) -> None:
    from summarizer.backends import config

    if raw is None:
        monkeypatch.delenv("SUMMARIZER_REASKS", raising=False)
    else:
        monkeypatch.setenv("SUMMARIZER_REASKS", raw)
    assert config.reasks() == expected
    assert config.reasks(3) == 3  # an argument wins


@pytest.mark.parametrize("raw", ["x", "-1", "6", "1.5"])
def test_bad_reasks_are_a_configuration_error(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    from summarizer.backends import config
    from summarizer.errors import ConfigurationError

    monkeypatch.setenv("SUMMARIZER_REASKS", raw)
    with pytest.raises(ConfigurationError, match="SUMMARIZER_REASKS must be a whole number"):
        config.reasks()


def test_the_messages_are_sent_as_written_whatever_template_syntax_they_hold(
    doc: Document,
) -> None:
    """Given a context, instructor renders messages as Jinja templates; ours must reach the model
    byte for byte, and the validation must still see the article (the bad quote is re-asked)."""
    text = "Price {{ total }} rose.\r\nHe said {% if %} and {# not a comment #}.\n\n"
    sent = [Message("system", "Answer in JSON."), Message("user", text)]
    endpoint = FakeEndpoint(sequence(answer(BAD_FIGURES), answer(GOOD_FIGURES)))
    result = ask(endpoint.provider(reasks=1), sent, FiguresDraft, doc)
    assert endpoint.bodies[0]["messages"][1]["content"] == text
    assert endpoint.requests == 2 and result.unverified is None  # the quote was checked


def test_invalid_json_every_time_is_a_provider_error(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(completion("not json")))
    with pytest.raises(ProviderError, match="no valid answer after 3 attempts"):
        extract_figures(endpoint, doc, reasks=2)
    assert endpoint.requests == 3  # the first ask and two re-asks; nothing is transport-retried
    assert endpoint.sleeps == []


def test_quote_not_in_article_is_reasked_with_the_closest_passage(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(answer(BAD_FIGURES), answer(GOOD_FIGURES)))
    result = extract_figures(endpoint, doc)

    assert endpoint.requests == 2
    assert_figures(result.value, GOOD_FIGURES)
    assert result.unverified is None
    assert result.calls == 2
    reask = endpoint.bodies[1]["messages"][-1]
    assert reask["role"] == "user"
    assert "closest passage" in reask["content"]
    assert BAD_QUANTITY["evidence"] in reask["content"]
    # the closest passage quoted back is a real sentence of the article (cut at 240 characters)
    passage = reask["content"].split("the closest passage is: ")[1].split("'")[1]
    assert passage.removesuffix("\u2026") in doc.raw


def test_quote_never_corrected_is_salvaged_unverified_and_rejected_by_grounding(
    doc: Document,
) -> None:
    def script(number: int, body: dict[str, Any]) -> Reply:
        bad = {**BAD_QUANTITY, "counted": f"answer {number}"}
        return answer({"quantities": [GOOD_QUANTITY, bad], "dates": [GOOD_DATE]})

    endpoint = FakeEndpoint(script)
    result = extract_figures(endpoint, doc, reasks=2)  # no exception

    assert endpoint.requests == 3
    assert result.calls == 3
    assert result.unverified is not None
    assert "not in the article" in result.unverified
    last = result.value.quantities[1]
    assert (last.evidence, last.counted) == (BAD_QUANTITY["evidence"], "answer 3")

    drafted = [("quantities", q) for q in result.value.quantities]
    drafted += [("when", d) for d in result.value.dates]
    grounded = ground(doc, drafted, None)
    assert [q.value for q in grounded.quantities] == [600]
    assert [d.text for d in grounded.when] == ["on Sunday"]
    assert len(grounded.rejected) == 1
    rejected = grounded.rejected[0]
    assert rejected.section == "quantities"
    assert rejected.item["evidence"] == BAD_QUANTITY["evidence"]
    assert rejected.reason.startswith("quote not found in the article")


def test_transient_failure_during_a_reask_restarts_the_conversation(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(answer(BAD_FIGURES), error(500), answer(GOOD_FIGURES)))
    result = extract_figures(endpoint, doc)

    assert endpoint.requests == 3
    assert endpoint.bodies[2]["messages"] == endpoint.bodies[0]["messages"]
    assert_figures(result.value, GOOD_FIGURES)
    assert result.calls == 2  # the bad answer and the good one both cost tokens


def test_request_carries_the_sampling_parameters_and_schema(doc: Document) -> None:
    endpoint = FakeEndpoint(sequence(answer(GOOD_FIGURES)))
    provider = endpoint.provider(temperature=0.0, seed=11, max_tokens=256)
    ask(provider, messages(), FiguresDraft, doc)

    body = endpoint.bodies[0]
    assert body["model"] == "test-model"
    assert (body["temperature"], body["seed"], body["max_tokens"]) == (0.0, 11, 256)
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "FiguresDraft"
    assert body["messages"] == [{"role": m.role, "content": m.content} for m in messages()]
    assert provider.parameters["seed"] == 11


def test_every_request_carries_the_whole_schema_built_once(doc: Document) -> None:
    """The adapter hands instructor a response class made once per draft, its schema cached: each
    request still carries the draft's full JSON schema, and a change one caller makes to the
    schema it was given reaches no later request."""
    from summarizer.backends.openai import _wire_model

    endpoint = FakeEndpoint(sequence(answer(GOOD_FIGURES), answer(GOOD_FIGURES)))
    provider = endpoint.provider()
    first = ask(provider, messages(), FiguresDraft, doc)
    _wire_model(FiguresDraft).model_json_schema()["properties"].clear()
    second = ask(provider, messages(), FiguresDraft, doc)

    schemas = [body["response_format"]["json_schema"]["schema"] for body in endpoint.bodies]
    assert schemas == [FiguresDraft.model_json_schema()] * 2
    assert set(schemas[0]["properties"]) == {"quantities", "dates"}
    assert _wire_model(FiguresDraft) is _wire_model(FiguresDraft)
    assert isinstance(first.value, FiguresDraft) and first.value == second.value


# --- the pipeline end to end over the fake transport ---------------------------------------------

# The passes' answers, as the endpoint sends them (JSON).
OVERVIEW: dict[str, Any] = {
    "headline": {"evidence": "Russia has begun evacuating its citizens",
                 "text": "Russia starts evacuating its citizens from Gaza."},
    "event_type": "evacuation",
    "summary": [
        {"evidence": "Nearly 600 Russian citizens are awaiting evacuation from the Gaza Strip"},
        {"evidence": "would be sent to Cairo"},
    ],
    "facts": [{"evidence": "More than 60 Russian nationals were confirmed to have crossed"}],
    "why": [], "how": [],
}
ENTITIES: dict[str, Any] = {
    "actors": [{"name": "Dmitry Peskov", "kind": "person", "role": "Kremlin spokesman"}],
    "places": [{"name": "Rafah"}],
    "quotes": [{"speaker": "Dmitry Peskov", "quote": "reservedly optimistic"}],
}
FIGURES: dict[str, Any] = {
    "quantities": [
        GOOD_QUANTITY,
        # the words are in the article, but "11,00" is malformed: grounding must not read a value
        {"evidence": "Over 11,00 Palestinians", "value": 1100, "counted": "Palestinians killed"},
    ],
    "dates": [{"expression": "Oct. 7", "event": "Hamas attacked southern Israel"}],
}
PASS_ANSWERS = {"OverviewDraft": OVERVIEW, "EntitiesDraft": ENTITIES, "FiguresDraft": FIGURES}
PASS_USAGE = {"OverviewDraft": (1000, 100), "EntitiesDraft": (900, 80), "FiguresDraft": (800, 60)}


def pass_script(answers: dict[str, dict[str, Any]]) -> Script:
    def script(number: int, body: dict[str, Any]) -> Reply:
        name = body["response_format"]["json_schema"]["name"]
        prompt_tokens, completion_tokens = PASS_USAGE[name]
        return answer(answers[name], prompt_tokens=prompt_tokens,
                      completion_tokens=completion_tokens)
    return script


def assert_spans_point_at_their_text(summary: EventSummary, doc: Document) -> None:
    spans = summary.spans()
    assert spans
    for span in spans:
        assert span.doc_id == doc.id
        assert doc.raw[span.start:span.end] == span.text


def test_pipeline_over_the_fake_transport(doc: Document) -> None:
    endpoint = FakeEndpoint(pass_script(PASS_ANSWERS))
    summary = summarize_document(doc, endpoint.provider(), variant="focused")  # the answers only

    assert [b["response_format"]["json_schema"]["name"] for b in endpoint.bodies] == [
        "OverviewDraft", "EntitiesDraft", "FiguresDraft"]
    for body in endpoint.bodies:
        system, user = body["messages"]
        assert system["role"] == "system"
        assert "Peskov told journalists on Friday" in user["content"]  # the article is sent

    assert summary.metadata.llm_calls == 3
    assert summary.metadata.usage.prompt_tokens == 1000 + 900 + 800
    assert summary.metadata.usage.completion_tokens == 100 + 80 + 60
    assert summary.metadata.model == "test-model"
    assert [p.name for p in summary.metadata.prompts] == ["overview", "entities", "figures"]
    assert_spans_point_at_their_text(summary, doc)

    assert summary.headline.text == OVERVIEW["headline"]["text"]
    assert summary.event_type == "evacuation"
    assert len(summary.summary) == 2
    assert [a.name for a in summary.actors] == ["Dmitry Peskov"]
    assert [q.text for q in summary.quotes] == ["reservedly optimistic"]
    # "11,00" is kept as written and flagged, with no value: neither 1,100 nor 11,000
    assert [(q.value, q.qualifier, q.malformed) for q in summary.quantities] == [
        (600, "approximately", False), (None, "more than", True)]
    assert summary.quantities[1].written == "11,00"
    assert [d.text for d in summary.when] == ["Oct. 7"]
    # the summary and the facts are the article's passages: nothing of the model's to check
    assert [s.text for s in summary.summary] == [s["evidence"] for s in OVERVIEW["summary"]]
    assert [f.claim for f in summary.facts] == [OVERVIEW["facts"][0]["evidence"]]
    # the hand-written event is not the evidence's words: the article's words stand in
    assert [(r.section, r.item) for r in summary.rejected] == [
        ("when", {"event": FIGURES["dates"][0]["event"]})]
    assert [*(s.support for s in summary.summary), *(f.support for f in summary.facts)] == ["rules"] * 3


def test_pipeline_a_quote_never_corrected_lands_in_rejected(doc: Document) -> None:
    bad_place = {"name": "Moscow airport"}
    answers = {**PASS_ANSWERS,
               "EntitiesDraft": {**ENTITIES, "places": [*ENTITIES["places"], bad_place]}}
    endpoint = FakeEndpoint(pass_script(answers))
    summary = summarize_document(doc, endpoint.provider(reasks=2))

    entities_requests = [b for b in endpoint.bodies
                         if b["response_format"]["json_schema"]["name"] == "EntitiesDraft"]
    assert len(entities_requests) == 3  # asked, then re-asked twice with the closest passage
    assert "closest passage" in entities_requests[-1]["messages"][-1]["content"]
    assert summary.metadata.llm_calls == 1 + 3 + 1
    assert summary.metadata.usage.prompt_tokens == 1000 + 3 * 900 + 800
    assert_spans_point_at_their_text(summary, doc)

    assert [p.name for p in summary.where] == ["Rafah"]  # the good place of that answer is kept
    assert [q.text for q in summary.quotes] == ["reservedly optimistic"]
    rejected = {(r.section, r.item.get("name")): r.reason for r in summary.rejected}
    assert rejected[("where", bad_place["name"])].startswith("quote not found in the article")


def test_pipeline_keeps_the_other_passes_on_exhausted_retries(doc: Document) -> None:
    def script(number: int, body: dict[str, Any]) -> Reply:
        if body["response_format"]["json_schema"]["name"] == "EntitiesDraft":
            return error(503)
        return pass_script(PASS_ANSWERS)(number, body)

    endpoint = FakeEndpoint(script)
    summary = summarize_document(doc, endpoint.provider(attempts=2))
    names = [b["response_format"]["json_schema"]["name"] for b in endpoint.bodies]
    assert names == ["OverviewDraft", "EntitiesDraft", "EntitiesDraft", "FiguresDraft"]
    (failed,) = summary.incomplete
    assert failed.name == "entities"
    assert failed.error.startswith("model endpoint failed 2 times, last: ")
    assert summary.actors == [] and summary.where == [] and summary.quotes == []
    assert summary.facts and summary.quantities  # what overview and figures grounded
    assert [p.name for p in summary.metadata.prompts] == ["overview", "figures"]
    assert summary.metadata.llm_calls == 1 + 2 + 1  # the failed attempts are counted too
    assert_spans_point_at_their_text(summary, doc)


def test_pipeline_raises_when_every_pass_fails(doc: Document) -> None:
    endpoint = FakeEndpoint(lambda number, body: error(503))
    with pytest.raises(RetriesExhaustedError) as raised:
        summarize_document(doc, endpoint.provider(attempts=2))
    assert raised.value.attempts == 2
    assert len(endpoint.bodies) == 6  # every pass tried, twice each



@pytest.mark.parametrize(("status", "down"), [(401, True), (403, True), (404, True), (429, True),
                                              (400, False), (503, False)])
def test_only_a_down_endpoint_ends_the_article(doc: Document, status: int, down: bool) -> None:
    """A refused key or model, or rate limits past the wait, stop every later pass; a 400 or a
    5xx may be this request's alone, so the pipeline goes on with the other passes."""
    endpoint = FakeEndpoint(lambda number, body: error(status))
    with pytest.raises(ProviderError) as raised:
        extract_figures(endpoint, doc, attempts=1, rate_limit_wait=0)
    assert raised.value.endpoint_down is down
    endpoint = FakeEndpoint(lambda number, body: error(status))
    with pytest.raises(ProviderError):
        summarize_document(doc, endpoint.provider(attempts=1, rate_limit_wait=0))
    assert len(endpoint.bodies) == (1 if down else 3)  # the first pass only, or every pass
