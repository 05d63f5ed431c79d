"""Short phrases of one sentence that answer what, why and how as a reporter would: the action
after the agent's name ("protests outside Trump Tower"), a cause after its cue word ("after review
of additional emails", "in retaliation for air strikes") and a means after its cue ("by storming
home into third place"). Pure rules over the article's words; every phrase is an offset pair into
the article, so an answer built from one is grounded by construction.

A phrase runs from its first word to the first clause boundary: a punctuation mark that ends a
clause, or a word that opens another clause (a conjunction, or the cue of a cause or a means),
and never past `MAX_WORDS` words: the coders' answers are 2 to 5 words at the median, and a
longer phrase is a clause, not an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from summarizer.normalize.lexicon import parts_of_speech, past_form
from summarizer.text.sentences import abbreviation

MAX_WORDS = 10
"""At most this many words in a phrase; a longer one is cut at its last word within the bound."""

_FUNCTION_WORDS = frozenset((
    "a", "an", "the", "of", "and", "or", "but", "in", "on", "at", "to", "for", "from", "with", "by",
    "as", "who", "whom", "whose", "which", "that", "this", "these", "those", "its", "his", "her",
    "their", "our", "s", "said", "says", "told", "according", "after", "before", "over", "into",
    "about", "than", "also", "de", "van", "von", "da", "del", "du", "le", "la", "el", "jr", "sr",
))
"""Words that cannot open an action: a name's continuation, a preposition, a relative pronoun or
a speech verb (a speaker's words are not the event)."""

_CLAUSE_END = re.compile(r"\s+[-\u2013\u2014]+\s+|(?<!\d)[,.](?!\d)|[,.](?=\s|$)|[;:!?()\[\]\"\u201c\u201d|]")
"""Punctuation that ends a clause: a dash between spaces, a comma, a colon, a double quotation
mark; not a comma or a point inside a figure ("10,000", "7.2"). Single quotes do not: headlines
put them around a word ("slams 'rigged' FBI")."""

_OPENS_CLAUSE = ("as", "after", "amid", "following", "because", "while", "when", "whereas",
                 "but", "despite", "since", "until", "though", "although", "where", "who",
                 "which", "amid", "due", "owing", "in retaliation", "in response", "according")
"""Words that open another clause (or an attribution: "according to")."""

CAUSE_CUES = ("because of", "because", "due to", "owing to", "thanks to", "in retaliation for",
              "in response to", "in protest at", "in protest against", "as a result of",
              "after", "amid", "following", "in order to", "in an attempt to", "in a bid to",
              "in an effort to", "blamed on", "caused by", "over fears of", "over concerns",
              "for fear of", "fearing")
"""Words after which a sentence states a cause or a purpose."""
MEANS_CUES = ("by means of", "by", "through", "via", "using", "with the help of")
"""Words after which a sentence states a means or a manner."""

_CUES: dict[str, tuple[str, ...]] = {"why": CAUSE_CUES, "how": MEANS_CUES}
_WORD = re.compile(r"[\w'\u2019.-]+")


def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(c).replace(r"\ ", r"\s+")
                            for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b\s+", re.IGNORECASE)


_CUE_RE = {question: _cue_pattern(cues) for question, cues in _CUES.items()}
# a cause's cue opens another clause; of the means' cues only a gerund's does ("stands by
# decision" keeps its "by", "by storming home" is the means)
_ANY_CUE = re.compile(_cue_pattern((*CAUSE_CUES, *_OPENS_CLAUSE, "using")).pattern
                      + r"|\b(?:by|through|via)\s+(?=[a-z]+ing\b)", re.IGNORECASE)
# a cue before a figure or a year is a preposition of the figure: "by 40%", "after 2008"
_FIGURE_NEXT = re.compile(r"[\d$\u00a3\u20ac]")
# "by" with a name or a noun is most often an agent ("was shot by police"); with a gerund, a means
_BY_AGENT = re.compile(r"\bby\s+(?![a-z]+ing\b)", re.IGNORECASE)


def clause_end(raw: str, start: int, stop: int) -> int:
    """Where the phrase that starts at `start` ends: the first clause boundary before `stop`, and
    no later than MAX_WORDS words (trailing spaces dropped)."""
    end = stop
    for punctuation in _CLAUSE_END.finditer(raw, start, stop):
        word = re.search(r"(\w+)$", raw[start:punctuation.start()])
        if punctuation[0] == "." and word and abbreviation(word[1]):
            continue  # "Oct. 7", "U.S.", "Mr. Smith": an abbreviation's point
        end = punctuation.start()
        break
    for match in _ANY_CUE.finditer(raw, start, end):
        if match.start() > start:  # a cue that opens the phrase is its own
            end = match.start()
            break
    clause = re.split(r"\s(?:that|which|whether|if)\s", raw[start:end])[0]
    modal = re.search(r"\s(?:would|will|could|should|can|may|might|must)\s", clause)
    if modal:  # "through the Rafah crossing would be sent ...": a noun phrase became a subject
        end = start + modal.start()
    for match in re.finditer(r"\s(?:and|but)\s+([\w'\u2019-]+)", raw[start:end]):
        if "VERB" in parts_of_speech(match[1]) and match[1].lower() not in _FUNCTION_WORDS:
            end = start + match.start()  # "slams FBI and claims ...": a second action
            break
    words = list(_WORD.finditer(raw, start, end))
    if len(words) > MAX_WORDS:
        kept = words[:MAX_WORDS]
        while len(kept) > 1 and kept[-1][0].lower() in _FUNCTION_WORDS:
            kept.pop()  # "... near Karaganda on": a cut phrase does not end on a preposition
        end = kept[-1].end()
    while end > start and raw[end - 1] in " \t\n'\u2019":
        end -= 1
    return end


def title_case(text: str) -> bool:
    """Whether every word of four letters or more is capitalized ("Cubs Win World Series")."""
    long_words = [w for w in _WORD.findall(text) if len(w) >= 4 and w[0].isalpha()]
    return len(long_words) >= 3 and all(w[0].isupper() for w in long_words)


def action_after(raw: str, name_end: int, sentence: tuple[int, int]) -> tuple[int, int] | None:
    """The action phrase that follows an agent's name ending at `name_end`, inside a sentence that
    spans `sentence`: "protests outside Trump Tower" after "Lady Gaga". An appositive between commas
    is skipped ("Lady Gaga, a prominent supporter of Hillary Clinton, was photographed ...").
    None where the next word cannot open an action (a possessive, a preposition, a name)."""
    at, stop = name_end, sentence[1]
    appositive = re.match(r"\s*,[^,]{1,80},", raw[at:stop])
    if appositive:
        at += appositive.end()
    if re.match(r"\s?['\u2019]s\b", raw[at:stop]):
        return None  # "Trump's campaign": the name is not the subject
    first = _WORD.search(raw, at, stop)
    if first is None or raw[at:first.start()].strip():
        return None  # punctuation between the name and the next word
    verb: re.Match[str] | None = first
    while verb is not None and parts_of_speech(verb[0]) == {"ADV"}:  # "reportedly", "finally"
        verb = _WORD.search(raw, verb.end(), stop)
    if verb is None:
        return None
    word = verb[0]
    if word.lower().strip(".") in _FUNCTION_WORDS or "VERB" not in parts_of_speech(word) or \
            (word[0].isupper() and not title_case(raw[sentence[0]:stop])):
        return None
    end = clause_end(raw, first.start(), stop)
    return (first.start(), end) if end > first.start() else None


@dataclass(frozen=True)
class CuePhrase:
    """A cause or a means with its cue: raw[cue_start:end] is "after review of additional
    emails", raw[start:end] "review of additional emails"."""

    cue: str
    cue_start: int
    start: int
    end: int


def cue_phrases(raw: str, start: int, stop: int, question: Literal["why", "how"]) -> list[CuePhrase]:
    """The phrases of raw[start:stop] that follow a cue of a cause ("why") or a means ("how")."""
    found = []
    for match in _CUE_RE[question].finditer(raw, start, stop):
        cue = " ".join(match[0].split()).lower()
        begin = match.end()
        if _FIGURE_NEXT.match(raw, begin):
            continue
        if cue == "by" and _BY_AGENT.match(raw, match.start()):
            continue
        end = clause_end(raw, begin, stop)
        if _WORD.search(raw, begin, end):
            found.append(CuePhrase(cue, match.start(), begin, end))
    if question == "why":
        found += _reasons_and_purposes(raw, start, stop)
    return sorted(found, key=lambda phrase: phrase.cue_start)


# "blames the letter for stopping momentum", "arrested for speeding": a reason
_FOR_GERUND = re.compile(r"\bfor\s+(?=[a-z]+ing\b)")
# "using diggers to save the boy": a purpose (not "wants to go", "is preparing to fly")
_TO_VERB = re.compile(r"\b([\w'\u2019-]+)\s+(to)\s+(?=([a-z]+)\b)")


def _reasons_and_purposes(raw: str, start: int, stop: int) -> list[CuePhrase]:
    found = []
    for match in _FOR_GERUND.finditer(raw, start, stop):
        if re.search(r"\bthank(?:s| you)\s+$", raw[max(0, match.start() - 12):match.start()], re.I):
            continue  # "Thank you for subscribing"
        end = clause_end(raw, match.end(), stop)
        found.append(CuePhrase("for", match.start(), match.end(), end))
    for match in _TO_VERB.finditer(raw, start, stop):
        before, verb = match[1], match[3]
        noun_before = "NOUN" in parts_of_speech(before) or before[:1].isupper()
        if parts_of_speech(before) & {"VERB", "ADJ", "ADV"} or not noun_before \
                or before.lower() in _FUNCTION_WORDS \
                or "VERB" not in parts_of_speech(verb) or past_form(verb) or verb.endswith("ing"):
            continue  # a complement ("wants to go", "impossible to read"), or "to" a preposition
        end = clause_end(raw, match.end(2) + 1, stop)
        found.append(CuePhrase("to", match.start(2), match.end(2) + 1, end))
    return found


_NAME_WORD = re.compile(r"[A-Z][\w.'\u2019&-]*")


def _verb_after_name(tokens: list[re.Match[str]], number: int) -> bool:
    """Whether the name that starts at tokens[number] is followed by a word that can be a verb."""
    while number < len(tokens) and _NAME_WORD.fullmatch(tokens[number][0]):
        number += 1
    if number == len(tokens):
        return False
    word = tokens[number][0]
    return word.isalpha() and word.islower() and word not in _FUNCTION_WORDS and \
        "VERB" in parts_of_speech(word)


def headline_subject(raw: str, bounds: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """A headline's subject and its action: the run of capitalized words that opens the headline,
    or the part after a topic and a colon ("World Series 2016: Chicago Cubs end ..."), when a
    verb follows it. Returns (subject, action) as offset pairs, or None."""
    start, stop = bounds
    openings = [start] + [start + m.end() for m in re.finditer(r":\s+", raw[start:stop])]
    capitalized = title_case(raw[start:stop])
    for at in openings:
        names: list[tuple[int, int]] = []
        tokens = list(re.finditer(r"\S+", raw[at:stop]))
        for number, match in enumerate(tokens):
            word = match[0].rstrip(",")
            following = tokens[number + 1][0] if number + 1 < len(tokens) else ""
            if names and word.isalpha() and word.islower() and _NAME_WORD.match(following) \
                    and "NOUN" in parts_of_speech(word) and _verb_after_name(tokens, number + 1):
                names = []  # "Formula One star Max Verstappen shows ...": a title before the name
                continue
            if not _NAME_WORD.fullmatch(word) or len(names) == 5:
                break
            if names and capitalized and "VERB" in parts_of_speech(word) and word.isalpha():
                break  # "Chicago Cubs Win World Series": the verb is capitalized too
            names.append((at + match.start(), at + match.start() + len(word)))
            if match[0] != word:
                break  # a comma ends the name
        if not names:
            continue
        rest = tokens[len(names):] if names[0][0] == at + tokens[0].start() else []
        for match in rest[:3]:  # "Chinese airlines agree ...": common nouns end the subject
            pos = parts_of_speech(match[0])
            if not (match[0].isalpha() and match[0].islower() and "NOUN" in pos and "VERB" not in pos):
                break
            names.append((at + match.start(), at + match.end()))
        last = parts_of_speech(raw[names[-1][0]:names[-1][1]])
        if last and "NOUN" not in last:
            continue  # "Fatal attack on ...": an adjective, not a name
        subject = (names[0][0], names[-1][1])
        action = action_after(raw, subject[1], bounds)
        # "Croydon tram crash: ...": one word before a colon is the topic's last, not a verb
        if action and not (raw.startswith(":", action[1]) and " " not in raw[action[0]:action[1]]):
            return subject, action
    return None


_DATE_WORDS = frozenset((
    "date", "dated", "published", "publication", "article", "day", "days", "week", "weeks", "month",
    "months", "year", "years", "next", "last", "this", "today", "yesterday", "tomorrow", "tonight",
    "morning", "evening", "night", "afternoon", "on", "in", "at", "of", "the", "a", "an", "early",
    "late", "earlier", "later", "ago", "weekend", "time", "when", "was",
))
"""Words that say when, not what happened: an event of only these (and calendar words and
figures) repeats its date."""


_INNER_CLAUSE = frozenset(("after", "when", "as", "while", "because", "that", "where", "before",
                           "until", "since", "who", "which"))


def only_when(event: str, calendar: frozenset[str]) -> bool:
    """Whether a date's event says nothing but when ("Wednesday", "date", "next week")."""
    tokens = [t.lower() for t in _WORD.findall(event)]
    return all(t.strip(".") in _DATE_WORDS or t.strip(".") in calendar or t.strip(".").isdigit()
               for t in tokens)


def event_around(raw: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int] | None:
    """The article's words for what happened at the date written at raw[start:end]: the clause
    before it in its sentence ("Kremlin spokesman Dmitry Peskov told journalists" before "on
    Friday"), else the clause after it ("On Sunday, Russia began evacuating its citizens")."""
    before = raw[sentence[0]:start]
    cut = max((m.end() for m in re.finditer(
        r"(?<!\d)[,:](?!\d)|[;\"\u201c\u201d]|\s[-\u2013\u2014]\s", before)), default=0)
    words = [w for w in _WORD.finditer(raw, sentence[0] + cut, start) if w[0] != "#"]
    while words and words[-1][0].lower() in _FUNCTION_WORDS | {"since", "until", "early", "late"}:
        words.pop()  # "... told journalists on": the date's own preposition
    if len(words) > MAX_WORDS:  # a long clause: from its last inner clause ("after the vehicle ...")
        opener = max((n for n, w in enumerate(words[:-2]) if w[0].lower() in _INNER_CLAUSE), default=-1)
        words = words[opener + 1:] if opener >= 0 else words[-MAX_WORDS:]
    if len(words) >= 2:
        return words[0].start(), words[-1].end()
    after = re.match(r"[\s,]*", raw[end:sentence[1]])
    begin = end + (after.end() if after else 0)
    stop = clause_end(raw, begin, sentence[1])
    return (begin, stop) if len(_WORD.findall(raw[begin:stop])) >= 2 else None
