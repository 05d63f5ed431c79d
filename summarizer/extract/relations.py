"""Relation rules: the last guard over the statements the support rules or the judge accepted.
The support rules ask whether a statement's words are in its evidence; these ask whether they
stand in the right relation there:

- a figure counts what its own phrase names: not the figure itself ("62" counting "62"), not a
  placeholder ("number", "amount"); a figure after a person's name between commas is an age
  ("Donald Collett, 62,");
- an actor's role is said of that actor: the role's word stands near one of its mentions, and
  not as another's ("Vivienne Westwood's son" makes no one's role "son" but the son's);
- a date's event says what happened, not only when ("Wednesday", "date", "next week"): then the
  article's words around the date tell it (`phrases.event_around`);
- a quote is words the article puts in quotation marks, or reports with a verb of saying: a
  sentence of the article's own, or a photo caption, is no one's quote and is not listed as one.

They run after settling and ask nothing, so the questions put to the model (and the recorded
cassettes) do not change; a judge's yes does not overrule them. A statement one of them breaks is
replaced as the settling replaces one (by what the article says, support "evidence-only"), and
the rejection is listed with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from summarizer.extract import phrases
from summarizer.normalize.lexicon import CALENDAR_WORDS, STOP_WORDS, words
from summarizer.output.summary import Actor, DateMention, Quantity, Quote, RejectedItem, Span
from summarizer.text.document import Document
from summarizer.text.sentences import sentence_bounds

PLACEHOLDERS = frozenset(("number", "numbers", "figure", "figures", "amount", "amounts", "total",
                          "count", "value", "something", "things", "items", "quantity"))
"""What a figure "counts" when the model had nothing to say."""
PLACE_ROLES = frozenset(("location", "destination", "venue", "place", "site", "scene", "setting",
                         "headquarters"))
"""Words of an actor's role that make it a place (never the event's agent); the main event reads
them, so the relation rules leave them."""
ROLE_WINDOW = 6
"""How many words from one of the actor's mentions its role's word may stand."""
T = TypeVar("T")
_AGE = re.compile(r"[A-Z][\w'\u2019-]+\s*,\s*$")


def _reject(section: str, name: str, statement: str, reason: str) -> RejectedItem:
    return RejectedItem(section=section, item={name: statement},
                        reason=f"replaced by its evidence: {reason}")


def counted_checked(doc: Document, quantity: Quantity) -> tuple[Quantity, RejectedItem | None]:
    """The quantity, or a copy whose `counted` says what the figure's own words say, with why."""
    span = quantity.spans[0]
    said = words(quantity.counted)
    figure = [w for w in words(quantity.written or span.text) if any(c.isdigit() for c in w)]
    if said and (all(w in PLACEHOLDERS for w in said) or said == figure):
        written = quantity.written or ""
        # what follows the figure in its own words ("nearly $1 billion raised": "raised")
        counted = "years of age" if _AGE.search(doc.raw[max(0, span.start - 40):span.start]) \
            else span.text[span.text.find(written) + len(written):].strip(" ,.;:") \
            if written and written in span.text else ""
        return quantity.model_copy(update={"counted": counted, "support": "evidence-only"}), _reject(
            "quantities", "counted", quantity.counted,
            f"what a figure counts is not the figure or a placeholder ({quantity.counted!r})")
    if _AGE.search(doc.raw[max(0, span.start - 40):span.start]) and \
            re.match(r"\s*,", doc.raw[span.end:span.end + 3]) and \
            not {"age", "aged", "year", "years", "old"} & set(said):
        return quantity.model_copy(update={"counted": "years of age", "support": "evidence-only"}), \
            _reject("quantities", "counted", quantity.counted,
                    "a figure between commas after a name is an age")
    return quantity, None


def _mentions(doc: Document, actor: Actor) -> list[tuple[int, int]]:
    """Where the actor is named: its full name, or its last name alone where no other first name
    comes before it ("Clinton" is not Hillary Clinton in "former president Bill Clinton")."""
    full = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(actor.name)}(?!\w)", doc.raw)]
    parts = actor.name.split()
    if len(parts) < 2 or len(parts[-1]) < 3:
        return full
    alone = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(parts[-1])}(?!\w)", doc.raw)
             if not any(s <= m.start() < e for s, e in full)
             and not re.search(r"[A-Z][\w.'\u2019-]*\s+$", doc.raw[max(0, m.start() - 30):m.start()])]
    return full + alone


