"""The JSON Schemas of the output, generated from the pydantic models; `schemas/` holds copies.

`summary`: one article's `EventSummary` (what `summarize` prints for one article);
`articles`: the `ArticleSet` printed for several articles (summaries and event digests).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel

from summarizer.output.digest import ArticleSet
from summarizer.output.summary import EventSummary
from summarizer.resources import resource_dir

SchemaKind = Literal["summary", "articles"]
SCHEMA_FILES: dict[SchemaKind, str] = {"summary": "event_summary.schema.json",
                                       "articles": "article_set.schema.json"}
SCHEMA_NAME = SCHEMA_FILES["summary"]
_MODELS: dict[SchemaKind, type[BaseModel]] = {"summary": EventSummary, "articles": ArticleSet}


def output_schema(kind: SchemaKind = "summary") -> dict[str, Any]:
    schema = _MODELS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text(kind: SchemaKind = "summary") -> str:
    return json.dumps(output_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def committed_schema_text(kind: SchemaKind = "summary") -> str:
    """The schema file shipped in `schemas/` (inside the wheel, or in the checkout)."""
    return (resource_dir("schemas") / SCHEMA_FILES[kind]).read_text(encoding="utf-8")
