"""The HTML report without a browser: marks cover exactly the spans, hostile text is escaped, the
script's JSON cannot close its <script>, and `summarizer render` reads stored results back."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import InputError
from summarizer.output.digest import ArticleSet
from summarizer.output.html import _script_json, to_html
from summarizer.output.markdown import to_markdown
from summarizer.output.summary import (
    Actor,
    DateMention,
    EventAnswer,
    EventBlock,
    EventSlot,
    EventSummary,
    Fact,
    Place,
    Quantity,
    Quote,
    RunMetadata,
    SourceDocument,
    Span,
    SummarySentence,
    TokenUsage,
)
from summarizer.text.document import Document
from tests.cli.test_cli import assert_one_line_error
from tests.html_hostile import RAW, TITLE, hostile_summary

SummaryOf = Callable[[str], tuple[Document, EventSummary]]


class _Article(HTMLParser):
    """The text of each <pre class="article"> and the offsets its <mark>s cover."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self.marked: dict[str, set[int]] = {}
        self.doc: str | None = None
        self.in_pre = self.in_mark = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and found.get("role") == "tabpanel":
            self.doc = found["data-doc"]
            self.texts[self.doc or ""], self.marked[self.doc or ""] = "", set()
        self.in_pre |= tag == "pre"
        self.in_mark |= tag == "mark" and self.in_pre
        if tag == "script":
            self.scripts.append(found.get("type") or "")

    def handle_endtag(self, tag: str) -> None:
        self.in_pre &= tag != "pre"
        self.in_mark &= tag != "mark"

    def handle_data(self, data: str) -> None:
        if self.in_pre and self.doc is not None:
            start = len(self.texts[self.doc])
            self.texts[self.doc] += data
            if self.in_mark:
                self.marked[self.doc] |= set(range(start, start + len(data)))


def parsed(html: str) -> _Article:
    parser = _Article()
    parser.feed(html)
    return parser


@pytest.mark.cassette
def test_marks_cover_exactly_the_summary_spans(summary_of: SummaryOf) -> None:
    doc, summary = summary_of("000")
    report = parsed(to_html(summary, {doc.id: doc.raw}))
    assert report.texts == {doc.id: doc.raw}  # the article, whole and unaltered
    spanned = {i for s in summary.spans() for i in range(s.start, s.end)}
    assert report.marked[doc.id] == spanned


def test_hostile_text_is_escaped_and_shown_literally() -> None:
    html = to_html(hostile_summary(), {"hostile": RAW})
    report = parsed(html)
    assert report.texts == {"hostile": RAW}
    assert report.scripts == ["application/json", ""]  # ours only: the data and the script
    for raw_markup in ("<img", "<svg", "<a href", "</style><style>", "<b onmouseover"):
        assert raw_markup not in html
    assert f"<title>{TITLE.replace('<', '&lt;').replace('>', '&gt;')}</title>" in html


# Written by hand: markup, quotes and ampersands in each place a string reaches the report.
ARTICLE = 'Tom & Jerry\'s "big" day: 3 <b>dogs</b> & 4 cats met in <i>Oslo</i> on Monday.\n'
DOC_ID = 'a"b onmouseover="alert(1)\' & <c>'  # lands in data-doc="..." attributes
DOC_TITLE = 'Tom & Jerry\'s "<b>big</b>" day'  # and in title="..."


def hostile(field: str) -> str:
    """What a model could write in `field`: a script, double and single quotes, an ampersand."""
    return f'<script>alert("{field}")</script> & \'{field}\''


def escaped(field: str) -> str:
    """`hostile(field)` as the report must hold it (markupsafe's escapes, spelled out)."""
    return f"&lt;script&gt;alert(&#34;{field}&#34;)&lt;/script&gt; &amp; &#39;{field}&#39;"


def span_of(text: str) -> Span:
    start = ARTICLE.index(text)
    return Span(doc_id=DOC_ID, start=start, end=start + len(text), text=text)


