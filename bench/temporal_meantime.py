"""Date normalization on MEANTIME (English): our temporal module next to dateparser alone, same spans.

    python bench/temporal_meantime.py [--data PATH] [--failures]

Every TIMEX3 of type DATE that has a span is given to both with the gold span text, the sentence
around it (the corpus's line, its text tokenized with spaces: "March 01 , 2008") and the document's
creation time (`dct`; where that is missing or not ISO, the article's date line read with
`temporal.parse_iso_date`, as the pipeline reads one). A value counts when it equals the gold value
exactly. dateparser gets RELATIVE_BASE=dct, PREFER_DATES_FROM=past and English, and its datetime is
written at the gold value's own granularity (day, ISO week, month, year); gold values of a shape it
cannot express (quarters, seasons, PAST_REF, durations) count as misses for it, and the second table
scores both on only the values it can express. "Without digits" are the relative expressions:
"Friday", "last week", "today".
"""

from __future__ import annotations

import argparse
import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import dateparser

from summarizer.normalize.temporal import last_day_mentioned, normalize, parse_iso_date

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "meantime" / "meantime_en.jsonl"
SHAPES = {  # gold value shape -> strftime-like writer for dateparser's datetime
    r"\d{4}-\d{2}-\d{2}": lambda d: d.strftime("%Y-%m-%d"),
    r"\d{4}-W\d{2}": lambda d: f"{d.isocalendar()[0]:04d}-W{d.isocalendar()[1]:02d}",
    r"\d{4}-\d{2}": lambda d: d.strftime("%Y-%m"),
    r"\d{4}": lambda d: d.strftime("%Y"),
}


@dataclass(frozen=True)
class Case:
    doc_id: str
    text: str
    sentence: str
    dct: date
    gold: str
    anchor: date | None  # the last day the text mentions before the span, as the pipeline finds it


def _dct(doc: dict[str, object]) -> date | None:
    raw = str(doc.get("dct") or "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return date.fromisoformat(raw)
    for line in str(doc["text"]).splitlines()[:3]:  # the date line under the headline
        if found := parse_iso_date(line):
            return found
    return None


def load(path: Path) -> tuple[list[Case], int]:
    cases: list[Case] = []
    spanless = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text, dct = doc["text"], _dct(doc)
        for timex in doc["timexes"]:
            if timex["type"] != "DATE":
                continue
            if "start" not in timex or dct is None:
                spanless += 1
                continue
            start, end = timex["start"], timex["end"]
            first = text.rfind("\n", 0, start) + 1
            last = text.find("\n", end)
            sentence = text[first:last if last >= 0 else len(text)]
            anchor = last_day_mentioned(text[:start], dct)
            cases.append(Case(doc["doc_id"], text[start:end], sentence, dct, timex["value"], anchor))
    return cases, spanless


def dateparser_value(case: Case) -> str | None:
    writer = next((w for shape, w in SHAPES.items() if re.fullmatch(shape, case.gold)), None)
    if writer is None:
        return None
    base = datetime(case.dct.year, case.dct.month, case.dct.day, 12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(case.text, languages=["en"],
                                  settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
    return writer(parsed) if parsed else None


def expressible(gold: str) -> bool:
    return any(re.fullmatch(shape, gold) for shape in SHAPES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--failures", action="store_true", help="list our misses")
    args = parser.parse_args()
    cases, spanless = load(args.data)
    ours = [normalize(c.text, c.dct, c.sentence, c.anchor).value == c.gold for c in cases]
    theirs = [dateparser_value(c) == c.gold for c in cases]
    print(f"MEANTIME English: {len(cases)} DATE timexes with a span "
          f"({spanless} without a span or a creation time left out)")
    groups = {
        "all DATE": [True] * len(cases),
        "with digits": [bool(re.search(r"\d", c.text)) for c in cases],
        "without digits (relative)": [not re.search(r"\d", c.text) for c in cases],
    }
    for title, keep in (("exact value accuracy", None),
                        ("only gold values dateparser can express (day, week, month, year)", True)):
        print(f"\n{title}")
        print(f"  {'':28} {'n':>4} {'temporal':>9} {'dateparser':>11}")
        for name, member in groups.items():
            idx = [i for i, m in enumerate(member) if m and (keep is None or expressible(cases[i].gold))]
            n = len(idx)
            a, b = sum(ours[i] for i in idx), sum(theirs[i] for i in idx)
            print(f"  {name:28} {n:4d} {a / n:9.3f} {b / n:11.3f}")
    refs = sum(c.gold.endswith("_REF") for c in cases)
    pointless = sum(not re.fullmatch(r"\d{3,4}(-.*)?|(?:PAST|PRESENT|FUTURE)_REF", c.gold) for c in cases)
    ref_hits = sum(ok for c, ok in zip(cases, ours, strict=True) if c.gold.endswith("_REF"))
    print(f"\n{refs} gold values are PAST/PRESENT/FUTURE_REF, {ref_hits} of them matched; {pointless} "
          f"name neither a calendar point nor a reference (durations, XXXX, FY), which our rules leave "
          f"None, so {1 - pointless / len(cases):.3f} is the most all-DATE accuracy can reach")
    misses = Counter(re.sub(r"\d", "9", c.gold) for c, ok in zip(cases, ours, strict=True) if not ok)
    print("\nour misses by gold shape:", ", ".join(f"{k} {v}" for k, v in misses.most_common()))
    if args.failures:
        for case, ok in zip(cases, ours, strict=True):
            if not ok:
                got = normalize(case.text, case.dct, case.sentence, case.anchor)
                print(f"{case.dct} gold={case.gold:12} ours={got.value or '-':12} {case.text!r}"
                      f"  [{got.reason}]" if got.reason else
                      f"{case.dct} gold={case.gold:12} ours={got.value or '-':12} {case.text!r}")


if __name__ == "__main__":
    main()
