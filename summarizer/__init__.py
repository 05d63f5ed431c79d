"""summarizer: grounded event summaries of news articles.

Every claim in an `EventSummary` carries spans into the article's raw text, checked so that
`raw[span.start:span.end] == span.text`.
"""

from summarizer.api import Summarizer, asummarize, summarize
from summarizer.document import Document, read_article
from summarizer.errors import (
    ConfigurationError,
    GroundingError,
    InputError,
    NoBackendError,
    ProviderError,
    RetriesExhaustedError,
    SummarizerError,
)
from summarizer.models import (
    Actor,
    DateMention,
    EventSummary,
    Fact,
    Place,
    Quantity,
    Quote,
    RejectedItem,
    SourceDocument,
    Span,
    SummarySentence,
)
from summarizer.render import to_markdown

__all__ = [
    "Actor",
    "ConfigurationError",
    "DateMention",
    "Document",
    "EventSummary",
    "Fact",
    "GroundingError",
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
    "read_article",
    "summarize",
    "to_markdown",
]
