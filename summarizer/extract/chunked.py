"""A long article summarized in overlapping chunks and merged back into one EventSummary.

Each chunk (`summarizer.text.chunks`) is summarized by `summarize_document` as a sub-document that
gets the whole article's title, date and URL, so relative dates resolve against the article's own
publication date. Its spans are moved back to the whole article's raw offsets, and items the
overlaps made twice are kept once: the same spans, or the same key as the digest machinery compares
(a name's `normalized_name`, a claim's words, a figure's value, unit and what it counts, a date's
value).
The merge stays here rather than reusing `summarizer.digest`, a sibling layer: one article's parts
need no conflict rules or model judge, only these keys.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import replace
from datetime import date
from typing import TypeVar, cast

from summarizer.errors import ProviderError
from summarizer.extract.asking import EndpointWatch, Exchange, Steps, drive, not_attempted
from summarizer.extract.pipeline import DEFAULT_VARIANT, Variant, source_document, summary_steps
from summarizer.extract.recheck import SupportCheck
from summarizer.llm.provider import Provider
from summarizer.normalize.lexicon import normalized_name, words
from summarizer.output.summary import (
    Actor,
    ChunkPart,
    DateMention,
    EventSummary,
    Fact,
    IncompletePass,
    Place,
    PlantedInstruction,
    Quantity,
    Quote,
    RunMetadata,
    SourceDocument,
    Span,
    SummarySentence,
    TokenUsage,
)
from summarizer.text.chunks import ChunkRange, chunk_ranges
from summarizer.text.document import Document, Metadata

# ctx-size 8192 of the embedded server, less max_tokens 2048 for the answer, leaves 6,144 prompt
# tokens. The recorded prompts (cassettes/) hold 4.5-4.9 characters a token for the seeds, 3.6-4.0
# for the space-tokenized MEANTIME article, so a 12,000-character chunk needs ~2,700-3,400 tokens
# and leaves room for a re-ask, which resends the answer.
DEFAULT_CHUNK_CHARS = 12_000

Item = TypeVar("Item", bound=SummarySentence | DateMention | Place | Actor | Fact | Quantity | Quote
               | PlantedInstruction)


def _shifted(span: Span, offset: int) -> Span:
    return span.model_copy(update={"start": span.start + offset, "end": span.end + offset})


def _moved(item: Item, offset: int) -> Item:
    moved = item.model_copy(update={"spans": [_shifted(s, offset) for s in item.spans]})
    return cast(Item, moved)  # model_copy keeps the type; mypy loses it through the union bound


def _kept_once(items: Iterable[Item], keys: Callable[[Item], Iterable[Hashable]]) -> list[Item]:
    """The first of items that share their spans or any key."""
    seen: set[Hashable] = set()
    kept: list[Item] = []
    for item in items:
        found = {("spans", tuple((s.start, s.end) for s in item.spans)), *keys(item)}
        if found & seen:
            continue
        seen |= found
        kept.append(item)
    return kept


def _words(text: str) -> tuple[str, ...]:
    # every word, figures too: content words alone leave out "3" and would make "3 killed" and
    # "5 killed" one claim
    return tuple(words(text.replace("\u2019", "'")))


def _date_keys(item: DateMention) -> list[Hashable]:
    return [("date", item.value, item.text.lower())] if item.value else []


def _quantity_keys(item: Quantity) -> list[Hashable]:
    return [("quantity", item.value, item.range_high, item.unit, _words(item.counted))]


def summarize_chunked(doc: Document, provider: Provider, chunk_chars: int, *,
                      variant: Variant = DEFAULT_VARIANT,
                      on_call: Callable[[str], None] | None = None,
                      metadata: Metadata | None = None,
                      support_check: SupportCheck = "rules",
                      passes_at_once: Executor | None = None) -> EventSummary:
    """`summarize_document`, with an article longer than `chunk_chars` characters summarized in
    overlapping chunks cut on sentence boundaries and merged; a shorter one exactly as before.
    A chunk whose calls fail is listed in `incomplete` and the next is asked, unless the endpoint
    is down (`endpoint_down`: unreachable, a refused key or model, ...): then no later chunk is
    asked, and each is listed as not attempted."""
    return drive(chunked_steps(doc, provider, chunk_chars, variant=variant, on_call=on_call,
                               metadata=metadata, support_check=support_check),
                 provider, on_call, passes_at_once)


def chunked_steps(doc: Document, provider: Provider, chunk_chars: int, *,
                  variant: Variant = DEFAULT_VARIANT,
                  on_call: Callable[[str], None] | None = None,
                  metadata: Metadata | None = None,
                  support_check: SupportCheck = "rules") -> Steps[EventSummary]:
    """`summarize_chunked` as steps (`summarizer.extract.asking`): the chunks one after another."""
    ranges = chunk_ranges(doc.raw, chunk_chars)
    if len(ranges) == 1:
        return (yield from summary_steps(doc, provider, variant=variant, on_call=on_call,
                                         metadata=metadata, support_check=support_check))
    started = time.perf_counter()
    source = source_document(doc, metadata)
    whole = Metadata(title=source.title, url=source.url,
                     published=date.fromisoformat(source.published) if source.published else None)
    parts: list[tuple[int, EventSummary]] = []
    failed: list[IncompletePass] = []
    first_error: ProviderError | None = None
    for number, part in enumerate(ranges, start=1):
        label = f"chunk {number}/{len(ranges)} (characters {part.start}-{part.end})"

        def announce(step: str, label: str = label) -> None:
            if on_call:
                on_call(f"{step}, {label}")

        sub = Document(id=doc.id, raw=doc.raw[part.start:part.end], path=doc.path)
        watch = EndpointWatch(_labelled(summary_steps(
            sub, provider, variant=variant, on_call=announce, metadata=whole,
            support_check=support_check), label))
        try:
            summary = yield from watch.steps
        except ProviderError as exc:  # the other chunks' items are kept, the gap is named
            first_error = first_error or exc
            failed.append(IncompletePass(name=f"chunk {number}", error=f"{label}: {exc}"))
        else:
            parts.append((part.start, summary))
            failed += [p.model_copy(update={"error": f"{label}: {p.error}"})
                       for p in summary.incomplete]
        if down := watch.down:  # no later chunk would get an answer either: none is asked
            failed += [IncompletePass(name=f"chunk {later}", error=str(not_attempted(down)))
                       for later in range(number + 1, len(ranges) + 1)]
            break
    if not parts:
        assert first_error is not None
        raise first_error
    return _merged(source, parts, ranges, failed, time.perf_counter() - started)


def _labelled(steps: Steps[EventSummary], label: str) -> Steps[EventSummary]:
    """The steps with their requests announced as the chunk's ("overview, chunk 2/3 (...)")."""
    exchange = Exchange(steps)
    while exchange.pending is not None:
        exchange.answer((yield [replace(r, name=f"{r.name}, {label}") for r in exchange.pending]))
    return exchange.result


