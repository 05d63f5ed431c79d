"""Which stories report one event: the same happening, not the same topic.

Each story (a group of copies) is read for its central evidence: the names its titles and lead
sentences hold (the runs of capitalized words of its titles, the actors and places of its lists
written in its title or lead, its who and where answers), the words of its titles, and its
publication days (not the event's own date, which outlets may dispute: a conflict to show). Two
stories report one event when their days are compatible (none known, or two within
`SAME_EVENT_DAYS` of each other) and

- they share at least `SAME_EVENT_NAMES` central names, or
- one central name and titles overlapping by `SAME_EVENT_TITLE` (content-word Jaccard), or
- titles overlapping by `SAME_TITLE` on their own.

A name matches another by its full form or its last word ("Clinton" for "Hillary Clinton"); the
names shared are counted on the story with fewer.
Events are built story by story (average linkage: a story joins the event it is linked to most,
if linked to half of its stories and told within the days of each), then joined while two events
link as much and were told within the same days. Only stories that share a central name or a
title word and were told within `SAME_EVENT_DAYS` of each other are compared (an inverted index,
each bucket swept in order of day), so grouping an archive stays near-linear
(`bench/grouping.py --scale`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from summarizer.digest.duplicates import jaccard
from summarizer.normalize.lexicon import (
    CALENDAR_WORDS,
    STOP_WORDS,
    content_words,
    normalized_name,
    parts_of_speech,
)
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document

SAME_EVENT_DAYS = 3
SAME_EVENT_NAMES = 2
SAME_EVENT_TITLE = 0.1
SAME_TITLE = 0.4
MAX_BUCKET = 200


@dataclass(frozen=True)
class Evidence:
    """What a story says about when and whom, read from its titles, leads and event blocks."""

    names: frozenset[str]
    title_words: frozenset[str]
    days: frozenset[date]


def _head(summary: EventSummary, document: Document) -> str:
    """The article's title and lead sentence (its event block's what answer where there is none)."""
    parts = [summary.document.title or ""]
    what = summary.event.what.answer
    parts += [span.text for span in (what.spans if what else [])]
    parts += [document.raw[s.start:s.end] for s in summary.headline.spans]
    return " ".join(parts)


_TITLE_NAME = re.compile(r"[A-Z][\w.'\u2019&-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w.'\u2019&-]*)*")


def _title_names(title: str) -> set[str]:
    """The runs of capitalized words of a title (or a lead): "Brazilian Grand Prix", "Kimi
    Raikkonen"; not a lone word our lexicon knows as a common word ("Footage", "Officials") or a
    month or a weekday."""
    found = set()
    for match in _TITLE_NAME.finditer(title):
        name = normalized_name(match[0])
        if not name or name in CALENDAR_WORDS or (" " not in name and (
                name in STOP_WORDS or parts_of_speech(name) - {"PROPN"})):
            continue  # "Monday", "The", a capitalized common word ("Footage", "Officials")
        found.add(name)
    return found


def evidence_of(summaries: Sequence[EventSummary], documents: Sequence[Document]) -> Evidence:
    head = " ".join(_head(s, d) for s, d in zip(summaries, documents, strict=True))
    written = " " + normalized_name(head) + " "
    names: set[str] = set()
    for summary in summaries:
        listed = [a.name for a in summary.actors] + [p.name for p in summary.where]
        answers = [a.text for a in (summary.event.who.answer, summary.event.where.answer) if a]
        names |= {normalized_name(n) for n in listed if f" {normalized_name(n)} " in written}
        names |= {normalized_name(n) for n in answers}
    names |= _title_names(" ".join(s.document.title or _head(s, d)
                                   for s, d in zip(summaries, documents, strict=True)))
    titles = " ".join(s.document.title or _head(s, d) for s, d in zip(summaries, documents, strict=True))
    # the days it was told: an event's own date is what outlets may dispute (a conflict to show)
    days = {date.fromisoformat(s.document.published) for s in summaries if s.document.published}
    return Evidence(frozenset(n for n in names if len(n) > 2), frozenset(content_words(titles)),
                    frozenset(days))


def days_compatible(a: Evidence, b: Evidence) -> bool:
    return not a.days or not b.days or any(abs((x - y).days) <= SAME_EVENT_DAYS
                                           for x in a.days for y in b.days)


def _same_name(a: str, b: str) -> bool:
    """The same name, or one ending as the other does ("Clinton" and "Hillary Clinton")."""
    return a == b or a.split()[-1] == b.split()[-1]


def shared_names(a: Evidence, b: Evidence) -> int:
    """How many of the names of the one with fewer match one of the other's."""
    fewer, more = sorted((a.names, b.names), key=len)
    return sum(any(_same_name(x, y) for y in more) for x in fewer)


