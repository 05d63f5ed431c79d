"""Prompt templates are files in `prompts/`, loaded by name and rendered with Jinja2.

Each rendered prompt is stamped with a hash of the template, the response schema, the model and
the sampling parameters, so an output says exactly what produced it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from functools import cache

import jinja2
from pydantic import BaseModel

from summarizer.errors import ConfigurationError
from summarizer.resources import resource_dir

SUFFIX = ".jinja"


@cache
def load_template(name: str) -> str:
    path = resource_dir("prompts") / f"{name}{SUFFIX}"
    if not path.is_file():
        raise ConfigurationError(f"prompt template {name!r} not found in prompts/")
    return path.read_text(encoding="utf-8")


_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
                          autoescape=False)


DELIMITER = '"""'  # the templates put the article between two lines of three double quotes
_DELIMITER_RUN = re.compile('"{3,}')


def embeddable(article: str) -> str:
    """The article as it may stand between the templates' delimiters: a run of three or more
    double quotes inside it, which could close its block early, gets each quote backslashed.
    An article without such a run is returned unchanged (its request bodies stay the same)."""
    if DELIMITER not in article:
        return article
    return _DELIMITER_RUN.sub(lambda run: '\\"' * len(run[0]), article)


@cache
def _compiled(name: str) -> jinja2.Template:
    return _ENV.from_string(load_template(name))


@cache
def response_schema(response_model: type[BaseModel]) -> dict[str, object]:
    """The model's JSON Schema, built once per class (a batch asks for it on every call)."""
    return response_model.model_json_schema()


def render(name: str, **variables: object) -> str:
    # compiled once per template: a batch renders the same few templates for every article
    return _compiled(name).render(**variables).strip()


def stamp(name: str, response_model: type[BaseModel], model: str,
          parameters: Mapping[str, object]) -> str:
    """sha256 of (template, response schema, model, parameters)."""
    payload = json.dumps(
        {"template": load_template(name), "schema": response_schema(response_model),
         "model": model, "parameters": dict(parameters)},
        sort_keys=True, default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