def role_checked(doc: Document, actor: Actor) -> tuple[Actor, RejectedItem | None]:
    """The actor, or a copy without a role its mentions do not stand near (or stand near only as
    another's: "Westwood's son", "son of Vivienne Westwood", "former president Bill Clinton" for
    Hillary Clinton), with why."""
    role = {w.rstrip("s") for w in words(actor.role) if len(w) > 2 and w not in STOP_WORDS}
    if not role or actor.support == "evidence-only" or set(words(actor.role)) <= PLACE_ROLES:
        return actor, None  # "location": what the actor is, not a claim about what it did
    first_name = actor.name.split()[0]
    for start, end in _mentions(doc, actor):
        first, last = sentence_bounds(doc.raw, start, end)
        window = list(re.finditer(r"\S+", doc.raw[first:last]))
        mine = [n for n, m in enumerate(window) if first + m.start() < end and start < first + m.end()]
        if not mine:
            continue
        low, high = max(0, mine[0] - ROLE_WINDOW), min(len(window), mine[-1] + 1 + ROLE_WINDOW)
        for n in (*range(low, mine[0]), *range(mine[-1] + 1, high)):
            word = window[n][0].strip(",.;:()\"'\u2019").lower().rstrip("s")
            if word not in role:
                continue
            after = doc.raw[first + window[n].end():last]
            # another's role: "Westwood's son", "son of Westwood", "president Bill Clinton"
            if n > mine[-1] and n - mine[-1] <= 3 and re.match(r"['\u2019]s\s", doc.raw[end:end + 3]):
                continue
            if n < mine[0] and re.match(r"\s+of\s", after):
                continue
            name_next = re.match(r"\s+([A-Z][\w'\u2019-]*)", after)
            if name_next and name_next[1] != first_name:
                continue
            return actor, None
    return actor.model_copy(update={"role": "", "support": "evidence-only"}), _reject(
        "actors", "role", actor.role,
        f"no word of the role stands within {ROLE_WINDOW} words of the actor's name as its own")


def event_checked(doc: Document, mention: DateMention) -> tuple[DateMention, RejectedItem | None]:
    """The date, or a copy whose event tells in the article's words what happened then, where the
    model's event says nothing but when."""
    if not phrases.only_when(mention.event, CALENDAR_WORDS):
        return mention, None
    told = event_words(doc, mention.spans[0])
    if not told:
        return mention, None
    return mention.model_copy(update={"event": told, "support": "evidence-only"}), (
        _reject("when", "event", mention.event, "the event says nothing but when")
        if mention.event.strip() else None)


def event_words(doc: Document, found: Span) -> str:
    """What happened at a date, in the article's words around it (`phrases.event_around`)."""
    sentence = sentence_bounds(doc.raw, found.start, found.end)
    around = phrases.event_around(doc.raw, found.start, found.end, sentence)
    return doc.readable(*around) if around else ""


def quoted(doc: Document, quote: Quote) -> bool:
    """Whether the quote's words stand inside quotation marks in their paragraph: an odd number of
    straight double marks before them, or a curly opening mark last ("\u201c", "\u2018"), or a
    single mark opening a quotation ("said 'Love trumps hate.'")."""
    start = quote.spans[0].start
    line = doc.raw[doc.raw.rfind("\n", 0, start) + 1:start]
    if line.count('"') % 2 == 1 or doc.raw[start:start + 1] in "\"\u201c\u2018\u00ab'" or \
            re.search(r":\s*$", line):
        return True  # inside marks, opening with one, or after a colon ("told reporters: ...")
    curly = re.findall(r"[\u201c\u201d\u2018\u2019\u00ab\u00bb]", line)
    curly = [c for c in curly if c != "\u2019" or not re.search(r"\w\u2019\w", line)]
    if curly and curly[-1] in "\u201c\u2018\u00ab":
        return True
    opened = [m.end() for m in re.finditer(r"(?<!\w)'(?=\w)", line)]
    closed = [m.end() for m in re.finditer(r"(?<=[\w.,!?])'(?!\w)", line)]
    return bool(opened) and (not closed or opened[-1] > closed[-1])


_SPEECH = re.compile(r"\b(?:said|says|say|told|tells|noted|notes|stated|states|added|adds|announced|"
                     r"declared|explained|wrote|according\s+to|reported|reports|insisted|warned|"
                     r"claimed|confirmed)\b", re.IGNORECASE)


def reported(doc: Document, quote: Quote) -> bool:
    """Whether the quote's words are in quotation marks, or its sentence reports them as someone's
    with a verb of saying ("As Assistant Minister Alexander Korovin noted then, ...")."""
    if quoted(doc, quote):
        return True
    first, last = quote.spans[0], quote.spans[-1]
    sentence = sentence_bounds(doc.raw, first.start, last.end)
    return bool(_SPEECH.search(doc.raw, *sentence))


def guarded(doc: Document, actors: Sequence[Actor], quantities: Sequence[Quantity],
            dates: Sequence[DateMention], quotes: Sequence[Quote] = ()
            ) -> tuple[list[Actor], list[Quantity], list[DateMention], list[Quote],
                       list[RejectedItem]]:
    """Every list with the relation rules applied, and the statements they replaced or removed."""
    rejected: list[RejectedItem] = [
        RejectedItem(section="quotes", item={"speaker": q.speaker, "quote": q.text},
                     reason="no quotation marks around these words and no verb of saying in "
                            "their sentence: the article's own, not a quote")
        for q in quotes if not reported(doc, q)]

    def kept(pair: tuple[T, RejectedItem | None]) -> T:
        if pair[1] is not None:
            rejected.append(pair[1])
        return pair[0]

    return ([kept(role_checked(doc, a)) for a in actors],
            [kept(counted_checked(doc, q)) for q in quantities],
            [kept(event_checked(doc, d)) for d in dates],
            [q for q in quotes if reported(doc, q)], rejected)
