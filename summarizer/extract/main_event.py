"""The main event of one article: rank the items the passes returned and put one answer first for
who, what, when and where. Pure code over the grounded lists; the model is not asked.

Where an item stands in the article decides first: in the title (tier 0), in the lead sentence
(tier 1: the first sentence of the body, after the title, the date line and a photo caption), or
further on (tier 2), then earlier before later. On top of that, per question:

- who: agents before observers (an actor whose role is analyst, spokesman, investigator, police,
  research firm, news source, speaker, witness, ... or a place); a name counts where its full form,
  its form without a company suffix ("Apple" for "Apple Inc."), an organisation's first word or a
  person's surname is written.
- what: the model's headline when it is grounded in the title or the lead, else the statement
  grounded earliest in the article.
- when: never the article's own date line (a date in the event sentence that names the same day,
  "today", is fine); resolved dates before vague ones (PAST_REF...); the date the title, the
  headline's sentence or the lead names before background dates.
- where: a name that is also an organisation's or person's name in the actors is no place,
  unless it names a facility (an airport, a court...);
  a place named only inside an organisation's name ("Qatar" in "Qatar Airways") is not a mention;
  the more specific of two places written together ("Changi Airport" in "Singapore's Changi
  Airport", "Long Beach" in "Long Beach, California"); a place named after in/at/near in the
  title or lead that no list item holds is taken from the article's words (section "article"),
  with a region after a comma ("Everett, Washington") unless a speech verb follows it ("in San
  Francisco, Steve Jobs said").

Each answer says which rule placed it; up to two runners-up with other values follow it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from summarizer.extract import phrases
from summarizer.extract.relations import PLACE_ROLES
from summarizer.normalize.lexicon import (
    MONTH_NUMBERS,
    WEEKDAYS,
    parts_of_speech,
    past_form,
    words,
)
from summarizer.output.summary import (
    Actor,
    DateMention,
    EventAnswer,
    EventBlock,
    EventSlot,
    Explanation,
    Fact,
    Place,
    Section,
    SourceDocument,
    Span,
    SummarySentence,
)
from summarizer.text.alignment import make_span
from summarizer.text.document import Document
from summarizer.text.furniture import line_kind
from summarizer.text.sentences import sentence_bounds

RUNNERS_UP = 2
OBSERVER_ROLES = frozenset((
    "analyst", "spokesman", "spokeswoman", "spokesperson", "investigator", "investigators",
    "police", "researcher", "research", "reporter", "journalist", "news", "agency", "commentator",
    "expert", "source", "speaker", "witness", "location", "destination", "venue", "place",
))
"""Words of an actor's role that make it an observer (or a place), not the event's agent."""
FACILITIES = frozenset((
    "airport", "court", "center", "centre", "station", "port", "base", "hospital", "square",
    "street", "plant", "factory", "stadium", "building", "house", "camp", "crossing", "checkpoint",
    "university", "school", "bridge", "prison", "embassy", "palace", "mine", "field", "hall",
))
"""Last words that make a name a place even where the actors list it as an organisation."""
_COMPANY_SUFFIX = re.compile(r"\s+(?:Inc\.?|Corp\.?|Corporation|Co\.?|Company|LLC|Ltd\.?|plc|Group|"
                             r"AG|SA|GmbH)$")
_CAP = r"[A-Z][\w.'\u2019-]*"
_PLACE_PHRASE = re.compile(
    rf"\b(?:in|at|near)\s+(?:(?:the|a|an|its|their)\s+)?(?P<name>{_CAP}(?:\s+(?:and\s+|of\s+)?{_CAP})*)"
    rf"(?P<region>(?>\s*,\s*{_CAP}(?:\s+{_CAP})*)(?!\s+(?:said|says|told|added|announced|reported|wrote)\b))?")
_OWNED = re.compile(rf"\s?['\u2019]s\s+(?P<owned>{_CAP}(?:\s+{_CAP})*)")
_CALENDAR = {name.capitalize() for name in (*MONTH_NUMBERS, *WEEKDAYS)}
_TIERS = ("in the title", "in the lead sentence", "first in the article")


@dataclass(frozen=True)
class Layout:
    """Where the article's title and lead sentence are, and its own date line."""

    title: tuple[int, int] | None
    lead: tuple[int, int] | None
    date_line: tuple[int, int] | None
    subject: tuple[tuple[int, int], tuple[int, int]] | None = None
    """The title's subject and its action (`phrases.headline_subject`), read once for who and what."""

    def tier(self, start: int) -> int:
        for tier, bounds in enumerate((self.title, self.lead)):
            if bounds and bounds[0] <= start < bounds[1]:
                return tier
        return 2


