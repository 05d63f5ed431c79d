"""Focused passes vs one big schema, on the seed articles, with the same model in the same run.

    python bench/passes.py [--base-url URL --model NAME] [--out DIR] [SEED...]

With no endpoint configured it starts the embedded local model. For each variant and seed it prints
the grounded items per section, how many of the article's count figures (found by our code) came
back as grounded quantities, the rejected items, and the cost (LLM calls, tokens, seconds); then
each variant's totals and the focused/single ratios.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from summarizer import Summarizer, read_article
from summarizer.normalize.count_phrases import counts_in
from summarizer.normalize.quantities import figures
from summarizer.output.summary import EventSummary

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("summary", "facts", "actors", "where", "quotes", "quantities", "when")


def figure_recall(summary: EventSummary, article: str) -> tuple[int, int]:
    wanted = {f.value for text in counts_in(article) for f in figures(text) if f.value is not None}
    got = {q.value for q in summary.quantities}
    return len(wanted & got), len(wanted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="*", type=Path)
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--out", type=Path, help="write each summary here as JSON")
    args = parser.parse_args()
    seeds = args.seeds or sorted((ROOT / "seeds").glob("*.txt"))
    totals: dict[str, dict[str, float]] = {}
    with Summarizer(base_url=args.base_url, model=args.model, variant="focused") as engine:
        provider = engine.provider  # one server for both variants
        for variant in ("focused", "single"):
            runner = Summarizer(provider=provider, variant=variant)
            total = totals.setdefault(variant, {})
            for path in seeds:
                doc = read_article(path)
                started = time.perf_counter()
                summary = runner.summarize_document(doc)
                seconds = time.perf_counter() - started
                found, wanted = figure_recall(summary, doc.view)
                counts = {s: len(getattr(summary, s)) for s in SECTIONS}
                row = {**counts, "figures_found": found, "figures_in_text": wanted,
                       "rejected": len(summary.rejected), "calls": summary.metadata.llm_calls,
                       "prompt_tokens": summary.metadata.usage.prompt_tokens,
                       "completion_tokens": summary.metadata.usage.completion_tokens,
                       "seconds": round(seconds, 1)}
                for key, value in row.items():
                    total[key] = total.get(key, 0) + value
                print(f"{variant:8} {doc.id[:3]} " + " ".join(f"{k}={v}" for k, v in row.items()),
                      flush=True)
                if args.out:
                    args.out.mkdir(parents=True, exist_ok=True)
                    (args.out / f"{variant}_{doc.id}.json").write_text(
                        json.dumps(summary.model_dump(mode="json"), indent=2) + "\n")
    print()
    for variant, total in totals.items():
        print(f"{variant:8} total " + " ".join(f"{k}={v:g}" for k, v in total.items()))
    focused, single = totals["focused"], totals["single"]
    print("focused/single ratios: " + " ".join(
        f"{k}={focused[k] / single[k]:.2f}" for k in focused if single.get(k)))


if __name__ == "__main__":
    main()
