"""The JSON report of `summarizer eval`: its typed shape, how results add up to it, and the table
printed from it. The shape is TypedDicts, so `json.dumps` writes exactly the dicts built here
(key order included) and readers index it with checked keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, TypedDict, Unpack

from summarizer.evaluation.scoring import (
    CORE_FIELDS,
    FIELDS,
    ArticleResult,
    FieldCounts,
    FieldFigures,
    Grounding,
    round4,
)


class About(TypedDict, total=False):
    """What was scored, written first in the report (left out when not given)."""

    gold: str
    variant: str
    support_check: str
    model: str
    mode: Literal["replay", "live"]


class GroundingFigures(TypedDict):
    spans: int
    span_invariant: float | None
    alignment: dict[str, int]
    rejected_per_article: float
    numbers: int
    numbers_unreadable: int
    support: dict[str, int]
    planted_instructions: int
    wrong_type_answers: int


class Cost(TypedDict):
    """Means per article."""

    calls: float
    prompt_tokens: float
    completion_tokens: float
    seconds: float


class ArticleFigures(TypedDict):
    id: str
    error: str | None
    calls: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    rejected: int
    wrong_type: list[str]
    fields: dict[str, FieldFigures]


class MeanF1(TypedDict):
    """The mean token F1 of `fields` (who, what, when, where, numbers: not why and how, so runs
    before and after they were scored compare); None when one of them has no F1."""

    fields: list[str]
    f1: float | None


class Report(About):
    articles: int
    failed: int
    fields: dict[str, FieldFigures]
    mean_f1: MeanF1
    grounding: GroundingFigures
    cost_per_article: Cost
    per_article: list[ArticleFigures]


def report(results: Sequence[ArticleResult], **about: Unpack[About]) -> Report:
    """The JSON report: corpus figures per field, grounding, cost, and each article's figures."""
    totals = {name: FieldCounts() for name in FIELDS}
    grounding = Grounding()
    for result in results:
        for name in FIELDS:
            totals[name].add(result.fields[name])
        grounding.add(result.grounding)
    count = len(results) or 1
    fields = {name: totals[name].figures() for name in FIELDS}
    core = [fields[name]["f1"] for name in CORE_FIELDS]
    return {
        **about,
        "articles": len(results),
        "failed": sum(r.error is not None for r in results),
        "fields": fields,
        "mean_f1": {"fields": list(CORE_FIELDS),
                    "f1": round4(sum(f for f in core if f is not None) / len(core)
                                 if all(f is not None for f in core) else None)},
        "grounding": {
            "spans": grounding.spans,
            "span_invariant": round4(grounding.spans_valid / grounding.spans
                                     if grounding.spans else None),
            "alignment": dict(sorted(grounding.alignment.items())),
            "rejected_per_article": round(grounding.rejected / count, 2),
            "numbers": grounding.numbers,
            "numbers_unreadable": grounding.numbers_unreadable,
            "support": dict(sorted(grounding.support.items())),
            "planted_instructions": grounding.planted,
            "wrong_type_answers": len(grounding.wrong_type),
        },
        "cost_per_article": {
            "calls": round(sum(r.calls for r in results) / count, 2),
            "prompt_tokens": round(sum(r.prompt_tokens for r in results) / count, 1),
            "completion_tokens": round(sum(r.completion_tokens for r in results) / count, 1),
            "seconds": round(sum(r.seconds for r in results) / count, 1),
        },
        "per_article": [{
            "id": r.id, "error": r.error, "calls": r.calls, "prompt_tokens": r.prompt_tokens,
            "completion_tokens": r.completion_tokens, "seconds": round(r.seconds, 1),
            "rejected": r.grounding.rejected,
            "wrong_type": r.grounding.wrong_type,
            "fields": {name: r.fields[name].figures() for name in FIELDS},
        } for r in results],
    }


def table(current: Report, previous: Mapping[str, object] | None = None) -> str:
    """The report as a plain-text table; with `previous` (a report read back, perhaps of an older
    version, so read loosely), each figure's change after it."""

    def cell(path: Sequence[str], digits: int = 3) -> str:
        now = _dig(current, path)
        text = "-" if now is None else (f"{now:.{digits}f}" if isinstance(now, float) else str(now))
        if previous is not None:
            before = _dig(previous, path)
            if isinstance(now, int | float) and isinstance(before, int | float):
                text += f" ({now - before:+.{digits}f})" if isinstance(now, float) or \
                    isinstance(before, float) else f" ({now - before:+d})"
        return text

    lines = [f"{'field':8} {'P':>14} {'R':>14} {'F1':>14} {'span overlap':>16} "
             f"{'value acc.':>14} {'top-1 F1':>14} {'top-1 hits':>14} {'items/gold':>10}"]
    for name in FIELDS:
        base = ("fields", name)
        lines.append(
            f"{name:8} {cell((*base, 'precision')):>14} {cell((*base, 'recall')):>14} "
            f"{cell((*base, 'f1')):>14} {cell((*base, 'span_overlap')):>16} "
            f"{cell((*base, 'value_accuracy')):>14} {cell((*base, 'top1_f1')):>14} "
            f"{cell((*base, 'top1_hits')):>14} "
            f"{cell((*base, 'predicted'))}/{cell((*base, 'gold'))}")
    g = ("grounding",)
    c = ("cost_per_article",)
    lines += [
        f"mean F1 over {', '.join(CORE_FIELDS)}: {cell(('mean_f1', 'f1'))}",
        "",
        f"articles {cell(('articles',))}, failed {cell(('failed',))}",
        f"spans {cell((*g, 'spans'))}, satisfying raw[start:end] == text: "
        f"{cell((*g, 'span_invariant'))}; alignment {_dig(current, (*g, 'alignment'))}",
        f"rejected items per article {cell((*g, 'rejected_per_article'), 2)}; numbers not "
        f"readable from their spans {cell((*g, 'numbers_unreadable'))} of {cell((*g, 'numbers'))}",
        f"statements by support {_dig(current, (*g, 'support'))}; planted instructions "
        f"{cell((*g, 'planted_instructions'))}; answers of the wrong type "
        f"{cell((*g, 'wrong_type_answers'))}",
        f"per article: {cell((*c, 'calls'), 2)} LLM calls, {cell((*c, 'prompt_tokens'), 1)} + "
        f"{cell((*c, 'completion_tokens'), 1)} tokens, {cell((*c, 'seconds'), 1)} s",
    ]
    return "\n".join(lines) + "\n"


def _dig(data: object, path: Sequence[str]) -> object:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data
