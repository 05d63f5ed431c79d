"""Reading articles: metadata with offsets, the model view and its map back to the raw text."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.document import Document, Located, decode_article, read_article
from summarizer.errors import InputError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
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


def assert_view_maps_to_raw(doc: Document) -> None:
    assert len(doc.view) == len(doc.view_to_raw)
    assert all(doc.raw[r] == v for v, r in zip(doc.view, doc.view_to_raw, strict=True))
    assert list(doc.view_to_raw) == sorted(set(doc.view_to_raw))


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
    assert "\r" in doc.view
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
        (b"\xff\xfe\xfa", "UTF-8"),
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
