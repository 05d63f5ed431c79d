"""Archives, not articles: many articles summarized concurrently, resumably, every one accounted for.

`run_batch` is what `summarizer batch` runs: inputs streamed from files, directories and JSONL
through `Summarizer.stream` into the results and errors files, with the cache, the rate limits and
the totals. The outcomes (`Done`, `Failed`, `Skipped`) are the library's (`summarizer.api.stream`).
"""

from summarizer.api.stream import Article, Done, Failed, Skipped, Unreadable
from summarizer.batch.inputs import read_inputs
from summarizer.batch.session import Totals, run_batch

__all__ = ["Article", "Done", "Failed", "Skipped", "Totals", "Unreadable", "read_inputs", "run_batch"]
