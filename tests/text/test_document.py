"""Reading articles: metadata with offsets, the model view and its map back to the raw text."""

from __future__ import annotations

import html
import time
from bisect import bisect_left
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.errors import ConfigurationError, InputError
from summarizer.text.document import (
    VIEW_PASSES,
    Document,
    Edit,
    Located,
    build_view,
    decode_article,
    metadata_overrides,
    read_article,
)
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"
URL_000 = (
    "https://www.themoscowtimes.com/2023/11/12/"
    "russia-begins-evacuating-citizens-from-gaza-strip-a83079"
)


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def assert_located(doc: Document, located: Located | None, text: str) -> None:
    assert located is not None
    assert located.text == text
    assert doc.raw[located.start:located.end] == text


_PLAIN_SPACES = ("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                 "\u202f\u205f\u3000")


def rendered(piece: str) -> str:
    """What a stretch of raw text that became one view character shows as."""
    if piece in ("\r", "\u2028", "\u2029"):
        return "\n"
    text = html.unescape(piece) if piece.startswith("&") else piece
    return " " if text in _PLAIN_SPACES else text


def assert_view_maps_to_raw(doc: Document) -> None:
    """Every view character maps to a raw stretch that shows as that character: the same
    character, or an entity / unusual space / line break that the view writes plainly. The map is
    strictly increasing and in bounds."""
    assert len(doc.view) == len(doc.view_to_raw)
    assert all(a < b for a, b in zip(doc.view_to_raw, doc.view_to_raw[1:], strict=False))
    assert all(0 <= r < len(doc.raw) for r in doc.view_to_raw)
    for i, char in enumerate(doc.view):
        start, end = doc.raw_range(i, i + 1)
        assert start == doc.view_to_raw[i]
        piece = doc.raw[start:end]
        assert piece == char or rendered(piece) == char, (i, char, piece)


def raw_of(doc: Document, quote: str, occurrence: int = 0) -> str:
    """The raw text of the view's `quote` (its n-th occurrence)."""
    at = -1
    for _ in range(occurrence + 1):
        at = doc.view.index(quote, at + 1)
    start, end = doc.raw_range(at, at + len(quote))
    return doc.raw[start:end]


# --- metadata on the seeds -------------------------------------------------------------------


def test_markdown_seed_metadata() -> None:
    doc = read_article(seed("000"))
    assert doc.id == seed("000").stem
    assert doc.path == str(seed("000"))
    assert_located(doc, doc.title, "Russia Begins Evacuating Citizens From Gaza Strip")
    assert_located(doc, doc.published, "November 12, 2023")
    assert_located(doc, doc.url, URL_000)


def test_plain_text_seed_has_no_metadata() -> None:
    doc = read_article(seed("001"))
    assert doc.title is None
    assert doc.published is None
    assert doc.url is None
    assert doc.raw.startswith("Russia has begun evacuating")


def test_date_token_seed_metadata() -> None:
    doc = read_article(seed("002"))
    assert doc.raw.startswith(" date 2023-11-14 ")
    assert_located(doc, doc.published, "2023-11-14")
    assert doc.published is not None and doc.published.start == 6
    assert doc.title is None
    assert doc.url is None


def test_read_article_keeps_bytes_exactly() -> None:
    for prefix in ("000", "001", "002"):
        path = seed(prefix)
        assert read_article(path).raw == path.read_bytes().decode("utf-8")


# --- the model view --------------------------------------------------------------------------


def test_view_drops_link_targets_emphasis_and_footer() -> None:
    doc = read_article(seed("000"))
    assert "](#)" not in doc.view
    assert "**" not in doc.view
    assert "Original url" not in doc.view
    assert "themoscowtimes" not in doc.view
    assert "according to a statement released by the Emergency Situations Ministry" in doc.view
    assert "Related article: First Russian Nationals Prepare to Evacuate Gaza" in doc.view
    assert "Abed Rahim Khatib / dpa" in doc.view
    # square brackets that are not a link stay as written
    assert "to people [crossing the border checkpoint], providing" in doc.view
    assert doc.view.rstrip().endswith("according to the Hamas-run Health Ministry in Gaza.")
    assert_view_maps_to_raw(doc)


def test_view_of_plain_text_is_raw() -> None:
    doc = read_article(seed("001"))
    assert doc.view == doc.raw
    assert doc.view_to_raw == tuple(range(len(doc.raw)))


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_view_to_raw_maps_every_char(prefix: str) -> None:
    assert_view_maps_to_raw(read_article(seed(prefix)))


def test_inline_markup_on_a_small_document() -> None:
    raw = "See [the report](https://x.example/a) and **this** and ![img](p.png) __too__.\n"
    doc = Document(id="m", raw=raw)
    assert doc.view == "See the report and this and img too.\n"
    assert_view_maps_to_raw(doc)


def test_raw_range_covers_link_markup() -> None:
    raw = "a [b](u) c"
    doc = Document(id="r", raw=raw)
    assert doc.view == "a b c"
    start, end = doc.raw_range(0, len(doc.view))
    assert (start, end) == (0, len(raw))
    assert doc.raw_range(2, 3) == (3, 4)


def test_crlf_input_keeps_raw_untouched(tmp_path: Path) -> None:
    raw = seed("000").read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = read_article(path)
    assert doc.raw == raw
    assert doc.raw.count("\r\n") == raw.count("\n")
    assert "\r" not in doc.view  # the model sees LF line ends ...
    assert doc.view == read_article(seed("000")).view
    assert all(doc.raw[doc.view_to_raw[i]] == "\n" for i, c in enumerate(doc.view) if c == "\n")
    assert_view_maps_to_raw(doc)
    assert_located(doc, doc.title, "Russia Begins Evacuating Citizens From Gaza Strip")
    assert_located(doc, doc.published, "November 12, 2023")
    assert_located(doc, doc.url, URL_000)
    assert "Original url" not in doc.view


# --- decoding and reading errors -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "empty"),
        (b"text\x00with a NUL", "binary"),
        (b"caf\xe9 au lait", "UTF-8"),
        (b"\xff\xfe\xfa", "UTF-16"),  # a UTF-16 BOM, then an odd byte
    ],
)
def test_decode_article_rejects_non_articles(data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        decode_article(data, "some/article.txt")
    message = str(info.value)
    assert "some/article.txt" in message
    assert fragment in message


def test_decode_article_reports_bad_byte_offset() -> None:
    with pytest.raises(InputError, match=r"offset 3"):
        decode_article(b"caf\xe9", "x.txt")


def test_decode_article_returns_text_unchanged() -> None:
    assert decode_article(" a\r\nb\u2019".encode(), "x") == " a\r\nb\u2019"


def test_read_article_on_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_article(tmp_path)
    assert str(tmp_path) in str(info.value)
    assert "directory" in str(info.value)


def test_read_article_on_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError) as info:
        read_article(missing)
    assert str(missing) in str(info.value)
    assert "no such file" in str(info.value)


