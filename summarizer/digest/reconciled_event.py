"""The main event of a digest: each article's event block reconciled across the sources.

Per question, the articles' first answers are matched: names on their normalized form before a
comma ("Croydon, South London" is Croydon) or their last word ("Clinton" and "Hillary Clinton");
dates on their resolved value; statements on content-word Jaccard >=
`SAME_STATEMENT`, or where one's content words are all the other's ("tram derails", "speeding
tram derails"). Copies of one story count once. One version: all independent sources agree.
Several: the one put first by strictly more independent sources is the answer ("most sources").
On a tie, a version that other sources give among their runners-up weighs `RUNNER_UP` each (how
central it is in their reports), and the heaviest is the answer, with the rule saying so; for
who, what, where, why and how a tie in weight too gives the first source's version (two outlets
naming two agents or wording one action differently do not contradict each other), while two
dates that tie in weight too are a true contradiction and give no answer. Every version is listed
side by side either way.
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
    # "Croydon, South London" is Croydon: the region after a comma places it, it is not the name
    return lambda answer: normalized_name(answer.text.split(",")[0])


RUNNER_UP = 0.5


def _same(question: str, a: str, b: str) -> bool:
    if question in _STATEMENTS:
        mine, theirs = set(a.split()), set(b.split())
        return jaccard(mine, theirs) >= SAME_STATEMENT or (
            bool(mine) and bool(theirs) and (mine <= theirs or theirs <= mine))
    if question == "when" or not a or not b:
        return a == b
    return a == b or a.split()[-1] == b.split()[-1]


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
    weight = [version.corroboration + RUNNER_UP * _runners_up(question, version.key, summaries,
                                                                story_of, version.sources)
              for version in merged]
    order = sorted(range(len(merged)), key=lambda i: (-merged[i].corroboration, -weight[i], i))
    ranked = [merged[i] for i in order]
    if len(ranked) == 1:
        rule = "the only source" if answered == 1 else f"all {answered} independent sources agree"
        return DigestSlot(answer=ranked[0], answered_by=answered, rule=rule)
    if ranked[0].corroboration > ranked[1].corroboration:
        return DigestSlot(answer=ranked[0], answered_by=answered, versions=merged,
                          rule=f"most independent sources ({ranked[0].corroboration} of "
                          f"{answered}); the others differ")
    best = weight[order[0]]
    if question == "when" and best <= weight[order[1]]:
        return DigestSlot(answered_by=answered, versions=merged,
                          reason="the independent sources disagree")
    rule = (f"most central: {ranked[0].corroboration} of {answered} independent sources put it "
            f"first and others among their runners-up (weight {best:g})"
            if best > weight[order[1]] else
            f"the first source's version; {len(merged)} versions, none put first by more sources")
    return DigestSlot(answer=ranked[0], answered_by=answered, versions=merged, rule=rule)


def _runners_up(question: str, key: str, summaries: Sequence[EventSummary],
                story_of: Mapping[str, str], sources: Sequence[str]) -> int:
    """How many independent stories not among `sources` give the version among their runners-up."""
    key_of = _keys(question)
    given = {story_of[s] for s in sources}
    found = set()
    for summary in summaries:
        story = story_of[summary.document.id]
        if story in given:
            continue
        if any(_same(question, key, key_of(r)) for r in getattr(summary.event, question).runners_up):
            found.add(story)
    return len(found)


def digest_event(summaries: Sequence[EventSummary], story_of: Mapping[str, str]) -> DigestEvent:
    return DigestEvent(who=reconcile("who", summaries, story_of),
                       what=reconcile("what", summaries, story_of),
                       when=reconcile("when", summaries, story_of),
                       where=reconcile("where", summaries, story_of),
                       why=reconcile("why", summaries, story_of),
                       how=reconcile("how", summaries, story_of))
