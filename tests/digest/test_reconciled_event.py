"""The digest's event block (answers reconciled across sources) and its extractive summary, on
hand-built articles with exact expected values."""

from __future__ import annotations

from summarizer.digest.merging import merge
from summarizer.digest.narrative import _sentences
from summarizer.digest.reconciled_event import reconcile
from summarizer.output.summary import EventSummary, Span
from summarizer.text.document import Document
from tests.digest.test_merging import summary

FREED = ("Rescuers freed 40 miners from the Tanta coal mine on Monday after a two-day effort. "
         "The same mine collapsed on January 2 in an accident that killed 12 workers and hurt others. "
         "There were 30 rescuers on site when the last miner was brought up into the light. "
         "Officials said the miners were in good health after the long rescue effort.")
COPY = FREED.replace("two-day effort", "two day effort")
OTHER = ("Forty miners trapped in the Tanta coal mine were freed by rescuers on Monday, officials "
         "said. The miners had been trapped for two days after a tunnel collapse deep underground. "
         "Families waited at the gate through the night for news of the trapped miners.")
WHEN: list[tuple[str, str, str, list[str]]] = [
    ("on Monday", "2024-03-04", "freed", []), ("January 2", "2024-01-02", "collapse", [])]


def summarized(doc_id: str, raw: str, actors: list[str], dates: list[tuple[str, str, str, list[str]]],
               quantities: list[tuple[str, float, str, str]] | None = None) -> tuple[Document, EventSummary]:
    doc = Document(id=doc_id, raw=raw)
    return doc, summary(doc, actors=[a for a in actors if a in raw], dates=[d for d in dates if d[0] in raw],
                        quantities=[q for q in quantities or [] if q[0] in raw],  # type: ignore[misc]
                        published="2024-03-06")


def test_sources_that_agree_give_the_answer_with_their_count() -> None:
    (_, a), (_, b) = summarized("a", FREED, ["Rescuers"], WHEN), summarized("b", OTHER, ["rescuers"], WHEN)
    slot = reconcile("who", [a, b], {"a": "story-1", "b": "story-2"})
    assert slot.answer is not None
    assert (slot.answer.text, slot.answer.sources, slot.answer.corroboration) == (
        "Rescuers", ["a", "b"], 2)
    assert (slot.rule, slot.versions, slot.answered_by) == ("all 2 independent sources agree", [], 2)
    when = reconcile("when", [a, b], {"a": "story-1", "b": "story-2"})
    assert when.answer is not None and when.answer.key == "2024-03-04"
    # copies of one story count once
    copy = reconcile("who", [a, b], {"a": "story-1", "b": "story-1"})
    assert copy.answer is not None and copy.answer.corroboration == 1
    assert copy.rule == "the only source"


def test_sources_that_differ_are_a_conflict_and_a_tie_gives_no_answer() -> None:
    (_, a), (_, b) = summarized("a", FREED, ["Rescuers"], WHEN), summarized("b", OTHER, ["Families"], WHEN)
    (_, c) = summarized("c", OTHER, ["Families"], WHEN)
    # two agents named by two sources do not contradict each other: the first source's is the
    # answer, and both are listed; two days that tie do contradict each other
    tie = reconcile("who", [a, b], {"a": "s1", "b": "s2"})
    assert tie.answer is not None and tie.answer.text == "Rescuers"
    assert tie.rule == "the first source's version; 2 versions, none put first by more sources"
    assert [(v.text, v.sources) for v in tie.versions] == [("Rescuers", ["a"]), ("Families", ["b"])]
    (_, later) = summarized("l", OTHER, ["Families"], [("on Monday", "2024-03-11", "freed", [])])
    days = reconcile("when", [a, later], {"a": "s1", "l": "s2"})
    assert (days.answer, days.reason) == (None, "the independent sources disagree")
    most = reconcile("who", [a, b, c], {"a": "s1", "b": "s2", "c": "s3"})
    assert most.answer is not None and most.answer.text == "Families"
    assert most.rule == "most independent sources (2 of 3); the others differ"
    assert len(most.versions) == 2


def test_digest_summary_tells_the_event_from_source_sentences() -> None:
    numbers = [("40 miners", 40.0, "miners", "exact"), ("12 workers", 12.0, "workers", "exact"),
               ("30 rescuers", 30.0, "rescuers", "exact")]
    pairs = [summarized("a", FREED, ["Rescuers", "Tanta"], WHEN, numbers),
             summarized("a2", COPY, ["Rescuers", "Tanta"], WHEN, numbers),
             summarized("b", OTHER, ["Families", "Tanta"], WHEN, numbers)]
    docs = [doc for doc, _ in pairs]
    (digest,) = merge([s for _, s in pairs], docs)
    told = [(s.text[:40], s.sources, s.single_outlet) for s in digest.summary]
    assert told == [
        # outlet b says it too (a day and overlapping words): cited, so not a single outlet's
        ("Rescuers freed 40 miners from the Tanta ", ["a", "a2", "b"], False),
        ("Officials said the miners were in good h", ["a", "a2"], True),
        ("The miners had been trapped for two days", ["b"], True),
        ("Families waited at the gate through the ", ["b"], True),
    ]  # the January collapse is background (two months before the article's date): left out
    assert 3 <= len(told) <= 6
    raw = {doc.id: doc.raw for doc in docs}
    for sentence in digest.summary:
        assert all(raw[s.doc_id][s.start:s.end] == s.text for s in sentence.spans)
        assert sentence.text == sentence.spans[0].text


