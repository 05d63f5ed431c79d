"""The `summarizer` command: parses arguments, calls the library, writes the result.

Errors from the library end the command with one line on stderr and the documented exit code
(see summarizer.errors); nothing is written to an output file unless the whole run succeeded.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated
from urllib.parse import urlsplit

import typer

from summarizer.errors import ConfigurationError, InputError, SummarizerError

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Grounded event summaries of news articles.")
cassettes_app = typer.Typer(no_args_is_help=True, help="Recorded model answers for the tests.")
app.add_typer(cassettes_app, name="cassettes")

SCHEMAS_DIR = Path("schemas")


class Format(StrEnum):
    json = "json"
    markdown = "markdown"


# Rich markup would swallow "[env: ...]"; escape the bracket.
BaseUrl = Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint "
                                             "\\[env: OPENAI_BASE_URL]", show_default=False)]
ApiKey = Annotated[str | None, typer.Option("--api-key", help="API key \\[env: OPENAI_API_KEY]",
                                            show_default=False)]
Model = Annotated[str | None, typer.Option("--model", help="Model name \\[env: SUMMARIZER_MODEL]",
                                           show_default=False)]


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"summarizer: error: {message}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def _reported_errors() -> Iterator[None]:
    """SummarizerError -> one line and its exit code; Ctrl-C -> 130; SIGTERM runs cleanups too."""

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    except SummarizerError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    except KeyboardInterrupt:
        raise _fail("interrupted", 130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _read_inputs(paths: list[str]) -> list[object]:
    """Documents with distinct ids; a directory stands for its *.txt and *.md files, sorted."""
    from summarizer.api import articles_of
    from summarizer.document import Document, decode_article

    given: list[Path | Document] = [
        Document(id="stdin", raw=decode_article(sys.stdin.buffer.read(), "<stdin>")) if path == "-"
        else Path(path) for path in paths]
    return list(articles_of(given))


def _write_atomically(target: Path, text: str) -> None:
    directory = target.resolve().parent
    if not directory.is_dir():
        raise InputError(f"{target}: directory {directory} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.",
                                             suffix=".tmp")
    except OSError as exc:
        raise InputError(f"{target}: cannot be written ({exc.strerror})") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, _new_file_mode(target))  # mkstemp's 0600 is not what `>` would give
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # e.g. the target is a directory: one line, not a traceback
            raise InputError(f"{target}: cannot be written ({exc.strerror})") from exc
        raise


def _new_file_mode(target: Path) -> int:
    """The existing file's permissions, else those a plain open() would give (0666 less umask)."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@app.command()
def summarize(
    paths: Annotated[list[str], typer.Argument(help="Article files or directories (their *.txt "
                                               "and *.md files); '-' reads stdin.",
                                               show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead "
                                                "of stdout (only once everything succeeded).",
                                                show_default=False)] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.json,
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    model: Model = None,
    title: Annotated[str | None, typer.Option("--title", help="The article's title, instead of "
                                              "its heading or first line.",
                                              show_default=False)] = None,
    published: Annotated[str | None, typer.Option("--published", metavar="YYYY-MM-DD",
                                                  help="Publication date, instead of the date "
                                                  "the article shows.", show_default=False)] = None,
    url: Annotated[str | None, typer.Option("--url", help="Source URL, instead of the article's "
                                            "'Original url:' line.", show_default=False)] = None,
    no_merge: Annotated[bool, typer.Option("--no-merge", help="With several articles, do not "
                                           "digest them per event.")] = False,
) -> None:
    """Summarize articles into grounded event summaries (JSON or Markdown).

    One article gives one EventSummary; several give {"summaries": [...], "digests": [...]}, one
    digest per event they report (none with --no-merge)."""
    from rich.console import Console

    from summarizer.api import Summarizer
    from summarizer.digest_models import ArticleSet
    from summarizer.document import metadata_overrides
    from summarizer.render import to_markdown
    from summarizer.render_digest import digest_to_markdown

    status_console = Console(stderr=True)
    with _reported_errors():
        try:
            given = metadata_overrides(title=title, published=published, url=url)
        except ConfigurationError as exc:
            raise ConfigurationError(f"--{exc}") from None  # "--published must be ..."
        if (title or url) and len(paths) > 1:
            raise ConfigurationError(f"--title and --url describe one article, not {len(paths)}")
        documents = _read_inputs(paths)
        if (title or url) and len(documents) > 1:
            raise ConfigurationError(f"--title and --url describe one article, not {len(documents)}")
        summaries = []
        with status_console.status("summarizer: starting") as status, Summarizer(
            base_url=base_url, api_key=api_key, model=model,
            progress=lambda message: status.update(f"summarizer: {message}"),
        ) as engine:
            for number, doc in enumerate(documents, start=1):
                status.update(f"summarizer: article {number}/{len(documents)}")
                summaries.append(engine.summarize_document(
                    doc, title=given.title, published=given.published,  # type: ignore[arg-type]
                    url=given.url))
            digests = []
            if len(summaries) > 1 and not no_merge:
                status.update("summarizer: merging")
                digests = engine.merge(summaries, documents)  # type: ignore[arg-type]
        if output_format is Format.markdown:
            text = "\n".join([*(to_markdown(s) for s in summaries),
                              *(digest_to_markdown(d) for d in digests)])
        else:
            pretty = output is not None or sys.stdout.isatty()
            payload = (summaries[0].model_dump(mode="json") if len(summaries) == 1 else
                       ArticleSet(summaries=summaries, digests=digests).model_dump(mode="json"))
            text = json.dumps(payload, indent=2 if pretty else None, ensure_ascii=False) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            _write_atomically(output, text)


