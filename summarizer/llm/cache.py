"""A response cache behind the provider seam: the same request (rendered messages, response schema,
model, sampling parameters) is asked once; a rerun after a crash costs no tokens.

One file per request under the cache directory, named by the sha256 of the request and written
atomically (a temporary file renamed into place), so concurrent workers and a killed run never leave
a half-written entry. A hit makes no call and counts no tokens (`calls=0`).

The cache never fails a request: an entry that cannot be written (a full disk, a file where its
directory should be) leaves the answer used as it is, with its calls and tokens, and is reported
once (`on_write_error`). `unusable` says before a run whether a directory can hold a cache at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
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


def unusable(directory: Path) -> str | None:
    """Why `directory` cannot hold a cache (it cannot be made, or written in), or None when it can.
    Made if missing, as the cache would make it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=directory, prefix=".probe-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write("{}")  # a full disk refuses the bytes, not the name
        finally:
            os.unlink(probe)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


class CachingProvider(ProviderWrapper):
    """Wraps a Provider; answers a request seen before from `directory` without asking it.
    `on_write_error` is told, once, when an answer cannot be kept (it is used all the same)."""

    def __init__(self, inner: Provider, directory: Path,
                 on_write_error: Callable[[str], None] | None = None) -> None:
        super().__init__(inner)
        self._directory = directory
        self._on_write_error = on_write_error
        self.hits = 0
        self.misses = 0
        self.unwritten = 0  # answers used but not kept: their entry could not be written

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

    def _kept(self, path: Path, result: Extraction[Draft]) -> Extraction[Draft]:
        try:
            _write(path, {"value": result.value.model_dump(mode="json"),
                          "unverified": result.unverified, "calls": result.calls,
                          "prompt_tokens": result.prompt_tokens,
                          "completion_tokens": result.completion_tokens})
        except OSError as exc:  # the answer was paid for: used, and counted, all the same
            self.unwritten += 1
            if self.unwritten == 1 and self._on_write_error is not None:
                self._on_write_error(
                    f"the response cache {self._directory} cannot keep answers "
                    f"({exc.strerror or exc}): they are used all the same, and a rerun asks "
                    "for them again")
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
