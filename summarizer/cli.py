"""The `summarizer` command: parses arguments, calls the library, writes the result.

Errors from the library end the command with one line on stderr and the documented exit code
(see summarizer.errors). `-o` is checked before any model call; a failed pass, article or merge
leaves the rest written, with exit 7 and one line per failure.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summarizer.console import (
    ApiKey,
    BaseUrl,
    Model,
    Timeout,
    check_writable,
    progress_display,
    reported_errors,
    write_atomically,
)
from summarizer.errors import ConfigurationError, IncompleteError, InputError, ProviderError

if TYPE_CHECKING:
    from summarizer.output.digest import ArticleSet, EventDigest
    from summarizer.output.summary import EventSummary
    from summarizer.text.document import Document

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Grounded event summaries of news articles.")

SCHEMAS_DIR = Path("schemas")


class Format(StrEnum):
    json = "json"
    markdown = "markdown"
    html = "html"


class RenderFormat(StrEnum):
    html = "html"
    markdown = "markdown"


def _markdown(summaries: list[EventSummary], digests: list[EventDigest],
              result: ArticleSet | None = None) -> str:
    """The summaries, then the digests, then what failed (an article set's `failures`)."""
    from summarizer.output.markdown import to_markdown
    from summarizer.output.markdown_digest import digest_to_markdown, failures_to_markdown

    failures = [failures_to_markdown(result.failures)] if result and result.failures else []
    return "\n".join([*(to_markdown(s) for s in summaries), *(digest_to_markdown(d) for d in digests),
                      *failures])


def _read_inputs(paths: list[str], max_chars: int) -> list[Document]:
    """Documents with distinct ids; a directory stands for its *.txt and *.md files, sorted."""
    from summarizer.api import articles_of
    from summarizer.text.document import Document, decode_article

    given: list[Path | Document] = [
        Document(id="stdin", raw=decode_article(sys.stdin.buffer.read(), "<stdin>", max_chars))
        if path == "-" else Path(path) for path in paths]
    return articles_of(given, max_chars)


def _shortfalls(result: ArticleSet) -> list[str]:
    """One line per failed pass, article or merge, each naming its article (and pass)."""
    from summarizer.extract.recheck import SUPPORT_CALLS

    lost = {True: "its statements were checked by the rules alone", False: "its items are missing"}
    lines = [f"{s.document.id}: pass {p.name} failed, {lost[p.name in SUPPORT_CALLS]}: {p.error}"
             for s in result.summaries for p in s.incomplete]
    lines += [f"{f.article}: not summarized: {f.error}" if f.stage == "summarize"
              else f"merge: {f.error}" for f in result.failures]
    return lines


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
    timeout: Timeout = None,
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
    max_chars: Annotated[int | None, typer.Option(
        "--max-chars", min=1, help="Refuse longer articles (characters) "
        "\\[env: SUMMARIZER_MAX_CHARS; default 200,000]", show_default=False)] = None,
    chunk_chars: Annotated[int | None, typer.Option(
        "--chunk-chars", min=1, help="Summarize longer articles in overlapping chunks cut on "
        "sentence boundaries (characters) \\[env: SUMMARIZER_CHUNK_CHARS; default 12,000]",
        show_default=False)] = None,
    support_check: Annotated[str, typer.Option(
        "--support-check", metavar="model|rules", envvar="SUMMARIZER_SUPPORT_CHECK",
        help="How the model's own wording is checked "
        "against its evidence: 'model' re-asks once what breaks a rule and has the model judge "
        "what the rules cannot decide (at most 2 more calls per article); 'rules' makes no extra "
        "call and lets the article's words stand in.")] = "model",
) -> None:
    """Summarize articles into grounded event summaries (JSON, Markdown or an HTML report).

    One article gives one EventSummary; several give {"summaries": [...], "digests": [...]}, one
    digest per event they report (none with --no-merge)."""
    from summarizer.api import Summarizer, resolve_max_chars
    from summarizer.extract.recheck import support_check_of
    from summarizer.output.digest import ArticleSet
    from summarizer.output.html import to_html
    from summarizer.text.document import metadata_overrides

    with reported_errors():
        try:
            given = metadata_overrides(title=title, published=published, url=url)
        except ConfigurationError as exc:
            raise ConfigurationError(f"--{exc}") from None  # "--published must be ..."
        if (title or url) and len(paths) > 1:
            raise ConfigurationError(f"--title and --url describe one article, not {len(paths)}")
        limit = resolve_max_chars(max_chars)
        documents = _read_inputs(paths, limit)
        if (title or url) and len(documents) > 1:
            raise ConfigurationError(f"--title and --url describe one article, not {len(documents)}")
        if output is not None:
            check_writable(output)  # before any model call
        where = [""]  # the article being summarized, for the library's progress lines
        with progress_display() as show, Summarizer(
            base_url=base_url, api_key=api_key, model=model, max_chars=limit, timeout=timeout,
            chunk_chars=chunk_chars, support_check=support_check_of(support_check, "--support-check"),
            progress=lambda message: show(f"{where[0]}{message}"),
        ) as engine:
            if len(documents) == 1:
                where[0] = f"article 1/1 {documents[0].id}: "
                try:
                    result = ArticleSet(summaries=[engine.summarize_document(
                        documents[0], title=given.title, published=given.published,
                        url=given.url)], digests=[])
                except ProviderError as exc:  # the give-up line names the article and the pass
                    exc.where = documents[0].id + (f", pass {exc.pass_name}" if exc.pass_name else "")
                    raise
            else:  # a failed article or merge keeps the others (listed in `failures`)
                result = engine.summarize_many(documents, published=given.published,
                                               merge=not no_merge)
        summaries, digests = result.summaries, result.digests
        for summary in summaries:  # an article that gives orders to an AI is worth a warning
            for planted in summary.planted_instructions:
                span = planted.spans[0]
                typer.echo(f"warning: {summary.document.id} [{span.start}:{span.end}]: an "
                           f"instruction planted in the article was ignored: {planted.text!r}",
                           err=True)
        if output_format is Format.markdown:
            text = _markdown(summaries, digests, result)
        elif output_format is Format.html:
            text = to_html(summaries[0] if len(summaries) == 1 else
                           ArticleSet(summaries=summaries, digests=digests),
                           {doc.id: doc.raw for doc in documents})
        else:
            pretty = output is not None or sys.stdout.isatty()
            payload = (summaries[0].model_dump(mode="json") if len(documents) == 1 else
                       result.model_dump(mode="json"))
            text = json.dumps(payload, indent=2 if pretty else None, ensure_ascii=False) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomically(output, text)
        if shortfalls := _shortfalls(result):
            for line in shortfalls:
                typer.echo(f"summarizer: {line}", err=True)
            raise IncompleteError(f"incomplete: {len(shortfalls)} failure(s) listed above; the "
                                  "output holds what the rest grounded")


