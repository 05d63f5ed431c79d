"""Articles as read: the raw text exactly as given, the text the model sees, and the map between.

The model-facing `view` is built by a small pipeline of passes (`VIEW_PASSES`). Each pass reads the
current view and proposes `Edit`s: delete a stretch, or substitute characters for it (a CRLF's CR
dropped, `&amp;` made `&`, a no-break space made a space). Markup that wraps kept text (`**bold**`,
`[text](url)`) is proposed as a `Pair` of edits, so a span that takes in all of the wrapped text
and crosses one marker takes in the other too: `raw_range` gives `[text](url) more` and
`**bold** more`, never `text](url) more` or `bold** more`.

Every view character keeps the raw range it came from (`view_to_raw` holds the starts, strictly
increasing), so every span we emit points into the raw text, whatever the view dropped: the
`Original url:` footer, link targets, emphasis markers, heading and list markers, a leading BOM.
"""

from __future__ import annotations

import codecs
import html
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from summarizer.errors import ConfigurationError, InputError
from summarizer.normalize.lexicon import MONTH_NUMBERS, WEEKDAYS, alternation

# --- the view: passes over the text ---------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Replace view[start:end] with `text`: "" deletes; one character, or as many characters as
    it replaces, substitutes (each maps back to the raw text of what it replaced)."""

    start: int
    end: int
    text: str = ""


Pair = tuple[Edit, Edit]  # deleted markers around kept text: an opening and a closing one
ViewPass = Callable[[str], Iterable[Edit | Pair]]


def _matches(pattern: re.Pattern[str], text: str, triggers: str | tuple[str, ...]) -> Iterator[re.Match[str]]:
    """The pattern's matches; none without a regex scan when no trigger occurs in the text."""
    if isinstance(triggers, str):
        triggers = (triggers,) if triggers else ()
    if not triggers or any(trigger in text for trigger in triggers):
        yield from pattern.finditer(text)


def _markers(pattern: re.Pattern[str], triggers: str | tuple[str, ...] = "") -> ViewPass:
    """Delete the `open` and `close` groups of each match (or `u_open` and `u_close`, an
    alternative's) as a Pair around the text between; with nothing between, the whole match."""

    def run(text: str) -> Iterator[Edit | Pair]:
        for m in _matches(pattern, text, triggers):
            o, c = ("open", "close") if m.start("open") >= 0 else ("u_open", "u_close")
            if m.end(o) < m.start(c):
                yield Edit(m.start(o), m.end(o)), Edit(m.start(c), m.end(c))
            else:
                yield Edit(m.start(), m.end())

    return run


def _deletions(pattern: re.Pattern[str], triggers: str | tuple[str, ...] = "") -> ViewPass:
    """Delete each match's `drop` group (the whole match if it has none)."""
    group = "drop" if "drop" in pattern.groupindex else 0

    def run(text: str) -> Iterator[Edit]:
        for m in _matches(pattern, text, triggers):
            if m.start(group) < m.end(group):
                yield Edit(m.start(group), m.end(group))

    return run


def _substitutions(pattern: re.Pattern[str], replace: Callable[[str], str],
                   triggers: str | tuple[str, ...] = "") -> ViewPass:
    """Replace each match by `replace(match)`, when that is one character and not the same."""

    def run(text: str) -> Iterator[Edit]:
        for m in _matches(pattern, text, triggers):
            new = replace(m[0])
            if new != m[0] and len(new) == 1:
                yield Edit(m.start(), m.end(), new)

    return run


def _line_breaks(text: str) -> Iterator[Edit]:
    """CRLF -> LF (the CR dropped, so the LF maps to itself); a lone CR or U+2028/9 -> LF."""
    for m in _matches(_LINE_BREAK, text, tuple(_LINE_BREAK_CHARS)):
        yield Edit(m.start(), m.start() + 1) if m[0] == "\r\n" else Edit(m.start(), m.end(), "\n")


