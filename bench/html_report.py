"""Size and load time of the HTML report, for the three seeds' digest and for a 50-article set.

The summaries come from the recorded cassettes (no model runs); the 50-article set repeats the four
recorded articles (the three seeds and MEANTIME 11716) under new ids, each copy's spans pointing at
its own copy of the text. Baseline, measured in the same run: the same raw texts as a plain page (one
escaped <pre> per article, no marks, no script). Load time is the browser's own: navigation start to
the end of the load event, median of several loads in headless Chromium (Playwright, system browser).

    .venv/bin/python bench/html_report.py [--loads 7] [--screenshot docs/digest_seeds.png]

--screenshot saves the seed digest's report, its malformed 11,00 conflict version clicked (the
README's picture).
"""

from __future__ import annotations

import argparse
import html
import statistics
import tempfile
from pathlib import Path
from typing import Any

from summarizer.backends.grammar import COMPACT_JSON
from summarizer.backends.openai import OpenAIProvider
from summarizer.digest.judge import ModelJudge
from summarizer.digest.merging import merge
from summarizer.evaluation.recording import cassette, recorded_answer_format, recorded_model
from summarizer.extract.pipeline import summarize_document
from summarizer.output.digest import ArticleSet
from summarizer.output.html import to_html
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document, read_article

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
ARTICLES = {**{p.name[:3]: p for p in sorted((ROOT / "seeds").glob("*.txt"))},
            "meantime_11716": ROOT / "tests" / "data" / "meantime_11716.txt"}
CHROMIUM = "/usr/bin/chromium"


def _provider() -> OpenAIProvider:
    model = recorded_model(CASSETTES)
    assert model, "no recorded cassettes"
    return OpenAIProvider(model=model, base_url="http://replay.invalid/v1", api_key="unused",
                          endpoint_kind="local", attempts=1,
                          compact_json=recorded_answer_format(CASSETTES) == COMPACT_JSON)


def recorded_summaries() -> dict[str, tuple[Document, EventSummary]]:
    provider, found = _provider(), {}
    for name, path in ARTICLES.items():
        doc = read_article(path)
        where = CASSETTES / (f"seed_{name}.yaml" if name[0].isdigit() else f"{name}.yaml")
        with cassette(where, "none"):
            found[name] = (doc, summarize_document(doc, provider))
    return found


def seed_digest(summaries: dict[str, tuple[Document, EventSummary]]) -> tuple[ArticleSet, list[Document]]:
    pairs = [summaries[name] for name in sorted(summaries) if name[0].isdigit()]
    docs = [doc for doc, _ in pairs]
    with cassette(CASSETTES / "digest_seeds.yaml", "none"):
        digests = merge([s for _, s in pairs], docs, ModelJudge(_provider()))
    return ArticleSet(summaries=[s for _, s in pairs], digests=digests), docs


def _renamed(value: Any, old: str, new: str) -> Any:
    """The summary's JSON with every document id `old` replaced by `new`."""
    if isinstance(value, dict):
        return {k: (new if k in ("doc_id", "id") and v == old else _renamed(v, old, new))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    return value


def fifty(summaries: dict[str, tuple[Document, EventSummary]]) -> tuple[ArticleSet, list[Document]]:
    pairs = list(summaries.values())
    docs, copies = [], []
    for number in range(50):
        doc, summary = pairs[number % len(pairs)]
        new = f"a{number:02d}_{doc.id}"
        docs.append(Document(id=new, raw=doc.raw, path=doc.path))
        copies.append(EventSummary.model_validate(_renamed(summary.model_dump(mode="json"),
                                                           doc.id, new)))
    return ArticleSet(summaries=copies, digests=merge(copies, docs)), docs


def plain_page(docs: list[Document]) -> str:
    body = "".join(f"<h2>{html.escape(d.id)}</h2><pre>{html.escape(d.raw)}</pre>" for d in docs)
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>plain</title></head>"
            f"<body>{body}</body></html>")


def load_ms(page: Any, path: Path, loads: int) -> float:
    times = []
    for _ in range(loads):
        page.goto(path.as_uri())
        times.append(page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                                   " return n.loadEventEnd - n.startTime; }"))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    summaries = recorded_summaries()
    cases = {"seed digest (3 articles)": seed_digest(summaries), "50-article set": fifty(summaries)}
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        for name, (articles, docs) in cases.items():
            report = Path(tmp) / "report.html"
            report.write_text(to_html(articles, {d.id: d.raw for d in docs}), encoding="utf-8")
            plain = Path(tmp) / "plain.html"
            plain.write_text(plain_page(docs), encoding="utf-8")
            json_bytes = len(articles.model_dump_json(indent=2).encode("utf-8"))
            report_bytes, plain_bytes = report.stat().st_size, plain.stat().st_size
            report_ms, plain_ms = load_ms(page, report, args.loads), load_ms(page, plain, args.loads)
            page.goto(report.as_uri())
            marks = page.evaluate("() => document.querySelectorAll('mark').length")
            rows.append((name, report_bytes, plain_bytes, json_bytes, marks, report_ms, plain_ms))
            if args.screenshot and name.startswith("seed"):
                shot = browser.new_page(viewport={"width": 1400, "height": 860})
                shot.goto(report.as_uri())
                shot.locator("li.k-conflict[data-item]", has_text="11,00 (malformed)").click()
                shot.screenshot(path=str(args.screenshot))
                shot.close()
        browser.close()
    print("| case | report bytes | plain page bytes | JSON bytes | size vs plain | size vs JSON+text "
          "| marks | load ms (median) | plain load ms | load vs plain |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, report_b, plain_b, json_b, marks, report_ms, plain_ms in rows:
        print(f"| {name} | {report_b:,} | {plain_b:,} | {json_b:,} | {report_b / plain_b:.2f} | "
              f"{report_b / (json_b + plain_b):.2f} | {marks} | {report_ms:.1f} | {plain_ms:.1f} | "
              f"{report_ms / plain_ms:.2f} |")


if __name__ == "__main__":
    main()
