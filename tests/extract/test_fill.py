"""The fill variants: dates and figures our code finds and the model left out become drafts."""

from __future__ import annotations

from summarizer.extract.drafts import DateDraft, QuantityDraft
from summarizer.extract.fill import missing_items
from summarizer.extract.grounding import ground
from summarizer.normalize.expressions import date_expressions
from summarizer.normalize.temporal import parse_iso_date
from summarizer.text.document import Document

ARTICLE = ("Rescuers said more than 40 miners were trapped on Monday after a gas explosion. "
           "By Tuesday 12 miners had been brought out, and 300 rescuers were at the site.")


def test_only_what_the_model_left_out_is_added() -> None:
    drafted = [("when", DateDraft(expression="on Monday", event="miners trapped")),
               ("quantities", QuantityDraft(evidence="more than 40 miners", value=40,
                                            counted="miners"))]
    added = missing_items(ARTICLE, drafted)
    assert [d.expression for _, d in added if isinstance(d, DateDraft)] == ["Tuesday"]
    figures = {(q.value, q.counted) for _, q in added if isinstance(q, QuantityDraft)}
    assert figures == {(12, "miners"), (300, "rescuers")}


def test_a_figure_the_model_reported_with_another_value_is_not_added_twice() -> None:
    drafted = [("quantities", QuantityDraft(evidence="12 miners had been brought out", value=1.2,
                                            counted="miners"))]
    added = missing_items(ARTICLE, drafted)
    assert 12 not in {q.value for _, q in added if isinstance(q, QuantityDraft)}


def test_filled_items_are_grounded_like_the_models() -> None:
    doc = Document(id="mine", raw=ARTICLE)
    grounded = ground(doc, missing_items(doc.view, []), parse_iso_date("2024-03-06"))
    assert {d.value for d in grounded.when} == {"2024-03-04", "2024-03-05"}
    assert {q.value for q in grounded.quantities} == {40, 12, 300}
    spans = [s for d in grounded.when for s in d.spans] + \
        [s for q in grounded.quantities for s in q.spans]
    assert spans and all(ARTICLE[s.start:s.end] == s.text for s in spans)
    assert grounded.rejected == []


def test_dates_the_prompt_does_not_list_are_found_too() -> None:
    text = ("Sales fell in the fourth quarter and in January, and will recover by 2012, as in recent "
            "years; a week ago, in early June and on March 3, officials said they may march.")
    assert date_expressions(text) == ["the fourth quarter", "January", "by 2012", "recent years",
                                      "a week ago", "early June", "March 3"]


def test_the_dates_variant_adds_dates_only() -> None:
    added = missing_items(ARTICLE, [], kinds={"dates"})
    assert added and all(isinstance(d, DateDraft) for _, d in added)


def test_a_lone_digit_is_not_drafted() -> None:
    assert missing_items("Officials counted 3 and then 40 miners.", [], kinds={"figures"}) == [
        ("quantities", QuantityDraft(evidence="40 miners", value=40, counted="miners"))]
