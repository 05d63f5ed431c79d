"""The main event of a digest: each article's event block reconciled across the sources.

Per question, the articles' first answers are matched (names on their normalized form, dates on
their resolved value, statements on content-word Jaccard >= `SAME_STATEMENT`); copies of one story
count once. One version: all independent sources agree. Several: the one put first by strictly
more independent sources is the answer ("most sources"), and every version is listed side by side;
a tie gives no answer ("the sources disagree"), never a silent pick.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from summarizer.digest.duplicates import jaccard
from summarizer.digest.matching import unique
from summarizer.normalize.lexicon import content_words, normalized_name
from summarizer.output.digest import DigestAnswer, DigestEvent, DigestSlot
from summarizer.output.summary import EventAnswer, EventSummary

SAME_STATEMENT = 0.5
_STATEMENTS = ("what", "why", "how")  # matched on their content words, not as names


def _keys(question: str) -> Callable[[EventAnswer], str]:
    if question == "when":
        return lambda answer: answer.value or answer.text
    if question in _STATEMENTS:
        return lambda answer: " ".join(sorted(content_words(answer.text)))
    return lambda answer: normalized_name(answer.text)


def _same(question: str, a: str, b: str) -> bool:
    if question in _STATEMENTS:
        return jaccard(set(a.split()), set(b.split())) >= SAME_STATEMENT
    return a == b


def reconcile(question: str, summaries: Sequence[EventSummary],
              story_of: Mapping[str, str]) -> DigestSlot:
    key_of = _keys(question)
    versions: list[list[tuple[EventSummary, EventAnswer, str]]] = []
    for summary in summaries:
        answer = getattr(summary.event, question).answer
        if answer is None:
            continue
        key = key_of(answer)
        for version in versions:
            if _same(question, version[0][2], key):
                version.append((summary, answer, key))
                break
        else:
            versions.append([(summary, answer, key)])
    answered = len({story_of[s.document.id] for version in versions for s, _, _ in version})
    if not versions:
        return DigestSlot(answered_by=0, reason="no source answers it")
    merged = [DigestAnswer(
        text=version[0][1].text, key=version[0][2],
        sources=unique(s.document.id for s, _, _ in version),
        corroboration=len({story_of[s.document.id] for s, _, _ in version}),
        spans=list(dict.fromkeys(span for _, answer, _ in version for span in answer.spans)))
        for version in versions]
    ranked = sorted(merged, key=lambda v: -v.corroboration)  # stable: first source first on ties
    if len(ranked) == 1:
        rule = "the only source" if answered == 1 else f"all {answered} independent sources agree"
        return DigestSlot(answer=ranked[0], answered_by=answered, rule=rule)
    if ranked[0].corroboration > ranked[1].corroboration:
        return DigestSlot(answer=ranked[0], answered_by=answered, versions=merged,
                          rule=f"most independent sources ({ranked[0].corroboration} of "
                          f"{answered}); the others differ")
    return DigestSlot(answered_by=answered, versions=merged,
                      reason="the independent sources disagree")


def digest_event(summaries: Sequence[EventSummary], story_of: Mapping[str, str]) -> DigestEvent:
    return DigestEvent(who=reconcile("who", summaries, story_of),
                       what=reconcile("what", summaries, story_of),
                       when=reconcile("when", summaries, story_of),
                       where=reconcile("where", summaries, story_of),
                       why=reconcile("why", summaries, story_of),
                       how=reconcile("how", summaries, story_of))
