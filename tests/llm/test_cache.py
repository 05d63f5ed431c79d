"""The response cache (summarizer.llm.cache): what its key is made of, and the cache behind the seam.

The key must change with everything that can change the model's answer (the messages as sent, the
response schema, the model, each sampling parameter) and with nothing else, or a rerun would be
answered with another request's answer, or pay again for one it has."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from summarizer.llm.cache import CachingProvider, request_key, unusable
from summarizer.llm.provider import Draft, Extraction, Message


class Answer(BaseModel):
    text: str


class OtherAnswer(BaseModel):
    """Another schema with the same field: only its title differs."""

    text: str


class LongerAnswer(BaseModel):
    text: str
    score: int


MESSAGES = (Message("system", "You summarize."), Message("user", "The article."))
MODEL = "qwen2.5-1.5b"
# the parameters OpenAIProvider sends (summarizer.backends.openai), at their defaults
PARAMETERS: dict[str, object] = {"temperature": 0.0, "seed": 7, "max_tokens": 2048,
                                 "mode": "json_schema_mode", "reasks": 0}
# sha256 of the request above: pinned, because a change of the key's layout silently empties
# every cache a user has (a rerun then pays for every request again)
KEY = "9953a15991bed0a3387e3ebda038a4611fcc04bb6f2bd3964193529d5918cd0f"


# The tests below compare a changed request with key() (the same request unchanged), not with KEY:
# a part the key leaves out then fails its own test, not only the pinned value.
def key(messages: Sequence[Message] = MESSAGES, response_model: type[BaseModel] = Answer,
        model: str = MODEL, parameters: Mapping[str, object] = PARAMETERS) -> str:
    return request_key(messages, response_model, model, parameters)


def test_the_key_is_the_sha256_of_the_request_as_json() -> None:
    payload = json.dumps(
        {"messages": [["system", "You summarize."], ["user", "The article."]],
         "schema": Answer.model_json_schema(), "model": MODEL, "parameters": PARAMETERS},
        sort_keys=True, ensure_ascii=False)
    assert key() == hashlib.sha256(payload.encode("utf-8")).hexdigest() == KEY


def test_the_same_request_built_anew_gives_the_same_key() -> None:
    messages = [Message("system", "You summarize."), Message("user", "The article.")]  # a list
    reordered = dict(reversed(list(PARAMETERS.items())))  # the parameters' order is no part of it
    assert key(messages, Answer, "qwen2.5-1.5b", reordered) == key()
    assert key() == key()


@pytest.mark.parametrize("model", ["qwen2.5-7b", "QWEN2.5-1.5B", "qwen2.5-1.5b ", ""])
def test_the_model_changes_the_key(model: str) -> None:
    assert key(model=model) != key()


@pytest.mark.parametrize("messages", [
    (Message("system", "You summarize."), Message("user", "The article!")),  # one character
    (Message("system", "You summarize."), Message("user", "The article. ")),  # whitespace
    (Message("system", "You summarize."), Message("assistant", "The article.")),  # the role
    (Message("user", "The article."), Message("system", "You summarize.")),  # the order
    (Message("system", "You summarize."),),  # one left out
    (*MESSAGES, Message("user", "Try again.")),  # a re-ask
    (Message("system", "You summarize.The article."),),  # the same text in one message
], ids=["content", "whitespace", "role", "order", "fewer", "re-ask", "joined"])
def test_the_messages_change_the_key(messages: tuple[Message, ...]) -> None:
    assert key(messages) != key()


def test_message_boundaries_are_part_of_the_key() -> None:
    # the same characters split differently are another conversation
    assert (key((Message("user", "ab"), Message("user", "c")))
            != key((Message("user", "a"), Message("user", "bc"))))


@pytest.mark.parametrize("response_model", [OtherAnswer, LongerAnswer])
def test_the_response_schema_changes_the_key(response_model: type[BaseModel]) -> None:
    assert key(response_model=response_model) != key()


@pytest.mark.parametrize(("name", "value"), [
    ("temperature", 0.2), ("seed", 8), ("max_tokens", 1024), ("mode", "tools"), ("reasks", 2),
])
def test_each_sampling_parameter_changes_the_key(name: str, value: object) -> None:
    assert key(parameters={**PARAMETERS, name: value}) != key()


def test_a_parameter_added_or_left_out_changes_the_key() -> None:
    # OpenAIProvider adds "answer_format" when it sends the compact JSON grammar
    assert key(parameters={**PARAMETERS, "answer_format": "compact-json"}) != key()
    assert key(parameters={k: v for k, v in PARAMETERS.items() if k != "seed"}) != key()


def test_every_change_gives_a_key_of_its_own() -> None:
    keys = [key(), key(model="other"), key((Message("user", "x"),)), key(response_model=LongerAnswer),
            *(key(parameters={**PARAMETERS, name: "changed"}) for name in PARAMETERS)]
    assert len(set(keys)) == len(keys) == 9


# --- the cache behind the seam -----------------------------------------------------------------------


class Counting:
    """A provider that answers every request with the same text and counts what it is asked."""

    def __init__(self, model: str = MODEL, parameters: Mapping[str, object] = PARAMETERS) -> None:
        self._model, self._parameters = model, dict(parameters)
        self.asked = 0

    @property
    def model(self) -> str:
        return self._model

    @property
    def endpoint_kind(self) -> str:
        return "fake"

    @property
    def parameters(self) -> Mapping[str, object]:
        return self._parameters

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]:
        self.asked += 1
        value = response_model.model_validate({"text": f"answer {self.asked}"})
        return Extraction(value=value, calls=1, prompt_tokens=100, completion_tokens=20)


def ask(provider: CachingProvider, messages: Sequence[Message] = MESSAGES) -> Extraction[Any]:
    return provider.extract(messages, Answer, {})


def test_a_request_seen_before_is_answered_from_the_cache_at_no_cost(tmp_path: Path) -> None:
    inner = Counting()
    cache = CachingProvider(inner, tmp_path)
    first, again = ask(cache), ask(cache)
    assert (first.value.text, first.calls, first.prompt_tokens, first.completion_tokens) == (
        "answer 1", 1, 100, 20)
    assert (again.value.text, again.calls, again.prompt_tokens, again.completion_tokens) == (
        "answer 1", 0, 0, 0)
    assert (inner.asked, cache.hits, cache.misses) == (1, 1, 1)
    # one file per request, under the first two hex digits of its key
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        key()[:2], f"{key()[:2]}/{key()}.json"]


def test_another_model_or_parameter_is_asked_not_answered_from_the_cache(tmp_path: Path) -> None:
    ask(CachingProvider(Counting(), tmp_path))
    for inner in (Counting(model="qwen2.5-7b"), Counting(parameters={**PARAMETERS, "seed": 8})):
        cache = CachingProvider(inner, tmp_path)
        assert ask(cache).value.text == "answer 1"  # its own answer, not the stored one
        assert (inner.asked, cache.hits, cache.misses) == (1, 0, 1)
    assert len(list(tmp_path.rglob("*.json"))) == 3


def test_a_broken_entry_is_asked_again_and_replaced(tmp_path: Path) -> None:
    entry = tmp_path / key()[:2] / f"{key()}.json"
    entry.parent.mkdir()
    entry.write_text('{"value": {"text": "torn', encoding="utf-8")
    inner = Counting()
    cache = CachingProvider(inner, tmp_path)
    assert ask(cache).calls == 1
    assert (inner.asked, cache.hits, cache.misses) == (1, 0, 1)
    assert json.loads(entry.read_text(encoding="utf-8")) == {
        "value": {"text": "answer 1"}, "unverified": None, "calls": 1, "prompt_tokens": 100,
        "completion_tokens": 20}


def test_the_async_path_shares_the_entries_of_the_sync_one(tmp_path: Path) -> None:
    inner = Counting()
    cache = CachingProvider(inner, tmp_path)
    ask(cache)
    again = asyncio.run(cache.aextract(MESSAGES, Answer, {}))
    assert (again.value.text, again.calls, inner.asked, cache.hits) == ("answer 1", 0, 1, 1)


# --- a cache that cannot be written ----------------------------------------------------------------


def test_an_answer_that_cannot_be_kept_is_used_and_counted_and_said_once(tmp_path: Path) -> None:
    """A file where an entry's directory should be (as a full disk, a write that fails): the
    answers are those asked, with their calls and tokens, and the failure is told once."""
    for prefix in range(256):  # every entry directory a file
        (tmp_path / f"{prefix:02x}").write_text("", encoding="utf-8")
    told: list[str] = []
    inner = Counting()
    cache = CachingProvider(inner, tmp_path, on_write_error=told.append)
    first, second = ask(cache), ask(cache, [Message("user", "Another question.")])
    again = asyncio.run(cache.aextract(MESSAGES, Answer, {}))
    assert [(a.value.text, a.calls, a.prompt_tokens) for a in (first, second, again)] == [
        ("answer 1", 1, 100), ("answer 2", 1, 100), ("answer 3", 1, 100)]  # asked, not cached
    assert (inner.asked, cache.hits, cache.misses, cache.unwritten) == (3, 0, 3, 3)
    assert told == [f"the response cache {tmp_path} cannot keep answers (File exists): they are "
                    "used all the same, and a rerun asks for them again"]
    assert not list(tmp_path.rglob(".*.tmp"))


def test_unusable_says_why_a_directory_cannot_hold_a_cache(tmp_path: Path) -> None:
    assert unusable(tmp_path / "made" / "here") is None
    assert (tmp_path / "made" / "here").is_dir()
    assert list((tmp_path / "made" / "here").iterdir()) == []  # its probe removed
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    assert unusable(tmp_path / "a-file") == "File exists"
    assert unusable(tmp_path / "a-file" / "below") == "Not a directory"
