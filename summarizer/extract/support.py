"""Whether a statement in the model's own words is supported by its evidence: rules first.

The evidence (the article's words the model pointed at) is true of the article; the statement is
the model's. The rules read the words that change what a statement claims, and each must be
found in the evidence or the evidence's sentence (the `context`):

- every figure, compared as values (`normalize.quantities`: "600" and "six hundred" agree), with
  its qualifier ("more than 600" needs "more than"), and every ordinal ("the first group");
- every capitalized name ("NATO", "Moscow"); a month or year may be the resolved value of the
  evidence's own date ("January" for "last month" in February); a sentence's first word only when it is not a
  common word of the evidence;
- every negation, both ways: added ("did not") or dropped;
- status (begun / finished) and modality (will, may) added, or modality dropped ("may be
  evacuated" -> "were evacuated"); scope widened ("all", "every", "entire");
- attribution: evidence in reported speech ("X said", "according to", "state media reported")
  keeps a reporting word or its source in the statement.

A statement that breaks a rule is `unsupported`. One that passes and uses only the evidence's
words is `supported`. One that passes but brings words of its own is `undecided`: rules cannot
tell a paraphrase from an added detail; a judge may decide (`SupportJudge`), else the caller
falls back to the evidence. A statement may drop detail, never add it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from summarizer.normalize.lexicon import (
    MONTH_NAMES,
    MONTH_NUMBERS,
    NUMBER_WORDS,
    ORDINALS,
    STOP_WORDS,
    capitalized_words,
    is_negation,
    words,
)
from summarizer.normalize.quantities import Figure, figures

Outcome = Literal["supported", "undecided", "unsupported"]

SupportJudge = Callable[[Sequence[tuple[str, str]]], list[bool | None]]
"""(statement, evidence) pairs in, one verdict each out: True supported, False not, None unknown.
One call per article, like `digest.judge.ModelJudge`."""

Restate = Callable[[Sequence[tuple[str, str, str]]], list[str | None]]
"""(statement, evidence, the rule it broke) in, the model's second wording of each out (None: no
answer). One call per article: each statement that broke a rule is re-asked once."""


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reason: str = ""


# Word classes whose presence changes what a statement claims; a form of each must be matched by
# the same class in the evidence.
_CLASSES: dict[str, frozenset[str]] = {
    "status 'begun'": frozenset({"begin", "begins", "began", "begun", "beginning", "start",
                                 "starts", "started", "starting"}),
    "status 'finished'": frozenset({"finish", "finishes", "finished", "complete", "completes",
                                    "completed", "end", "ends", "ended", "concluded", "done"}),
    "future": frozenset({"will", "shall", "would", "won't", "going", "plans", "planned",
                         "expected"}),
    "possibility": frozenset({"may", "might", "could", "can", "possibly", "perhaps", "likely",
                              "probably", "reportedly"}),
    "scope 'all'": frozenset({"all", "every", "entire", "whole", "each", "everyone", "everybody",
                              "always"}),
}
# Classes the evidence must not lose: "may be evacuated" is not "were evacuated".
_KEPT = ("future", "possibility")
# What a label says about the kind of item, not about the event: "the number of", "percentage",
# "the date", an actor's kind ("country", "company"). Checked for what it adds no more than "the".
_KIND_WORDS = frozenset({"number", "numbers", "percentage", "percent", "amount", "total", "figure",
                         "count", "sum", "value", "date", "time", "day", "year", "person",
                         "organization", "country", "group", "other", "company"})
_REPORTING = frozenset({"said", "says", "say", "told", "tells", "reported", "reports", "report",
                        "according", "stated", "states", "noted", "notes", "announced",
                        "announces", "claimed", "claims", "citing", "cited", "quoted", "added",
                        "confirmed", "insisted", "warned", "explained"})
_ATTRIBUTION = re.compile(r"\b(?:according to|citing|(?:said|says|told|reported|reports|stated|"
                          r"noted|announced|claimed|confirmed))\b", re.IGNORECASE)


def _same(word: str, other: str) -> bool:
    """One word, or a form of it: "Russia"/"Russian", "evacuates"/"evacuating" (a shared stem of
    five letters, or a whole short word as the start of the other)."""
    if word == other:
        return True
    short, long_ = sorted((word, other), key=len)
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3:
        return True
    common = 0
    for a, b in zip(word, other, strict=False):
        if a != b:
            break
        common += 1
    return common >= 5 and common >= min(len(word), len(other)) - 3


def _found(word: str, vocabulary: set[str]) -> bool:
    return word in vocabulary or any(_same(word, other) for other in vocabulary)


def _figure_reason(stated: Figure, said: list[Figure]) -> str | None:
    assert stated.value is not None
    matching = [f for f in said if f.says(stated.value) or (
        f.value is not None and stated.says(f.value))]
    if not matching:
        return f"the figure {stated.text!r} is not in the evidence"
    if stated.qualifier != "exact" and all(f.qualifier != stated.qualifier for f in matching):
        return f"the evidence does not say {stated.qualifier!r} {stated.text!r}"
    return None


def _initials(support: str) -> set[str]:
    """The initials of every run of capitalized words ("Chief Executive Officer" gives "ceo"; of
    words are skipped: "Ministry of Emergency Situations" gives "mes")."""
    found: set[str] = set()
    run: list[str] = []
    for word in [*support.split(), "."]:
        if word[:1].isupper():
            run.append(word[0].lower())
            found |= {"".join(run[i:]) for i in range(len(run) - 1)}
        elif word not in ("of", "and", "for", "the"):
            run = []
    return found


def _names(statement: str, vocabulary: set[str]) -> list[str]:
    """Capitalized words of the statement the evidence lacks (a first word that is only
    capitalized because it starts the sentence is not a name)."""
    missing = []
    for index, name in enumerate(capitalized_words(statement)):
        lower = name.lower()
        if lower in NUMBER_WORDS:
            continue  # "Six hundred": a figure, compared as a value
        if index == 0 and statement.lstrip().startswith(name) and (
                lower in STOP_WORDS or lower in vocabulary):
            continue
        if not _found(lower, vocabulary):
            missing.append(name)
    return missing


def _source(evidence: str, match: re.Match[str]) -> str:
    """Who says it: the words after "according to" / "citing", else the clause before the verb
    ("state media reported"), else the words after it ('", said Peskov')."""
    after = re.split(r"[,.;:\"\u201d]", evidence[match.end():], maxsplit=1)[0]
    if match.group().lower() in ("according to", "citing"):
        return after
    before = re.split(r"[,.;:\"\u201c\u201d]", evidence[:match.start()])[-1]
    return before if words(before) else after


def attribution_kept(statement: str, evidence: str) -> str | None:
    """Why the statement drops the attribution its evidence carries, or None."""
    match = _ATTRIBUTION.search(evidence)
    if match is None:
        return None
    stated = set(words(statement))
    source = {w for w in words(_source(evidence, match)) if w not in STOP_WORDS}
    if stated & _REPORTING or any(_found(w, source) for w in stated if w not in STOP_WORDS):
        return None
    return (f"the evidence is reported speech ({match.group()!r}) and the statement drops who "
            "says it")


def _vocabulary(text: str) -> set[str]:
    """The words of `text`, with a month's full name for its abbreviation ("Oct." says October),
    the initials of its names ("Chief Executive Officer" says CEO), and every member of a word
    class one of its members stands for ("begins" says "begun")."""
    found = set(words(text)) | _initials(text)
    found |= {MONTH_NAMES[MONTH_NUMBERS[w] - 1] for w in found if w in MONTH_NUMBERS}
    for members in _CLASSES.values():
        if found & members:
            found |= members
    return found


def check(statement: str, evidence: str, context: str = "", *, label: bool = False,
          dates: str = "") -> Verdict:
    """Whether `evidence` (with `context`, the evidence's sentence) supports `statement`.

    A `label` (an actor's name or role, what a figure counts, a date's event) is a fragment, not
    a claim: it is checked for what it adds, not for the negation, modality or attribution of the
    evidence it leaves out. `dates` are the evidence's dates written out
    (`temporal.dates_written`): "January" and "2008" may stand for "last month" and "April 3"."""
    support = f"{evidence} {context} {dates}"
    stated_words = words(statement)
    vocabulary = _vocabulary(support)
    said = [f for f in figures(support) if f.value is not None]
    for stated in figures(statement):
        if stated.value is None:
            return Verdict("unsupported", f"the figure {stated.text!r} is malformed")
        reason = _figure_reason(stated, said)
        if reason:
            return Verdict("unsupported", reason)
    for word in stated_words:
        if word in ORDINALS and word not in vocabulary:
            return Verdict("unsupported", f"the evidence does not say {word!r}")
    missing = _names(statement, vocabulary)
    if missing:
        return Verdict("unsupported", f"the evidence does not name {', '.join(missing)}")
    evidence_words = set(words(evidence))
    said_words = set(words(support))  # as written: `vocabulary` adds forms
    for word in stated_words:
        if is_negation(word) and not any(is_negation(w) for w in said_words):
            return Verdict("unsupported", f"the statement adds the negation {word!r}")
    dropped = sorted(w for w in evidence_words if is_negation(w))
    if dropped and not label and not any(is_negation(w) for w in stated_words):
        return Verdict("unsupported", f"the statement drops the negation {dropped[0]!r}")
    for name, members in _CLASSES.items():
        added = [w for w in stated_words if w in members]
        if added and not said_words & members:
            return Verdict("unsupported", f"the statement adds {name} ({added[0]!r})")
        if name in _KEPT and not label and evidence_words & members and not set(stated_words) & members:
            return Verdict("unsupported", f"the statement drops the evidence's {name} "
                                          f"({sorted(evidence_words & members)[0]!r})")
    reason = None if label else attribution_kept(statement, evidence)
    if reason:
        return Verdict("unsupported", reason)
    own = sorted({w for w in stated_words if w not in STOP_WORDS and len(w) > 1
                  and w not in NUMBER_WORDS and not w[0].isdigit()  # figures: compared above
                  and not (label and w in _KIND_WORDS)
                  and not _found(w, vocabulary)})
    if own:
        return Verdict("undecided", f"words the evidence lacks: {', '.join(own)}")
    return Verdict("supported")
