"""summarizer: grounded event summaries of news articles.

Every claim in an `EventSummary` carries spans into the article's raw text, checked so that
`raw[span.start:span.end] == span.text`.
"""

from summarizer.api import Summarizer, asummarize, merge, summarize, summarize_many
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
from summarizer.output.digest import ArticleSet, EventDigest
from summarizer.output.markdown import to_markdown
from summarizer.output.markdown_digest import digest_to_markdown
from summarizer.output.summary import (
    Actor,
    DateMention,
    EventSummary,
    Fact,
    IncompletePass,
    Place,
    Quantity,
    Quote,
    RejectedItem,
    SourceDocument,
    Span,
    SummarySentence,
)
from summarizer.text.document import Document, read_article

__all__ = [
    "Actor",
    "ArticleSet",
    "ConfigurationError",
    "DateMention",
    "Document",
    "EventDigest",
    "EventSummary",
    "Fact",
    "GroundingError",
    "IncompleteError",
    "IncompletePass",
    "InputError",
    "NoBackendError",
    "Place",
    "ProviderError",
    "Quantity",
    "Quote",
    "RejectedItem",
    "RetriesExhaustedError",
    "SourceDocument",
    "Span",
    "Summarizer",
    "SummarizerError",
    "SummarySentence",
    "asummarize",
    "digest_to_markdown",
    "merge",
    "read_article",
    "summarize",
    "summarize_many",
    "to_markdown",
]