def test_read_article_on_binary_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError, match=r"blob\.bin: looks like a binary file"):
        read_article(path)


# --- the view, construct by construct ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "view"),
    [
        ("# Title\n\ntext", "Title\n\ntext"),
        ("### Sub heading ###\ntext", "Sub heading\ntext"),
        ("#\n#hashtag and #1 stay", "\n#hashtag and #1 stay"),
        ("**bold** and __strong__", "bold and strong"),
        ("*em* and _em_, *a*", "em and em, a"),
        ("***both*** and **[link](u)**", "both and link"),
        ("snake_case_name and file_v2_final stay", "snake_case_name and file_v2_final stay"),
        ("2*3*4 = 24, a * b * c, 5 ** 2", "2*3*4 = 24, a * b * c, 5 ** 2"),
        ("** not bold ** and _ not em _", "** not bold ** and _ not em _"),
        ("* bullet\n- dash\n+ plus\n1. one\n22) two\n\u2022 dot", "bullet\ndash\nplus\none\ntwo\ndot"),
        ("  - indented item", "indented item"),
        ("-5 degrees\n2023 was\n1,200 people", "-5 degrees\n2023 was\n1,200 people"),
        ("> quoted\n> > nested\n>plain", "quoted\nnested\nplain"),
        ("> - quoted item", "quoted item"),
        ('[text](http://a.b/c_(d) "T") end', "text end"),
        ("[two\nlines](#) and [empty](<a b>)", "two\nlines and empty"),
        ("![alt text](p.png) ![](q.png)x", "alt text x"),
        ("[a][1] and [b][]\n\n[1]: https://x.y/z", "a and b\n\n"),
        ("see <https://a.b/c> now", "see https://a.b/c now"),
        ("~~gone~~ kept", "gone kept"),
        ("\\*not em\\* and \\[not a link\\](x)", "*not em* and [not a link](x)"),
        ("---\ntext\n* * *\n", "\ntext\n\n"),
        ("Title\n=====\nBody", "Title\n\nBody"),
        ("to people [crossing the border], providing", "to people [crossing the border], providing"),
        ("AT&T, &bogus; and R&D;", "AT&T, &bogus; and R&D;"),
        ("a &lt;b&gt; &amp;amp;", "a <b> &amp;"),
    ],
)
def test_view_of_markup(raw: str, view: str) -> None:
    doc = Document(id="m", raw=raw)
    assert doc.view == view
    assert_view_maps_to_raw(doc)


