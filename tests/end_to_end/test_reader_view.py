"""What a reader sees of the seeds, from their recorded answers: no caption, no markup, no role or
event the article does not state, answers that are a reporter's (issue "answers that hold")."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from summarizer.output.summary import EventSummary
from summarizer.text.document import Document
from tests.conftest import SEEDS

pytestmark = pytest.mark.cassette

MARKUP = re.compile(r"\*\*|\]\(|\[[^\]]*\]\(|^#|<https?://")


def shown_texts(summary: EventSummary) -> list[str]:
    block = summary.event
    answers = [slot.answer.text for slot in (block.who, block.what, block.when, block.where,
                                              block.why, block.how) if slot.answer]
    return [summary.headline.text, *(s.text for s in summary.summary),
            *(f.claim for f in summary.facts), *(w.text for w in summary.why),
            *(h.text for h in summary.how), *(d.event for d in summary.when), *answers]


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_shown_text_has_no_markup_and_no_caption(
        seed: str, summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    _, summary = summary_of(seed)
    for text in shown_texts(summary):
        assert not MARKUP.search(text), text
        assert "Abed Rahim Khatib" not in text and "Smoke rises" not in text, text


def test_seed_000_reads_as_a_reporter_would_tell_it(
        summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    doc, summary = summary_of("000")
    event = summary.event
    assert event.who.answer is not None and event.who.answer.text == "Russia"
    assert event.what.answer is not None
    assert event.what.answer.text == "Begins Evacuating Citizens From Gaza Strip"
    assert event.where.answer is not None and event.where.answer.text == "Gaza Strip"
    assert event.why.answer is not None  # a stated cause, after its cue
    assert event.why.answer.text.startswith("in response to")
    # the caption is rejected as furniture, the lead is the first summary sentence
    assert [s.text[:31] for s in summary.summary] == ["Russia has begun evacuating its"]
    assert any(r.reason == "page furniture (caption), not the article's report"
               for r in summary.rejected)
    # roles the article does not state are gone ("temporary headquarters", "bombarding campaign")
    roles = {a.name: a.role for a in summary.actors}
    assert roles["Egypt"] == "" and roles["Israel"] == ""
    # each date's event tells what happened then, in the article's words
    events = {d.text: d.event for d in summary.when}
    assert events["on Friday"] == "Kremlin spokesman Dmitry Peskov told journalists"
    assert all(doc.view.find(e) >= 0 or e == "published" for e in events.values()), events


def test_seed_001s_means_is_its_crossing(
        summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    _, summary = summary_of("001")
    assert summary.event.how.answer is not None
    assert summary.event.how.answer.text == "through the Rafah border crossing"
    assert summary.event.what.answer is not None
    assert summary.event.what.answer.text == "has begun evacuating its citizens"


SEED_FIGURES = {
    "000": [(600, "approximately"), (80, "more than"), (60, "more than"), (1200, "at least"),
            (11000, "more than"), (4400, "more than")],
    "001": [(600, "approximately"), (80, "more than"), (60, "more than"), (1200, "at least"),
            (None, "more than"), (4400, "more than")],  # "11,00": malformed, never read
    "002": [(40, "exact"), (37, "exact"), (3, "exact"), (78, "exact"), (98, "exact"), (70, "exact"),
            (2, "exact")],
}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_the_19_quantities_of_the_seeds_are_read_as_before(
        seed: str, summary_of: Callable[[str], tuple[Document, EventSummary]]) -> None:
    _, summary = summary_of(seed)
    assert [(q.value, q.qualifier) for q in summary.quantities] == SEED_FIGURES[seed]
