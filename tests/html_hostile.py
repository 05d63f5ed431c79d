"""A hostile article and a hand-built summary quoting it (written by hand, not model output): every
way markup could run script if the report forgot to escape it."""

from __future__ import annotations

from summarizer.output.summary import (
    EventAnswer,
    EventBlock,
    EventSlot,
    EventSummary,
    Fact,
    Quote,
    RunMetadata,
    SourceDocument,
    Span,
    SummarySentence,
    TokenUsage,
)

RAW = (
    '<script>window.__pwned = 1; document.title = "pwned";</script> opened the session.\n'
    '<img src="x" onerror="window.__pwned = 2"> was shown at the door.\n'
    '<a href="javascript:window.__pwned = 3">a link</a> was posted.\n'
    '</style><style>body { display: none }</style> and </pre></mark><svg onload="window.__pwned = 4">\n'
    '"}]</script><script>window.__pwned = 5</script> & &amp; &lt;b&gt; closed it.\n'
)
TITLE = "<script>window.__pwned = 6</script> report"


def span(text: str) -> Span:
    start = RAW.index(text)
    return Span(doc_id="hostile", start=start, end=start + len(text), text=text)


def hostile_summary() -> EventSummary:
    script, img = span(RAW.splitlines()[0]), span('<img src="x" onerror="window.__pwned = 2">')
    link, style = span('<a href="javascript:window.__pwned = 3">a link</a>'), span("</style><style>")
    svg = span('<svg onload="window.__pwned = 4">')
    end = span('"}]</script><script>window.__pwned = 5</script>')
    return EventSummary(
        document=SourceDocument(id="hostile", title=TITLE),
        headline=SummarySentence(text=TITLE, spans=[script]),
        event=EventBlock(
            who=EventSlot(reason='<img src=x onerror="window.__pwned = 12">'),
            what=EventSlot(answer=EventAnswer(text=TITLE, section="headline",
                                              rule="<b onclick=\"window.__pwned = 13\">r</b>",
                                              spans=[script])),
            when=EventSlot(reason="none"), where=EventSlot(reason="none")),
        event_type="</style><script>window.__pwned = 7</script>",
        summary=[SummarySentence(text='<img src=x onerror="window.__pwned = 8">', spans=[img])],
        when=[], where=[], actors=[],
        facts=[Fact(claim='<a href="javascript:window.__pwned = 9">go</a>', spans=[link]),
               Fact(claim="</style></pre></mark> & &amp;", spans=[style, svg])],
        quantities=[],
        quotes=[Quote(speaker='"}]</script><script>window.__pwned = 10</script>', text=end.text,
                      spans=[end], warnings=["<b onmouseover=\"window.__pwned = 11\">hover</b>"])],
        rejected=[],
        metadata=RunMetadata(model="<i>none</i>", endpoint_kind="hand-built", prompts=[],
                             usage=TokenUsage(), llm_calls=0, elapsed_seconds=0.0),
    )