def test_url_lines_are_dropped_from_the_view() -> None:
    raw = ("Body text.\n\nSource: https://a.example/one\nSource: Reuters\n"
           "URL:\n<https://b.example/two>\n\nOriginal url:\n\n<https://c.example/three>\n")
    doc = Document(id="u", raw=raw)
    assert doc.view == "Body text.\n\n\nSource: Reuters\n\n\n\n"
    assert_view_maps_to_raw(doc)


def test_leading_date_token_is_not_in_the_view() -> None:
    doc = read_article(seed("002"))
    assert doc.view.startswith("The next group with Russians")
    assert "2023-11-14" not in doc.view
    assert doc.view_to_raw[0] == doc.raw.index("The next group")


def test_bom_is_not_in_the_view() -> None:
    doc = Document(id="b", raw="\ufeff# Title\nBody")
    assert doc.view == "Title\nBody"
    assert doc.view_to_raw[0] == 3
    assert_located(doc, doc.title, "Title")
    assert doc.title is not None and doc.title.start == 3


def test_invisible_characters_are_dropped_inside_words() -> None:
    doc = Document(id="i", raw="evac\u00aduation of zero\u200bwidth")
    assert doc.view == "evacuation of zerowidth"
    assert raw_of(doc, "evacuation") == "evac\u00aduation"
    assert_view_maps_to_raw(doc)


def test_unusual_spaces_become_plain_spaces() -> None:
    raw = "a\u00a0b\u202fc\u2009d\u3000e\u2007f"
    doc = Document(id="s", raw=raw)
    assert doc.view == "a b c d e f"
    assert doc.view_to_raw == tuple(range(len(raw)))
    assert raw_of(doc, "b c") == "b\u202fc"
    assert_view_maps_to_raw(doc)


def test_line_breaks_become_lf_and_map_to_raw() -> None:
    raw = "a\r\nb\rc\u2028d\n"
    doc = Document(id="n", raw=raw)
    assert doc.view == "a\nb\nc\nd\n"
    assert doc.view_to_raw == (0, 2, 3, 4, 5, 6, 7, 8)
    assert raw_of(doc, "a\nb") == "a\r\nb"
    assert raw_of(doc, "b\nc") == "b\rc"
    assert_view_maps_to_raw(doc)


@pytest.mark.parametrize(
    ("entity", "char"),
    [("&amp;", "&"), ("&nbsp;", " "), ("&#8217;", "\u2019"), ("&quot;", '"'), ("&#x2014;", "\u2014"),
     ("&eacute;", "\u00e9"), ("&#160;", " "), ("&hellip;", "\u2026")],
)
def test_entity_shows_as_its_character_and_maps_to_the_whole_entity(entity: str, char: str) -> None:
    raw = f"x{entity}y z"
    doc = Document(id="e", raw=raw)
    assert doc.view == f"x{char}y z"
    assert doc.view_to_raw[1] == 1  # the entity's start
    assert doc.raw_range(1, 2) == (1, 1 + len(entity))
    assert raw_of(doc, f"x{char}y") == f"x{entity}y"
    assert_view_maps_to_raw(doc)


def test_entities_and_markup_together() -> None:
    raw = "**Caf&eacute;&nbsp;owner** said &#8220;no&#8221;"
    doc = Document(id="e", raw=raw)
    assert doc.view == "Caf\u00e9 owner said \u201cno\u201d"
    assert raw_of(doc, "Caf\u00e9 owner said") == "**Caf&eacute;&nbsp;owner** said"
    assert raw_of(doc, "\u201cno\u201d") == "&#8220;no&#8221;"
    assert_view_maps_to_raw(doc)


