"""Running the quality harness: summarize each gold article (live, or through cassettes) and score it.

The shell around `summarizer.evaluation.scoring`: it reads the gold file, picks the provider (a live
endpoint, the embedded local model, or none at all when every answer is replayed from cassettes),
and keeps one cassette per article so a run can be replayed offline and compared.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.backends.grammar import COMPACT_JSON, JSON_SCHEMA
from summarizer.errors import ConfigurationError, InputError, SummarizerError
from summarizer.evaluation.recording import (
    cassette,
    recorded_answer_format,
    recorded_model,
    stale_cassette,
    stamp_recording,
)
from summarizer.evaluation.scoring import (
    ArticleResult,
    GoldArticle,
    failed_article,
    parse_gold,
    score_article,
)
from summarizer.extract.pipeline import DEFAULT_VARIANT, Variant, summarize_document
from summarizer.extract.recheck import SupportCheck
from summarizer.llm.provider import Provider
from summarizer.text.document import Document, metadata_overrides

REPLAY_URL = "http://replay.invalid/v1"


def read_gold(path: Path) -> list[GoldArticle]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
    return parse_gold(text.splitlines(), str(path))


def cassette_path(directory: Path, article_id: str) -> Path:
    return directory / (re.sub(r"[^A-Za-z0-9._-]", "_", article_id) + ".yaml")


@dataclass(frozen=True)
class Replay:
    """Where the answers come from: `directory` of cassettes, recording missing ones if `record`."""

    directory: Path
    record: bool = False


def replay_provider(directory: Path) -> Provider:
    """A provider that can only be answered by the cassettes (its endpoint does not exist)."""
    from summarizer.backends import config
    from summarizer.backends.openai import OpenAIProvider

    model = recorded_model(directory)
    if model is None:
        raise ConfigurationError(f"{directory}: no recorded cassettes here ({directory}/"
                                 "recorded_with.json is missing); record them with --record")
    return OpenAIProvider(model=model, base_url=REPLAY_URL, api_key="unused",
                          endpoint_kind="replay", attempts=1, reasks=config.reasks(),
                          compact_json=recorded_answer_format(directory) == COMPACT_JSON)


def evaluate(articles: Sequence[GoldArticle], provider: Provider, *, variant: Variant = DEFAULT_VARIANT,
             support_check: SupportCheck = "model", replay: Replay | None = None,
             progress: Callable[[str], None] | None = None) -> list[ArticleResult]:
    """Summarize and score each article. An article the pipeline cannot summarize counts as an empty
    summary (it lowers recall); a cassette that no longer matches stops the run."""
    if replay and replay.record:
        stamp_recording(replay.directory, provider.model,
                        str(provider.parameters.get("answer_format", JSON_SCHEMA)))
    timings = recorded_timings(replay.directory) if replay else {}
    results = []
    for number, article in enumerate(articles, start=1):
        document = Document(id=article.id, raw=article.text)
        given = metadata_overrides(title=article.title, published=article.published)
        started = time.perf_counter()
        fresh = replay is not None and replay.record and \
            not cassette_path(replay.directory, article.id).exists()
        added = False  # calls recorded into an existing cassette (a new kind of call)
        try:
            with _answers(replay, article.id) as answers:
                summary = summarize_document(document, provider, variant=variant, metadata=given,
                                             support_check=support_check)
                added = bool(not fresh and getattr(answers, "dirty", False))
        except Exception as exc:
            if replay and stale_cassette(exc):
                where = cassette_path(replay.directory, article.id)
                what = "has no cassette" if not where.exists() else \
                    "no longer matches its cassette (prompt, schema or parameters changed)"
                raise ConfigurationError(f"{article.id} {what}: {where}; record it with --record "
                                         "(delete a stale cassette first)") from None
            if not isinstance(exc, SummarizerError) or isinstance(exc, ConfigurationError):
                raise
            result = failed_article(article, str(exc), time.perf_counter() - started)
        else:
            result = score_article(article, summary, time.perf_counter() - started)
        if replay and fresh:
            timings[article.id] = round(result.seconds, 1)
            _write_timings(replay.directory, timings)
        elif replay and added:  # the earlier calls replayed in no time: add the new ones' time
            timings[article.id] = round(timings.get(article.id, 0.0) + result.seconds, 1)
            _write_timings(replay.directory, timings)
            result.seconds = timings[article.id]
        elif replay and article.id in timings:
            result.seconds = timings[article.id]  # replaying takes no time: report the live run's
        results.append(result)
        if progress:
            outcome = f"failed: {result.error}" if result.error else \
                f"{result.calls} calls, {result.prompt_tokens}+{result.completion_tokens} tokens"
            progress(f"[{number}/{len(articles)}] {article.id}: {outcome}, {result.seconds:.1f} s")
    return results


TIMINGS = "timings.json"


def recorded_timings(directory: Path) -> dict[str, float]:
    """Seconds each article took when its cassette was recorded (replays report these)."""
    try:
        loaded = json.loads((directory / TIMINGS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def _write_timings(directory: Path, timings: dict[str, float]) -> None:
    (directory / TIMINGS).write_text(json.dumps(timings, indent=2, sort_keys=True) + "\n",
                                     encoding="utf-8")


@contextlib.contextmanager
def _answers(replay: Replay | None, article_id: str) -> Iterator[Any]:
    """Replay the article's cassette; recording, add what it lacks (a new article's every call,
    or an existing one's new kind of call, such as the support check's)."""
    if replay is None:
        yield None
        return
    with cassette(cassette_path(replay.directory, article_id),
                  "new_episodes" if replay.record else "none") as recorded:
        yield recorded
