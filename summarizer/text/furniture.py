"""Page furniture: the lines and sentences of an article that are not its report. A photo caption
with its credit ("Smoke rises over Rafah. **Abed Rahim Khatib / dpa**"), a credit inside a
sentence ("(Photo: Martin Ruetschi, AP)", "Getty Images"), a byline ("By Jane Doe"), a line of
nothing but a date, a line of links ("**Related article:** [First Russian ...](#)") and a bare URL
line ("Original url:").

A summary sentence is never taken from furniture, and the lead sentence is the first sentence that
is none. Pure rules over the raw text; offsets are the raw text's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from summarizer.normalize.lexicon import MONTH_NUMBERS, WEEKDAYS, words

Kind = Literal["caption", "credit", "byline", "date line", "links", "url"]

_CAPTION_CREDIT = re.compile(r"(?:^|[.!?]\s+|\*\*)\**[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s*/\s*"
                             r"[\w.-]+(?:\s+[\w.-]+){0,2}\**\s*$")
"""A line that ends with a photographer and an agency after its sentence: "... Rafah. **Abed Rahim
Khatib / dpa**" (not "left on Friday / Saturday")."""
_CAPTION_LABEL = re.compile(r"\s*\**(?:photo|image|picture|caption|credit)s?\**\s*:", re.IGNORECASE)
_CREDIT = re.compile(
    r"\((?:photo|image|picture|credit)s?:[^)]{1,80}\)"
    r"|\b(?:Getty\s+Images|AFP\s*/\s*Getty|Shutterstock|Associated\s+Press\s+Photo|AP\s+Photo"
    r"|Reuters\s*/\s*[A-Z]|PA\s+Wire|EPA)\b"
    r"|\((?:Getty|AFP|Reuters|AP|EPA|PA|Rex|Shutterstock)\b[^)]{0,40}\)|(?-i:\b(?:GETTY|REUTERS)\b)"
    r"|\bAP:\s*Associated\s+Press\b|\b(?:Getty|AFP|Reuters|EPA|PA|AP|Rex)\s+\d{1,3}\b"
    r"|\b(?:Media|Image|Video)\s+(?:caption|copyright)\b"
    r"|\bpic\.twitter\.com/\w+"
    r"|\b(?:Could not subscribe|Invalid Email|Skip Ad|Ad Loading|Full Screen Autoplay|View Photos|"
    r"Show Caption|Hide Caption|Sign up for|Subscribe to our)\b",
    re.IGNORECASE)
"""A photo credit, a gallery's counter ("AP:Associated Press 9", "Getty Images 22"), a caption's
label ("Media caption", "Image copyright"), an embedded post's link or a page widget's words
("Could not subscribe, try again later", "Skip Ad") inside running text."""
_BYLINE = re.compile(r"\s*\**By\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\**\s*$")
_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)|<?https?://\S+>?")
_URL_LABEL = re.compile(r"\s*(?:original\s+)?(?:url|source|link)s?\s*:\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Furniture:
    start: int
    end: int
    kind: Kind


def date_only(line: str) -> bool:
    """A line of nothing but a date ("May 29 , 2006", "Monday, November 12, 2023")."""
    tokens = words(line)
    return bool(tokens) and any(t.isdigit() for t in tokens) and all(
        t.isdigit() or t.rstrip(".") in MONTH_NUMBERS or t in WEEKDAYS or t in ("at", "am", "pm")
        for t in tokens)


def line_kind(line: str) -> Kind | None:
    """What kind of furniture a whole line is, or None for a line of the report."""
    if _CAPTION_CREDIT.search(line) or _CAPTION_LABEL.match(line):
        return "caption"
    if _BYLINE.match(line):
        return "byline"
    if date_only(line):
        return "date line"
    if _URL_LABEL.match(line) or re.fullmatch(r"\s*<?https?://\S+>?\s*", line):
        return "url"
    linked = sum(len(m[0]) for m in _LINK.finditer(line))
    if linked and linked >= 0.5 * len(line.strip(" *:")):
        return "links"  # "**Related article:** [First Russian Nationals ...](#)"
    if re.match(r"\s*\**(?:related|read more|see also|more)\b[^:]{0,30}:\**", line, re.IGNORECASE) \
            and _LINK.search(line):
        return "links"
    return None


def furniture(raw: str) -> Iterator[Furniture]:
    """Every whole line of furniture in the article."""
    for line in re.finditer(r"[^\n]+", raw):
        kind = line_kind(line[0])
        if kind:
            yield Furniture(line.start(), line.end(), kind)


def furniture_at(raw: str, start: int, end: int) -> Kind | None:
    """Whether raw[start:end] is furniture: it lies in a furniture line, or it holds a photo credit
    or an embedded post's link."""
    line_start = raw.rfind("\n", 0, start) + 1
    line_end = raw.find("\n", end)
    line = raw[line_start:line_end if line_end >= 0 else len(raw)]
    if "\n" not in raw[start:end]:
        kind = line_kind(line)
        if kind:
            return kind
    return "credit" if _CREDIT.search(raw, start, end) else None
