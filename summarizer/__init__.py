"""summarizer: grounded event summaries of news articles.

Every claim in an `EventSummary` carries spans into the article's raw text, checked so that
`raw[span.start:span.end] == span.text`.
"""

from summarizer.api import Summarizer, asummarize, merge, summarize, summarize_many
from summarizer.digest_models import ArticleSet, EventDigest
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
from summarizer.render_digest import digest_to_markdown

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