def same_event(a: Evidence, b: Evidence) -> bool:
    if not days_compatible(a, b):
        return False
    shared = shared_names(a, b)
    titles = jaccard(set(a.title_words), set(b.title_words))
    return shared >= SAME_EVENT_NAMES or (shared >= 1 and titles >= SAME_EVENT_TITLE) or \
        titles >= SAME_TITLE


def _pairs(members: list[int], evidence: Sequence[Evidence]) -> set[tuple[int, int]]:
    """The pairs of one index bucket worth comparing: undated stories with all, dated ones only
    with those told within SAME_EVENT_DAYS (sorted by day, a sliding window)."""
    undated = [i for i in members if not evidence[i].days]
    dated = sorted((min(evidence[i].days), max(evidence[i].days), i) for i in members
                   if evidence[i].days)
    pairs = {(min(i, j), max(i, j)) for i in undated for j in members if i != j}
    for n, (_, last, i) in enumerate(dated):
        for first, _, j in dated[n + 1:]:
            if (first - last).days > SAME_EVENT_DAYS:
                break
            pairs.add((min(i, j), max(i, j)))
    return pairs


def events(evidence: Sequence[Evidence]) -> list[list[int]]:
    """The stories (by index) of each event, in order of first member. Stories are compared only
    within an index bucket (a name's last word, or a title word) of at most `MAX_BUCKET` stories:
    a name or word that many stories hold ("Trump" in an archive of politics) blocks nothing, and
    stories that share only it are compared through their other names and words."""
    index: dict[str, list[int]] = {}
    for i, story in enumerate(evidence):
        keys = {name.split()[-1] for name in story.names} | {f"title:{w}" for w in story.title_words}
        for key in keys:
            index.setdefault(key, []).append(i)
    candidates: set[tuple[int, int]] = set()
    for members in index.values():
        if 1 < len(members) <= MAX_BUCKET:
            candidates |= _pairs(members, evidence)
    linked = {(i, j) for i, j in candidates if same_event(evidence[i], evidence[j])}
    return _average_linked(evidence, linked)


def _average_linked(evidence: Sequence[Evidence], linked: set[tuple[int, int]]) -> list[list[int]]:
    """Stories in order, each joining the event it is linked to most, when it is linked to at
    least half of that event's stories and told within `SAME_EVENT_DAYS` of each of them: one
    story that links two events told a week apart ("FBI clears Clinton", then "Clinton blames
    Comey") does not chain them into one."""
    neighbours: dict[int, set[int]] = {}
    for i, j in linked:
        neighbours.setdefault(i, set()).add(j)
        neighbours.setdefault(j, set()).add(i)
    clusters: list[list[int]] = []
    cluster_of: dict[int, int] = {}
    for story in range(len(evidence)):
        votes: dict[int, int] = {}
        for other in neighbours.get(story, ()):
            if other in cluster_of:
                votes[cluster_of[other]] = votes.get(cluster_of[other], 0) + 1
        fitting = [c for c, n in votes.items() if 2 * n >= len(clusters[c]) and
                   all(days_compatible(evidence[story], evidence[m]) for m in clusters[c])]
        if fitting:
            chosen = max(fitting, key=lambda c: (votes[c], -c))
            clusters[chosen].append(story)
        else:
            chosen = len(clusters)
            clusters.append([story])
        cluster_of[story] = chosen
    return _joined(evidence, clusters, neighbours)


def _joined(evidence: Sequence[Evidence], clusters: list[list[int]],
            neighbours: dict[int, set[int]]) -> list[list[int]]:
    """Events joined while two have links from half the stories of the smaller (more than half
    of more than one) and all their stories were told within `SAME_EVENT_DAYS` of each other (the
    pass in order leaves some apart that a later story links). Only linked events are tried."""
    groups = {n: list(members) for n, members in enumerate(clusters)}
    owner = {story: n for n, members in groups.items() for story in members}
    changed = True
    while changed:
        changed = False
        pairs = sorted({(min(owner[m], owner[n]), max(owner[m], owner[n]))
                        for m, others in neighbours.items() for n in others if owner[m] != owner[n]})
        for a, b in pairs:
            if a not in groups or b not in groups:
                continue
            first, second = groups[a], groups[b]
            linking = max(sum(any(n in neighbours.get(m, ()) for n in second) for m in first),
                          sum(any(n in neighbours.get(m, ()) for n in first) for m in second))
            smaller = min(len(first), len(second))
            if 2 * linking >= smaller + (smaller > 1) and all(
                    days_compatible(evidence[m], evidence[n]) for m in first for n in second):
                groups[a] = sorted(first + second)
                for story in second:
                    owner[story] = a
                del groups[b]
                changed = True
    return sorted(groups.values(), key=lambda members: members[0])