_LABELS = r"original[ \t]+url|source[ \t]+url|canonical[ \t]+url|source|url|link"
_URL_LINE = re.compile(  # also matches raw text with CRLF line ends
    rf"^[ \t]*(?P<label>{_LABELS})[ \t]*:[ \t]*(?:\r?\n[ \t\r\n]*)?"
    r"<?(?P<url>https?://[^\s<>]+)>?[ \t]*\r?$", re.MULTILINE | re.IGNORECASE,
)
_DATE_TOKEN = re.compile(r"\A[\ufeff\s]*date:?[ \t]+(?P<date>\d{4}-\d{2}-\d{2})\b\s*", re.IGNORECASE)
_LINE_BREAK_CHARS = "\r\u2028\u2029"
_LINE_BREAK = re.compile("\r\n?|[\u2028\u2029]")
_INVISIBLE_CHARS = "\ufeff\u200b\u2060\u00ad"  # BOM, zero-width space, word joiner, soft hyphen
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")
_SPACE_CHARS = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_SPACE = re.compile(f"[{_SPACE_CHARS}]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!<>~|])")
_RULE = re.compile(r"^[ \t]*([-*_=])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)  # --- *** ===
_QUOTE = r"(?:[ \t]*>[ \t]?)"
_LINE_PREFIX = re.compile(  # heading, list and blockquote markers (with the indent before them)
    rf"^(?:{_QUOTE}*[ \t]*(?:#{{1,6}}(?:[ \t]+|$)|(?:[-*+\u2022]|\d{{1,3}}[.)])[ \t]+)|{_QUOTE}+)",
    re.MULTILINE,
)
_HEADING_CLOSE = re.compile(rf"^{_QUOTE}*[ \t]*#{{1,6}}[ \t]+[^\n]*?(?P<drop>[ \t]+#+)[ \t]*$",
                            re.MULTILINE)
_LINK_TARGET = (r"\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"  # (url), (<url>), (a_(b))
                r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)")  # and an optional "title"
_IMAGE = re.compile(rf"(?P<open>!\[)(?<!\\!\[)[^\[\]\n]*(?P<close>\]{_LINK_TARGET})")
_LINK = re.compile(rf"(?P<open>\[)(?<!\\\[)(?:[^\[\]\n]|\n(?!\n))*"
                   rf"(?P<close>\](?:{_LINK_TARGET}|\[[^\[\]\n]*\]))")
_LINK_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*(?:https?://|/|#|<)[^\n]*$", re.MULTILINE)
_AUTOLINK = re.compile(r"(?P<open><)(?:https?|ftp)://[^\s<>]+(?P<close>>)")
_STRONG = re.compile(r"(?=[*_])(?:(?P<open>\*\*)(?<![\\*]\*\*)(?=\S)[^\n]*?[^\s\\](?P<close>\*\*)"
                     r"|(?P<u_open>__)(?<![\\\w]__)(?=\S)[^\n]*?[^\s\\](?P<u_close>__)(?!\w))")
_EMPHASIS = re.compile(r"(?=[*_])(?:(?P<open>\*)(?<![\\\w*]\*)(?=[^\s*])[^\n*]*?[^\s*\\]"
                       r"(?P<close>\*)(?![\w*])"
                       r"|(?P<u_open>_)(?<![\\\w]_)(?=[^\s_])[^\n_]*?[^\s_\\](?P<u_close>_)(?!\w))")
_STRIKE = re.compile(r"(?P<open>~~)(?<![\\~]~~)(?=\S)[^\n]*?[^\s\\](?P<close>~~)")


# In order: each pass sees the view the passes before it left.
VIEW_PASSES: tuple[ViewPass, ...] = (
    _deletions(_INVISIBLE, tuple(_INVISIBLE_CHARS)),
    _line_breaks,
    _deletions(_DATE_TOKEN),  # the scraper's leading `date 2023-11-14` (metadata, not prose)
    _deletions(_URL_LINE, "://"),  # `Original url: <...>` and the like
    _deletions(_LINK_DEFINITION, "]:"),
    _deletions(_RULE),
    _deletions(_HEADING_CLOSE, "#"),
    _deletions(_LINE_PREFIX),
    _markers(_IMAGE, "!["),  # ![alt](src) -> alt
    _markers(_LINK, ("](", "][")),  # [text](url), [text][ref] -> text
    _markers(_AUTOLINK, "<"),  # <https://...> -> https://...
    _markers(_STRONG, ("**", "__")),
    _markers(_EMPHASIS, ("*", "_")),
    _markers(_STRIKE, "~~"),
    _deletions(_ESCAPE, "\\"),  # \* -> * (the markup passes skip escaped markers)
    _substitutions(_ENTITY, html.unescape, "&"),
    _substitutions(_SPACE, lambda _: " ", tuple(_SPACE_CHARS)),
)


@dataclass(frozen=True)
class View:
    text: str
    starts: tuple[int, ...]  # raw start of each view character (strictly increasing)
    ends: tuple[int, ...]  # raw end of each view character
    opened: dict[int, tuple[tuple[int, int], ...]]  # content view start -> (content view end, raw open)
    closed: dict[int, tuple[tuple[int, int], ...]]  # content view end -> (content view start, raw close)


def build_view(raw: str, passes: Iterable[ViewPass] = VIEW_PASSES) -> View:
    text: str = raw
    starts: Sequence[int] = range(len(raw))
    ends: Sequence[int] = range(1, len(raw) + 1)
    groups: list[tuple[int, int, int, int]] = []  # raw: opener start, opener end, closer start, end
    for view_pass in passes:
        text, starts, ends = _apply(text, starts, ends, view_pass(text), groups)
    opened: dict[int, list[tuple[int, int]]] = {}
    closed: dict[int, list[tuple[int, int]]] = {}
    for open_start, open_end, close_start, close_end in groups:
        first, stop = bisect_left(starts, open_end), bisect_left(starts, close_start)
        if first < stop:
            opened.setdefault(first, []).append((stop, open_start))
            closed.setdefault(stop, []).append((first, close_end))
    return View(text, tuple(starts), tuple(ends), {k: tuple(v) for k, v in opened.items()},
                 {k: tuple(v) for k, v in closed.items()})


def _apply(text: str, starts: Sequence[int], ends: Sequence[int], found: Iterable[Edit | Pair],
           groups: list[tuple[int, int, int, int]]) -> tuple[str, Sequence[int], Sequence[int]]:
    """One pass's edits applied to the text and both maps, slice by slice (no per-char Python)."""
    edits: list[Edit] = []
    for item in found:
        if isinstance(item, Edit):
            edits.append(item)
        else:
            opener, closer = item
            edits += (opener, closer)
            groups.append((starts[opener.start], ends[opener.end - 1], starts[closer.start],
                           ends[closer.end - 1]))
    if not edits:
        return text, starts, ends
    edits.sort(key=lambda e: e.start)
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    at = 0
    for edit in edits:
        if edit.start < at or edit.end <= edit.start:
            raise ValueError(f"view pass proposed an empty or overlapping edit: {edit}")
        pieces.append(text[at:edit.start])
        new_starts += starts[at:edit.start]
        new_ends += ends[at:edit.start]
        if len(edit.text) == edit.end - edit.start:
            new_starts += starts[edit.start:edit.end]
            new_ends += ends[edit.start:edit.end]
        elif len(edit.text) == 1:
            new_starts.append(starts[edit.start])
            new_ends.append(ends[edit.end - 1])
        elif edit.text:
            raise ValueError(f"view pass proposed an unmappable substitution: {edit}")
        pieces.append(edit.text)
        at = edit.end
    pieces.append(text[at:])
    new_starts += starts[at:]
    new_ends += ends[at:]
    return "".join(pieces), new_starts, new_ends


# --- documents and their metadata ----------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """A piece of metadata found in the article: `text` is raw[start:end]; `value` is the same
    stretch as the model-facing view shows it (markup dropped, entities decoded)."""

    text: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Metadata:
    """Metadata given by the caller (CLI flags, library arguments); it wins over what the article
    says and has no span, since it is not in the text."""

    title: str | None = None
    published: date | None = None
    url: str | None = None


def metadata_overrides(*, title: str | None = None, published: date | str | None = None,
                       url: str | None = None) -> Metadata:
    """Validated overrides: `published` must be an ISO date (YYYY-MM-DD); none may be blank."""
    for name, value in (("title", title), ("url", url)):
        if value is not None and not value.strip():
            raise ConfigurationError(f"{name} must not be empty")
    if isinstance(published, datetime):
        published = published.date()
    elif isinstance(published, str):
        text = published.strip()
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            published = date.fromisoformat(text)
        except ValueError:
            raise ConfigurationError(
                f"published must be an ISO date (YYYY-MM-DD), not {published!r}") from None
    return Metadata(title.strip() if title else None, published, url.strip() if url else None)


_MONTH = rf"(?:{alternation(MONTH_NUMBERS)})\.?"
_DATE = (rf"(?P<date>{_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MONTH},?[ \t]+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})")
_TIME = r"(?:[ \t,]+(?:at[ \t]+)?\d{1,2}[:.]\d{2}\b[^\n]{0,24})?"
_WEEKDAY = rf"(?:(?:{'|'.join(WEEKDAYS)}),?[ \t]+)?"
_LABELED_DATE = re.compile(rf"^[ \t]*(?:first[ \t]+)?(?:published|posted|date)(?:[ \t]+on)?[ \t]*:?"
                           rf"[ \t]*{_WEEKDAY}{_DATE}{_TIME}[ \t]*$", re.MULTILINE | re.IGNORECASE)
_DATE_LINE = re.compile(rf"^[ \t]*{_WEEKDAY}{_DATE}{_TIME}[ \t]*$", re.MULTILINE | re.IGNORECASE)
_HEADING = re.compile(rf"^\ufeff?{_QUOTE}*[ \t]*#[ \t]+(?P<title>[^\r\n]*?)(?:[ \t]+#+)?[ \t]*\r?$",
                      re.MULTILINE)
_LINE = re.compile(r"^[ \t]*(?P<line>\S[^\n]*?)[ \t]*$", re.MULTILINE)
_HEAD = 2000  # view characters searched for an unlabeled date line


@dataclass(frozen=True)
class Document:
    id: str
    raw: str
    path: str | None = None
    view: str = field(init=False)
    view_to_raw: tuple[int, ...] = field(init=False, repr=False)
    _view: View = field(init=False, repr=False, compare=False)
    # what `text.alignment.align` found for each (quote, near) in this document: the model's
    # answer is validated (aligned) and then grounded (aligned again) against the same document
    aligned: dict[tuple[str, int | None], object] = field(
        init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        built = build_view(self.raw)
        object.__setattr__(self, "view", built.text)
        object.__setattr__(self, "view_to_raw", built.starts)
        object.__setattr__(self, "_view", built)

    def raw_range(self, view_start: int, view_end: int) -> tuple[int, int]:
        """The raw offsets covering view[view_start:view_end] (which must be non-empty).

        Dropped markup inside the stretch is included; markup before or after it is not, unless
        the stretch holds one marker of a pair (the end of `[text](url)`, say): then it also
        takes the other, so the raw text is balanced."""
        if not 0 <= view_start < view_end <= len(self.view):
            raise ValueError(f"no view range [{view_start}, {view_end}) in {len(self.view)} chars")
        built = self._view
        start, end = built.starts[view_start], built.ends[view_end - 1]
        for content_end, open_start in built.opened.get(view_start, ()):
            if view_end > content_end:
                start = min(start, open_start)
        for content_start, close_end in built.closed.get(view_end, ()):
            if view_start < content_start:
                end = max(end, close_end)
        return start, end

    def _located(self, raw_start: int, raw_end: int) -> Located | None:
        """The view text of raw[raw_start:raw_end], trimmed, with its balanced raw range."""
        first, stop = bisect_left(self.view_to_raw, raw_start), bisect_left(self.view_to_raw, raw_end)
        value = self.view[first:stop]
        first += len(value) - len(value.lstrip())
        stop -= len(value) - len(value.rstrip())
        if first >= stop:
            return None
        start, end = self.raw_range(first, stop)
        return Located(self.raw[start:end], start, end, self.view[first:stop])

    def readable(self, raw_start: int, raw_end: int) -> str:
        """raw[raw_start:raw_end] as a reader reads it: markup dropped ("a [statement](#)" reads
        "a statement", "**dpa**" reads "dpa"), entities decoded, ends trimmed."""
        located = self._located(raw_start, raw_end)
        return located.value if located else ""

    def _located_in_view(self, match: re.Match[str] | None, group: str) -> Located | None:
        if match is None:
            return None
        start, end = self.raw_range(match.start(group), match.end(group))
        return Located(self.raw[start:end], start, end, match[group])

    @cached_property
    def title(self) -> Located | None:
        """The first `#` heading; else the first line, if it reads like a title."""
        if heading := _HEADING.search(self.raw):
            return self._located(heading.start("title"), heading.end("title"))
        first = _LINE.search(self.view)
        if first is None or _LINE.search(self.view, first.end()) is None:
            return None
        line, words = first["line"], first["line"].split()
        if (len(line) > 200 or not 3 <= len(words) <= 25 or line[-1] in ".,;:"
                or words[0].lower() == "by" or _DATE_LINE.fullmatch(line)):
            return None
        return self._located_in_view(first, "line")

    @cached_property
    def published(self) -> Located | None:
        """A leading `date YYYY-MM-DD` token, a `Published: ...` line, or a date line near the top."""
        if token := _DATE_TOKEN.search(self.raw):
            return Located(token["date"], token.start("date"), token.end("date"), token["date"])
        found = _LABELED_DATE.search(self.view) or _DATE_LINE.search(self.view, 0, _HEAD)
        return self._located_in_view(found, "date")

    @cached_property
    def url(self) -> Located | None:
        """The URL of an `Original url:` footer, else of a `Source:` / `URL:` line."""
        lines = list(_URL_LINE.finditer(self.raw))
        found = next((m for m in lines if m["label"].lower().startswith("original")),
                     lines[0] if lines else None)
        if found is None:
            return None
        return Located(found["url"], found.start("url"), found.end("url"), found["url"])


# UTF-32 first: its little-endian BOM begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
         (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))
_HTML_PAGE = re.compile(r"<(?:!doctype[ \t\r\n]+html|html|head|body)[ \t\r\n>]", re.IGNORECASE)
_HTML_HEAD = 4096  # characters searched for the tags that open an HTML page
DEFAULT_MAX_CHARS = 200_000


def decode_article(data: bytes, name: str, max_chars: int | None = None) -> str:
    """Bytes of one article to its raw text, or an InputError naming it.

    UTF-8, or UTF-16/UTF-32 with a byte order mark; the BOM stays as the text's first character
    (U+FEFF, as in a UTF-8 file that has one), so offsets count decoded characters. HTML pages
    are refused, as are articles longer than `max_chars` characters (None: no limit)."""
    encoding, label = next(((codec, label) for bom, codec, label in _BOMS if data.startswith(bom)),
                           ("utf-8", "UTF-8"))
    if encoding == "utf-8" and b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not an article")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not {label} text (bad byte at offset {exc.start})") from exc
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file, not an article")
    if not text.strip():
        raise InputError(f"{name}: empty article")
    if _HTML_PAGE.search(text, 0, _HTML_HEAD):
        raise InputError(f"{name}: looks like an HTML page, not article text: save the article's "
                         "text (a browser's reader view, or copy and paste) as a .txt file")
    check_length(text, name, max_chars)
    return text


def check_length(text: str, name: str, max_chars: int | None) -> None:
    """InputError when `text` is longer than `max_chars` characters (before any model call)."""
    if max_chars is not None and len(text) > max_chars:
        raise InputError(f"{name}: {len(text):,} characters, more than the limit of {max_chars:,}: "
                         "raise it with --max-chars or SUMMARIZER_MAX_CHARS (library: max_chars=)")


def read_article(path: Path, max_chars: int | None = None) -> Document:
    """Read one article file exactly as given: no stripping, no newline translation."""
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, not an article file") from exc
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    return Document(id=path.stem, raw=decode_article(data, str(path), max_chars), path=str(path))
