"""The HTML report in a real browser: Debian's Chromium driven by Playwright (the system browser;
nothing is downloaded). Reports are opened from file://; clicking an item must highlight and show
its spans, with no console error and no request but the file itself. Screenshots land in tmp_path.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends.openai import OpenAIProvider
from summarizer.digest.judge import ModelJudge
from summarizer.digest.merging import merge
from summarizer.output.digest import ArticleSet
from summarizer.output.html import to_html
from summarizer.output.summary import EventSummary
from summarizer.text.document import Document
from tests.conftest import CASSETTES, SEEDS
from tests.html_hostile import RAW, TITLE, hostile_summary

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="no Chromium on PATH or at "
                       "/usr/bin/chromium (apt-get install chromium; .ci/run installs it)"),
]

SummaryOf = Callable[[str], tuple[Document, EventSummary]]
Recorded = Callable[[Path], contextlib.AbstractContextManager[Any]]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


class Opened:
    """A report open in a fresh page, with everything the page logged or requested."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.uri = path.as_uri()
        self.page.goto(self.uri)

    def active_text(self) -> list[str]:
        return list(self.page.eval_on_selector_all("mark.active", "ms => ms.map(m => m.textContent)"))

    def in_view(self, selector: str) -> bool:
        """The element is inside the viewport and inside its scrolling pane."""
        return bool(self.page.eval_on_selector(selector, """e => {
            const r = e.getBoundingClientRect(), p = e.closest('.right, .left').getBoundingClientRect();
            return r.height > 0 && r.top >= p.top && r.bottom <= p.bottom && r.bottom <= innerHeight;
        }"""))

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.requests == [self.uri]  # the file itself, nothing else


def write(tmp_path: Path, result: EventSummary | ArticleSet, docs: list[Document]) -> Path:
    path = tmp_path / "report.html"
    path.write_text(to_html(result, {d.id: d.raw for d in docs}), encoding="utf-8")
    return path


