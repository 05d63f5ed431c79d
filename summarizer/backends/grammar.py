"""A JSON Schema as a llama.cpp GBNF grammar that allows no whitespace outside strings.

llama-server turns a `json_schema` into a grammar of its own that lets the model indent, and a small
model does: on the dev gold, indentation, newlines and the spaces after `:` and `,` were a quarter
of the completion tokens (bench/README.md, "Tokens per article"). Sent as `grammar` instead, this
one makes the model write compact JSON (`{"a":1,"b":[2,3]}`), the same values in fewer tokens.

It covers what pydantic writes for our drafts: objects (properties in order, optional ones after
the required ones), arrays with minItems/maxItems, strings with minLength/maxLength, enum, const,
number, integer, boolean, null, anyOf/oneOf and local `$ref`s. The rules for characters and numbers
are llama.cpp's own (common/json-schema-to-grammar.cpp). A number's minimum and maximum are left to
validation (the grammar allows any number). Anything else raises UnsupportedSchema, so a schema is
never constrained by a grammar that means something else: the adapter then sends the schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_PRIMITIVES = {
    "char": r'[^"\\\x7F\x00-\x1F] | [\\] (["\\bfnrt] | "u" [0-9a-fA-F]{4})',
    "integral-part": "[0] | [1-9] [0-9]{0,15}",
    "decimal-part": "[0-9]{1,16}",
    "number": '("-"? integral-part) ("." decimal-part)? ([eE] [-+]? integral-part)?',
    "integer": '("-"? integral-part)',
    "boolean": '("true" | "false")',
    "null": '"null"',
    "string": r'"\"" char* "\""',
}
_NEEDS = {"number": ("integral-part", "decimal-part"), "integer": ("integral-part",),
          "string": ("char",)}
# keywords that only describe: they constrain nothing a grammar must enforce
_ANNOTATIONS = {"title", "description", "default", "examples", "$defs", "definitions",
                "additionalProperties", "$schema"}
# a number's bounds: left to validation (the grammar allows any number; the answer is validated)
_CHECKED_BY_VALIDATION = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}


# Answer formats, as a provider's `parameters["answer_format"]` and a cassette stamp name them:
# under this grammar, or under the JSON schema sent as `response_format` (the default)
COMPACT_JSON = "compact-json-grammar"
JSON_SCHEMA = "json-schema"


class UnsupportedSchema(ValueError):
    """The schema uses a keyword the converter does not translate."""


def literal(text: str) -> str:
    """`text` as a GBNF string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'


def _repeat(item: str, low: int, high: int | None) -> str:
    if high is None:
        return f"{item}{{{low},}}"
    return f"{item}{{{low},{high}}}" if low != high else f"{item}{{{low}}}"


