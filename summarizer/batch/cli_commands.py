"""`summarizer batch` and `summarizer digest`: the shell over a batch run and its stored results.

Exit codes of `batch`: 0 when every article is in the results (summarized now or before); 7 when
the run finished but some articles failed or are incomplete (a pass failed): each failure is a
line of the errors file; the usual codes of
summarizer.errors (3 configuration, 4 input: an unwritable `--out`, or one another run is writing)
when the run could not start; 130 interrupted (Ctrl-C or SIGTERM: within seconds, the results
written kept; see `summarizer.batch.stopping`).
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import typer

from summarizer.api.stream import Outcome
from summarizer.batch.inputs import MAX_BYTES, count_inputs
from summarizer.batch.session import Totals, run_batch
from summarizer.batch.stopping import stopped_within_seconds
from summarizer.batch.workers import MAX_WORKERS
from summarizer.console import ApiKey, BaseUrl, Model, reported_errors, write_atomically
from summarizer.errors import ConfigurationError

SOME_FAILED = 7
Via = Literal["live", "batch-api"]


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("summarizer")) / "responses"


def _figures(totals: Totals) -> str:
    return (f"{totals.done} summarized, {totals.incomplete} incomplete, {totals.already_done} "
            f"already done, {totals.failed} failed, "
            f"{totals.duplicates} duplicate(s); {totals.calls} model call(s), "
            f"{totals.prompt_tokens:,} prompt + {totals.completion_tokens:,} completion tokens, "
            f"{totals.cache_hits} cache hit(s); {_usd(totals)}")


def _usd(totals: Totals) -> str:
    priced = f"${totals.usd:,.4f}"
    if totals.unpriced:
        priced += (f" for the priced articles ({totals.unpriced} of a model with no known price: "
                   "set --prices)")
    return priced


class _StatusLines:
    """Not a terminal: one status line on stderr every `interval` seconds."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._started = self._last = time.monotonic()

    def __call__(self, outcome: Outcome, totals: Totals) -> None:
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            rate = (totals.done + totals.incomplete + totals.failed) / max(now - self._started, 1e-9)
            print(f"summarizer: batch: {totals.total} seen, {totals.done} done, {totals.failed} "
                  f"failed, {totals.incomplete} incomplete, {rate:.2f} articles/s, "
                  f"{totals.prompt_tokens + totals.completion_tokens:,} tokens, "
                  f"${totals.usd:,.4f}", file=sys.stderr, flush=True)


def register(app: typer.Typer) -> None:
    app.command()(batch)
    app.command()(digest)


