"""A response cache behind the provider seam: the same request (rendered messages, response schema,
model, sampling parameters) is asked once; a rerun after a crash costs no tokens.

One file per request under the cache directory, named by the sha256 of the request and written
atomically (a temporary file renamed into place), so concurrent workers and a killed run never leave
a half-written entry. A hit makes no call and counts no tokens (`calls=0`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from summarizer.llm.prompts import response_schema
from summarizer.llm.provider import Draft, Extraction, Message, Provider, ProviderWrapper, aextract


def request_key(messages: Sequence[Message], response_model: type[Draft], model: str,
                parameters: Mapping[str, object]) -> str:
    """sha256 of what the model is asked: the messages as sent, the schema, model and parameters."""
    payload = json.dumps(
        {"messages": [[m.role, m.content] for m in messages],
         "schema": response_schema(response_model), "model": model,
         "parameters": dict(parameters)},
        sort_keys=True, default=str, ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class CachingProvider(ProviderWrapper):
    """Wraps a Provider; answers a request seen before from `directory` without asking it."""

    def __init__(self, inner: Provider, directory: Path) -> None:
        super().__init__(inner)
        self._directory = directory
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self._directory / key[:2] / f"{key}.json"

    def extract(self, messages: Sequence[Message], response_model: type[Draft],
                context: Mapping[str, object]) -> Extraction[Draft]:
        path = self._path(request_key(messages, response_model, self.model, self.parameters))
        found = self._found(path, response_model, context)
        if found is not None:
            return found
        return self._kept(path, self._inner.extract(messages, response_model, context))

    async def aextract(self, messages: Sequence[Message], response_model: type[Draft],
                       context: Mapping[str, object]) -> Extraction[Draft]:
        # an entry is a few kilobytes: read and written on the loop, as a request's body is
        path = self._path(request_key(messages, response_model, self.model, self.parameters))
        found = self._found(path, response_model, context)
        if found is not None:
            return found
        return self._kept(path, await aextract(self._inner, messages, response_model, context))

    def _found(self, path: Path, response_model: type[Draft],
               context: Mapping[str, object]) -> Extraction[Draft] | None:
        found = _read(path, response_model, context)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    @staticmethod
    def _kept(path: Path, result: Extraction[Draft]) -> Extraction[Draft]:
        _write(path, {"value": result.value.model_dump(mode="json"), "unverified": result.unverified,
                      "calls": result.calls, "prompt_tokens": result.prompt_tokens,
                      "completion_tokens": result.completion_tokens})
        return result


def _read(path: Path, response_model: type[Draft],
          context: Mapping[str, object]) -> Extraction[Draft] | None:
    """The cached answer, validated as a fresh one would be; None when absent or unreadable."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        unverified = entry["unverified"]
        # a verified answer is checked against the article again, exactly as instructor did
        value = response_model.model_validate(
            entry["value"], context=None if unverified else dict(context))
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None
    return Extraction(value=value, calls=0, prompt_tokens=0, completion_tokens=0,
                      unverified=unverified)


def _write(path: Path, entry: Mapping[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entry, out, ensure_ascii=False)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
