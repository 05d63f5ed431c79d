"""Read a stored result back: one EventSummary, an ArticleSet, or JSON Lines of EventSummaries.

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


def parse_result(text: str, name: str) -> EventSummary | ArticleSet:
    """An EventSummary or ArticleSet from JSON; JSON Lines (one EventSummary per line) become an
    ArticleSet without digests."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None  # maybe JSON Lines
    try:
        if isinstance(whole, dict):
            kind = ArticleSet if "summaries" in whole else EventSummary
            return kind.model_validate(whole)
        lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
                 if line.strip()]
        if whole is not None or not lines:
            raise InputError(f"{name}: not a summary, an article set or JSON Lines of summaries")
        summaries = []
        for number, line in lines:
            try:
                summaries.append(EventSummary.model_validate_json(line))
            except ValidationError as exc:
                raise InputError(f"{name}: line {number}: {_first_problem(exc)}") from None
        return ArticleSet(summaries=summaries, digests=[])
    except ValidationError as exc:
        raise InputError(f"{name}: not a stored result ({_first_problem(exc)})") from None
