"""False flags of the planted-instruction patterns (`summarizer.text.planted`) on real news: every
article of the development sets is clean, so each sentence flagged is a false alarm (goal: 0).

    python bench/planted.py [--show] [--also PATH ...]

The sets: the 20 MEANTIME dev-gold articles (bench/data/meantime_5w.jsonl), the Giveme5W1H tune
and validate articles (bench/data/giveme5w1h/), the three seeds (seeds/*.txt); each JSONL line's
"text". `--also` adds more sets (a JSONL file with "text" per line, or a directory of *.txt), such as
the whole MEANTIME corpus (/work/shared/data/meantime/meantime_en.jsonl). `--show` prints each
flagged sentence. No model is asked.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from summarizer.text.planted import planted_instructions

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "meantime_5w": ROOT / "bench" / "data" / "meantime_5w.jsonl",
    "giveme5w1h_tune": ROOT / "bench" / "data" / "giveme5w1h" / "giveme5w1h_tune.jsonl",
    "giveme5w1h_validate": ROOT / "bench" / "data" / "giveme5w1h" / "giveme5w1h_validate.jsonl",
    "seeds": ROOT / "seeds",
}


def articles(path: Path) -> list[tuple[str, str]]:
    """(id, text) of every article of a set: a JSONL file's lines, or a directory's *.txt."""
    if path.is_dir():
        return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(path.glob("*.txt"))]
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            record = json.loads(line)
            found.append((str(record.get("id", number)), str(record["text"])))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="print each flagged sentence")
    parser.add_argument("--also", nargs="*", type=Path, default=[], help="more sets")
    args = parser.parse_args()
    sets = {**SETS, **{path.stem: path for path in args.also}}
    print(f"{'set':<22} {'articles':>8} {'characters':>11} {'flags':>6} {'articles flagged':>17}")
    total = 0
    for name, path in sets.items():
        texts = articles(path)
        flagged = [(doc_id, text[p.start:p.end]) for doc_id, text in texts
                   for p in planted_instructions(text)]
        total += len(flagged)
        print(f"{name:<22} {len(texts):>8} {sum(len(t) for _, t in texts):>11,} {len(flagged):>6} "
              f"{len({doc_id for doc_id, _ in flagged}):>17}")
        if args.show:
            for doc_id, sentence in flagged:
                print(f"    {doc_id}: {' '.join(sentence.split())!r}")
    print(f"{'all':<22} {'':>8} {'':>11} {total:>6}")


if __name__ == "__main__":
    main()
