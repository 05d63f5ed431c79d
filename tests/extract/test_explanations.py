"""A cause (why) or means (how) the model chose is kept only where the article gives it as one."""

from __future__ import annotations

import pytest

from summarizer.extract.explanations import unstated
from summarizer.output.summary import Span
from summarizer.text.document import Document

ARTICLE = ("Ford cuts production\n"
           "Ford announces deep production cuts in response to growing losses. The company "
           "delivered the jets in ceremonies at Long Beach, citing demand. Costs fell by a third "
           "through job cuts.\n")
DOC = Document(id="a", raw=ARTICLE)


def spans(text: str) -> list[Span]:
    start = ARTICLE.index(text)
    return [Span(doc_id="a", start=start, end=start + len(text), text=text)]


@pytest.mark.parametrize(("question", "words"), [
    ("why", "growing losses"),                 # after "in response to"
    ("why", "demand"),                         # after "citing,"... the comma too
    ("how", "ceremonies at Long Beach"),       # after "in"
    ("how", "through job cuts"),               # opens with "through"
    ("how", "a third"),                        # after "by"
])
def test_words_given_as_a_cause_or_a_means_are_kept(question: str, words: str) -> None:
    assert unstated(DOC, spans(words), question) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(("question", "words"), [
    ("why", "Ford cuts production"),           # the title: what happened, not why
    ("why", "Ford announces deep production cuts"),
    ("how", "Ford announces deep production cuts"),
    ("why", "ceremonies at Long Beach"),       # "in" says how, not why
    ("how", "growing losses"),                 # "in response to" says why, not how
])
def test_words_not_given_as_one_are_rejected_with_the_reason(question: str, words: str) -> None:
    reason = unstated(DOC, spans(words), question)  # type: ignore[arg-type]
    noun = "a cause" if question == "why" else "a means"
    assert reason is not None and reason.startswith(f"the article does not give these words as {noun}")


def test_a_cue_that_ends_the_line_before_does_not_count() -> None:
    raw = "Prices rose, the report said in\nFebruary sales fell.\n"
    start = raw.index("February")
    words = [Span(doc_id="b", start=start, end=start + 19, text="February sales fell")]
    assert unstated(Document(id="b", raw=raw), words, "how") is not None


@pytest.mark.parametrize(("question", "text"), [
    ("why", "Over 11,000 Palestinians have been killed in the war."),  # seed 000: a count
    ("why", "Sales rose to 5% in January."),
    ("how", "Sales fell in 2008 after the crash."),
    ("how", "Costs fell by 40% last year."),
])
def test_a_cue_before_a_figure_is_no_cause_or_means(question: str, text: str) -> None:
    """"Over", "to", "in" and "by" before a number belong to the number, opening the words or
    standing just before them."""
    doc = Document(id="c", raw=text)
    opening = text.split()[0] if question == "why" and text.startswith("Over") else None
    figure = next(w for w in text.split() if w[0].isdigit())
    start = 0 if opening else text.index(figure)
    words = [Span(doc_id="c", start=start, end=len(text) - 1, text=text[start:-1])]
    assert unstated(doc, words, question) is not None  # type: ignore[arg-type]
