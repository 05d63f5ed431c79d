"""Every pipeline variant scored against the gold in one process: the variants of bench/README.md
(their table in bench/CHANGELOG.md, 2026-11-23).

    python bench/quality.py [GOLD] [--cassettes cassettes/eval] [--record] [--variants a,b] [--out DIR]

Each variant summarizes every gold article (`summarizer eval` does the same for one variant) and is
scored per field; the table gives token F1 per field, the value accuracy of dates and numbers, the
grounding checks and the cost, then each variant's ratios against the single-call baseline measured in
the same run. "mean F1 (5)" is the mean over who, what, when, where and numbers (why and how,
scored since issue 14, are left out of it so older rows compare). With `--cassettes DIR` the
model's answers come from DIR/<passes>/ (a "-dates" or "-fill" variant replays the answers of its
passes: it sends the same requests); `--record` records what is missing. `--limit N` scores the
first N articles only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import get_args

from summarizer import Summarizer
from summarizer.evaluation.report import Report, report
from summarizer.evaluation.runs import Replay, evaluate, read_gold, replay_provider
from summarizer.evaluation.scoring import FIELDS
from summarizer.extract.pipeline import Variant
from summarizer.llm.provider import Provider

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "data" / "meantime_5w.jsonl"
BASELINE = "single"


def answers_dir(cassettes: Path, variant: str) -> Path:
    return cassettes / variant.split("-")[0]  # "focused-dates" replays "focused"


def row(variant: str, scored: Report) -> str:
    fields = scored["fields"]
    cost = scored["cost_per_article"]
    f1 = " | ".join(_cell(fields[name]["f1"]) for name in FIELDS) + \
        f" | {_cell(scored['mean_f1']['f1'])}"
    values = " | ".join(f"{_cell(fields[name]['recall'])} / {_cell(fields[name]['value_accuracy'])}"
                        for name in ("when", "numbers"))
    grounding = scored["grounding"]
    return (f"| {variant} | {f1} | {values} | {_cell(grounding['span_invariant'])} | "
            f"{grounding['numbers_unreadable']} | {grounding['rejected_per_article']:.2f} | "
            f"{scored['failed']} | {cost['calls']:.2f} | {cost['prompt_tokens']:.0f}+"
            f"{cost['completion_tokens']:.0f} | {cost['seconds']:.0f} |")


def _progress_of(variant: str) -> Callable[[str], None]:
    return lambda message: print(f"{variant}: {message}", file=sys.stderr, flush=True)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=GOLD)
    parser.add_argument("--cassettes", type=Path, help="replay (and with --record, record) here")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--variants", default=",".join(get_args(Variant)))
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--out", type=Path, help="write each variant's JSON report here")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    args = parser.parse_args()
    variants = args.variants.split(",")
    unknown = set(variants) - set(get_args(Variant))
    if unknown:
        sys.exit(f"unknown variant(s) {sorted(unknown)}; the variants are {get_args(Variant)}")
    articles = read_gold(args.gold)[:args.limit]
    reports: dict[str, Report] = {}
    with contextlib.ExitStack() as stack:
        live: Provider | None = None
        for variant in variants:
            replay = Replay(answers_dir(args.cassettes, variant), args.record) \
                if args.cassettes else None
            if replay and not args.record:
                provider = replay_provider(replay.directory)
            else:
                if live is None:  # one model server for every variant
                    live = stack.enter_context(Summarizer(base_url=args.base_url,
                                                          model=args.model)).provider
                provider = live
            # the variants compare extraction: their cassettes hold the passes only
            results = evaluate(articles, provider, variant=variant, support_check="rules",
                               replay=replay, progress=_progress_of(variant))
            reports[variant] = report(results, gold=str(args.gold), variant=variant,
                                      support_check="rules", model=provider.model,
                                      mode="replay" if replay and not args.record else "live")
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"{variant}.json").write_text(json.dumps(reports[variant], indent=2) + "\n")
    print(f"{len(articles)} articles of {args.gold.name}; F1 is token F1 (SQuAD), value = value "
          "accuracy; cost per article\n")
    columns = ["variant", *(f"{name} F1" for name in FIELDS), "mean F1 (5)", "when R / value",
               "numbers R / value", "spans valid", "unreadable numbers", "rejected", "failed",
               "calls", "tokens in+out", "s"]
    print("| " + " | ".join(columns) + " |")
    print("|---" * len(columns) + "|")
    for variant, scored in reports.items():
        print(row(variant, scored))
    if BASELINE in reports:
        base = reports[BASELINE]
        print(f"\nratios against {BASELINE} (same run):")
        for variant, scored in reports.items():
            if variant == BASELINE:
                continue
            ratios = [f"{name} F1 {_ratio(scored['fields'][name]['f1'], base['fields'][name]['f1'])}"
                      for name in FIELDS]
            ratios += [f"{k} {_ratio(scored['cost_per_article'][k], base['cost_per_article'][k])}"
                       for k in ("calls", "completion_tokens", "seconds")]
            print(f"  {variant}: " + ", ".join(ratios))


def _ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}x" if value is not None and base else "-"


if __name__ == "__main__":
    main()