class _Converter:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.rules: dict[str, str] = {}
        self.primitives: set[str] = set()

    def primitive(self, name: str) -> str:
        self.primitives.add(name)
        self.primitives.update(_NEEDS.get(name, ()))
        return name

    def rule_name(self, hint: str) -> str:
        base = re.sub(r"[^a-zA-Z0-9-]+", "-", hint).strip("-") or "rule"
        name, number = base, 1
        while name in self.rules or name in _PRIMITIVES or name == "root":
            number += 1
            name = f"{base}-{number}"
        return name

    def ref(self, pointer: str) -> str:
        if not pointer.startswith("#/"):
            raise UnsupportedSchema(f"only local $refs can be translated, not {pointer!r}")
        key = "ref " + pointer
        if key not in self.rules:
            target: Any = self.root
            for part in pointer[2:].split("/"):
                if not isinstance(target, Mapping) or part not in target:
                    raise UnsupportedSchema(f"$ref {pointer!r} points at nothing")
                target = target[part]
            name = self.rule_name(pointer.rsplit("/", 1)[-1])
            self.rules[key] = name  # reserved first: a schema may refer to itself
            self.rules[name] = self.expression(target)
        return self.rules[key]

    def expression(self, schema: Mapping[str, Any]) -> str:
        unknown = set(schema) - _ANNOTATIONS - _CHECKED_BY_VALIDATION - {
            "type", "properties", "required", "items", "minItems", "maxItems", "minLength",
            "maxLength", "enum", "const", "anyOf", "oneOf", "$ref"}
        if unknown:
            raise UnsupportedSchema(f"JSON Schema keyword(s) not translated: {sorted(unknown)}")
        if schema.get("additionalProperties") not in (None, False):
            raise UnsupportedSchema("additionalProperties other than false is not translated")
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        if "const" in schema:
            return literal(json.dumps(schema["const"], ensure_ascii=False))
        if "enum" in schema:
            return "(" + " | ".join(literal(json.dumps(v, ensure_ascii=False))
                                    for v in schema["enum"]) + ")"
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return "(" + " | ".join(self.expression(s) for s in schema[key]) + ")"
        kind = schema.get("type")
        if isinstance(kind, list):
            return "(" + " | ".join(self.expression({**schema, "type": k}) for k in kind) + ")"
        if kind == "object":
            return self.object(schema)
        if kind == "array":
            return self.array(schema)
        if kind == "string":
            low, high = schema.get("minLength", 0), schema.get("maxLength")
            if not low and high is None:
                return self.primitive("string")
            return r'"\"" ' + _repeat(self.primitive("char"), low, high) + r' "\""'
        if kind in ("number", "integer", "boolean", "null"):
            return self.primitive(kind)
        raise UnsupportedSchema(f"schema without a translatable type: {dict(schema)!r}")

    def object(self, schema: Mapping[str, Any]) -> str:
        properties: Mapping[str, Any] = schema.get("properties", {})
        required = [name for name in properties if name in schema.get("required", ())]
        optional = [name for name in properties if name not in required]

        def pair(name: str) -> str:
            return f'{literal(json.dumps(name, ensure_ascii=False) + ":")} ' \
                   f"{self.expression(properties[name])}"

        if required:
            body = ' "," '.join(pair(name) for name in required)
            body += "".join(f' ("," {pair(name)})?' for name in optional)
        elif optional:
            # none required: any non-empty run of the optional ones, in order, or nothing
            runs = [" ".join([pair(first)] + [f'("," {pair(name)})?'
                                              for name in optional[start + 1:]])
                    for start, first in enumerate(optional)]
            body = "(" + " | ".join(runs) + ")?"
        else:
            body = ""
        return f'"{{" {body} "}}"' if body else '"{" "}"'

    def array(self, schema: Mapping[str, Any]) -> str:
        items = schema.get("items")
        if not isinstance(items, Mapping):
            raise UnsupportedSchema("arrays are translated only with one `items` schema")
        name = self.expression(items)
        if not re.fullmatch(r"[a-zA-Z0-9-]+", name):  # not a rule already: make it one
            name, body = self.rule_name("item"), name
            self.rules[name] = body
        low, high = schema.get("minItems", 0), schema.get("maxItems")
        if high == 0:
            return '"[" "]"'
        rest = _repeat(f'("," {name})', max(low - 1, 0), None if high is None else high - 1)
        inner = f"{name} {rest}"
        return f'"[" {inner} "]"' if low >= 1 else f'"[" ({inner})? "]"'


def compact_grammar(schema: Mapping[str, Any]) -> str:
    """The GBNF grammar of the JSON documents that satisfy `schema`, written without whitespace.
    UnsupportedSchema when the schema uses a keyword it does not translate."""
    converter = _Converter(schema)
    root = converter.expression(schema)
    lines = [f"root ::= {root}"]
    lines += [f"{name} ::= {body}" for name, body in converter.rules.items()
              if not name.startswith("ref ")]
    lines += [f"{name} ::= {_PRIMITIVES[name]}" for name in _PRIMITIVES
              if name in converter.primitives]
    return "\n".join(lines) + "\n"