# --- raw ranges take in whole markup pairs --------------------------------------------------


def test_raw_range_balances_emphasis() -> None:
    doc = Document(id="b", raw="and **this** too")
    assert raw_of(doc, "this") == "this"
    assert raw_of(doc, "and this") == "and **this**"
    assert raw_of(doc, "this too") == "**this** too"
    assert raw_of(doc, "and this too") == "and **this** too"


def test_raw_range_balances_links_and_nesting() -> None:
    doc = Document(id="l", raw="a [b c](http://u.v/w) d and x **[e](u)** y")
    assert doc.view == "a b c d and x e y"
    assert raw_of(doc, "b c") == "b c"
    assert raw_of(doc, "b c d") == "[b c](http://u.v/w) d"
    assert raw_of(doc, "a b c") == "a [b c](http://u.v/w)"
    assert raw_of(doc, "x e") == "x **[e](u)**"
    assert raw_of(doc, "e y") == "**[e](u)** y"
    # a stretch that starts inside the link text cannot take in the opening bracket
    assert raw_of(doc, "c d") == "c](http://u.v/w) d"


def test_raw_range_on_the_markdown_seed() -> None:
    doc = read_article(seed("000"))
    assert raw_of(doc, "Abed Rahim Khatib / dpa") == "Abed Rahim Khatib / dpa"
    assert raw_of(doc, "Rafah. Abed Rahim Khatib / dpa") == "Rafah. **Abed Rahim Khatib / dpa**"
    assert (raw_of(doc, "Related article: First Russian Nationals")
            == "**Related article:** [First Russian Nationals")
    assert raw_of(doc, "a statement released") == "a [statement](#) released"
    assert raw_of(doc, "Russia Begins Evacuating") == "Russia Begins Evacuating"  # no "# "


def test_raw_range_rejects_empty_and_out_of_bounds_ranges() -> None:
    doc = Document(id="r", raw="abc")
    for bad in ((1, 1), (2, 1), (-1, 2), (0, 4)):
        with pytest.raises(ValueError, match="no view range"):
            doc.raw_range(*bad)


# --- the pass pipeline ------------------------------------------------------------------------


def test_passes_compose_and_extend() -> None:
    def shout(text: str) -> list[Edit]:  # an extra pass: "!!" -> "!"
        return [Edit(i, i + 1) for i in range(len(text) - 1) if text[i:i + 2] == "!!"][:1]

    built = build_view("**wow!!** &amp; more", (*VIEW_PASSES, shout))
    assert built.text == "wow! & more"
    assert built.starts == (2, 3, 4, 6, 9, 10, 15, 16, 17, 18, 19)
    assert built.ends[5] == 15  # "&" covers "&amp;"


@pytest.mark.parametrize("edits", [[Edit(0, 2), Edit(1, 3)], [Edit(1, 1)], [Edit(0, 3, "xy")]])
def test_bad_edits_are_refused(edits: list[Edit]) -> None:
    with pytest.raises(ValueError, match="view pass proposed"):
        build_view("abcdef", (lambda _: edits,))


def test_large_document_view_is_fast() -> None:
    body = seed("000").read_text(encoding="utf-8").split("Original url")[0]
    raw = (body.replace("\n", "\r\n") + " caf&eacute;&nbsp;x \u00a0") * 40  # ~100k characters
    started = time.perf_counter()
    doc = Document(id="big", raw=raw)
    elapsed = time.perf_counter() - started
    assert len(raw) > 95_000
    assert elapsed < 1.0, f"{elapsed:.3f} s for {len(raw)} characters"
    assert_view_maps_to_raw(doc)


# --- metadata found in the text ----------------------------------------------------------------


