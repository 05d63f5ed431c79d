"""Read a stored result back: one EventSummary, an ArticleSet, or JSON Lines of EventSummaries or
of `summarizer batch`'s results lines (`{"id", "sha256", "source", "summary", "cost"}`).

`summarizer render` draws reports from these without calling a model. A file that is none of them
is an InputError naming the file and the first problem, on one line.
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from summarizer.errors import InputError
from summarizer.output.digest import ArticleSet
from summarizer.output.summary import EventSummary


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


def _batch_line(value: object) -> bool:
    """Whether a parsed line is one of `summarizer batch`'s results lines, which hold a summary."""
    return isinstance(value, dict) and {"sha256", "summary"} <= value.keys()


def _summary(line: str) -> EventSummary:
    """One line's EventSummary: the line itself, or the summary of a batch results line."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        value = None  # let pydantic say what is wrong with it
    if _batch_line(value):
        return EventSummary.model_validate(value["summary"])
    return EventSummary.model_validate_json(line)


def parse_result(text: str, name: str) -> EventSummary | ArticleSet:
    """An EventSummary or ArticleSet from JSON; JSON Lines (one EventSummary, or one results line of
    `summarizer batch`, per line) become an ArticleSet without digests."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None  # maybe JSON Lines
    try:
        if isinstance(whole, dict) and not _batch_line(whole):
            kind = ArticleSet if "summaries" in whole else EventSummary
            return kind.model_validate(whole)
        lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
                 if line.strip()]
        if (whole is not None and not _batch_line(whole)) or not lines:
            raise InputError(f"{name}: not a summary, an article set or JSON Lines of summaries")
        summaries = []
        for number, line in lines:
            try:
                summaries.append(_summary(line))
            except ValidationError as exc:
                raise InputError(f"{name}: line {number}: {_first_problem(exc)}") from None
        return ArticleSet(summaries=summaries, digests=[])
    except ValidationError as exc:
        raise InputError(f"{name}: not a stored result ({_first_problem(exc)})") from None
