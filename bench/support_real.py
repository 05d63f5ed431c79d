"""The support check on the model's real statements, against a reader's labels.

    python bench/support_real.py [--set tune|validate] [--show]

`bench/support.py` measures the check on perturbed copies, which are false by construction. This
measures it on what the recorded model really wrote: every statement of its own wording in the
summaries of the labelled tune articles (the headline, fact claims, actor roles, what a figure
counts, a date's event, a quote's speaker), each with the pipeline's decision, replayed from
cassettes/eval/giveme5w1h_tune (no model runs):

- accepted: shown as the model wrote it (support "rules" or "judged");
- rejected: replaced by its evidence (listed in `rejected` with "replaced by its evidence").

The labels in bench/data/giveme5w1h/support_real_tune.jsonl (4 tune articles, read while the
rules were written) and support_real_validate.jsonl (4 validate articles, labelled once after the
rules were frozen, to report on) say whether each statement is
`correct` (a careful reader of the article accepts it) or `wrong`, with the reason; one reader,
the project's own annotation. A statement is keyed by (article, section, field, the model's
words), so the labels hold whichever way a rule change decides it. Printed: balanced accuracy
(the mean of the share of correct statements accepted and the share of wrong ones rejected), the
wrong share of the accepted statements, and each disagreement with --show.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from summarizer.evaluation.runs import Replay, _answers, read_gold, replay_provider
from summarizer.extract.pipeline import summarize_document
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, metadata_overrides

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "giveme5w1h"

Key = tuple[str, str, str, str]  # article id, section, field, the model's words


def statements(summary: EventSummary) -> list[tuple[Key, str]]:
    """Each statement of the model's own wording with the pipeline's decision."""
    doc = summary.document.id
    found: list[tuple[Key, str]] = []

    def shown(section: str, field: str, words: str, support: str) -> None:
        if words.strip() and support != "evidence-only":
            found.append(((doc, section, field, words), "accepted"))

    shown("headline", "text", summary.headline.text, summary.headline.support)
    for fact in summary.facts:
        shown("facts", "claim", fact.claim, fact.support)
    for actor in summary.actors:
        shown("actors", "role", actor.role, actor.support)
    for quantity in summary.quantities:
        shown("quantities", "counted", quantity.counted, quantity.support)
    for date in summary.when:
        shown("when", "event", date.event, date.support)
    for quote in summary.quotes:
        shown("quotes", "speaker", quote.speaker, "rules" if not quote.warnings else "evidence-only")
    for rejected in summary.rejected:
        if rejected.reason.startswith("replaced by its evidence"):
            ((field, words),) = rejected.item.items()
            found.append(((doc, rejected.section, field, str(words)), "rejected"))
        elif rejected.section == "quotes" and "quote" in rejected.item:  # no one's quote: removed
            found.append(((doc, "quotes", "speaker", str(rejected.item["speaker"])), "rejected"))
    return found


def decisions(ids: set[str], split: str = "tune") -> Counter[tuple[Key, str]]:
    cassettes = ROOT / "cassettes" / "eval" / f"giveme5w1h_{split}"
    provider = replay_provider(cassettes)
    out: Counter[tuple[Key, str]] = Counter()
    for article in read_gold(DATA / f"giveme5w1h_{split}.jsonl"):
        if article.id not in ids:
            continue
        with _answers(Replay(cassettes), article.id):
            summary = summarize_document(
                Document(id=article.id, raw=article.text), provider,
                metadata=metadata_overrides(title=article.title, published=article.published))
        out.update(statements(summary))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("tune", "validate"), default="tune")
    parser.add_argument("--show", action="store_true", help="list each disagreement")
    args = parser.parse_args()
    labelled = DATA / f"support_real_{args.set}.jsonl"
    labels = [json.loads(line) for line in labelled.read_text(encoding="utf-8").splitlines()
              if line.strip()]
    made = decisions({row["doc"] for row in labels}, args.set)
    table: Counter[tuple[str, str]] = Counter()
    missing = 0
    for row in labels:
        key: Key = (row["doc"], row["section"], row["field"], row["statement"])
        decision = next((d for d in ("accepted", "rejected") if made[(key, d)] > 0), None)
        if decision is None:
            missing += 1
            if args.show:
                print(f"  not among today's statements: {row['section']}.{row['field']} "
                      f"{row['statement']!r}")
            continue
        made[(key, decision)] -= 1
        table[(row["label"], decision)] += 1
        if args.show and (row["label"] == "correct") != (decision == "accepted"):
            print(f"  {row['label']} but {decision}: {row['section']}.{row['field']} "
                  f"{row['statement']!r} ({row['why']})")
    correct = table[("correct", "accepted")] + table[("correct", "rejected")]
    wrong = table[("wrong", "accepted")] + table[("wrong", "rejected")]
    accepted = table[("correct", "accepted")] + table[("wrong", "accepted")]
    print(f"{len(labels)} labelled statements of {len({r['doc'] for r in labels})} {args.set} articles "
          f"({missing} not among today's statements): {correct} correct, {wrong} wrong")
    print(f"correct: accepted {table[('correct', 'accepted')]}, rejected "
          f"{table[('correct', 'rejected')]}; wrong: accepted {table[('wrong', 'accepted')]}, "
          f"rejected {table[('wrong', 'rejected')]}")
    if correct and wrong and accepted:
        balanced = (table[("correct", "accepted")] / correct + table[("wrong", "rejected")] / wrong) / 2
        print(f"balanced accuracy {balanced:.3f}; wrong among the accepted "
              f"{table[('wrong', 'accepted')]}/{accepted} = "
              f"{100 * table[('wrong', 'accepted')] / accepted:.1f}%")


if __name__ == "__main__":
    main()
