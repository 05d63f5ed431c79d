"""The `summarizer` command: parses arguments, calls the library, writes the result.

Errors from the library end the command with one line on stderr and the documented exit code
(see summarizer.errors); nothing is written to an output file unless the whole run succeeded.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summarizer.console import ApiKey, BaseUrl, Model, reported_errors, write_atomically
from summarizer.errors import ConfigurationError

if TYPE_CHECKING:
    from summarizer.text.document import Document

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Grounded event summaries of news articles.")

SCHEMAS_DIR = Path("schemas")


class Format(StrEnum):
    json = "json"
    markdown = "markdown"


def _read_inputs(paths: list[str]) -> list[Document]:
    """Documents with distinct ids; a directory stands for its *.txt and *.md files, sorted."""
    from summarizer.api import articles_of
    from summarizer.text.document import Document, decode_article

    given: list[Path | Document] = [
        Document(id="stdin", raw=decode_article(sys.stdin.buffer.read(), "<stdin>")) if path == "-"
        else Path(path) for path in paths]
    return articles_of(given)


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
    from summarizer.output.digest import ArticleSet
    from summarizer.output.markdown import to_markdown
    from summarizer.output.markdown_digest import digest_to_markdown
    from summarizer.text.document import metadata_overrides

    status_console = Console(stderr=True)
    with reported_errors():
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
                    doc, title=given.title, published=given.published,
                    url=given.url))
            digests = []
            if len(summaries) > 1 and not no_merge:
                status.update("summarizer: merging")
                digests = engine.merge(summaries, documents)
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
    from summarizer.batch.commands import register

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
