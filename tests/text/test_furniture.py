"""Page furniture: captions, credits, bylines, date lines, link lines and URL lines."""

from __future__ import annotations

import pytest

from summarizer.text.furniture import furniture, furniture_at, line_kind
from tests.conftest import ROOT


@pytest.mark.parametrize(("line", "kind"), [
    ("Smoke rises from the site of an Israeli airstrike. **Abed Rahim Khatib / dpa**", "caption"),
    ("Photo: Rescuers at the well on Sunday", "caption"),
    ("By Jane Doe", "byline"),
    ("**By Jane Doe**", "byline"),
    ("Monday, November 12, 2023", "date line"),
    ("Original url:", "url"),
    ("<https://www.example.org/2023/11/12/a83079>", "url"),
    ("**Related article:** [First Russian Nationals Prepare to Evacuate Gaza](#)", "links"),
    ("[Home](/) | [World](/world) | [Europe](/europe)", "links"),
    ("Russia has begun evacuating its citizens, according to a [statement](#).", None),
    ("By the end of the week, 600 people had left.", None),  # "By" opening a sentence
    ("The ministry said 80 citizens left on Friday / Saturday.", None),
])
def test_line_kinds(line: str, kind: str | None) -> None:
    assert line_kind(line) == kind


def test_a_credit_inside_running_text_is_furniture() -> None:
    raw = ("Toblerone bars come in a variety of sizes. (Photo: Martin Ruetschi, AP) The UK has a "
           "chocolate crisis. Rail workers at the scene Getty Images 22 Left to right: the victims")
    credit = raw.index("(Photo")
    assert furniture_at(raw, credit - 10, credit + 30) == "credit"
    assert furniture_at(raw, raw.index("Rail"), len(raw)) == "credit"
    assert furniture_at(raw, raw.index("The UK"), raw.index("crisis.")) is None


def test_seed_000_furniture_lines() -> None:
    raw = next((ROOT / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
    found = [(raw[f.start:f.end][:30], f.kind) for f in furniture(raw)]
    assert found == [
        ("November 12, 2023", "date line"),
        ("Smoke rises from the site of a", "caption"),
        ("**Related article:** [First Ru", "links"),
        ("Original url:", "url"),
        ("<https://www.themoscowtimes.co", "url"),
    ]


def test_gallery_counters_and_caption_labels_are_credits() -> None:
    raw = ("Clinton cleared by FBI over email scandal AP:Associated Press 9 FBI director James "
           "Comey revealed it. Media caption Donald Trump: she is guilty. The rally was on Sunday.")
    assert furniture_at(raw, 0, raw.index("revealed it.")) == "credit"
    assert furniture_at(raw, raw.index("Media"), raw.index("guilty.")) == "credit"
    assert furniture_at(raw, raw.index("The rally"), len(raw)) is None
    credited = "The Cubs had not won the World Series since 1908 (Getty)"
    assert furniture_at(credited, 0, len(credited)) == "credit"
    capitals = "GETTY Obama campaigned vigorously for close ally Hillary Clinton."
    assert furniture_at(capitals, 0, len(capitals)) == "credit"
    museum = "The Getty Center in Los Angeles reopened."
    assert furniture_at(museum, 0, len(museum)) is None


def test_a_page_widgets_words_are_furniture() -> None:
    raw = ("Could not subscribe, try again later Invalid Email At least seven passengers died. "
           "At least seven passengers died after the tram derailed.")
    assert furniture_at(raw, 0, raw.index(" At least seven passengers died after")) == "credit"
    assert furniture_at(raw, raw.index("At least seven passengers died after"), len(raw)) is None
