"""How the digest groups real news into events, against the event labels of the second dev set.

    python bench/grouping.py [--set tune|validate|all] [--show]
    python bench/grouping.py --scale
    python bench/grouping.py --set tune --digest croydon-tram


Replays the recorded answers of the Giveme5W1H articles (cassettes/eval/giveme5w1h_tune and
..._validate; an article without a cassette is left out and counted), groups the summaries as
`summarizer digest` does (`summarizer.digest.merging.merge`, no judge) and scores the groups
against bench/data/giveme5w1h/events.json: pairwise precision and recall (pairs of articles put in
one digest that report one event) and B-cubed F1. `--show` lists each digest's articles with
their gold events.

`--digest EVENT` prints, as Markdown, the digest of the articles of that gold event (as
`summarizer digest` groups and reconciles them).

`--scale` times the duplicate finder on 1,250 to 10,000 synthetic articles (one in ten a copy with
three words changed), then the grouping alone (`summarizer.digest.grouping.events`) on synthetic stories:
1,250 to 10,000, events of 1 to 10 stories told within two days of each other over a year, each
with names of its own and one of 20 names that run through many events ("Trump" in every other
political story), titles of four of its own six words and three of 500 common words; then 20,000
and 40,000. It prints the seconds and the ratio to the smallest run, in one process: near-linear
means the ratio follows the size's. A bucket of more than `MAX_BUCKET` stories is not swept, so
the comparisons are bounded by that many per story and name or word.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.digest.merging import merge
from summarizer.evaluation.runs import Replay, _answers, cassette_path, read_gold, replay_provider
from summarizer.evaluation.scoring import MATCH_F1, token_f1
from summarizer.extract.pipeline import summarize_document
from summarizer.output.markdown_digest import digest_to_markdown
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, metadata_overrides

if TYPE_CHECKING:  # the grouping module is new: the old code (a baseline run) lacks it
    from summarizer.digest.grouping import Evidence

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "giveme5w1h"
EVENTS = json.loads((DATA / "events.json").read_text(encoding="utf-8"))


GOLD: dict[str, dict[str, list[str]]] = {}


def _gold(split: str) -> None:
    for article in read_gold(DATA / f"giveme5w1h_{split}.jsonl"):
        GOLD[article.id] = {q: [p.text for p in phrases] for q, phrases in article.gold.items()}


def summaries(split: str) -> tuple[list[EventSummary], list[Document], int]:
    """The replayed summaries of a split's articles that have a cassette, and how many have none."""
    directory = ROOT / "cassettes" / "eval" / f"giveme5w1h_{split}"
    provider = replay_provider(directory)
    _gold(split)
    found, docs, missing = [], [], 0
    for article in read_gold(DATA / f"giveme5w1h_{split}.jsonl"):
        if not cassette_path(directory, article.id).exists():
            missing += 1
            continue
        doc = Document(id=article.id, raw=article.text)
        with _answers(Replay(directory), article.id):
            # a converter's "None" is no date (the old code, a baseline run, reads it as text)
            published = article.published if article.published not in (None, "None") else None
            found.append(summarize_document(
                doc, provider, metadata=metadata_overrides(title=article.title,
                                                           published=published)))
        docs.append(doc)
    return found, docs, missing


def scores(groups: list[list[str]]) -> dict[str, float]:
    """Pairwise precision and recall, and B-cubed F1, of `groups` against EVENTS."""
    ours = {(a, b) for group in groups for a, b in combinations(sorted(group), 2)}
    members = [doc for group in groups for doc in group]
    gold = {(a, b) for a, b in combinations(sorted(members), 2) if EVENTS[a] == EVENTS[b]}
    group_of = {doc: i for i, group in enumerate(groups) for doc in group}
    precision = recall = 0.0
    for doc in members:
        mine = {d for d in members if group_of[d] == group_of[doc]}
        truth = {d for d in members if EVENTS[d] == EVENTS[doc]}
        precision += len(mine & truth) / len(mine)
        recall += len(mine & truth) / len(truth)
    p, r = precision / len(members), recall / len(members)
    return {"pairwise_precision": len(ours & gold) / len(ours) if ours else 1.0,
            "pairwise_recall": len(ours & gold) / len(gold) if gold else 1.0,
            "bcubed_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "pairs": len(ours), "gold_pairs": len(gold)}


def synthetic(size: int, seed: int = 7) -> list[Evidence]:
    """`size` stories of random events (see the module's docstring)."""
    from summarizer.digest.grouping import Evidence
    draw = random.Random(seed)
    common = [f"common{i}" for i in range(20)]
    vocabulary = [f"word{i}" for i in range(500)]
    stories: list[Evidence] = []
    event = 0
    while len(stories) < size:
        event += 1
        names = {f"name{event}a", f"name{event}b", draw.choice(common)}
        words = [f"event{event}word{k}" for k in range(6)]
        day = date(2016, 1, 1) + timedelta(days=draw.randrange(365))
        for _ in range(min(draw.randint(1, 10), size - len(stories))):
            title = set(draw.sample(words, 4)) | set(draw.sample(vocabulary, 3))
            stories.append(Evidence(frozenset(draw.sample(sorted(names), 2)), frozenset(title),
                                    frozenset({day + timedelta(days=draw.randint(0, 2))})))
    return stories


def documents(size: int, seed: int = 7) -> list[Document]:
    """`size` articles of 150 random words of 5,000, one in ten a copy of the one before with
    three words changed (a copy for the duplicate finder to find)."""
    draw = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(5000)]
    found: list[Document] = []
    for n in range(size):
        if n % 10 == 9:
            text = found[-1].raw.split()
            for at in draw.sample(range(len(text)), 3):
                text[at] = draw.choice(vocabulary)
        else:
            text = draw.choices(vocabulary, k=150)
        found.append(Document(id=f"d{n}", raw=" ".join(text)))
    return found


