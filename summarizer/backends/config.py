"""Endpoint settings the library reads before any client exists: the deadline of one request and
the wait allowed on rate limits (with their defaults), and URLs and server messages as a user may
see them (credentials redacted). Light (no HTTP client), so the library API can use it when it
resolves a backend."""

from __future__ import annotations

import ipaddress
import math
import os
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from summarizer.errors import ConfigurationError

# Seconds to wait for one answer (connect to last byte). A hosted model writes the 2,048 tokens we
# allow in well under a minute. The embedded 1.5B model on 2 cores reads a 4,000-token prompt in
# ~45 s and writes 13-30 tokens/s, so a full answer can take ~4 min, twice that beside another job:
# an endpoint on this machine (embedded, Ollama, llama.cpp) gets 10 minutes.
HOSTED_TIMEOUT = 120.0
LOCAL_TIMEOUT = 600.0
# Seconds of waiting on 429s before giving up: longer than a per-minute rate limit's window.
RATE_LIMIT_WAIT = 90.0
TIMEOUT_ENV = "SUMMARIZER_TIMEOUT"
RATE_LIMIT_WAIT_ENV = "SUMMARIZER_RATE_LIMIT_WAIT"
# Times a pass's answer that fails validation is sent back to the model (instructor's re-ask).
# 0 by default: on the dev gold, re-asks were 35% of the calls, a third of the completion tokens
# and 41% of the model's time, and did not pay (mean F1 0.509 with one re-ask, 0.511 without;
# bench/CHANGELOG.md, "levers of issue 14"), because grounding keeps an invalid answer's good items
# anyway; the support check re-asks single statements.
REASKS = 0
REASKS_ENV = "SUMMARIZER_REASKS"
# Requests the embedded model works on at once (llama-server's `-np` slots, each with its own
# context window). 1 by default: on this project's 2-core machine 2 and 3 slots, with that many
# requests in flight, finished the same 12 pass requests 1.06x and 1.05x faster than 1
# (bench/slots.py, bench/README.md), for twice and three times the KV-cache memory. More cores
# batch better: set it there, and an article's passes are then asked at once.
LOCAL_SLOTS = 1
# A batch keeps the model busy with whole articles: 2 slots with 2 articles at once did the 20
# dev-gold articles in 786.8 s against 918.2 s with 1 slot and 1 article (1.17x; 10 articles: 1.12x),
# for ~370 MB more peak memory (bench/README.md, "Slots and server settings").
BATCH_LOCAL_SLOTS = 2
LOCAL_SLOTS_ENV = "SUMMARIZER_LOCAL_SLOTS"
_MAX_SLOTS = 16

REDACTED = "***"
# Query parameters that carry a secret in the URLs of real endpoints (Azure `api-key`, Google
# `key`, signed URLs `sig`); matched without case, `-` and `_`.
_SECRET_PARAMS = {"key", "apikey", "token", "accesstoken", "secret", "password", "sig",
                  "signature", "auth", "code"}


def redact_url(url: str) -> str:
    """`url` with its user:password and secret query values replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(name, REDACTED if _secret(name) else value) for name, value in pairs],
                          safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


# What a server's message may echo of the credentials sent to it: an `Authorization` header's
# value ("Bearer sk-...", "Basic ..."), a bare bearer token (8 characters at least: not "a bearer of
# news"), an `api-key` header (Azure).
_ECHOED_CREDENTIALS = re.compile(
    r"(?i)(\b(?:proxy-)?authorization\b[\"']?\s*[:=]\s*[\"']?)(?:(?:bearer|basic|token)\s+)?"
    r"[^\s\"',;]+"
    r"|(\bbearer\s+)[\w.~+/=-]{8,}"
    r"|(\b(?:x-)?api[-_]?key\b[\"']?\s*[:=]\s*[\"']?)[^\s\"',;]+")
# A configured key shorter than this is not looked for in messages: replacing every "ab" of a
# message would hide it, and so short a key hides nothing anyway.
_SHORTEST_KEY = 4


def redact_secrets(text: str, api_key: str | None = None) -> str:
    """`text` (a message from a server) with `api_key` wherever it appears, and the value of any
    Authorization, Bearer or api-key it echoes, replaced by ***."""
    if api_key and len(api_key) >= _SHORTEST_KEY:
        text = text.replace(api_key, REDACTED)
    return _ECHOED_CREDENTIALS.sub(
        lambda m: (m.group(1) or m.group(2) or m.group(3)) + REDACTED, text)


def _secret(name: str) -> bool:
    plain = re.sub(r"[-_]", "", name.lower())
    return plain in _SECRET_PARAMS or plain.endswith(("key", "token", "secret", "password"))


def is_loopback(url: str) -> bool:
    """Whether `url` names this machine (localhost, 127.0.0.0/8, ::1)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def default_timeout(base_url: str | None, *, embedded: bool = False) -> float:
    return LOCAL_TIMEOUT if embedded or (base_url and is_loopback(base_url)) else HOSTED_TIMEOUT


def reasks(given: int | str | None = None) -> int:
    """How many times an invalid pass answer is re-asked: `given`, else SUMMARIZER_REASKS, else
    REASKS. ConfigurationError for anything but a whole number from 0 to 5."""
    return _whole_number(given, REASKS_ENV, REASKS, 0, 5)


def local_slots(given: int | str | None = None, default: int = LOCAL_SLOTS) -> int:
    """The embedded model's slot count: `given`, else SUMMARIZER_LOCAL_SLOTS, else `default`
    (LOCAL_SLOTS; a batch's is BATCH_LOCAL_SLOTS). ConfigurationError for anything but a whole
    number from 1 to 16."""
    return _whole_number(given, LOCAL_SLOTS_ENV, default, 1, _MAX_SLOTS)


def _whole_number(given: int | str | None, env: str, default: int, low: int, high: int) -> int:
    """`given`, else the variable `env`, else `default`; ConfigurationError naming `env` for
    anything but a whole number from `low` to `high`."""
    raw = given if given is not None else (os.environ.get(env) or None)
    if raw is None:
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ConfigurationError(f"{env} must be a whole number from {low} to {high}, not {raw!r}")
    return value


def seconds(given: float | str | None, env: str, flag: str, *, positive: bool) -> float | None:
    """A number of seconds from an argument, else from the environment variable `env`; None when
    neither is set. ConfigurationError names the flag and the variable for anything else."""
    raw: float | str | None = given if given is not None else (os.environ.get(env) or None)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        bound = "> 0" if positive else ">= 0"
        raise ConfigurationError(f"{flag} / {env} must be a number of seconds {bound}, not {raw!r}")
    return value