def _merged(source: SourceDocument, parts: Sequence[tuple[int, EventSummary]],
            ranges: Sequence[ChunkRange],
            failed: list[IncompletePass], elapsed: float) -> EventSummary:
    def every(section: Callable[[EventSummary], Iterable[Item]]) -> list[Item]:
        return [_moved(item, offset) for offset, summary in parts for item in section(summary)]

    first = parts[0][1]
    metas = [summary.metadata for _, summary in parts]
    rejected = {r.model_dump_json(): r for _, s in parts for r in s.rejected}  # the same twice: once
    return EventSummary(
        document=source,
        headline=_moved(first.headline, parts[0][0]),
        event_type=next((s.event_type for _, s in parts if s.event_type), ""),
        summary=_kept_once(every(lambda s: s.summary), lambda i: [("text", _words(i.text))]),
        when=_kept_once(every(lambda s: s.when), _date_keys),
        where=_kept_once(every(lambda s: s.where), lambda i: [("name", normalized_name(i.name))]),
        actors=_kept_once(every(lambda s: s.actors), lambda i: [("name", normalized_name(i.name))]),
        facts=_kept_once(every(lambda s: s.facts), lambda i: [("claim", _words(i.claim))]),
        quantities=_kept_once(every(lambda s: s.quantities), _quantity_keys),
        quotes=_kept_once(every(lambda s: s.quotes),
                          lambda i: [("quote", normalized_name(i.speaker), _words(i.text))]),
        why=_kept_once(every(lambda s: s.why), lambda i: [("why", _words(i.text))]),
        how=_kept_once(every(lambda s: s.how), lambda i: [("how", _words(i.text))]),
        rejected=list(rejected.values()),
        reasked=[r for _, s in parts for r in s.reasked],
        judged=[j for _, s in parts for j in s.judged],
        planted_instructions=_kept_once(every(lambda s: s.planted_instructions), lambda i: []),
        metadata=RunMetadata(
            model=metas[0].model, endpoint_kind=metas[0].endpoint_kind,
            prompts=list(dict.fromkeys(p for m in metas for p in m.prompts)),
            usage=TokenUsage(prompt_tokens=sum(m.usage.prompt_tokens for m in metas),
                             completion_tokens=sum(m.usage.completion_tokens for m in metas)),
            llm_calls=sum(m.llm_calls for m in metas), elapsed_seconds=round(elapsed, 3),
            chunks=[ChunkPart(start=r.start, end=r.end) for r in ranges],
        ),
        incomplete=failed,
    )
