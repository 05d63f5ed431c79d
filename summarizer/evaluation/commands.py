"""The evaluation tooling's commands: `summarizer eval` and `summarizer cassettes record`.

They are registered through the `summarizer.commands` entry point (see pyproject.toml), so the
runtime CLI never imports this package; heavy imports stay inside the commands.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from summarizer.console import (
    ApiKey,
    BaseUrl,
    Model,
    Timeout,
    fail,
    reported_errors,
    write_atomically,
)
from summarizer.errors import ConfigurationError, InputError
from summarizer.evaluation import rerecord

if TYPE_CHECKING:
    pass

commands = typer.Typer()
cassettes_app = typer.Typer(no_args_is_help=True, help="Recorded model answers for the tests.")


def register(app: typer.Typer) -> None:
    """Add `eval` and `cassettes` to the `summarizer` command."""
    app.registered_commands += commands.registered_commands
    app.add_typer(cassettes_app, name="cassettes")


@commands.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL: one annotated article a line (format: "
                                         "bench/README.md).", show_default=False)],
    variant: Annotated[str, typer.Option("--variant", help="Pipeline variant: focused, "
                                         "focused-dates, focused-fill, single, single-dates or "
                                         "single-fill (compared in bench/README.md).")] = "focused-dates",
    cassettes: Annotated[Path | None, typer.Option(
        "--cassettes", help="Replay the model's answers from this directory (one cassette per "
        "article); no model is started.", show_default=False)] = None,
    record: Annotated[bool, typer.Option(
        "--record", help="With --cassettes: ask the model for the articles that have no cassette "
        "yet, and for the calls a cassette lacks (a new kind of call, such as the support "
        "check's), and record them; delete a stale cassette first.")] = False,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where the JSON report goes.")] = Path(
        "eval_report.json"),
    compare: Annotated[Path | None, typer.Option(
        "--compare", help="A previous report: print each figure's change since.",
        show_default=False)] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N articles.",
                                              show_default=False)] = None,
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    model: Model = None,
    timeout: Timeout = None,
    support_check: Annotated[str, typer.Option(
        "--support-check", metavar="model|rules", help="As for summarize: 'model' re-asks and "
        "judges the model's wording (the default), 'rules' makes no extra call.")] = "model",
) -> None:
    """Score summaries against gold annotations: token F1, span overlap and value accuracy per
    field, grounding figures and cost. Prints a table and writes a JSON report."""
    from summarizer.api import Summarizer
    from summarizer.evaluation.report import report, table
    from summarizer.evaluation.runs import Replay, evaluate, read_gold, replay_provider
    from summarizer.extract.pipeline import PASSES
    from summarizer.extract.recheck import support_check_of

    with reported_errors():
        if variant not in PASSES:
            raise ConfigurationError(f"--variant must be one of {', '.join(PASSES)}, not {variant!r}")
        if record and cassettes is None:
            raise ConfigurationError("--record needs --cassettes DIR (where to record)")
        checked = support_check_of(support_check, "--support-check")
        previous = _read_report(compare) if compare else None
        articles = read_gold(gold)[:limit]
        replay = Replay(cassettes, record) if cassettes else None
        with contextlib.ExitStack() as stack:
            if replay and not record:
                provider = replay_provider(replay.directory)
            else:
                engine = stack.enter_context(Summarizer(
                    base_url=base_url, api_key=api_key, model=model, timeout=timeout,
                    progress=lambda message: typer.echo(f"summarizer: {message}", err=True)))
                provider = engine.provider
            results = evaluate(articles, provider, variant=variant, support_check=checked,
                               replay=replay,
                               progress=lambda message: typer.echo(message, err=True))
        scored = report(results, gold=str(gold), variant=variant, support_check=checked,
                        model=provider.model,
                        mode="replay" if replay and not record else "live")
        write_atomically(out, json.dumps(scored, indent=2) + "\n")
        sys.stdout.write(table(scored, previous))
        typer.echo(f"wrote {out}", err=True)


def _read_report(path: Path) -> dict[str, object]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such report") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a JSON report ({exc})") from None
    if not isinstance(loaded, dict) or "fields" not in loaded:
        raise InputError(f"{path}: not a report of `summarizer eval`")
    return loaded


@cassettes_app.command("record")
def record_cassettes(
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    model: Model = None,
    timeout: Timeout = None,
    missing_only: Annotated[bool, typer.Option(
        "--missing-only", help="Record only cassettes that do not exist yet (same model as the "
        "others); keep the recorded ones.")] = False,
) -> None:
    """Re-record every cassette against the configured endpoint (default: the local model) into a
    scratch copy, regenerate tests/snapshots/ from it, run the offline suite against it, and only
    then replace the committed files; on any failure nothing is changed. Run from the repository
    root."""
    from summarizer.api import resolve_backend
    from summarizer.backends import local as local_model
    from summarizer.backends.grammar import COMPACT_JSON, JSON_SCHEMA

    with reported_errors():
        root = Path.cwd()
        if not (Path("tests").is_dir() and rerecord.CASSETTES.is_dir()):
            raise ConfigurationError("no tests/ and cassettes/ here: run from a source checkout")
        backend = resolve_backend(base_url, api_key, model, timeout)
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="summarizer-record-") as scratch:
            cassettes, snapshots = rerecord.scratch_copy(root, Path(scratch))
            offline = {**os.environ, "SUMMARIZER_CASSETTES_DIR": str(cassettes),
                       "SUMMARIZER_SNAPSHOTS_DIR": str(snapshots)}
            with contextlib.ExitStack() as stack:
                url, key = backend.base_url, backend.api_key
                if backend.endpoint_kind == "local":
                    server = stack.enter_context(local_model.local_server(
                        lambda message: typer.echo(f"summarizer: {message}", err=True)))
                    url, key = server.base_url, server.api_key
                url = url or "https://api.openai.com/v1"
                live = {**offline, "SUMMARIZER_RECORD_BASE_URL": url,
                        "SUMMARIZER_RECORD_MODEL": backend.model,
                        "SUMMARIZER_RECORD_API_KEY": key or "unused",
                        "SUMMARIZER_RECORD_ANSWER_FORMAT":
                            COMPACT_JSON if backend.endpoint_kind == "local" else JSON_SCHEMA,
                        # only a --timeout given here overrides the recording's own long deadline
                        **({"SUMMARIZER_TIMEOUT": f"{timeout:g}"} if timeout else {})}
                host = urlsplit(url).hostname or "127.0.0.1"
                code = rerecord.run_pytest(
                    # (snapshots written here too, so that no comparison fails the recording;
                    # the replay below writes the ones that are kept)
                    ["-m", "cassette", "-x", "--snapshot-update", f"--allowed-hosts={host}",
                     "--record-mode=" + ("once" if missing_only else "rewrite")], live)
            if code != 0:
                raise fail("recording failed (see the pytest output above); nothing was changed",
                           1)
            # The snapshots are what the new cassettes replay, not what the live session saw: a
            # cassette recorded twice in one session, or a retry, would otherwise set them apart.
            code = rerecord.run_pytest(["-m", "cassette", "--snapshot-update"], offline)
            if code != 0:
                raise fail("replaying the new recording failed (see above); nothing was changed", 1)
            code = rerecord.run_pytest(["-m", "not live"], offline)  # as scripts/check
            if code != 0:
                raise fail("the offline suite fails against the new recording (see above); "
                           "nothing was changed", 1)
            _report(root, cassettes, snapshots)
            changed = [name for name, _, _ in
                       rerecord.snapshot_changes(root / rerecord.SNAPSHOTS, snapshots)]
            for line in [*rerecord.install(cassettes, root / rerecord.CASSETTES),
                         *rerecord.install(snapshots, root / rerecord.SNAPSHOTS)]:
                typer.echo(line, err=True)
        for line in rerecord.docs_note(changed):
            typer.echo(line, err=True)
        typer.echo(f"recorded and checked in {time.monotonic() - started:.0f} s", err=True)


def _report(root: Path, cassettes: Path, snapshots: Path) -> None:
    """Per cassette: did the answers change; per snapshot: how many lines."""
    for name, status in rerecord.cassette_changes(root / rerecord.CASSETTES, cassettes):
        typer.echo(f"cassette {name}: {status}")
    stats = rerecord.snapshot_changes(root / rerecord.SNAPSHOTS, snapshots)
    for name, added, removed in stats:
        typer.echo(f"snapshot {name} | +{added} -{removed}")
    if not stats:
        typer.echo("snapshots: all identical")
