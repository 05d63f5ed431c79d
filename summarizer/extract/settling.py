"""What the support rules doubted, settled: a statement the model wrote that its evidence does not
plainly support is moved to where the article says it word for word, re-asked once, put to the
judge, or replaced by its evidence (`extract.support` has the rules; `extract.grounding` finds the
doubts). The model is asked only through the questions yielded here (`Restating`, `Judging`):
their caller decides how (`extract.recheck` turns them into requests of the one route).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from summarizer.extract.support import Verdict
from summarizer.output.summary import (
    Fact,
    JudgedStatement,
    Quote,
    ReaskedStatement,
    RejectedItem,
    Span,
    SummarySentence,
    Support,
)
from summarizer.text.alignment import align
from summarizer.text.document import Document
from summarizer.text.planted import Planted

T = TypeVar("T")


@dataclass(frozen=True)
class Restating:
    """Grounding's question: say each statement again within its evidence. Items are
    (statement, evidence, the rule it broke); the answer is one str (or None) per item."""

    items: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Judging:
    """Grounding's question: does each statement's evidence support it? Items are
    (statement, evidence); the answer is one bool (or None: not answered) per item."""

    items: tuple[tuple[str, str], ...]


Question = Restating | Judging


class NotAsked(enum.Enum):
    """The answer for an item the model could not be asked about (the endpoint went down): the
    rules alone settle it, as with support_check="rules" (no re-ask or judgement is recorded),
    where an answer of None is a question asked and not answered."""

    NOT_ASKED = "not asked"


NOT_ASKED: Final = NotAsked.NOT_ASKED


def _padded(answers: Sequence[object], size: int, kind: type[T]) -> list[T | NotAsked | None]:
    """One answer of `kind` (or NOT_ASKED) per item, None where there is none (or it is of
    another kind)."""
    given = list(answers)[:size]
    return [a if isinstance(a, kind | NotAsked) else None for a in given] + [None] * (
        size - len(given))


@dataclass
class Settled:
    """What settling adds to the grounded output: the wordings rejected, and the questions the
    model was asked about them with its answers."""

    rejected: list[RejectedItem] = field(default_factory=list)
    judged: list[JudgedStatement] = field(default_factory=list)
    reasked: list[ReaskedStatement] = field(default_factory=list)


@dataclass
class Doubt:
    """A statement the rules did not accept: where it sits, and what stands in for it."""

    items: list[Any]
    index: int
    name: str
    fallback: str
    section: str
    statement: str
    evidence: str
    verdict: Verdict
    recheck: Callable[[str], Verdict]
    reask: dict[str, Any] | None = None  # the ReaskedStatement, once re-asked


def reanchored(doc: Document, statement: str, planted: Sequence[Planted] = ()) -> list[Span] | None:
    """Where the article itself says `statement` (the model copied a sentence but pointed at
    another), checked by the alignment guard; None when it does not, or only in a planted one."""
    found = align(doc, statement)
    if not found.found or planted_in(list(found.spans), planted) is not None:
        return None
    return list(found.spans)


def settle(doc: Document, doubts: list[Doubt], judging: bool, restating: bool,
           planted: Sequence[Planted]) -> Generator[Question, Sequence[object], Settled]:
    """Move a claim the article states word for word to where it says it; re-ask once what broke
    a rule (and, with no judge, what the rules could not decide); ask the judge once about what the
    rules could not decide; replace the rest by their evidence."""
    out = Settled()
    kept = []
    for doubt in doubts:
        item = doubt.items[doubt.index]
        spans = reanchored(doc, doubt.statement, planted) \
            if isinstance(item, SummarySentence | Fact) else None
        if spans is None:
            kept.append(doubt)
        else:
            doubt.items[doubt.index] = item.model_copy(update={"spans": spans})
    doubts = kept
    reasked = [d for d in doubts if d.verdict.outcome == "unsupported"
               or (not judging and d.verdict.outcome == "undecided")] if restating else []
    if reasked:
        doubts = yield from _reask(doubts, reasked)
    undecided = [d for d in doubts if d.verdict.outcome == "undecided"]
    judged: dict[int, bool | None] = {}
    if judging and undecided:
        answers = _padded((yield Judging(tuple((d.statement, d.evidence) for d in undecided))),
                          len(undecided), bool)
        judged = {id(d): answer for d, answer in zip(undecided, answers, strict=False)
                  if answer is not NOT_ASKED}
        out.judged += [JudgedStatement(section=d.section, statement=d.statement,
                                       evidence=d.evidence, supported=answer)
                       for d, answer in zip(undecided, answers, strict=False)
                       if answer is not NOT_ASKED]
    for doubt in doubts:
        if judged.get(id(doubt)) is True:
            _accept(doubt, "judged")
            continue
        why = doubt.verdict.reason
        if doubt.verdict.outcome == "undecided":  # conservative: unconfirmed is not supported
            why = ("the rules cannot decide (" + why + ") and the judge said no"
                   if judged.get(id(doubt)) is False else
                   "the rules cannot decide (" + why + ") and the judge did not answer"
                   if id(doubt) in judged
                   else "the rules cannot decide (" + why + ") and no judge was asked")
        item = doubt.items[doubt.index]
        doubt.items[doubt.index] = item.model_copy(
            update={doubt.name: doubt.fallback, "support": "evidence-only"})
        if doubt.reask is not None:
            doubt.reask["outcome"] = "evidence-only"
            why = f"re-asked once ({doubt.reask['problem']}); {why}"
        out.rejected.append(RejectedItem(
            section=doubt.section, item={doubt.name: doubt.reask["statement"] if doubt.reask
                                         else doubt.statement},
            reason=f"replaced by its evidence: {why}"))
    out.reasked += [ReaskedStatement.model_validate(d.reask) for d in reasked if d.reask]
    return out


def _accept(doubt: Doubt, support: Support) -> None:
    """The statement's (possibly second) wording stands, checked as `support` says."""
    item = doubt.items[doubt.index]
    update: dict[str, object] = {doubt.name: doubt.statement}
    if getattr(item, "support", "") != "evidence-only":
        update["support"] = support
    if isinstance(item, Quote):
        update["warnings"] = []  # the speaker is named after all: the warning no longer holds
    doubt.items[doubt.index] = item.model_copy(update=update)
    if doubt.reask is not None:
        doubt.reask["outcome"] = "kept" if support == "rules" else support