def _article_texts(result: EventSummary | ArticleSet, stored: Path,
                   articles: Path | None) -> dict[str, str]:
    """Each summarized article's raw text: from --articles DIR (by file name, else `<id>.txt` or
    `<id>.md`), else from the path the summary keeps (as given, then beside the result file)."""
    from summarizer.output.summary import EventSummary
    from summarizer.text.document import read_article

    summaries = [result] if isinstance(result, EventSummary) else result.summaries
    texts = {}
    for doc in (s.document for s in summaries):
        if articles is not None:
            names = [Path(doc.path).name] if doc.path else []
            candidates = [articles / name for name in [*names, f"{doc.id}.txt", f"{doc.id}.md"]]
        elif doc.path is None:
            raise InputError(f"{doc.id}: the article was read from stdin; pass --articles DIR "
                             f"holding {doc.id}.txt")
        else:
            kept = Path(doc.path)
            candidates = [kept] if kept.is_absolute() else [kept, stored.parent / kept]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise InputError(f"{doc.id}: article not found (tried {', '.join(map(str, candidates))}); "
                             "pass --articles DIR")
        texts[doc.id] = read_article(found).raw
    return texts


@app.command()
def render(
    result: Annotated[Path, typer.Argument(help="A stored EventSummary or article set (.json), or "
                                           "JSON Lines of EventSummaries (.jsonl).",
                                           show_default=False)],
    output_format: Annotated[RenderFormat, typer.Option("--format", "-f")] = RenderFormat.html,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of "
                                                "stdout.", show_default=False)] = None,
    articles: Annotated[Path | None, typer.Option(
        "--articles", help="Directory holding the articles (default: the paths the result keeps, "
        "as given or beside the result file).", show_default=False)] = None,
) -> None:
    """Render a stored result as an HTML report or Markdown, without calling a model.

    The HTML report needs each article's text, exactly as it was summarized; a file that no longer
    matches its spans is an input error (exit 4)."""
    from summarizer.output.html import to_html
    from summarizer.output.result_reader import parse_result
    from summarizer.output.summary import EventSummary
    from summarizer.text.document import read_article

    with reported_errors():
        if articles is not None and not articles.is_dir():
            raise InputError(f"--articles {articles}: not a directory")
        parsed = parse_result(read_article(result).raw, str(result))
        if output_format is RenderFormat.html:
            text = to_html(parsed, _article_texts(parsed, result, articles))
        elif isinstance(parsed, EventSummary):
            text = _markdown([parsed], [])
        else:
            text = _markdown(parsed.summaries, parsed.digests, parsed)
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomically(output, text)


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
    from summarizer.output.schema import SCHEMA_FILES, schema_text

    with reported_errors():
        if not write:
            sys.stdout.write(schema_text(kind.value))
            return
        if not SCHEMAS_DIR.is_dir():
            raise ConfigurationError(f"no {SCHEMAS_DIR}/ here: run from the repository root")
        for each, name in SCHEMA_FILES.items():
            write_atomically(SCHEMAS_DIR / name, schema_text(each))
            typer.echo(f"wrote {SCHEMAS_DIR / name}", err=True)


def _register_batch() -> None:
    from summarizer.batch.cli_commands import register

    register(app)


_register_batch()


def _register_plugins() -> None:
    """Commands other packages add (the evaluation tooling registers `eval` and `cassettes`) through
    the `summarizer.commands` entry points, so the runtime never imports them itself."""
    for entry in entry_points(group="summarizer.commands"):
        entry.load()(app)


_register_plugins()


def main() -> None:
    app(prog_name="summarizer")