@pytest.mark.cassette
def test_seed_summary_click_shows_the_spans(browser: Any, summary_of: SummaryOf,
                                            tmp_path: Path) -> None:
    doc, summary = summary_of("000")
    opened = Opened(browser, write(tmp_path, summary, [doc]))
    page = opened.page
    last = summary.quantities[-1]  # far down the article: it must scroll
    entry = page.locator("li.k-quantity[data-item]").last
    entry.click()
    assert "".join(opened.active_text()) == last.spans[0].text
    assert entry.get_attribute("aria-pressed") == "true"
    assert opened.in_view("mark.active")
    # keyboard: focus the Facts section's first entry (the main event block above may show a
    # fact too; a summary whose facts were all in the summary's words has none) and press Enter
    section, first = ("Facts", summary.facts[0]) if summary.facts else ("Summary",
                                                                          summary.summary[0])
    page.locator(f"h3:text-is('{section}') + ul li[data-item]").first.focus()
    page.keyboard.press("Enter")
    assert "".join(opened.active_text()) == first.spans[0].text
    assert opened.in_view("mark.active")
    page.screenshot(path=str(tmp_path / "seed_000.png"))
    assert (tmp_path / "seed_000.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    opened.assert_clean()


@pytest.fixture
def seed_digest(summary_of: SummaryOf, cassette_provider: OpenAIProvider, recorded: Recorded,
                tmp_path: Path) -> tuple[Path, list[Document]]:
    """The report of the three seeds' digest, the model asked about undecided facts (replayed)."""
    pairs = [summary_of(name) for name in sorted(SEEDS)]
    docs = [doc for doc, _ in pairs]
    with recorded(CASSETTES / "digest_seeds.yaml"):
        digests = merge([s for _, s in pairs], docs, ModelJudge(cassette_provider))
    return write(tmp_path, ArticleSet(summaries=[s for _, s in pairs], digests=digests), docs), docs


@pytest.mark.cassette
def test_seed_digest_switches_tabs_and_links_both_ways(
        browser: Any, seed_digest: tuple[Path, list[Document]], tmp_path: Path) -> None:
    path, docs = seed_digest
    opened = Opened(browser, path)
    page = opened.page
    assert page.locator('[role="tab"]').all_inner_texts() == [d.id for d in docs]
    # an item whose spans all lie in the second article (a conflict's version if there is one):
    # chosen from the page, so the test holds whatever the recorded model said
    item = page.evaluate("""() => {
        const inSecond = id => {
            const marks = [...document.querySelectorAll('mark[data-items~="' + id + '"]')];
            return marks.length > 0 && marks.every(m => m.closest('#doc-2'));
        };
        const pick = sel => [...document.querySelectorAll(sel)].map(e => e.dataset.item).find(inSecond);
        return pick('li.k-conflict[data-item]') || pick('li[data-item]') || null;
    }""")
    assert item, "the digest has an item grounded in the second article"
    page.locator(f'li[data-item="{item}"]').first.click()
    its_marks = page.eval_on_selector_all(f'mark[data-items~="{item}"]',
                                          "ms => ms.map(m => m.textContent)")
    assert opened.active_text() == its_marks and "".join(its_marks)
    assert page.locator('[role="tab"][aria-selected="true"]').inner_text().startswith(docs[1].id)
    assert page.locator("#doc-2").is_visible() and not page.locator("#doc-1").is_visible()
    assert opened.in_view("mark.active")
    # hovering a mark names the items it supports and lights them up on the left
    mark = page.locator("#doc-2 mark.active").first
    mark.hover()
    assert (mark.get_attribute("title") or "").strip()
    assert page.locator(".entry.supports").count() >= 1
    # clicking a mark opens the item it supports and scrolls it into view
    page.locator("#doc-2 mark").last.click()
    assert opened.in_view(".entry[aria-pressed='true']")
    # tabs by keyboard
    page.locator("#tab-2").click()
    page.locator("#tab-2").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#doc-3").is_visible()
    assert page.evaluate("document.activeElement.id") == "tab-3"
    page.screenshot(path=str(tmp_path / "digest_seeds.png"))
    opened.assert_clean()


def test_hostile_article_runs_nothing_and_shows_literally(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(to_html(hostile_summary(), {"hostile": RAW}), encoding="utf-8")
    opened = Opened(browser, path)
    page = opened.page
    for entry in page.locator("[data-item]").all():  # activate every item: labels go to textContent
        entry.click()
    for mark in page.locator("mark").all():  # hover every mark: labels go to title
        mark.hover()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() == TITLE
    assert page.locator("pre.article").text_content() == RAW
    assert page.locator("h1").inner_text() == TITLE
    assert page.locator("img, svg, a, iframe, b, i").count() == 0
    assert page.locator("#status").inner_text().startswith("quote: \"}]</script><script>")
    page.screenshot(path=str(tmp_path / "hostile.png"))
    opened.assert_clean()


# WCAG relative luminance and contrast ratio of two computed CSS colours.
CONTRAST = """([selector, background]) => {
    const lum = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
        v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    return Array.from(document.querySelectorAll(selector), (e) => {
        const s = getComputedStyle(e), bg = background || s.backgroundColor;
        const [hi, lo] = [lum(s.color), lum(bg)].sort((a, b) => b - a);
        return (hi + 0.05) / (lo + 0.05);
    });
}"""


@pytest.mark.cassette
def test_seed_digest_is_readable_and_printable(browser: Any,
                                               seed_digest: tuple[Path, list[Document]]) -> None:
    path, docs = seed_digest
    opened = Opened(browser, path)
    page = opened.page
    page.locator("li.k-quantity[data-item]").first.click()  # an active mark among the others
    white = "rgb(255, 255, 255)"
    ratios = {selector: page.evaluate(CONTRAST, [selector, background]) for selector, background in [
        ("mark", None), (".detail", white), (".flag", white), (".note", white), (".spans", white),
        ('[role="tab"]', None), ("h1, h2, h3, .text", white)]}
    assert all(ratios.values()), ratios
    assert min(min(found) for found in ratios.values()) >= 4.5  # WCAG AA for body text
    assert page.locator('[role="tabpanel"]:visible').count() == 1
    page.emulate_media(media="print")
    assert page.locator('[role="tabpanel"]:visible').count() == len(docs)  # every article printed
    assert not page.locator('[role="tablist"]').is_visible()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details:not([open])").count() == 0  # folded summaries unfold
    opened.assert_clean()
