"""Build the development gold `bench/data/meantime_5w.jsonl` from MEANTIME (English).

    python bench/make_meantime_5w.py [--source ../shared/data/meantime/meantime_en.jsonl]

Subset: of the 120 articles, those with at least one gold entry in each of who, when, where and
numbers (36), the 20 shortest by characters (635-1,523), so a local-model run stays under an hour.
Fields, all with `start`/`end` offsets into `text`:
- who: entity mentions that are the Arg0 (agent) participant of an annotated event (MEANTIME
  annotates the events of the title and the first sentences), pronouns ("which", "it") left out;
- what: the title line (the article's own one-line statement of what happened);
- when: DATE and TIME timexes other than the creation-time line, with their TIMEX3 `value`;
- where: entity mentions that are the Argm-LOC participant of an annotated event (no pronouns);
- numbers: MONEY, PERCENT and QUANTITY values; `value` only where the text is digits with an
  optional scale word (thousand, million, billion, trillion), read here, independently of
  summarizer.normalize.quantities.
Each field lists a phrase once (its first mention), however often it is annotated.
- why, how: not MEANTIME's: the project's own annotation, kept in `bench/data/meantime_5w_whyhow.jsonl`
  (one line per article id, guidelines in bench/README.md) and merged here, its offsets checked
  against the text; an article without an annotation line gets no why/how (not scored).
MEANTIME: NewsReader project, CC BY 4.0 (Minard et al., LREC 2016); see ../shared/data/meantime/.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "meantime" / "meantime_en.jsonl"
TARGET = ROOT / "bench" / "data" / "meantime_5w.jsonl"
WHY_HOW = ROOT / "bench" / "data" / "meantime_5w_whyhow.jsonl"
SIZE = 20
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_PLAIN_NUMBER = re.compile(
    r"^(?:(?:about|around|almost|nearly|over|more than|less than|fewer than|some|up to|at least)\s)?"
    r"(?:[A-Z]{0,3}\s?[$#£€]\s?)?(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|bn|trillion)?"
    r"\s*(?:%|percent|per cent)?$", re.IGNORECASE)


def number_value(text: str) -> float | None:
    found = _PLAIN_NUMBER.match(text.strip())
    if not found:
        return None
    digits, scale = found.groups()
    value = float(digits.replace(",", "")) * _SCALES.get((scale or "").lower(), 1)
    return int(value) if value.is_integer() else value


def iso_day(dct: str | None) -> str | None:
    """The creation date as ISO; one article's is written DD-MM-YYYY in the corpus."""
    if dct and re.fullmatch(r"\d{4}-\d\d-\d\d", dct):
        return dct
    if dct and (day_first := re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", dct)):
        return f"{day_first[3]}-{day_first[2]}-{day_first[1]}"
    return None


def _entry(text: str, item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    phrase = {"text": item["text"], "start": item["start"], "end": item["end"], **extra}
    assert text[item["start"]:item["end"]] == item["text"], item
    return phrase


_PRONOUNS = frozenset(["i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us",
                       "them", "which", "who", "whom", "that", "this", "these", "those", "its",
                       "his", "their", "our"])


def _pronoun(mention: dict[str, Any]) -> bool:
    return mention.get("syntactic_type") == "PRO" or mention["text"].lower() in _PRONOUNS


def _participants(row: dict[str, Any], role: str) -> list[dict[str, Any]]:
    mentions = {m["m_id"]: m for m in row["entity_mentions"]}
    chosen: dict[tuple[int, int], dict[str, Any]] = {}
    for relation in row["relations"]:
        if relation["type"] == "HAS_PARTICIPANT" and relation.get("sem_role") == role:
            for target in relation["target"]:
                if target in mentions and not _pronoun(mentions[target]):
                    mention = mentions[target]
                    chosen[(mention["start"], mention["end"])] = _entry(row["text"], mention)
    return [chosen[key] for key in sorted(chosen)]


def gold_of(row: dict[str, Any]) -> dict[str, Any]:
    text = row["text"]
    title = text.split("\n", 1)[0]
    when = [_entry(text, t, value=t["value"]) for t in row["timexes"]
            if t["type"] in ("DATE", "TIME") and t["functionInDocument"] != "CREATION_TIME"
            and t.get("value") and "start" in t]  # empty (implicit) timexes have no text
    numbers = []
    for value in row.get("values", []):
        read = number_value(value["text"])
        numbers.append(_entry(text, value, **({"value": read} if read is not None else {})))
    return {
        "who": _once(_participants(row, "Arg0")),
        "what": [{"text": title, "start": 0, "end": len(title)}],
        "when": _once(sorted(when, key=lambda p: p["start"])),
        "where": _once(_participants(row, "Argm-LOC")),
        "numbers": _once(sorted(numbers, key=lambda p: p["start"])),
    }


def _once(phrases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per phrase (the first mention): a summary names Qatar Airways once, however
    many annotated events it takes part in."""
    kept: dict[str, dict[str, Any]] = {}
    for phrase in phrases:
        kept.setdefault(" ".join(phrase["text"].lower().split()), phrase)
    return list(kept.values())


def read_why_how(path: Path) -> dict[str, dict[str, Any]]:
    """The project's own why/how annotation, by article id."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {row["id"]: row for row in rows}


def with_why_how(text: str, gold: dict[str, Any], annotation: dict[str, Any] | None) -> dict[str, Any]:
    """`gold` with the annotation's why and how (each phrase checked against `text`)."""
    if annotation is None:
        return gold
    merged = dict(gold)
    for field in ("why", "how"):
        merged[field] = [_entry(text, phrase) for phrase in annotation[field]]
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=TARGET)
    parser.add_argument("--why-how", type=Path, default=WHY_HOW,
                        help="the project's why/how annotation, merged by article id")
    args = parser.parse_args()
    why_how = read_why_how(args.why_how)
    rows = [json.loads(line) for line in args.source.read_text(encoding="utf-8").splitlines()]
    candidates = []
    for row in rows:
        gold = gold_of(row)
        if iso_day(row["dct"]) and all(gold[field] for field in ("who", "when", "where", "numbers")):
            candidates.append((len(row["text"]), row["doc_id"], row, gold))
    chosen = sorted(candidates, key=lambda c: (c[0], c[1]))[:SIZE]
    lines = [json.dumps({"id": f"meantime_{row['doc_id']}", "text": row["text"],
                         "published": iso_day(row["dct"]), "title": row["text"].split("\n", 1)[0],
                         "source": row["url"],
                         "gold": with_why_how(row["text"], gold,
                                              why_how.get(f"meantime_{row['doc_id']}"))},
                        ensure_ascii=False)
             for _, _, row, gold in sorted(chosen, key=lambda c: int(c[1]))]
    annotated = sum(f"meantime_{row['doc_id']}" in why_how for _, _, row, _ in chosen)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(candidates)} of {len(rows)} articles have every field; wrote the {len(lines)} "
          f"shortest to {args.out}, {annotated} with why/how from {args.why_how}")


if __name__ == "__main__":
    main()