def layout(doc: Document, source: SourceDocument) -> Layout:
    raw = doc.raw
    title = (source.title_span.start, source.title_span.end) if source.title_span else None
    date_line = (source.published_span.start, source.published_span.end) \
        if source.published_span else None
    lead = None
    for line in re.finditer(r"[^\n]+", raw):
        start, end = line.span()
        text = line[0]
        if not text.strip() or (title and start <= title[0] < end and title[1] >= end - 1):
            continue
        if date_line and start <= date_line[0] < end:
            rest = raw[date_line[1]:end]
            if not rest.strip(" \t\r,.:"):
                continue  # the date line itself
            start = date_line[1] + len(rest) - len(rest.lstrip())  # "date 2023-11-14 The next ..."
        elif line_kind(text) == "date line":
            date_line = date_line or (start, end)
            continue
        if line_kind(text):
            continue  # a photo caption with its credit, a byline, a line of links
        first, last = sentence_bounds(raw, start, start)
        first = max(first, start)  # a sentence that runs on from a date line
        if len(words(raw[first:last])) < 4:  # "Apple Inc." is no sentence of its own
            if not raw[last:end].strip():
                continue  # a short line of its own ("Breaking news."): a kicker, not the lead
            last = sentence_bounds(raw, last + 1, last + 1)[1]
        lead = (first, last)
        break
    return Layout(title, lead, date_line,
                  phrases.headline_subject(raw, title) if title else None)


# --- names in the text -------------------------------------------------------------------------


def _occurrences(raw: str, name: str) -> list[tuple[int, int]]:
    """Where the name's words are written as words (case kept, punctuation between ignored)."""
    tokens = re.findall(r"\w+", name)
    if not tokens:
        return []
    pattern = r"\b" + r"\W{1,3}".join(re.escape(t) for t in tokens) + r"\b"
    return [m.span() for m in re.finditer(pattern, raw)]


def _actor_forms(actor: Actor) -> list[str]:
    forms = [actor.name]
    bare = _COMPANY_SUFFIX.sub("", actor.name)
    forms.append(bare)
    parts = bare.split()
    if len(parts) > 1 and len(parts[0]) > 2 and actor.kind in ("organization", "country", "group"):
        forms.append(parts[0])
    if len(parts) > 1 and actor.kind == "person":
        forms.append(parts[-1])
    return list(dict.fromkeys(forms))


def _first_mention(raw: str, forms: Iterable[str], spans: Sequence[Span],
                   inside: Sequence[tuple[int, int]] = ()) -> tuple[int, int]:
    """Where one of the forms is first written (not strictly inside one of `inside`), else the
    item's first span."""
    found = [(start, end) for form in forms for start, end in _occurrences(raw, form)
             if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in inside)]
    first = min(spans, key=lambda span: span.start)
    return min(found, default=(first.start, first.end))


# --- ranking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    key: str
    order: tuple[int | float, ...]
    answer: Callable[[str], EventAnswer]
    rule: str


def _slot(candidates: Sequence[_Candidate], empty: str) -> EventSlot:
    """The first candidate as the answer, the next ones with other keys as runners-up."""
    ranked = sorted(candidates, key=lambda c: c.order)
    chosen: list[_Candidate] = []
    for candidate in ranked:
        if candidate.key not in {c.key for c in chosen}:
            chosen.append(candidate)
    if not chosen:
        return EventSlot(reason=empty)
    return EventSlot(answer=chosen[0].answer(chosen[0].rule),
                     runners_up=[c.answer(c.rule) for c in chosen[1:1 + RUNNERS_UP]])


def _answer(text: str, section: Section, index: int | None, spans: Sequence[Span],
            value: str | None = None) -> Callable[[str], EventAnswer]:
    return lambda rule: EventAnswer(text=text, section=section, index=index, value=value,
                                    rule=rule, spans=list(spans))


def _key(name: str) -> str:
    return " ".join(words(name.replace("\u2019", "'"))).removeprefix("the ")


