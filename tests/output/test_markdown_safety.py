"""Markdown output of hostile articles and hostile model answers stays inert when rendered.

The summaries here are built by hand (not model output) with markup in every text field, as an
article or a model could write it. They are rendered with markdown-it-py's CommonMark preset (raw
HTML on), told to follow every link, so that only our escaping stands between the text and a live
tag, event handler or `javascript:` link.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from summarizer.digest.merging import merge
from summarizer.output.markdown import text, to_markdown
from summarizer.output.markdown_digest import digest_to_markdown
from summarizer.output.summary import (
    Actor,
    DateMention,
    EventSummary,
    Explanation,
    Fact,
    IncompletePass,
    Place,
    Quantity,
    Quote,
    RejectedItem,
    RunMetadata,
    SourceDocument,
    Span,
    SummarySentence,
    TokenUsage,
)
from summarizer.text.document import Document

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click]( JaVaScRiPt:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](java&#115;cript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<svg onload=alert(1)>",
    "&lt;script&gt;",
]
PAYLOAD = " ".join(HOSTILE)
SAFE_TAGS = {"h1", "h2", "p", "ul", "li", "strong", "em", "code", "a"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def live_markup(markdown: str) -> list[str]:
    """What a CommonMark renderer that follows every link would make live."""
    renderer = MarkdownIt("commonmark")
    renderer.validateLink = lambda url: True  # type: ignore[method-assign]
    parser = Tags()
    parser.feed(renderer.render(markdown))
    problems = []
    for tag, attrs in parser.found:
        if tag not in SAFE_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"{tag} {name}")
            if name in ("href", "src") and not (value or "").lower().startswith(
                    ("http://", "https://", "mailto:", "#")):
                problems.append(f"{tag} {name}={value}")
    return problems


def test_the_checker_sees_every_payload_raw() -> None:
    for payload in HOSTILE[:-1]:  # the last one is already an escaped entity
        assert live_markup(f"- {payload}\n"), payload


@pytest.mark.parametrize("payload", HOSTILE)
def test_text_makes_each_payload_inert(payload: str) -> None:
    assert live_markup(f"- {text(payload)}\n") == []


def test_text_keeps_plain_text_and_web_links() -> None:
    plain = 'Nearly 600 "Russian" citizens [told](#) the [ministry](https://example.org/a), 5 > 4'
    assert text(plain) == plain.replace(">", "&gt;")
    assert text("AT&T <b>") == "AT&amp;T &lt;b&gt;"
    assert text("[x](JavaScript:alert(1))") == "[x]\\(JavaScript:alert(1))"


def hostile_document(doc_id: str) -> Document:
    return Document(id=doc_id, raw=f"Hostile report. {PAYLOAD} Nearly 600 people left on Sunday.\n")


def span(doc: Document, quoted: str) -> Span:
    start = doc.raw.index(quoted)
    return Span(doc_id=doc.id, start=start, end=start + len(quoted), text=quoted)


def hostile_summary(doc: Document) -> EventSummary:
    payload = span(doc, PAYLOAD)
    return EventSummary(
        document=SourceDocument(id=doc.id, title=PAYLOAD, published="2023-11-12", url=PAYLOAD),
        headline=SummarySentence(text=PAYLOAD, spans=[payload]), event_type=PAYLOAD,
        summary=[SummarySentence(text=PAYLOAD, spans=[payload])],
        when=[DateMention(text="on Sunday", value="2023-11-12", granularity="day", event=PAYLOAD,
                          spans=[span(doc, "on Sunday")])],
        where=[Place(name=PAYLOAD, spans=[payload])],
        actors=[Actor(name=PAYLOAD, kind="group", role=PAYLOAD, spans=[payload])],
        facts=[Fact(claim=PAYLOAD, spans=[payload])],
        quantities=[Quantity(value=600, counted=PAYLOAD, qualifier="approximately",
                             spans=[span(doc, "Nearly 600 people")], correction=PAYLOAD)],
        quotes=[Quote(speaker=PAYLOAD, text=PAYLOAD, spans=[payload], warnings=[PAYLOAD])],
        why=[Explanation(text=PAYLOAD, spans=[payload])],
        how=[Explanation(text=PAYLOAD, spans=[payload])],
        rejected=[RejectedItem(section=PAYLOAD, item={"text": PAYLOAD}, reason=PAYLOAD)],
        metadata=RunMetadata(model=PAYLOAD, endpoint_kind=PAYLOAD, prompts=[], usage=TokenUsage(),
                             llm_calls=0, elapsed_seconds=0.0),
        incomplete=[IncompletePass(name="entities", error=PAYLOAD)],
    )


def test_summary_markdown_of_a_hostile_article_and_answer_is_inert() -> None:
    markdown = to_markdown(hostile_summary(hostile_document("doc`<img src=x onerror=alert(1)>")))
    assert markdown.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 17  # shown, not run
    assert "## Incomplete" in markdown
    assert "## Why (the article's words)" in markdown and "## How (the article's words)" in markdown
    assert live_markup(markdown) == []


def test_digest_markdown_of_hostile_articles_is_inert() -> None:
    docs = [hostile_document("first"), hostile_document("second<script>")]
    digests = merge([hostile_summary(doc) for doc in docs], docs)
    markdown = "\n".join(digest_to_markdown(digest) for digest in digests)
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown
    assert live_markup(markdown) == []
