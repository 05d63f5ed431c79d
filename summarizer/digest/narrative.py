"""The digest summary: three to six source sentences that tell the event across the sources,
chosen and ordered by code (no model call), so that every sentence is its own evidence.

Candidates are the body sentences of every source; one that opens on a word pointing back ("There
were 98 people on board", "It ...") is told with the sentence before it. A sentence scores
- `ANSWER` if it is its article's event sentence, the one holding most of the article's event
  answers (who, when, where: the lead, mostly);
- `FIGURE` if it holds a figure of its article's lists (once, however many: a sentence listing
  casualties is not the more central for it) and 1 per day-resolved date it holds (how many, when);
- 1 per content word it shares with the event's statements (the `what` answers), at most
  `SHARED_CAP`;
- minus `BACKGROUND`, and at most 0, if it (or a copy of it) names a day more than
  `BACKGROUND_DAYS` before its article's date (the war's start, not the evacuation): background
  is told only to reach the minimum; quotes, questions and page furniture (captions, credits,
  lines of links: `summarizer.text.furniture`) are left out, and a sentence reads without markup.
The best are taken greedily, at most `MAX_SENTENCES`, and those of score 0 or less only to reach
`MIN_SENTENCES`. A sentence that says the same as a chosen one (content words overlapping by
`SAME_SENTENCE`, or by `SUPPORT` with a day or figure in common) is not told again: its span is
cited on the chosen one. They are told in order of the day they
name (else their article's date), then source order and position. A sentence only one
independent story says is marked `single_outlet`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from summarizer.digest.duplicates import jaccard
from summarizer.digest.matching import DAY, unique
from summarizer.normalize.lexicon import content_words
from summarizer.output.digest import DigestEvent, DigestSentence
from summarizer.output.summary import EventSummary, Span
from summarizer.text.document import Document
from summarizer.text.furniture import furniture_at
from summarizer.text.sentences import sentence_bounds

ANSWER = 3
SHARED_CAP = 4
BACKGROUND = 4
BACKGROUND_DAYS = 14
SAME_SENTENCE = 0.6
SUPPORT = 0.3
MIN_SENTENCES, MAX_SENTENCES = 3, 6
MIN_WORDS = 6
FIGURE = 2
_ANAPHORIC = re.compile(r"(?:There|It|They|This|These|Those|He|She|His|Her|Its|Their)\b")


@dataclass
class _Sentence:
    doc_index: int
    start: int
    end: int
    text: str
    words: set[str]
    score: float
    background: bool
    day: str
    facts: set[str]
    spans: list[Span]


def _sentences(doc: Document) -> list[tuple[int, int]]:
    """Raw bounds of the sentences of the body (lines of fewer than `MIN_WORDS` words left out:
    titles, date lines, credits)."""
    found: list[tuple[int, int]] = []
    position = 0
    raw = doc.raw
    while position < len(raw):
        if raw[position].isspace():
            position += 1
            continue
        start, end = sentence_bounds(raw, position, position)
        end = max(end, position + 1)
        if len(content_words(raw[start:end])) >= MIN_WORDS // 2 and \
                len(raw[start:end].split()) >= MIN_WORDS:
            if found and _ANAPHORIC.match(raw, start) and "\n" not in raw[found[-1][1]:start]:
                found[-1] = (found[-1][0], end)  # "There were 98 people on board": with its antecedent
            else:
                found.append((start, end))
        position = end
    return found


def _inside(span: Span, start: int, end: int) -> bool:
    return start <= span.start and span.end <= end


def digest_summary(summaries: Sequence[EventSummary], documents: Mapping[str, Document],
                   story_of: Mapping[str, str], event: DigestEvent) -> list[DigestSentence]:
    statements = [event.what.answer.text] if event.what.answer else []
    statements += [v.text for v in event.what.versions]
    statements += [s.event.what.answer.text for s in summaries if s.event.what.answer]
    topic = set().union(*(content_words(t) for t in statements)) if statements else set()
    candidates: list[_Sentence] = []
    dated = {story_of[s.document.id]: s.document.published for s in summaries if s.document.published}
    for index, summary in enumerate(summaries):
        doc = documents[summary.document.id]
        # a copy without a date line is as old as its story's dated copy
        published = summary.document.published or dated.get(story_of[summary.document.id])
        answers = [span for q in ("who", "when", "where")
                   if (a := getattr(summary.event, q).answer) for span in a.spans]
        bounds = _sentences(doc)
        # the article's event sentence: the one holding most of its answers
        held: list[int] = [len([s for s in answers if _inside(s, start, end)])
                           for start, end in bounds]
        most = max(held, default=0)
        event_sentence = bounds[held.index(most)] if most else None
        own = summary.document.published_span
        title = summary.document.title_span
        days = [(d.value[:10], d.spans[0]) for d in summary.when
                if d.value and DAY.match(d.value) and not (own and _inside(d.spans[0], own.start,
                                                                             own.end))]
        figures = [q.spans[0] for q in summary.quantities]
        for start, end in bounds:
            is_event = (start, end) == event_sentence
            if own and start <= own.start < end:  # "date 2023-11-14 The next group ..."
                start = own.end + len(doc.raw[own.end:end]) - len(doc.raw[own.end:end].lstrip())
            text = doc.raw[start:end]
            if title and start <= title.start < end:
                continue  # the title is a heading, not a sentence of the report
            if re.match(r"[\"'\u201c\u2018]", text) or text.rstrip().endswith("?") or \
                    _inside_quote(text) or furniture_at(doc.raw, start, end):
                continue  # a quote, a question, a caption, a credit or a line of links
            named = [day for day, span in days if _inside(span, start, end)]
            words = content_words(text)
            score = ANSWER * is_event + len(named)
            # a sentence tells how many once: listing more figures makes it no more the event's
            score += FIGURE * any(_inside(s, start, end) for s in figures)
            score += min(len(words & topic), SHARED_CAP)
            background = bool(published) and any(
                _days_before(day, published or "") > BACKGROUND_DAYS for day in named)
            stated = {str(f) for f in named} | {f"{q.value}" for q in summary.quantities
                                              if q.value is not None and _inside(q.spans[0], start, end)}
            candidates.append(_Sentence(index, start, end, text, words, score, background,
                                        min(named, default=published or ""), stated,
                                        [Span(doc_id=doc.id, start=start, end=end, text=text)]))
    for candidate in candidates:  # background in one copy is background in all (some lack dates)
        if candidate.background or any(other.background and jaccard(other.words, candidate.words)
                                       >= SAME_SENTENCE for other in candidates):
            candidate.score = min(candidate.score - BACKGROUND, 0)  # only to reach the minimum
    chosen: list[_Sentence] = []
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.doc_index, c.start)):
        same = next((c for c in chosen if _says_the_same(c, candidate)), None)
        if same is not None:
            if candidate.spans[0].doc_id not in {s.doc_id for s in same.spans}:
                same.spans += candidate.spans  # another article says it too: cite it
            continue
        if len(chosen) < MAX_SENTENCES and (candidate.score > 0 or len(chosen) < MIN_SENTENCES):
            chosen.append(candidate)
    chosen.sort(key=lambda c: (c.day, c.doc_index, c.start))
    return [DigestSentence(text=documents[c.spans[0].doc_id].readable(c.start, c.end),
                           sources=unique(s.doc_id for s in c.spans),
                           single_outlet=len({story_of[s.doc_id] for s in c.spans}) == 1,
                           spans=c.spans) for c in chosen]


def _inside_quote(text: str) -> bool:
    """Whether a sentence begins inside someone's quotation: its first quotation mark closes one
    ("... it wasn't safe." He said ...)."""
    mark = re.search(r"[\"\u201c\u201d]", text)
    return mark is not None and (mark[0] == "\u201d" or (
        mark[0] == '"' and (mark.end() == len(text) or text[mark.end()].isspace())))


def _says_the_same(a: _Sentence, b: _Sentence) -> bool:
    """Near-identical words (a copy's sentence), or overlapping words that state the same day or
    figure (another outlet's report of it)."""
    overlap = jaccard(a.words, b.words)
    return overlap >= SAME_SENTENCE or (overlap >= SUPPORT and bool(a.facts & b.facts))


def _days_before(day: str, published: str) -> int:
    try:
        return (date.fromisoformat(published) - date.fromisoformat(day)).days
    except ValueError:
        return 0