class SchemaFor(StrEnum):
    summary = "summary"
    articles = "articles"


@app.command()
def schema(
    kind: Annotated[SchemaFor, typer.Option("--for", help="summary: one article's EventSummary; "
                                            "articles: the output for several articles.")]
    = SchemaFor.summary,
    write: Annotated[bool, typer.Option("--write", help=f"Rewrite every file in {SCHEMAS_DIR}/ "
                                        "(run from the repository root).")] = False,
) -> None:
    """Print the JSON Schema of the output (or rewrite the committed copies)."""
    from summarizer.schema import SCHEMA_FILES, schema_text

    with _reported_errors():
        if not write:
            sys.stdout.write(schema_text(kind.value))
            return
        if not SCHEMAS_DIR.is_dir():
            raise ConfigurationError(f"no {SCHEMAS_DIR}/ here: run from the repository root")
        for each, name in SCHEMA_FILES.items():
            _write_atomically(SCHEMAS_DIR / name, schema_text(each))
            typer.echo(f"wrote {SCHEMAS_DIR / name}", err=True)


@app.command("eval")
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
        "yet and record them.")] = False,
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
) -> None:
    """Score summaries against gold annotations: token F1, span overlap and value accuracy per
    field, grounding figures and cost. Prints a table and writes a JSON report."""
    from summarizer.api import Summarizer
    from summarizer.eval_run import Replay, evaluate, read_gold, replay_provider
    from summarizer.evaluation import report, table
    from summarizer.pipeline import PASSES

    with _reported_errors():
        if variant not in PASSES:
            raise ConfigurationError(f"--variant must be one of {', '.join(PASSES)}, not {variant!r}")
        if record and cassettes is None:
            raise ConfigurationError("--record needs --cassettes DIR (where to record)")
        previous = _read_report(compare) if compare else None
        articles = read_gold(gold)[:limit]
        replay = Replay(cassettes, record) if cassettes else None
        with contextlib.ExitStack() as stack:
            if replay and not record:
                provider = replay_provider(replay.directory)
            else:
                engine = stack.enter_context(Summarizer(
                    base_url=base_url, api_key=api_key, model=model,
                    progress=lambda message: typer.echo(f"summarizer: {message}", err=True)))
                provider = engine.provider
            results = evaluate(articles, provider, variant=variant,
                               replay=replay,
                               progress=lambda message: typer.echo(message, err=True))
        scored = report(results, gold=str(gold), variant=variant, model=provider.model,
                        mode="replay" if replay and not record else "live")
        _write_atomically(out, json.dumps(scored, indent=2) + "\n")
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
    missing_only: Annotated[bool, typer.Option(
        "--missing-only", help="Record only cassettes that do not exist yet (same model as the "
        "others); keep the recorded ones.")] = False,
) -> None:
    """Re-record every cassette against the configured endpoint (default: the local model),
    then run the offline test suite against the new cassettes. Run from the repository root."""
    from summarizer import local_model
    from summarizer.api import resolve_backend

    with _reported_errors():
        if not (Path("tests").is_dir() and Path("cassettes").is_dir()):
            raise ConfigurationError("no tests/ and cassettes/ here: run from a source checkout")
        backend = resolve_backend(base_url, api_key, model)
        with contextlib.ExitStack() as stack:
            url = backend.base_url
            if backend.endpoint_kind == "local":
                url = stack.enter_context(local_model.local_server(
                    lambda message: typer.echo(f"summarizer: {message}", err=True)))
            env = {**os.environ, "SUMMARIZER_RECORD_BASE_URL": url or "https://api.openai.com/v1",
                   "SUMMARIZER_RECORD_MODEL": backend.model,
                   "SUMMARIZER_RECORD_API_KEY": backend.api_key or "unused"}
            host = urlsplit(env["SUMMARIZER_RECORD_BASE_URL"]).hostname or "127.0.0.1"
            recorded = subprocess.run([sys.executable, "-m", "pytest", "-m", "cassette",
                                       "--record-mode=" + ("once" if missing_only else "rewrite"),
                                       f"--allowed-hosts={host}"],
                                      env=env, check=False)
        if recorded.returncode != 0:
            raise _fail("recording failed (see the pytest output above)", recorded.returncode)
        offline = subprocess.run([sys.executable, "-m", "pytest"], check=False)
        if offline.returncode != 0:
            raise _fail("the offline suite fails against the new cassettes", offline.returncode)


def main() -> None:
    app(prog_name="summarizer")