def test_title_from_a_heading_with_markup() -> None:
    doc = Document(id="t", raw="Intro line here\n\n# **Big** news &amp; more #\n\nBody.")
    assert doc.title is not None
    assert doc.title.value == "Big news & more"
    assert_located(doc, doc.title, "**Big** news &amp; more")


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Gaza Evacuation Begins Today\n\nBody text.", "Gaza Evacuation Begins Today"),
        ("\ufeff  Russia Starts Evacuations  \r\n\r\nBody.", "Russia Starts Evacuations"),
        ("## Section heading words\n\nBody.", "Section heading words"),
        ("Will the talks succeed?\nBody.", "Will the talks succeed?"),
        ("A sentence that ends with a period.\nMore.", None),
        ("Only One Line Of Text", None),
        ("By John Smith and Jane Doe\n\nBody.", None),
        ("November 12, 2023\n\nBody.", None),
        ("Breaking\n\nBody.", None),
        (" ".join(["word"] * 30) + "\nBody.", None),
    ],
)
def test_title_from_the_first_line(raw: str, title: str | None) -> None:
    doc = Document(id="t", raw=raw)
    if title is None:
        assert doc.title is None
    else:
        assert_located(doc, doc.title, title)
        assert doc.title is not None and doc.title.value == title


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("November 12, 2023", "November 12, 2023"),
        ("12 November 2023", "12 November 2023"),
        ("2023-11-12", "2023-11-12"),
        ("Nov. 12, 2023", "Nov. 12, 2023"),
        ("Sunday, November 12, 2023", "November 12, 2023"),
        ("November 12, 2023 10:30 AM GMT", "November 12, 2023"),
        ("Published: 12 November 2023", "12 November 2023"),
        ("Posted on Nov 12, 2023 at 14:05", "Nov 12, 2023"),
        ("**Published:** November&nbsp;12, 2023", "November 12, 2023"),
    ],
)
def test_publication_date_lines(line: str, expected: str) -> None:
    doc = Document(id="d", raw=f"# A Title For It\n\n{line}\r\n\r\nBody text on November 13, 2023.")
    assert doc.published is not None
    assert doc.published.value == expected
    assert doc.raw[doc.published.start:doc.published.end] == doc.published.text


@pytest.mark.parametrize(
    "raw",
    [
        "On November 12, 2023 the ministry said so.",
        "Body.\n" + "x " * 1200 + "\nNovember 12, 2023\n",  # an unlabeled date line far down
    ],
)
def test_dates_in_prose_are_not_publication_dates(raw: str) -> None:
    assert Document(id="d", raw=raw).published is None


def test_labeled_date_anywhere_and_date_token_first() -> None:
    doc = Document(id="d", raw="Body.\n" + "x " * 1200 + "\nPublished: November 12, 2023\n")
    assert_located(doc, doc.published, "November 12, 2023")
    doc = Document(id="d", raw="\ufeffDate: 2023-11-14\nNovember 12, 2023\nBody.")
    assert_located(doc, doc.published, "2023-11-14")
    assert doc.view == "November 12, 2023\nBody."


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("Body.\n\nSource: https://a.example/x?y=1", "https://a.example/x?y=1"),
        ("Body.\r\n\r\nURL:\r\n<https://b.example/p>\r\n", "https://b.example/p"),
        ("Source url: https://s.example/a\nBody.\nOriginal url:\n\n<https://o.example/b>",
         "https://o.example/b"),
        ("Body.\nSource: Reuters\n", None),
        ("See https://x.example/inline for more.", None),
    ],
)
def test_source_url(raw: str, url: str | None) -> None:
    doc = Document(id="u", raw=raw)
    if url is None:
        assert doc.url is None
    else:
        assert_located(doc, doc.url, url)
        assert url not in doc.view


# --- metadata overrides ------------------------------------------------------------------------


def test_metadata_overrides_validate() -> None:
    given = metadata_overrides(title=" A Title ", published="2023-11-20", url="https://x.example")
    assert (given.title, given.published, given.url) == ("A Title", date(2023, 11, 20),
                                                          "https://x.example")
    assert metadata_overrides(published=date(2023, 1, 2)).published == date(2023, 1, 2)
    assert metadata_overrides(published=datetime(2023, 1, 2, 15, 0)).published == date(2023, 1, 2)
    assert metadata_overrides() == metadata_overrides(title=None, published=None, url=None)


@pytest.mark.parametrize("bad", ["12/11/2023", "2023-02-30", "20231112", "2023-W46-1", "", "soon"])
def test_published_override_must_be_an_iso_date(bad: str) -> None:
    with pytest.raises(ConfigurationError, match=r"published must be an ISO date \(YYYY-MM-DD\)"):
        metadata_overrides(published=bad)


