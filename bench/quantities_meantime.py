"""How many MEANTIME value spans (MONEY, PERCENT, QUANTITY) `summarizer.normalize.quantities` reads
into a value.

    python bench/quantities_meantime.py [--data PATH] [--failures N]

MEANTIME marks where values are written but gives no normalized value, so this measures coverage, not
accuracy: the share of gold spans in which the module reads a well-formed figure, overall and per
type; the stricter share where that figure runs to the end of the span (nothing after it left
unread, e.g. a trailing unit); for MONEY the share that also got a currency, for PERCENT the share
that got the percent unit; and the spans not read. The text is the corpus tokens joined by spaces
("US$ 40 billion", "20 %"), read as it is.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from summarizer.normalize.quantities import Figure, figures

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "meantime" / "meantime_en.jsonl"
TYPES = ("MONEY", "PERCENT", "QUANTITY")
CURRENCIES = {"$", "USD", "EUR", "GBP", "JPY", "CNY", "INR", "RUB", "AUD", "CAD", "CHF", "NZD", "HKD",
              "SGD", "BRL", "ILS", "cent", "pence"}


def first_value(text: str) -> Figure | None:
    """The first figure of the span that has a value (a malformed one has none)."""
    return next((f for f in figures(text) if f.value is not None), None)


def has_unit(kind: str, figure: Figure) -> bool | None:
    if kind == "MONEY":
        return figure.unit in CURRENCIES
    if kind == "PERCENT":
        return figure.unit == "percent"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--failures", type=int, default=40, help="how many unread spans to list")
    args = parser.parse_args()
    total: Counter[str] = Counter()
    read: Counter[str] = Counter()
    united: Counter[str] = Counter()
    ranges: Counter[str] = Counter()
    whole: Counter[str] = Counter()
    partial: list[str] = []
    unread: dict[str, list[str]] = defaultdict(list)
    no_unit: dict[str, list[str]] = defaultdict(list)
    with args.data.open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            for value in doc.get("values", []):
                kind, text = value["type"], value["text"]
                assert doc["text"][value["start"]:value["end"]] == text
                total[kind] += 1
                figure = first_value(text)
                if figure is None:
                    unread[kind].append(text)
                    continue
                read[kind] += 1
                ranges[kind] += figure.high is not None
                if text[figure.end:].strip():
                    partial.append(f"{kind:8} {text!r} -> {figure.text!r}")
                else:
                    whole[kind] += 1
                if has_unit(kind, figure):
                    united[kind] += 1
                elif kind != "QUANTITY":
                    no_unit[kind].append(f"{text} -> {figure.unit}")

    def share(part: int, whole: int) -> str:
        return f"{part:4d}/{whole:<4d} {part / whole if whole else 0:6.1%}"

    print(f"MEANTIME value spans read into a value ({args.data.name})\n")
    print(f"{'type':9} {'read':>17}   {'to the end':>17}   {'with unit':>17}   ranges")
    for kind in TYPES:
        unit = share(united[kind], total[kind]) if kind != "QUANTITY" else f"{'-':>17}"
        print(f"{kind:9} {share(read[kind], total[kind])}   {share(whole[kind], total[kind])}   "
              f"{unit}   {ranges[kind]}")
    all_spans = sum(total.values())
    print(f"{'all':9} {share(sum(read.values()), all_spans)}   {share(sum(whole.values()), all_spans)}")
    print(f"\nnot read ({sum(len(v) for v in unread.values())}), first {args.failures}:")
    shown = [f"  {kind:8} {text!r}" for kind in TYPES for text in unread[kind]]
    print("\n".join(shown[:args.failures]))
    print(f"\nread, but the figure stops before the end of the span ({len(partial)}):")
    print("\n".join(f"  {item}" for item in partial))
    print("\nread, but without the expected currency / percent unit:")
    print("\n".join(f"  {kind:8} {item}" for kind in TYPES for item in no_unit[kind]))


if __name__ == "__main__":
    main()
