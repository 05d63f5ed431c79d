"""Pre-processing is linear in the article's length: time and peak memory of everything before the
first model call, for 0.1, 1 and 10 MB articles, with ratios against 0.1 MB measured in the same run.

    python bench/preprocess.py [--sizes 0.1 1 10] [--gold PATH]

Each article repeats the MEANTIME articles (/work/shared/data/meantime/meantime_en.jsonl) to the
size, is written to a file and then timed: reading and decoding it, building the document view, its
title/date/URL, the count phrases and date expressions, and rendering every pass's prompt. The size
limit (--max-chars, 200,000 characters by default) is lifted here: it is what is being measured.
Linear means ratios near 10x and 100x; a quadratic step would show 100x and 10,000x.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from pathlib import Path

from summarizer.extract.pipeline import DEFAULT_VARIANT, PASSES, prompt_variables, source_document
from summarizer.llm import prompts
from summarizer.text.document import read_article

GOLD = Path("/work/shared/data/meantime/meantime_en.jsonl")


def article_of_size(texts: list[str], size: int) -> str:
    joined = "\n\n".join(texts)
    return (joined * (size // len(joined) + 1))[:size]


def preprocess(path: Path) -> int:
    """Everything the pipeline does before its first model call; returns the prompt characters."""
    doc = read_article(path, max_chars=None)
    variables = prompt_variables(doc, source_document(doc))
    rendered = [prompts.render("system")]
    rendered += [prompts.render(step.template, **variables) for step in PASSES[DEFAULT_VARIANT]]
    return sum(map(len, rendered))


def measure(path: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (other jobs on the machine inflate the first), peak traced MiB
    (a second run: tracing slows the first down), and prompt characters."""
    started, cpu = time.perf_counter(), time.process_time()
    characters = preprocess(path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    tracemalloc.start()
    preprocess(path)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, cpu, peak, characters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[0.1, 1.0, 10.0],
                        help="article sizes in MB (10^6 characters); the first is the baseline")
    parser.add_argument("--gold", type=Path, default=GOLD)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in args.gold.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    preprocess_warmup = article_of_size(texts, 2000)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        warm = Path(folder) / "warmup.txt"
        warm.write_text(preprocess_warmup, encoding="utf-8")
        preprocess(warm)  # templates loaded and regexes compiled before anything is timed
        for size in args.sizes:
            path = Path(folder) / f"article_{size:g}MB.txt"
            path.write_text(article_of_size(texts, int(size * 1_000_000)), encoding="utf-8")
            rows.append((size, *measure(path)))
    base = rows[0]
    print(f"{'size':>8} {'seconds':>8} {'cpu s':>7} {'x cpu':>7} {'peak MiB':>9} {'x memory':>9} "
          f"{'prompt chars':>13}")
    for size, seconds, cpu, peak, characters in rows:
        print(f"{size:>6g}MB {seconds:>8.2f} {cpu:>7.2f} {cpu / base[2]:>6.1f}x {peak:>9.1f} "
              f"{peak / base[3]:>8.1f}x {characters:>13,}")

if __name__ == "__main__":
    main()