def scale() -> None:
    from summarizer.digest.duplicates import DUPLICATE_JACCARD, duplicate_groups, jaccard, shingles
    from summarizer.digest.grouping import events

    base = None
    for size in (1250, 2500, 5000, 10000):
        docs = documents(size)
        started = time.perf_counter()
        groups = duplicate_groups(docs)
        seconds = time.perf_counter() - started
        base = base or seconds
        line = (f"{size:6d} articles: {sum(len(g.members) > 1 for g in groups):5d} groups of copies "
                f"in {seconds:6.3f} s, {seconds / base:5.2f}x the time of 1,250 for {size / 1250:4.1f}x")
        if size <= 2500:  # the baseline: exact Jaccard of every pair, as before the sketches
            started = time.perf_counter()
            sets = [shingles(doc.view) for doc in docs]
            every = sum(jaccard(sets[i], sets[j]) >= DUPLICATE_JACCARD
                        for i in range(size) for j in range(i + 1, size))
            line += (f"; every pair: {every} pairs of copies in {time.perf_counter() - started:.3f} s "
                     f"({(time.perf_counter() - started) / seconds:.1f}x)")
        print(line)
    base = None
    for size in (1250, 2500, 5000, 10000, 20000, 40000):
        stories = synthetic(size)
        started = time.perf_counter()
        found = events(stories)
        seconds = time.perf_counter() - started
        base = base or seconds
        print(f"{size:6d} stories: {len(found):5d} events in {seconds:6.3f} s, "
              f"{seconds / base:5.2f}x the time of 1,250 for {size / 1250:4.1f}x the stories")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("tune", "validate", "all"), default="tune")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--scale", action="store_true", help="time the grouping on synthetic "
                        "stories instead")
    parser.add_argument("--digest", metavar="EVENT", help="print the Markdown digest of one gold "
                        "event's articles")
    args = parser.parse_args()
    if args.scale:
        scale()
        return
    splits = ("tune", "validate") if args.set == "all" else (args.set,)
    found: list[EventSummary] = []
    docs: list[Document] = []
    missing = 0
    for split in splits:
        more, more_docs, lacking = summaries(split)
        found += more
        docs += more_docs
        missing += lacking
    if args.digest:
        chosen = [i for i, doc in enumerate(docs) if EVENTS[doc.id] == args.digest]
        for digest in merge([found[i] for i in chosen], [docs[i] for i in chosen]):
            print(digest_to_markdown(digest))
        return
    digests = merge(found, docs)
    groups = [[s.doc_id for s in digest.sources] for digest in digests]
    figures = scores(groups)
    events = Counter(EVENTS[d.id] for d in docs)
    print(f"{args.set}: {len(docs)} articles ({missing} without a cassette), {len(events)} gold "
          f"events, {len(groups)} digests")
    print(f"pairwise precision {figures['pairwise_precision']:.3f} ({figures['pairs']:.0f} pairs), "
          f"recall {figures['pairwise_recall']:.3f} ({figures['gold_pairs']:.0f} gold pairs), "
          f"B-cubed F1 {figures['bcubed_f1']:.3f}")
    questions = ("who", "what", "when", "where", "why", "how")
    hits = Counter[str]()
    asked = Counter[str]()
    answered = Counter[str]()
    several = [(digest, group) for digest, group in zip(digests, groups, strict=True) if len(group) > 1]
    for digest, group in several:
        for question in questions:
            answer = getattr(digest.event, question).answer
            answered[question] += answer is not None
            gold = [phrase for doc in group for phrase in GOLD[doc].get(question, [])]
            if not gold:
                continue
            asked[question] += 1
            hits[question] += answer is not None and max(
                token_f1(answer.text, phrase) for phrase in gold) >= MATCH_F1
    print(f"event blocks of the {len(several)} digests of 2 or more articles: answered "
          + ", ".join(f"{q} {answered[q]}" for q in questions))
    print("  top-1 hits against the gold phrases of their articles: " + ", ".join(
        f"{q} {hits[q]}/{asked[q]}" for q in questions))
    conflicts = [(digest, conflict) for digest, _ in several for conflict in digest.conflicts]
    print(f"conflicts in the digests of 2 or more articles: {len(conflicts)}")
    for digest, conflict in conflicts:
        event = sorted({EVENTS[s.doc_id] for s in digest.sources})
        print(f"  {'/'.join(event)}: {conflict.kind} {conflict.about!r}: "
              + "; ".join(f"{v.value} ({', '.join(d[:6] for d in v.sources)})" for v in conflict.versions))
    if args.show:
        for digest, group in zip(digests, groups, strict=True):
            answer = digest.event.what.answer
            print(f"  {len(group)}: {sorted(Counter(EVENTS[d] for d in group).items())} "
                  f"what={answer.text if answer else None!r}")


if __name__ == "__main__":
    main()