def _observer(actor: Actor) -> str | None:
    hit = next((w for w in words(actor.role) if w in OBSERVER_ROLES), None)
    return f"an observer, not the agent (role: {actor.role})" if hit else None




def _place_role(actor: Actor) -> bool:
    return any(w in PLACE_ROLES for w in words(actor.role))


def rank_who(doc: Document, lay: Layout, actors: Sequence[Actor]) -> EventSlot:
    raw = doc.raw
    subject = lay.subject
    if subject and past_form(words(raw[slice(*subject[1])])[0]):
        subject = None  # "Driver arrested", "Grand Prix thrown into chaos": the subject undergoes it
    named = _key(raw[slice(*subject[0])]) if subject else None
    candidates = []
    for index, actor in enumerate(actors):
        if _place_role(actor) or actor.kind == "other":
            continue  # a place, or a thing ("Palestinian-Israeli conflict"): never the agent
        start, _ = _first_mention(raw, _actor_forms(actor), actor.spans)
        tier = lay.tier(start)
        observer = _observer(actor)
        is_subject = named is not None and named in {_key(form) for form in _actor_forms(actor)}
        candidates.append(_Candidate(
            _key(actor.name), (observer is not None, -1 if is_subject else tier, start, index),
            _answer(actor.name, "actors", index, actor.spans),
            observer or ("the actor named as the title's subject" if is_subject else
                         f"the actor named {_TIERS[tier]}")))
    if subject and not any(c.order[1] == -1 for c in candidates):
        span = make_span(doc, *subject[0])
        # a name ("FBI", "Toblerone") leads; a common noun ("Footage", "Driver") follows the
        # actors the title names
        common = " " not in span.text and not span.text.isupper() and \
            "NOUN" in parts_of_speech(span.text)
        candidates.append(_Candidate(_key(span.text), (False, 0 if common else -1,
                                                       len(raw) if common else 0, 0),
                                     _answer(doc.readable(span.start, span.end), "article", None, [span]),
                                     "the title's subject (no listed actor)"))
    lead_subject = _lead_subject(raw, lay)
    if lead_subject and not any(c.order[1] <= 0 for c in candidates):
        span = make_span(doc, *lead_subject)
        if not any(_key(span.text).endswith(c.key) or c.key.endswith(_key(span.text))
                   for c in candidates if c.order[1] == 1):
            candidates.append(_Candidate(_key(span.text), (False, 1, span.start - 1, 0),
                                         _answer(doc.readable(span.start, span.end), "article",
                                                 None, [span]),
                                         "the lead sentence's subject (no listed actor)"))
    return _slot(candidates, "no actor")


_PASSIVE = re.compile(r"(?:is|are|was|were|be|been|being|has been|have been|had been)\s+"
                      r"(?:\w+ly\s+)?(\w+)\b")


def _lead_subject(raw: str, lay: Layout) -> tuple[int, int] | None:
    """The lead sentence's short subject before its auxiliary ("A suicide bomber" of "A suicide
    bomber has rammed a truck ..."), without its article; None for a passive ("The final victims
    ... have been named": they undergo it) or a subject our rules cannot delimit."""
    if lay.lead is None:
        return None
    action = _subject_action(raw, lay.lead)
    if action is None:
        return None
    passive = _PASSIVE.match(raw, action[0])
    if passive and past_form(passive[1]):
        return None
    start = lay.lead[0]
    article = re.match(r"(?:the|a|an)\s+", raw[start:action[0]], re.IGNORECASE)
    start += article.end() if article else 0
    end = start + len(raw[start:action[0]].rstrip())
    return (start, end) if end > start else None


_AUXILIARY = re.compile(r"\b(?:has|have|had|is|are|was|were|will|would|could|can|may|might|"
                        r"must|shall|should)\b")


_SPEECH = re.compile(r"\b(?:said|says|say|told|tells|reported|reports|announced|added|according)\b")
"""A speech verb before an auxiliary: "Rescuers said 40 miners were trapped" has no short subject."""


def _agents_in(raw: str, bounds: tuple[int, int], agents: Sequence[Actor]) -> list[int]:
    """Where the agents' names (any of their forms) end inside `bounds`, in the agents' order."""
    found: list[int] = []
    for actor in agents:
        for form in _actor_forms(actor):
            found.extend(end for start, end in _occurrences(raw, form)
                         if bounds[0] <= start and end <= bounds[1])
    return list(dict.fromkeys(found))


