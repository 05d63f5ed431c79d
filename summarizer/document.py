"""Articles as read: the raw text exactly as given, the text the model sees, and the map between.

The model-facing `view` drops what is not article prose (Markdown link targets, emphasis markers,
the `Original url:` footer) so the model quotes plain words; `view_to_raw` maps every view character
back to its raw offset, so every span we emit points into the raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.errors import InputError

_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(?P<title>[^\r\n]+?)[ \t]*\r?$", re.MULTILINE)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_DATE_LINE = re.compile(
    rf"^[ \t]*(?P<date>(?:{_MONTHS})[ \t]+\d{{1,2}},[ \t]*\d{{4}})[ \t]*\r?$", re.MULTILINE
)
_DATE_TOKEN = re.compile(r"\A\s*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})\b")
_URL_FOOTER = re.compile(
    r"^[ \t]*Original url:[ \t]*\s*<?(?P<url>https?://[^\s>]+)>?[ \t]*\s*\Z", re.MULTILINE
)


@dataclass(frozen=True)
class Located:
    """A piece of metadata found in the raw text, with its offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    id: str
    raw: str
    path: str | None = None
    view: str = field(init=False)
    view_to_raw: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        view, mapping = _model_view(self.raw)
        object.__setattr__(self, "view", view)
        object.__setattr__(self, "view_to_raw", mapping)

    def raw_range(self, view_start: int, view_end: int) -> tuple[int, int]:
        """The raw offsets covering view[view_start:view_end] (which must be non-empty)."""
        return self.view_to_raw[view_start], self.view_to_raw[view_end - 1] + 1

    @property
    def title(self) -> Located | None:
        match = _HEADING.search(self.raw)
        return Located(match["title"], match.start("title"), match.end("title")) if match else None

    @property
    def published(self) -> Located | None:
        match = _DATE_TOKEN.search(self.raw) or _DATE_LINE.search(self.raw, 0, 2000)
        return Located(match["date"], match.start("date"), match.end("date")) if match else None

    @property
    def url(self) -> Located | None:
        match = _URL_FOOTER.search(self.raw)
        return Located(match["url"], match.start("url"), match.end("url")) if match else None


def _model_view(raw: str) -> tuple[str, tuple[int, ...]]:
    """Strip link targets, emphasis markers and the URL footer, remembering raw offsets."""
    keep = [True] * len(raw)
    footer = _URL_FOOTER.search(raw)
    if footer:
        for i in range(footer.start(), len(raw)):
            keep[i] = False
    for match in _LINK.finditer(raw):
        for i in range(match.start(), match.end()):
            if not match.start(1) <= i < match.end(1):
                keep[i] = False
    for match in _EMPHASIS.finditer(raw):
        for i in (*range(match.start(1), match.end(1)), *range(match.end(2), match.end())):
            keep[i] = False
    mapping = tuple(i for i, kept in enumerate(keep) if kept)
    return "".join(raw[i] for i in mapping), mapping


def decode_article(data: bytes, name: str) -> str:
    """Bytes of one article to its raw text, or an InputError naming it."""
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not an article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    if not text.strip():
        raise InputError(f"{name}: empty article")
    return text


def read_article(path: Path) -> Document:
    """Read one article file exactly as given: no stripping, no newline translation."""
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, not an article file") from exc
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    return Document(id=path.stem, raw=decode_article(data, str(path)), path=str(path))