def model_text_summary() -> EventSummary:
    """A valid summary of ARTICLE whose every model-written string is hostile."""
    day, dogs, oslo = span_of("on Monday"), span_of("3 <b>dogs</b>"), span_of("<i>Oslo</i>")
    whole = span_of(ARTICLE.rstrip("\n"))
    return EventSummary(
        document=SourceDocument(id=DOC_ID, title=DOC_TITLE),
        headline=SummarySentence(text=hostile("headline"), spans=[whole]),
        event=EventBlock(who=EventSlot(reason=hostile("who-reason")),
                         what=EventSlot(answer=EventAnswer(text=hostile("what"), section="headline",
                                                           rule=hostile("rule"), spans=[whole])),
                         when=EventSlot(reason="none"), where=EventSlot(reason="none")),
        event_type=hostile("event-type"),
        summary=[SummarySentence(text=hostile("sentence"), spans=[whole])],
        when=[DateMention(text="on Monday", value="2024-02-26", granularity="day",
                          resolution="relative", event=hostile("date-event"), spans=[day])],
        where=[Place(name=hostile("place"), spans=[oslo])],
        actors=[Actor(name=hostile("actor"), kind="person", role=hostile("role"), spans=[whole])],
        facts=[Fact(claim=hostile("fact"), spans=[whole])],
        quantities=[Quantity(value=3, counted=hostile("counted"), qualifier="exact", written="3",
                             spans=[dogs])],
        quotes=[Quote(speaker=hostile("speaker"), text=whole.text, spans=[whole],
                      warnings=[hostile("warning")])],
        rejected=[],
        metadata=RunMetadata(model=hostile("model"), endpoint_kind=hostile("endpoint"), prompts=[],
                             usage=TokenUsage(), llm_calls=0, elapsed_seconds=0.0),
    )


FIELDS = ("headline", "who-reason", "what", "rule", "event-type", "sentence", "date-event", "place",
          "actor", "role", "fact", "counted", "speaker", "warning", "model", "endpoint")


def test_model_text_in_each_field_is_escaped() -> None:
    html = to_html(model_text_summary(), {DOC_ID: ARTICLE})
    assert parsed(html).scripts == ["application/json", ""]  # ours only
    for field in FIELDS:
        assert hostile(field) not in html, field
        assert escaped(field) in html, field


def test_quotes_and_ampersands_stay_inside_attributes_and_article_text() -> None:
    html = to_html(model_text_summary(), {DOC_ID: ARTICLE})
    attribute_id = 'a&#34;b onmouseover=&#34;alert(1)&#39; &amp; &lt;c&gt;'
    assert f'data-doc="{attribute_id}"' in html
    assert 'title="Tom &amp; Jerry&#39;s &#34;&lt;b&gt;big&lt;/b&gt;&#34; day"' in html
    # read back by an HTML parser: the attributes hold the strings whole, and no handler appeared
    attributes: list[tuple[str, str | None]] = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            attributes.extend(attrs)

    Attributes().feed(html)
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert [value for name, value in attributes if name == "data-doc"] == [DOC_ID, DOC_ID]
    assert [value for name, value in attributes if name == "title"] == [DOC_TITLE]
    report = parsed(html)
    assert report.texts == {DOC_ID: ARTICLE}  # the article's own quotes and & shown as written
    for segment in ("Tom &amp; Jerry&#39;s &#34;big&#34; day: ", "3 &lt;b&gt;dogs&lt;/b&gt;",
                    " &amp; 4 cats met in ", "&lt;i&gt;Oslo&lt;/i&gt;"):
        assert f">{segment}</mark>" in html, segment


def test_script_json_cannot_close_its_element() -> None:
    value = {"labels": {"i0": '</script><script>alert(1)</script> & <!--'}}
    text = _script_json(value)
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text) == value


def test_article_text_must_match_the_spans() -> None:
    with pytest.raises(InputError, match=r"article 'hostile' does not match its span \[0:"):
        to_html(hostile_summary(), {"hostile": RAW.replace("<script>", "<SCRIPT>")})
    with pytest.raises(InputError, match="no article text for document 'hostile'"):
        to_html(hostile_summary(), {})


# --- summarizer render -----------------------------------------------------------------------------


def stored(tmp_path: Path, summary: EventSummary | ArticleSet, name: str = "result.json") -> Path:
    path = tmp_path / name
    path.write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    return path


