"""The relation rules over accepted statements: exact replacements on hand-built articles."""

from __future__ import annotations

from summarizer.extract.relations import counted_checked, event_checked, guarded, role_checked
from summarizer.output.summary import Actor, DateMention, Quantity, Span
from summarizer.text.document import Document

RAW = ("Donald Collett, 62, of Croydon died. Joe Corre, son of Vivienne Westwood and Malcolm "
       "McLaren, burned a shirt. Hillary Clinton spoke while her husband, former president Bill "
       "Clinton, applauded. Clinton had nearly $1 billion raised for the campaign. Communications "
       "director Jennifer Palmieri spoke on Friday.")
DOC = Document(id="r", raw=RAW)


def span(text: str) -> Span:
    start = RAW.index(text)
    return Span(doc_id="r", start=start, end=start + len(text), text=text)


def actor(name: str, role: str) -> Actor:
    return Actor(name=name, kind="person", role=role, spans=[span(name)])


def quantity(written: str, value: float, counted: str, evidence: str) -> Quantity:
    return Quantity(value=value, counted=counted, qualifier="exact", written=written,
                    spans=[span(evidence)])


def test_a_role_is_said_of_its_actor_not_of_another() -> None:
    kept, none = role_checked(DOC, actor("Jennifer Palmieri", "communications director"))
    assert (kept.role, kept.support, none) == ("communications director", "rules", None)
    kept, none = role_checked(DOC, actor("Bill Clinton", "former president"))
    assert (kept.role, none) == ("former president", None)
    for name in ("Vivienne Westwood", "Malcolm McLaren"):  # "son of ... and ...": Corre is the son
        replaced, why = role_checked(DOC, actor(name, "son"))
        assert (replaced.role, replaced.support) == ("", "evidence-only")
        assert why is not None and why.item == {"role": "son"}
        assert why.reason == ("replaced by its evidence: no word of the role stands within 6 "
                              "words of the actor's name as its own")
    # "Clinton" next to "president" is Bill Clinton, not Hillary Clinton
    replaced, _ = role_checked(DOC, actor("Hillary Clinton", "president"))
    assert replaced.role == ""


def test_a_figure_counts_what_its_phrase_names() -> None:
    age, why = counted_checked(DOC, quantity("62", 62, "62", "62"))
    assert (age.counted, age.support) == ("years of age", "evidence-only")
    assert why is not None and "not the figure or a placeholder" in why.reason
    age, why = counted_checked(DOC, quantity("62", 62, "people", "62"))
    assert age.counted == "years of age"
    assert why is not None and why.reason.endswith("a figure between commas after a name is an age")
    money, why = counted_checked(DOC, quantity("$1 billion", 1e9, "number", "nearly $1 billion raised"))
    assert (money.counted, why is not None) == ("raised", True)
    fine = quantity("$1 billion", 1e9, "dollars raised", "nearly $1 billion raised")
    assert counted_checked(DOC, fine) == (fine, None)


def test_a_dates_event_that_only_says_when() -> None:
    friday = DateMention(text="on Friday", value="2016-11-11", event="Friday", spans=[span("on Friday")])
    told, why = event_checked(DOC, friday)
    assert (told.event, told.support) == ("Communications director Jennifer Palmieri spoke",
                                          "evidence-only")
    assert why is not None and why.reason == "replaced by its evidence: the event says nothing but when"
    said = friday.model_copy(update={"event": "Palmieri spoke to reporters"})
    assert event_checked(DOC, said) == (said, None)


def test_guarded_lists_every_replacement() -> None:
    actors, quantities, dates, _, rejected = guarded(
        DOC, [actor("Vivienne Westwood", "son")], [quantity("62", 62, "62", "62")],
        [DateMention(text="on Friday", value=None, event="", spans=[span("on Friday")])])
    assert [a.role for a in actors] == [""]
    assert [q.counted for q in quantities] == ["years of age"]
    assert [d.event for d in dates] == ["Communications director Jennifer Palmieri spoke"]
    assert [r.section for r in rejected] == ["actors", "quantities"]  # an empty event is no statement


def test_a_quote_is_in_quotation_marks_or_reported_with_a_verb_of_saying() -> None:
    from summarizer.extract.relations import reported
    from summarizer.output.summary import Quote

    raw = ('He said: "We will rebuild the bridge." As Minister Ivan Petrov noted, the bridge '
           "is closed. Toblerone bars come in many sizes. (Photo: AP) Fans wrote 'Love trumps "
           "hate' on a sign.")
    doc = Document(id="q", raw=raw)

    def quote(text: str) -> Quote:
        start = raw.index(text)
        return Quote(speaker="x", text=text,
                     spans=[Span(doc_id="q", start=start, end=start + len(text), text=text)])

    assert reported(doc, quote("We will rebuild the bridge."))       # inside double marks
    assert reported(doc, quote("the bridge is closed"))              # "noted": reported speech
    assert reported(doc, quote("Love trumps hate"))                  # inside single marks
    assert not reported(doc, quote("Toblerone bars come in many sizes"))  # the article's own


def test_a_role_that_says_the_actor_is_a_place_is_left_for_the_main_event() -> None:
    kept, none = role_checked(DOC, actor("Croydon", "location").model_copy(
        update={"spans": [span("Croydon")]}))
    assert (kept.role, none) == ("location", None)