def _subject_action(raw: str, bounds: tuple[int, int]) -> tuple[int, int] | None:
    """The action of a sentence whose subject is a short noun phrase before an auxiliary ("A
    suicide bomber has rammed a truck into ..."): the phrase from the auxiliary on."""
    auxiliary = _AUXILIARY.search(raw, *bounds)
    if auxiliary is None:
        return None
    subject = raw[bounds[0]:auxiliary.start()]
    if not subject.strip() or len(words(subject)) > 12 or _SPEECH.search(subject) or \
            re.search(r"[,:;\"\u201c\u2018']", subject):
        return None
    end = phrases.clause_end(raw, auxiliary.start(), bounds[1])
    return (auxiliary.start(), end) if len(words(raw[auxiliary.start():end])) >= 2 else None


def _actions(doc: Document, lay: Layout, agents: Sequence[Actor]) -> list[_Candidate]:
    """What the agent did, in the words after its name: in the title, then in the lead sentence
    (there also after a short subject that is no listed actor)."""
    raw = doc.raw
    candidates = []
    # with a title, the headline it grounds comes before the lead's action; without, after it
    titled = lay.title is not None
    subject = lay.subject
    if subject:
        (name_start, _), (start, end) = subject
        passive = past_form(words(raw[start:end])[0])
        # "First Airbus A380 delivered": what happened is said with what it happened to
        span = make_span(doc, name_start if passive else start, end)
        candidates.append(_Candidate(" ".join(words(span.text)), (0, 0, -1, span.start),
                                     _answer(doc.readable(span.start, span.end), "article", None, [span]),
                                     "the title's subject and its action (a passive)" if passive
                                     else "the action after the title's subject"))
    for tier, bounds in enumerate((lay.title, lay.lead)):
        if bounds is None:
            continue
        for order, name_end in enumerate(_agents_in(raw, bounds, agents)):
            action = phrases.action_after(raw, name_end, bounds)
            if action:
                span = make_span(doc, *action)
                candidates.append(_Candidate(
                    " ".join(words(span.text)), (tier, 2 * tier * titled, order, action[0]),
                    _answer(doc.readable(span.start, span.end), "article", None, [span]),
                    f"the action after the agent's name {_TIERS[tier]}"))
                break
        if tier == 1 and not any(c.order[0] == 1 for c in candidates):
            action = _subject_action(raw, bounds)
            if action:
                span = make_span(doc, *action)
                candidates.append(_Candidate(
                    " ".join(words(span.text)), (tier, 2 * tier * titled, 99, action[0]),
                    _answer(doc.readable(span.start, span.end), "article", None, [span]),
                    f"the action after the subject {_TIERS[tier]}"))
    return candidates


def rank_what(doc: Document, lay: Layout, headline: SummarySentence,
              summary: Sequence[SummarySentence], facts: Sequence[Fact],
              agents: Sequence[Actor] = ()) -> EventSlot:
    statements: list[tuple[str, Section, int | None, Sequence[Span]]] = [
        (headline.text, "headline", None, headline.spans),
        *((s.text, "summary", i, s.spans) for i, s in enumerate(summary)),
        *((f.claim, "facts", i, f.spans) for i, f in enumerate(facts))]
    candidates = _actions(doc, lay, agents)
    for order, (text, section, index, spans) in enumerate(statements):
        start = min(span.start for span in spans)
        tier = lay.tier(start)
        first = section == "headline" and tier < 2
        rule = ("the headline, grounded " if first else "the statement grounded ") + \
            {0: "in the title", 1: "in the lead sentence", 2: "first in the article"}[tier]
        # the title's own action first, then a headline the title grounds, then the lead's action
        rank = (0, 1) if first and tier == 0 else (1, 1) if first else (2, tier)
        candidates.append(_Candidate(" ".join(words(text)), (*rank, start, order),
                                     _answer(text, section, index, spans), rule))
    return _slot(candidates, "no statement")


def _on_date_line(lay: Layout, date: DateMention) -> bool:
    line = lay.date_line
    return line is not None and any(line[0] <= s.start and s.end <= line[1] for s in date.spans)


BACKGROUND_DAYS = 60
"""A date this many days or more before the article's publication is background, not the event's."""


