"""summarizer: grounded event summaries of news articles.

Every claim in an `EventSummary` carries spans into the article's raw text, checked so that
`raw[span.start:span.end] == span.text`. A `str` given as an article is its text, a `Path` a file.
`merge_by_rules` never asks a model; `Summarizer.merge` does. `Provider` is the seam a
`Summarizer(provider=...)` talks to instead of an OpenAI-compatible endpoint.
"""

import typing

from summarizer.api import Summarizer, asummarize, merge_by_rules, summarize, summarize_many
from summarizer.errors import (
    ConfigurationError,
    GroundingError,
    IncompleteError,
    InputError,
    NoBackendError,
    ProviderError,
    RetriesExhaustedError,
    SummarizerError,
)
from summarizer.llm.provider import Extraction, Message, Provider
from summarizer.output.digest import (
    ArticleSet,
    Comparison,
    Conflict,
    Difference,
    DigestAnswer,
    DigestEvent,
    DigestSentence,
    DigestSlot,
    DigestSource,
    DuplicateGroup,
    EventDigest,
    Failure,
    MergedItem,
    ModelDecision,
    TimelineEntry,
    TimelineMention,
    Version,
)
from summarizer.output.html import to_html
from summarizer.output.markdown import to_markdown
from summarizer.output.markdown_digest import digest_to_markdown
from summarizer.output.summary import (
    Actor,
    ChunkPart,
    DateMention,
    EventAnswer,
    EventBlock,
    EventSlot,
    EventSummary,
    Explanation,
    Fact,
    IncompletePass,
    JudgedStatement,
    Place,
    PlantedInstruction,
    PromptStamp,
    Quantity,
    Quote,
    ReaskedStatement,
    RejectedItem,
    RunMetadata,
    SourceDocument,
    Span,
    SummarySentence,
    TokenUsage,
)
from summarizer.text.document import Document, read_article


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("summarizer")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


__version__ = _installed_version()

if not typing.TYPE_CHECKING:  # at run time only: type checkers report the old name as missing
    def __getattr__(name: str) -> object:
        if name == "merge":
            from summarizer.api import deprecated_merge

            return deprecated_merge
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Actor",
    "ArticleSet",
    "ChunkPart",
    "Comparison",
    "ConfigurationError",
    "Conflict",
    "DateMention",
    "Difference",
    "DigestAnswer",
    "DigestEvent",
    "DigestSentence",
    "DigestSlot",
    "DigestSource",
    "Document",
    "DuplicateGroup",
    "EventAnswer",
    "EventBlock",
    "EventDigest",
    "EventSlot",
    "EventSummary",
    "Explanation",
    "Extraction",
    "Fact",
    "Failure",
    "GroundingError",
    "IncompleteError",
    "IncompletePass",
    "InputError",
    "JudgedStatement",
    "MergedItem",
    "Message",
    "ModelDecision",
    "NoBackendError",
    "Place",
    "PlantedInstruction",
    "PromptStamp",
    "Provider",
    "ProviderError",
    "Quantity",
    "Quote",
    "ReaskedStatement",
    "RejectedItem",
    "RetriesExhaustedError",
    "RunMetadata",
    "SourceDocument",
    "Span",
    "Summarizer",
    "SummarizerError",
    "SummarySentence",
    "TimelineEntry",
    "TimelineMention",
    "TokenUsage",
    "Version",
    "asummarize",
    "digest_to_markdown",
    "merge_by_rules",
    "read_article",
    "summarize",
    "summarize_many",
    "to_html",
    "to_markdown",
]