def batch(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories (recursive, *.txt "
                                                "and *.md) or JSONL files of {id, text, published?, "
                                                "title?, url?} records.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="Results, one JSON line per article, appended "
                                      "as each is done; a rerun skips what it holds.",
                                      show_default=False)],
    errors: Annotated[Path | None, typer.Option("--errors", help="Failures of this run, one JSON "
                                                "line each [default: OUT with .errors.jsonl]",
                                                show_default=False)] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1, max=1024,
                                             help="Articles summarized at once.")] = 8,
    workers: Annotated[int, typer.Option("--workers", min=1, max=MAX_WORKERS, help="Processes "
                                         "sharing the concurrency and the rate limits, for an "
                                         "endpoint faster than one process's CPU (not the "
                                         "embedded model).")] = 1,
    rpm: Annotated[float | None, typer.Option("--rpm", min=0.001, help="At most this many "
                                              "requests per minute.", show_default=False)] = None,
    tpm: Annotated[float | None, typer.Option("--tpm", min=1, help="At most this many tokens per "
                                              "minute.", show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ask the model even for requests "
                                           "answered before.")] = False,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help="Where answers are cached "
                                                   "[default: the user cache directory]",
                                                   show_default=False)] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Larger articles are "
                                           "reported as errors.")] = MAX_BYTES,
    concurrent_passes: Annotated[bool | None, typer.Option(
        "--concurrent-passes/--passes-in-turn", help="Ask an article's passes at the same time "
        "(the summary is the same) [default: at the same time, unless the model is the embedded "
        "one with one slot (SUMMARIZER_LOCAL_SLOTS=1; a batch's default is 2)]", show_default=False)] = None,
    prices: Annotated[str | None, typer.Option(
        "--prices", help="US dollars per million tokens, MODEL=INPUT/OUTPUT[,...] or a JSON "
        "file, in place of the built-in table's [default: SUMMARIZER_PRICES]",
        show_default=False)] = None,
    via: Annotated[Via, typer.Option("--via", help="live: ask the endpoint now; batch-api: "
                                     "through the OpenAI Batch API (half price, within 24 h), "
                                     "grounded the same way")] = "live",
    poll_every: Annotated[float, typer.Option("--poll-every", min=0, help="Seconds between looks "
                                              "at a Batch API batch.")] = 30.0,
    status_every: Annotated[float, typer.Option("--status-every", min=0, help="Seconds between "
                                                "status lines when stderr is not a terminal.")] = 10.0,
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    model: Model = None,
) -> None:
    """Summarize an archive: concurrent, resumable, every article and token accounted for.

    Exit 0 when every article is in the results, 7 when some failed or lack a pass that failed
    (see the errors file; a rerun asks again)."""
    with reported_errors():
        if no_cache and cache_dir is not None:
            raise ConfigurationError("--no-cache and --cache-dir contradict each other")
        errors = errors or out.with_name(f"{out.name.removesuffix('.jsonl')}.errors.jsonl")
        if errors.resolve() == out.resolve():
            raise ConfigurationError("--errors must not be the --out file")
        cache = None if no_cache else (cache_dir or default_cache_dir())
        if via == "batch-api":
            if workers > 1:
                raise ConfigurationError("--via batch-api has no --workers: they are for the "
                                         "requests asked live")
            if rpm or tpm or cache_dir is not None:
                raise ConfigurationError("--via batch-api has no --rpm, --tpm or --cache-dir: the "
                                         "Batch API paces itself, and a batch is asked once")
            from summarizer.batch.batch_api import run_batch_api

            run = functools.partial(
                run_batch_api, inputs, out, errors, concurrency=concurrency, max_bytes=max_bytes,
                base_url=base_url, api_key=api_key, model=model, prices=prices,
                poll_every=poll_every,
                on_status=lambda line: print(f"summarizer: batch: {line}", file=sys.stderr,
                                             flush=True))
        else:
            run = functools.partial(
                run_batch, inputs, out, errors, concurrency=concurrency, requests_per_minute=rpm,
                tokens_per_minute=tpm, cache_dir=cache, max_bytes=max_bytes, base_url=base_url,
                api_key=api_key, model=model, concurrent_passes=concurrent_passes, prices=prices,
                workers=workers)
        with stopped_within_seconds(
                f"summarizer: error: interrupted; the results written are kept in {out}: run the "
                "same command again to summarize the rest"):
            if sys.stderr.isatty():
                totals = _with_progress_bar(run, count_inputs(inputs))
            else:
                totals = run(on_outcome=_StatusLines(status_every))
        print(f"summarizer: batch: {_figures(totals)}", file=sys.stderr)
        if totals.failed:
            print(f"summarizer: batch: {totals.failed} article(s) failed, see {errors}",
                  file=sys.stderr)
        if totals.incomplete:
            print(f"summarizer: batch: {totals.incomplete} article(s) incomplete, a pass failed "
                  f"(their results lack its items; a rerun asks it again), see {errors}",
                  file=sys.stderr)
        if totals.failed or totals.incomplete:
            raise typer.Exit(SOME_FAILED)


def _with_progress_bar(run: Callable[..., Totals], total: int) -> Totals:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TextColumn("{task.fields[figures]}"),
                  TimeElapsedColumn(), TimeRemainingColumn(), transient=False) as bar:
        task = bar.add_task("summarizing", total=total, figures="")

        def show(outcome: Outcome, totals: Totals) -> None:
            elapsed = bar.tasks[0].elapsed or 1e-9
            bar.update(task, completed=totals.total, figures=(
                f"done {totals.done + totals.already_done}, failed {totals.failed}, "
                f"incomplete {totals.incomplete}, "
                f"{(totals.done + totals.incomplete + totals.failed) / elapsed:.2f}/s, "
                f"{totals.prompt_tokens + totals.completion_tokens:,} tokens, ${totals.usd:,.4f}"))

        return run(on_outcome=show)


def digest(
    results: Annotated[Path, typer.Argument(help="A results file written by `summarizer batch`.",
                                            show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of "
                                                "stdout.", show_default=False)] = None,
    articles: Annotated[list[str] | None, typer.Option("--articles", help="Re-read the articles "
                                                       "from these inputs (as given to batch) "
                                                       "instead of the recorded sources.",
                                                       show_default=False)] = None,
) -> None:
    """Digest stored summaries per event by the rules alone: no model is asked.

    Prints {"summaries": [...], "digests": [...]} as `summarize` does for several articles."""
    from summarizer.api import merge_by_rules
    from summarizer.batch.stored_results import load_results
    from summarizer.output.digest import ArticleSet

    with reported_errors():
        summaries, documents = load_results(results, articles)
        payload = ArticleSet(summaries=summaries, digests=merge_by_rules(summaries, documents))
        text = json.dumps(payload.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomically(output, text)