def test_a_sentence_pointing_back_is_told_with_the_one_before() -> None:
    raw = ("The second group of evacuees arrived in Moscow late at night. There were 98 people on "
           "board the plane that landed.\nIt rained the whole day over the city and its airport.")
    doc = Document(id="x", raw=raw)
    assert [raw[s:e] for s, e in _sentences(doc)] == [
        raw.split("\n")[0], "It rained the whole day over the city and its airport."]  # new paragraph


def test_why_is_matched_on_content_words_like_what_not_as_a_name() -> None:
    from summarizer.output.summary import EventAnswer, EventSlot

    def with_why(doc: Document, summary_: EventSummary, words: str) -> EventSummary:
        start = doc.raw.index(words)
        answer = EventAnswer(text=words, section="why", index=0, rule="r", spans=[
            Span(doc_id=doc.id, start=start, end=start + len(words), text=words)])
        event = summary_.event.model_copy(update={"why": EventSlot(answer=answer)})
        return summary_.model_copy(update={"event": event})

    (doc_a, a), (doc_b, b) = (summarized("a", FREED, ["Rescuers"], WHEN),
                              summarized("b", OTHER, ["rescuers"], WHEN))
    a = with_why(doc_a, a, "after a two-day effort")
    b = with_why(doc_b, b, "trapped for two days after a tunnel collapse")
    slot = reconcile("why", [a, b], {"a": "s1", "b": "s2"})
    # two wordings that share too few words are two versions: the first source's answers, both listed
    assert slot.answer is not None and slot.answer.text == "after a two-day effort"
    assert slot.rule == "the first source's version; 2 versions, none put first by more sources"
    assert [v.text for v in slot.versions] == ["after a two-day effort",
                                               "trapped for two days after a tunnel collapse"]
    b = with_why(doc_b, b, "two days")
    a = with_why(doc_a, a, "a two-day effort")
    agreed = reconcile("why", [a, b], {"a": "s1", "b": "s2"})
    assert agreed.answer is not None and agreed.answer.sources == ["a", "b"]
    assert reconcile("how", [a, b], {"a": "s1", "b": "s2"}).reason == "no source answers it"


def test_digest_summary_skips_captions_credits_and_link_lines() -> None:
    caption = ("Rescuers at the Tanta coal mine gate on Monday morning in the rain. "
               "**Ivan Petrov / AP**\n")
    links = "**Related article:** [Forty miners trapped in the Tanta coal mine freed](#)\n"
    doc, a = summarized("a", caption + links + FREED, ["Rescuers"], WHEN)
    (digest,) = merge([a], [doc])
    told = " ".join(sentence.text for sentence in digest.summary)
    assert "Ivan Petrov" not in told and "Related article" not in told and "](" not in told
    assert any(s.text.startswith("Rescuers freed 40 miners") for s in digest.summary)


def test_the_same_answer_in_other_words_is_one_version_and_runners_up_weigh() -> None:
    from summarizer.digest.reconciled_event import _keys, _same
    from summarizer.output.summary import EventAnswer

    placed = EventAnswer(text="Croydon, South London", section="where", rule="r",
                         spans=[Span(doc_id="a", start=0, end=21, text="Croydon, South London")])
    assert _keys("where")(placed) == "croydon"                     # the region places it
    assert _same("who", "clinton", "hillary clinton")             # the same last word
    assert not _same("who", "trump", "trump tower")               # last words differ
    assert not _same("who", "trump", "lady gaga")
    assert _same("what", "derails tram", "derails speeding tram")  # one's words all the other's
    assert not _same("when", "2024-03-04", "2024-03-11")
    (_, a), (_, b) = summarized("a", FREED, ["Rescuers"], WHEN), summarized("b", OTHER, ["Families"], WHEN)
    (_, c) = summarized("c", OTHER, ["officials"], WHEN)
    # c puts "officials" first and "Families" among its runners-up: Families weighs more
    c_event = c.event.model_copy(update={"who": c.event.who.model_copy(update={
        "runners_up": [b.event.who.answer]})})
    c = c.model_copy(update={"event": c_event})
    slot = reconcile("who", [a, b, c], {"a": "s1", "b": "s2", "c": "s3"})
    assert slot.answer is not None and slot.answer.text == "Families"
    assert slot.rule == ("most central: 1 of 3 independent sources put it first and others among "
                         "their runners-up (weight 1.5)")


def test_two_days_put_first_by_one_source_each_are_settled_by_the_others_runners_up() -> None:
    (_, a), (_, b) = summarized("a", FREED, ["Rescuers"], WHEN), \
        summarized("b", OTHER, ["rescuers"], [("on Monday", "2024-03-11", "freed", [])])
    (_, c) = summarized("c", OTHER, ["officials"], [("on Monday", "2024-03-12", "freed", [])])
    assert reconcile("when", [a, b], {"a": "s1", "b": "s2"}).answer is None
    monday = a.event.when.answer
    c_event = c.event.model_copy(update={"when": c.event.when.model_copy(update={
        "runners_up": [monday]})})
    c = c.model_copy(update={"event": c_event})
    slot = reconcile("when", [a, b, c], {"a": "s1", "b": "s2", "c": "s3"})
    assert slot.answer is not None and slot.answer.key == "2024-03-04"
    assert slot.rule is not None and slot.rule.startswith("most central")


def test_a_sentence_that_begins_inside_a_quotation_is_not_told() -> None:
    from summarizer.digest.narrative import _inside_quote

    assert _inside_quote('it was not safe." He said he had spoken to the driver.')
    assert _inside_quote("it was not safe\u201d, he said.")
    assert not _inside_quote('He said the tram was "going too fast" at the bend.')
    assert not _inside_quote("Seven people were killed when the tram derailed.")