_TIME_OF_DAY = re.compile(
    r"(?:(?:at\s+)?(?:around\s+|about\s+)?(?P<clock>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)"
    r"(?:\s+local\s+time)?)|(?P<hours>(?:in\s+)?the\s+(?:early|small|late)\s+hours\s+of))\s+(?:on\s+)?$",
    re.IGNORECASE)
_PART_OF_DAY = re.compile(r"\s+(?:morning|afternoon|evening|night)\b", re.IGNORECASE)
_EMBEDDED_POST = re.compile(r"\(@\w+\)\s*$")


def _with_time_of_day(raw: str, span: Span) -> Span:
    """The date's span, reaching over a time of day written just before or after it ("6:10am on
    Wednesday", "in the early hours of Thursday", "Wednesday morning"): when the event happened,
    as the article says."""
    found = _TIME_OF_DAY.search(raw, max(0, span.start - 40), span.start)
    part = _PART_OF_DAY.match(raw, span.end)
    start = span.start if found is None else found.start("clock") if found["clock"] else \
        found.start("hours")
    end = part.end() if part else span.end
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc_id=span.doc_id, start=start, end=end, text=raw[start:end])


COARSE = frozenset(("month", "season", "quarter", "year", "decade"))
"""Granularities that say roughly when ("this summer", "this year"): a day names the event better."""


def _background(value: str, published: str | None, text: str) -> bool:
    """Whether a dated mention is background: it opens a span of time ("since 1908") or lies
    BACKGROUND_DAYS or more before publication ("in 1948", "September 30, 1997")."""
    if re.match(r"(?i)since\b", text):
        return True
    if not published:
        return False
    day = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    origin = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    if day is None or origin is None:
        return False
    # the last day the value may mean: a year's December 31, a month's 28th (close enough)
    year, month, date = int(day[1]), int(day[2] or 12), int(day[3] or 28)
    then = year * 372 + month * 31 + date
    now = int(origin[1]) * 372 + int(origin[2]) * 31 + int(origin[3])
    return now - then >= BACKGROUND_DAYS


def rank_when(lay: Layout, dates: Sequence[DateMention], headline: SummarySentence,
              raw: str, published: str | None = None) -> EventSlot:
    first = headline.spans[0]
    said = sentence_bounds(raw, first.start, first.end)
    candidates = []
    for index, date in enumerate(dates):
        if date.value is None or _on_date_line(lay, date):
            continue
        if date.text.isupper() and date.text.isalpha():
            continue  # "USA TODAY": a name in capitals, not a date
        if _EMBEDDED_POST.search(raw[max(0, date.spans[0].start - 60):date.spans[0].start]):
            continue  # "-- Alana Cartwright (@AlanaCartwrigh3) October 29, 2016": a post's date
        start = date.spans[0].start
        tier = 0 if said[0] <= start < said[1] else lay.tier(start)
        vague = date.value.endswith("_REF")
        past = _background(date.value, published, date.text)
        rule = "a vague reference, after the dated mentions" if vague else \
            "background (long before publication), after the recent dates" if past else \
            "the date " + ("the headline's sentence or the title names" if tier == 0 else
                           "the lead sentence names" if tier == 1 else "named first in the article")
        coarse = date.granularity in COARSE
        if coarse and not (vague or past):
            rule += " (a coarse date, after the days)"
        said_at = _with_time_of_day(raw, date.spans[0])
        candidates.append(_Candidate(date.value, (vague or past, vague, tier, coarse, start, index),
                                     _answer(said_at.text, "when", index, [said_at], date.value),
                                     rule))
    own = any(_on_date_line(lay, d) for d in dates)
    return _slot(candidates, "the only date is the article's own date line" if own else
                 "no resolved date")


def _containers(raw: str, mentions: dict[str, tuple[int, int]]) -> set[str]:
    """Places written as the container of another: X in "X's Y" (Y listed or a name) and Y in
    "X, Y"."""
    found = {key for key, (_, end) in mentions.items()
             if re.match(r"\s?['\u2019]s\s+[A-Z]", raw[end:end + 6])}  # "Singapore 's Changi ..."
    for key, (start, end) in mentions.items():
        for other, (o_start, o_end) in mentions.items():
            if other == key:
                continue
            if re.fullmatch(r"\s*['\u2019]\s?s\s+", raw[end:o_start]) or \
                    re.fullmatch(r"\s*,\s*", raw[o_end:start]):
                found.add(key)
    return found