@pytest.mark.parametrize("field", ["title", "url"])
def test_blank_overrides_are_refused(field: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{field} must not be empty"):
        metadata_overrides(**{field: "  "})


def test_source_document_takes_overrides_without_spans() -> None:
    from summarizer.extract.pipeline import source_document

    doc = read_article(seed("000"))
    found = source_document(doc)
    assert found.title == "Russia Begins Evacuating Citizens From Gaza Strip"
    assert found.published == "2023-11-12"
    assert found.url == URL_000
    for span in (found.title_span, found.published_span, found.url_span):
        assert span is not None and doc.raw[span.start:span.end] == span.text

    given = source_document(doc, metadata_overrides(published="2023-11-20"))
    assert given.published == "2023-11-20" and given.published_span is None
    assert given.title_span == found.title_span and given.url_span == found.url_span

    given = source_document(doc, metadata_overrides(title="T", url="https://x.example"))
    assert (given.title, given.url, given.title_span, given.url_span) == (
        "T", "https://x.example", None, None)
    assert given.published_span == found.published_span

    # what the article itself says, given again, keeps its span
    same = source_document(doc, metadata_overrides(
        title="Russia Begins Evacuating Citizens From Gaza Strip", published="2023-11-12",
        url=URL_000))
    assert (same.title_span, same.published_span, same.url_span) == (
        found.title_span, found.published_span, found.url_span)


# --- properties --------------------------------------------------------------------------------

_PIECES = (
    "**", "__", "*", "_", "~~", "[", "]", "](https://e.x/a_b)", "](#)", "![", "(", ")", "<", ">",
    "<https://e.x/p>", "# ", "## ", " #", "- ", "* ", "1. ", "> ", "\\", "`", "\n", "\r\n", "\r",
    "\n\n", "\ufeff", "\u00ad", "\u200b", "&amp;", "&nbsp;", "&#8217;", "&quot;", "&#x2014;",
    "&#13;", "&bogus;", "&", ";", "#", "\u00a0", "\u202f", "\u2009", "\u3000", "\u2028",
    "Original url: https://a.b/c", "Source: https://s.t/u", "date 2023-11-14 ", "November 12, 2023",
    "---", "===", " ", "\t",
)
_WORDS = st.text(st.characters(exclude_categories=["Cs"]), max_size=5)
_DOCUMENTS = st.lists(st.one_of(st.sampled_from(_PIECES), _WORDS), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(raw=_DOCUMENTS)
def test_view_maps_every_character_back(raw: str) -> None:
    doc = Document(id="p", raw=raw)
    assert_view_maps_to_raw(doc)
    for found in (doc.title, doc.published, doc.url):
        if found is not None:
            assert doc.raw[found.start:found.end] == found.text


@settings(max_examples=300, deadline=None)
@given(data=st.data(), raw=_DOCUMENTS)
def test_raw_range_of_a_view_slice_shows_exactly_that_slice(data: st.DataObject, raw: str) -> None:
    doc = Document(id="p", raw=raw)
    if not doc.view:
        return
    i = data.draw(st.integers(0, len(doc.view) - 1))
    j = data.draw(st.integers(i + 1, len(doc.view)))
    start, end = doc.raw_range(i, j)
    assert 0 <= start <= doc.view_to_raw[i] and doc.raw_range(j - 1, j)[1] <= end <= len(raw)
    # the view characters whose raw text lies in [start, end) are exactly view[i:j]: what the span
    # takes in beyond them is dropped markup, never another visible character
    assert bisect_left(doc.view_to_raw, start) == i
    assert bisect_left(doc.view_to_raw, end) == j
    visible = "".join(rendered(doc.raw[a:b]) for a, b in (doc.raw_range(k, k + 1) for k in range(i, j)))
    assert visible == doc.view[i:j]


def test_readable_drops_markup_and_decodes_entities() -> None:
    from summarizer.text.document import Document

    raw = "It said, according to a [statement](#), that **aid** &amp; food arrived."
    doc = Document(id="r", raw=raw)
    assert doc.readable(0, len(raw)) == "It said, according to a statement, that aid & food arrived."
    start = raw.index("a [statement]")
    assert doc.readable(start, raw.index(", that")) == "a statement"
