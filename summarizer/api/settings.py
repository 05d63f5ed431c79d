"""Where the model is and how long an article may be: what a Summarizer resolves from its
arguments, else the environment, when it is made (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from summarizer.backends import config
from summarizer.backends import local as local_model
from summarizer.errors import ConfigurationError
from summarizer.extract.chunked import DEFAULT_CHUNK_CHARS
from summarizer.text.document import DEFAULT_MAX_CHARS

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class Backend:
    """Where the model is: a configured endpoint, or the embedded local one (base_url None), and
    how long one request may take (`timeout`, seconds)."""

    endpoint_kind: str
    model: str
    base_url: str | None = None
    api_key: str | None = None
    timeout: float = config.HOSTED_TIMEOUT


def resolve_backend(base_url: str | None = None, api_key: str | None = None,
                    model: str | None = None, timeout: float | None = None) -> Backend:
    """The backend the arguments, else the environment, describe. `timeout` (else
    SUMMARIZER_TIMEOUT) defaults to 600 s for a model on this machine and 120 s for any other."""
    base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    api_key = api_key or os.environ.get("OPENAI_API_KEY") or None
    model = model or os.environ.get("SUMMARIZER_MODEL") or None
    given = config.seconds(timeout, config.TIMEOUT_ENV, "--timeout", positive=True)
    if base_url is None and api_key is None:
        if not local_model.is_installed():
            raise local_model.not_installed_error()
        return Backend("local", model or local_model.MODEL_NAME,
                       timeout=given or config.default_timeout(None, embedded=True))
    if base_url is None:
        return Backend("openai", model or DEFAULT_OPENAI_MODEL, None, api_key,
                       given or config.HOSTED_TIMEOUT)
    if model is None:
        raise ConfigurationError(
            f"OPENAI_BASE_URL is set to {config.redact_url(base_url)} but no model is named: set "
            "SUMMARIZER_MODEL or pass --model"
        )
    return Backend("openai-compatible", model, base_url, api_key,
                   given or config.default_timeout(base_url))


def _characters(value: int | None, variable: str, default: int, name: str) -> int:
    """A size in characters: the argument, else the environment variable, else the default."""
    if value is None:
        name, text = variable, os.environ.get(variable, "").strip()
        if not text:
            return default
        try:
            value = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise ConfigurationError(
                f"{name} must be a whole number of characters, not {text!r}") from None
    if value < 1:
        raise ConfigurationError(f"{name} must be at least 1, not {value}")
    return value


def resolve_max_chars(max_chars: int | None = None) -> int:
    """The longest article accepted, in characters: the argument, else SUMMARIZER_MAX_CHARS, else
    DEFAULT_MAX_CHARS."""
    return _characters(max_chars, "SUMMARIZER_MAX_CHARS", DEFAULT_MAX_CHARS, "max_chars")


def resolve_chunk_chars(chunk_chars: int | None = None) -> int:
    """The longest article the model reads in one piece, in characters: the argument, else
    SUMMARIZER_CHUNK_CHARS, else DEFAULT_CHUNK_CHARS; a longer one is summarized in chunks."""
    return _characters(chunk_chars, "SUMMARIZER_CHUNK_CHARS", DEFAULT_CHUNK_CHARS, "chunk_chars")