def rank_where(doc: Document, lay: Layout, places: Sequence[Place],
               actors: Sequence[Actor]) -> EventSlot:
    raw = doc.raw
    named = {_key(a.name) for a in actors if a.kind in ("organization", "person")
             and words(a.name)[-1:] != [] and words(a.name)[-1] not in FACILITIES}
    organisations = [span for a in actors if a.kind == "organization"
                     for span in _occurrences(raw, a.name)]
    listed: dict[str, tuple[int, Place]] = {}
    for index, place in enumerate(places):
        if _key(place.name) not in named and _key(place.name) not in listed:
            listed[_key(place.name)] = (index, place)
    mentions = {key: _first_mention(raw, [place.name], place.spans, organisations)
                for key, (_, place) in listed.items()}
    candidates = []
    containers = _containers(raw, mentions)
    for key, (index, place) in listed.items():
        if not any(_placed(raw, *found) for found in _occurrences(raw, place.name)):
            continue  # "told BBC News", "on Twitter": never written where a place stands
        start = mentions[key][0]
        tier = lay.tier(start)
        rule = "the place named " + _TIERS[tier]
        if key in containers:
            rule += ", written as the container of a more specific place"
        # "Sterling Heights, Michigan": a town placed by its region names a spot, not an area
        regioned = bool(re.search(r",\s*[A-Z]", place.name))
        if regioned and tier == 2:
            rule += ", with its region"
        candidates.append(_Candidate(key, (tier, key in containers, not regioned and tier == 2, 0,
                                           start, index),
                                     _answer(place.name, "where", index, place.spans), rule))
    for tier, bounds in enumerate((lay.title, lay.lead)):
        for found in _written_places(doc, bounds):
            key = _key(found.text)
            if key in named or any(key == k or f" {k} " in f" {key} " for k in listed):
                continue  # an organisation, or a list place written at its own level
            shown = doc.readable(found.start, found.end)
            candidates.append(_Candidate(key, (tier, False, False, 1, found.start, 0),
                                         _answer(shown, "article", None, [found]),
                                         f"a place written after in/at/near {_TIERS[tier]} "
                                         "(no list item holds it)"))
    dateline = _dateline(doc, lay)
    if dateline is not None and not any(c.key == _key(dateline.text) for c in candidates):
        candidates.append(_Candidate(_key(dateline.text), (1, False, False, -1, dateline.start, 0),
                                     _answer(dateline.text, "article", None, [dateline]),
                                     "the dateline: the place the report is filed from"))
    return _slot(candidates, "no place named")


_DATELINE = re.compile(r"(?:(?i:photo|image|video)\s+)?"
                       r"(?P<place>[A-Z][A-Z.'-]{2,}(?:\s+[A-Z][A-Z.'-]{2,}){0,2})"
                       r"(?:,\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?\s*(?:\([A-Z][\w ]+\)\s*)?"
                       r"(?:--|\u2014|\u2013|-)\s")


def _dateline(doc: Document, lay: Layout) -> Span | None:
    """The city a report is filed from, in capitals before a dash at the lead's start ("LONDON --
    The peaks are slimmer ...", "WASHINGTON (Reuters) - ...")."""
    if lay.lead is None:
        return None
    line_start = doc.raw.rfind("\n", 0, lay.lead[0]) + 1
    found = _DATELINE.match(doc.raw, line_start, lay.lead[1])
    if found is None:
        return None
    return make_span(doc, found.start("place"), found.end("place"))


_LOCATIVE = re.compile(r"\b(?:in|at|near|from|outside|inside|across|throughout|to|into|around|"
                       r"of|between|towards?|across|off|beyond|within)\s+(?:the\s+)?$", re.IGNORECASE)


_PRONOUNS = frozenset(("they", "them", "she", "her", "him", "his", "its", "who", "which", "that",
                       "there", "this", "these", "those", "you", "our", "their"))


def _modifies_noun(after: str) -> bool:
    """Whether a name stands before a common noun ("Croydon tram", "Afghan capital")."""
    word = re.match(r"\s+([a-z]{3,})\b", after)
    return word is not None and word[1] not in _PRONOUNS and "NOUN" in parts_of_speech(word[1])


