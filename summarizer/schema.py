"""The JSON Schema of the output, generated from the pydantic models; `schemas/` holds a copy."""

from __future__ import annotations

import json
from typing import Any

from summarizer.models import EventSummary
from summarizer.resources import resource_dir

SCHEMA_NAME = "event_summary.schema.json"


def output_schema() -> dict[str, Any]:
    schema = EventSummary.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text() -> str:
    return json.dumps(output_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def committed_schema_text() -> str:
    """The schema file shipped in `schemas/` (inside the wheel, or in the checkout)."""
    return (resource_dir("schemas") / SCHEMA_NAME).read_text(encoding="utf-8")