@pytest.mark.cassette
def test_render_html_and_markdown(summary_of: SummaryOf, tmp_path: Path) -> None:
    doc, summary = summary_of("000")
    path = stored(tmp_path, summary)
    result = CliRunner().invoke(app, ["render", str(path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == to_html(summary, {doc.id: doc.raw})
    result = CliRunner().invoke(app, ["render", str(path), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.stdout == to_markdown(summary)


@pytest.mark.cassette
def test_render_finds_articles_in_a_directory_and_reads_json_lines(
        summary_of: SummaryOf, tmp_path: Path) -> None:
    pairs = [summary_of("000"), summary_of("002")]
    moved = [s.model_copy(update={"document": s.document.model_copy(update={"path": None})})
             for _, s in pairs]
    lines = tmp_path / "batch.jsonl"
    lines.write_text("".join(s.model_dump_json() + "\n\n" for s in moved), encoding="utf-8")
    (tmp_path / "articles").mkdir()
    for doc, _ in pairs:
        shutil.copy(doc.path or "", tmp_path / "articles" / f"{doc.id}.txt")
    result = CliRunner().invoke(app, ["render", str(lines), "--articles", str(tmp_path / "articles")])
    assert result.exit_code == 0, result.output
    assert result.stdout == to_html(ArticleSet(summaries=moved, digests=[]),
                                    {doc.id: doc.raw for doc, _ in pairs})
    result = CliRunner().invoke(app, ["render", str(lines)])
    assert_one_line_error(result, 4, pairs[0][0].id, "read from stdin", "--articles")


@pytest.mark.cassette
def test_render_reads_the_results_lines_of_a_batch(summary_of: SummaryOf, tmp_path: Path) -> None:
    """A batch's results file renders as JSON Lines of the summaries it holds."""
    pairs = [summary_of("000"), summary_of("002")]
    records = [{"id": doc.id, "sha256": "0" * 64, "source": doc.path, "summary": s.model_dump(mode="json"),
                "cost": None} for doc, s in pairs]
    for count in (1, 2):  # one line is also a whole JSON document
        results = tmp_path / f"results{count}.jsonl"
        results.write_text("".join(json.dumps(r) + "\n" for r in records[:count]), encoding="utf-8")
        summaries = tmp_path / f"summaries{count}.jsonl"
        summaries.write_text("".join(s.model_dump_json() + "\n" for _, s in pairs[:count]), encoding="utf-8")
        for output in ("markdown", "html"):
            shown = CliRunner().invoke(app, ["render", str(results), "-f", output])
            assert shown.exit_code == 0, shown.output
            assert shown.stdout == CliRunner().invoke(app, ["render", str(summaries), "-f", output]).stdout
            assert shown.stdout.count("# ") >= count or output == "html"
        assert [s.document.id for _, s in pairs[:count]] == [
            doc_id for doc_id in (pairs[0][1].document.id, pairs[1][1].document.id) if doc_id in shown.stdout]


@pytest.mark.cassette
def test_render_refuses_an_article_that_changed(summary_of: SummaryOf, tmp_path: Path) -> None:
    doc, summary = summary_of("000")
    changed = tmp_path / Path(doc.path or "").name
    changed.write_text(doc.raw.replace("Russia", "Prussia"), encoding="utf-8")
    path = stored(tmp_path, summary.model_copy(update={"document": summary.document.model_copy(
        update={"path": changed.name})}))  # relative: found beside the result file
    result = CliRunner().invoke(app, ["render", str(path), "-o", str(tmp_path / "r.html")])
    assert_one_line_error(result, 4, f"article '{doc.id}' does not match its span")
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(("content", "fragment"), [
    ("{not json", "line 1: Invalid JSON: key must be a string"),
    ('{"schema_version": "1.0"}', "not a stored result (document: Field required)"),
    ("[1, 2]", "not a summary, an article set or JSON Lines"),
    ('{"a": 1}\n{"b": 2}\n', "line 1: "),
])
def test_render_rejects_what_is_no_stored_result(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["render", str(path)])
    assert_one_line_error(result, 4, str(path), fragment)


def test_render_of_a_missing_file_or_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["render", str(tmp_path / "none.json")])
    assert_one_line_error(result, 4, "no such file")
    path = stored(tmp_path, hostile_summary())
    result = CliRunner().invoke(app, ["render", str(path), "--articles", str(tmp_path / "no")])
    assert_one_line_error(result, 4, "--articles", "not a directory")