def _placed(raw: str, start: int, end: int) -> bool:
    """Whether a name is written where a place stands: after a locative preposition ("in
    Croydon"), before or after a comma with another name ("Croydon, South London"), as an owner
    or owned ("Singapore's Changi Airport") or before a common noun ("Croydon tram crash", "Afghan
    capital")."""
    before, after = raw[max(0, start - 16):start], raw[end:end + 24]
    return bool(_LOCATIVE.search(before) or re.match(r"\s*,\s*[A-Z]", after)
                or re.search(r"[A-Z][\w-]*\s*,\s*$", before)
                or re.match(r"['\u2019]s\s", after) or re.search(r"['\u2019]s\s+$", before)
                or _modifies_noun(after)
                or (re.match(r"\s*(?:$|[\n:.])", after) and raw[:start].strip() == ""))


def _written_places(doc: Document, bounds: tuple[int, int] | None) -> list[Span]:
    if bounds is None:
        return []
    found = []
    for match in _PLACE_PHRASE.finditer(doc.raw, *bounds):
        kept: list[str] = []
        for word in re.split(r"(\s+)", match["name"] + (match["region"] or "")):
            if word.strip(",") in _CALENDAR:
                break
            kept.append(word)
        name = "".join(kept).strip().rstrip(",.")
        name = re.sub(r"(?:\s+(?:and|of))+$", "", name)
        start = match.start("name")
        owned = _OWNED.match(doc.raw, start + len(name)) if not match["region"] else None
        if owned and owned.end("owned") <= bounds[1]:
            # "at Singapore 's Changi International Airport": the place is the one owned
            found.append(Span(doc_id=doc.id, start=owned.start("owned"), end=owned.end("owned"),
                              text=owned["owned"]))
            continue
        if not name or not name[0].isupper() or re.search(r"['\u2019]s?$", name):
            continue  # "at Trump's ...": an owner, not a place
        found.append(Span(doc_id=doc.id, start=start, end=start + len(name), text=name))
    return found


def rank_explanations(doc: Document, lay: Layout, items: Sequence[Explanation],
                      question: Literal["why", "how"]) -> EventSlot:
    """Why or how: a cause (means) after its cue word in the title or the lead sentence, or one the
    model chose and the cue rules kept; the title first, then the lead, then earlier before later."""
    noun = "cause" if question == "why" else "means"
    candidates = []
    for index, item in enumerate(items):
        start = min(span.start for span in item.spans)
        tier = lay.tier(start)
        candidates.append(_Candidate(" ".join(words(item.text)), (tier, start, index),
                                     _answer(item.text, question, index, item.spans),
                                     f"the {noun} grounded {_TIERS[tier]}"))
    for tier, bounds in enumerate((lay.title, lay.lead)):
        if bounds is None:
            continue
        for phrase in phrases.cue_phrases(doc.raw, *bounds, question):
            span = make_span(doc, phrase.cue_start, phrase.end)
            candidates.append(_Candidate(" ".join(words(span.text)), (tier, span.start, -1),
                                         _answer(doc.readable(span.start, span.end), "article", None, [span]),
                                         f'the {noun} after "{phrase.cue}" {_TIERS[tier]}'))
    return _slot(candidates, f"no {noun} that the article states was found")


def _agents_first(who: EventSlot, actors: Sequence[Actor]) -> list[Actor]:
    """The actors, the chosen agent and its runners-up first."""
    chosen = [a.index for a in (who.answer, *who.runners_up) if a is not None and a.index is not None]
    return [actors[i] for i in chosen] + [a for i, a in enumerate(actors) if i not in chosen]


def main_event(doc: Document, source: SourceDocument, *, headline: SummarySentence,
               summary: Sequence[SummarySentence], facts: Sequence[Fact], actors: Sequence[Actor],
               places: Sequence[Place], dates: Sequence[DateMention],
               why: Sequence[Explanation] = (), how: Sequence[Explanation] = ()) -> EventBlock:
    """The event block of one article from its grounded lists."""
    lay = layout(doc, source)
    who = rank_who(doc, lay, actors)
    agents = _agents_first(who, actors)
    return EventBlock(who=who,
                      what=rank_what(doc, lay, headline, summary, facts, agents),
                      when=rank_when(lay, dates, headline, doc.raw, source.published),
                      where=rank_where(doc, lay, places, actors),
                      why=rank_explanations(doc, lay, why, "why"),
                      how=rank_explanations(doc, lay, how, "how"))
