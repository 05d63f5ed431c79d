"""Archives, not articles: many articles summarized concurrently, resumably, every one accounted for.

`summarize_stream` (and `asummarize_stream`) yield each article's outcome as it completes;
`run_batch` is what `summarizer batch` runs: results and errors files, cache, rate limits, totals.
"""

from summarizer.batch.inputs import Article, Unreadable, read_inputs
from summarizer.batch.runner import Done, Failed, Skipped, asummarize_stream, summarize_stream
from summarizer.batch.session import Totals, run_batch

__all__ = ["Article", "Done", "Failed", "Skipped", "Totals", "Unreadable", "asummarize_stream",
           "read_inputs", "run_batch", "summarize_stream"]