def _reask(doubts: list[Doubt], asked: list[Doubt]
           ) -> Generator[Question, Sequence[object], list[Doubt]]:
    """Re-ask the `asked` statements once, in one call; a second wording that passes the rules
    stands, one the rules cannot decide goes to the judge (with none, to the evidence); return
    the doubts still open."""
    answers = _padded((yield Restating(tuple((d.statement, d.evidence, d.verdict.reason)
                                             for d in asked))), len(asked), str)
    settled = set()
    for doubt, answer in zip(asked, answers, strict=False):
        if answer is NOT_ASKED:  # left to the rules, as if never re-asked
            continue
        doubt.reask = {"section": doubt.section, "statement": doubt.statement,
                       "evidence": doubt.evidence, "problem": doubt.verdict.reason,
                       "answer": answer, "outcome": "evidence-only"}
        if not answer:
            continue
        second = doubt.recheck(answer)
        if second.outcome == "unsupported":
            doubt.verdict = Verdict("unsupported", f"the second wording {answer!r}: "
                                                   f"{second.reason}")
            continue
        doubt.statement, doubt.verdict = answer, second
        if second.outcome == "supported":
            _accept(doubt, "rules")
            settled.add(id(doubt))
    return [d for d in doubts if id(d) not in settled]


def planted_in(spans: list[Span], planted: Sequence[Planted]) -> Planted | None:
    return next((p for p in planted for s in spans if s.start < p.end and p.start < s.end), None)
