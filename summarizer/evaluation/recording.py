"""Recorded model answers (vcrpy cassettes): one configuration for the tests and `summarizer eval`.

A request replays when it matches a recorded one by method, path and body, never host, so any base
URL replays. Secrets are filtered out of what is written (headers, and the URL's user:password and
secret query values), and the pydantic version in instructor's
re-ask messages is normalized so a pydantic upgrade does not invalidate every cassette.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from summarizer.backends.config import redact_url
from summarizer.backends.grammar import JSON_SCHEMA
from summarizer.errors import ConfigurationError

RECORDED_WITH = "recorded_with.json"
_PYDANTIC_URL = re.compile(rb"errors\.pydantic\.dev/[^/\s\"]+/")
_SECRET_HEADERS = ["authorization", "api-key", "openai-organization", "openai-project", "cookie",
                   "set-cookie"]


def normalize_request(request: Any) -> Any:
    """No credentials in the recorded URL; the same body whatever pydantic version wrote
    instructor's re-ask message. (vcrpy hands us a copy, and matches on the path only.)"""
    request.uri = redact_url(request.uri)
    if isinstance(request.body, bytes):
        request.body = _PYDANTIC_URL.sub(b"errors.pydantic.dev/VERSION/", request.body)
    return request


def _without_cookies(response: dict[str, Any]) -> dict[str, Any]:
    return {**response, "headers": {k: v for k, v in response["headers"].items()
                                    if k.lower() not in {"set-cookie", "openai-organization"}}}


VCR_CONFIG: dict[str, Any] = {
    "filter_headers": _SECRET_HEADERS,
    "match_on": ["method", "path", "body"],
    "decode_compressed_response": True,
    "before_record_request": normalize_request,
    "before_record_response": _without_cookies,
}


@contextlib.contextmanager
def cassette(path: Path, record_mode: str) -> Iterator[Any]:
    """Replay (record_mode "none") or record ("once": only a missing cassette; "new_episodes":
    add the requests it lacks) `path`; yields vcrpy's cassette (`.dirty` once it recorded)."""
    try:
        import vcr
    except ImportError:
        raise ConfigurationError(
            "replaying or recording cassettes needs vcrpy: pip install 'summarizer[eval]'"
        ) from None
    with vcr.VCR(record_mode=record_mode, **VCR_CONFIG).use_cassette(str(path)) as recorded:
        yield recorded


def stale_cassette(exc: BaseException | None) -> bool:
    """Whether vcrpy's "no matching request" is anywhere in the exception's causes."""
    try:
        from vcr.errors import CannotOverwriteExistingCassetteException
    except ImportError:
        return False
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        if isinstance(current, CannotOverwriteExistingCassetteException):
            return True
        seen.add(id(current))
        pending += [current.__cause__, current.__context__]
    return False


def _stamp(directory: Path) -> dict[str, Any] | None:
    stamp = directory / RECORDED_WITH
    if not stamp.is_file():
        return None
    try:
        content = json.loads(stamp.read_text(encoding="utf-8"))
        str(content["model"])
    except (ValueError, KeyError, TypeError):
        raise ConfigurationError(f"{stamp} is not a recording stamp (JSON with a 'model')") from None
    return dict(content)


def recorded_model(directory: Path) -> str | None:
    """The model a cassette directory was recorded with (its recorded_with.json), if any."""
    content = _stamp(directory)
    return str(content["model"]) if content is not None else None


def recorded_answer_format(directory: Path) -> str:
    """How the recorded answers were constrained: JSON_SCHEMA (sent as `response_format`, the
    stamp says nothing), or the stamp's `answer_format` (backends.grammar.COMPACT_JSON)."""
    content = _stamp(directory) or {}
    return str(content.get("answer_format", JSON_SCHEMA))


def stamp_content(model: str, answer_format: str = JSON_SCHEMA) -> str:
    """recorded_with.json for cassettes recorded today from `model`, in `answer_format`."""
    content: dict[str, str] = {"model": model, "recorded": datetime.now(UTC).date().isoformat()}
    if answer_format != JSON_SCHEMA:
        content["answer_format"] = answer_format
    return json.dumps(content, indent=2) + "\n"


def stamp_recording(directory: Path, model: str, answer_format: str = JSON_SCHEMA) -> None:
    """Name the model and the answer format in `directory`'s recorded_with.json; cassettes of two
    models or two formats never mix."""
    kept = recorded_model(directory)
    if kept is not None and kept != model:
        raise ConfigurationError(f"{directory} holds cassettes recorded with {kept}, not {model}: "
                                 "record into another directory")
    if kept is not None and recorded_answer_format(directory) != answer_format:
        raise ConfigurationError(
            f"{directory} holds answers recorded as {recorded_answer_format(directory)}, not "
            f"{answer_format}: record into another directory (or delete its cassettes first)")
    if kept is None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / RECORDED_WITH).write_text(stamp_content(model, answer_format))
