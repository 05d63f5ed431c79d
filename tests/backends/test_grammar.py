"""The compact JSON grammar sent to llama-server in place of a JSON schema.

The grammars of our drafts do not refer to themselves, so a test can expand one into a Python
regular expression and check what it accepts: the compact JSON of valid answers, and not the
indented JSON, a missing key, a list too long or a string too short.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import httpx2
import pytest
from pydantic import BaseModel, Field

from summarizer.backends.grammar import UnsupportedSchema, compact_grammar, literal
from summarizer.backends.local import MODEL_NAME
from summarizer.backends.openai import OpenAIProvider
from summarizer.digest.judge import SameClaimsDraft
from summarizer.extract.drafts import (
    EntitiesDraft,
    FiguresDraft,
    OverviewDraft,
    SingleDraft,
    figures_draft,
)
from summarizer.extract.recheck import RestatedDraft, SupportAnswersDraft, _sized
from summarizer.llm.provider import Message

_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|[a-zA-Z0-9-]+|\{\d*,?\d*\}|[()|?*+])')


def as_regex(grammar: str) -> re.Pattern[str]:
    """The language of a GBNF grammar without recursion, as a regular expression."""
    rules = dict(line.split(" ::= ", 1) for line in grammar.strip().splitlines())

    def expand(body: str) -> str:
        out, position = [], 0
        while position < len(body):
            match = _TOKEN.match(body, position)
            assert match, f"cannot read {body[position:]!r}"
            token, position = match.group(1), match.end()
            if token.startswith('"'):
                out.append(re.escape(json.loads(token)))
            elif token.startswith("[") or token[0] in "(){|?*+":
                out.append("(?:" if token == "(" else token)
            else:
                out.append(f"(?:{expand(rules[token])})")
        return "".join(out)

    return re.compile(expand(rules["root"]), re.DOTALL)


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Tiny(BaseModel):
    kind: Literal["person", "place"]
    name: str = Field(min_length=2, max_length=5)
    count: int
    tags: list[str] = Field(min_length=1, max_length=2)
    note: str | None = None


def test_a_small_schema_gives_exactly_this_grammar() -> None:
    assert compact_grammar(Tiny.model_json_schema()) == (
        'root ::= "{" "\\"kind\\":" ("\\"person\\"" | "\\"place\\"") "," '
        '"\\"name\\":" "\\"" char{2,5} "\\"" "," "\\"count\\":" integer "," '
        '"\\"tags\\":" "[" string ("," string){0,1} "]" ("," "\\"note\\":" (string | null))? "}"\n'
        'char ::= [^"\\\\\\x7F\\x00-\\x1F] | [\\\\] (["\\\\bfnrt] | "u" [0-9a-fA-F]{4})\n'
        "integral-part ::= [0] | [1-9] [0-9]{0,15}\n"
        'integer ::= ("-"? integral-part)\n'
        'null ::= "null"\n'
        'string ::= "\\"" char* "\\""\n'
    )


def test_it_accepts_compact_answers_and_nothing_else() -> None:
    grammar = as_regex(compact_grammar(Tiny.model_json_schema()))
    good = {"kind": "place", "name": "Gaza", "count": -12, "tags": ["a \"b\"", "c\\d"]}
    assert grammar.fullmatch(compact(good))
    assert grammar.fullmatch(compact({**good, "note": None}))
    assert grammar.fullmatch(compact({**good, "note": "ü"}))
    for bad in (json.dumps(good), json.dumps(good, indent=2), compact({**good, "kind": "thing"}),
                compact({**good, "name": "G"}), compact({**good, "name": "Gaza Strip"}),
                compact({**good, "tags": []}), compact({**good, "tags": ["a", "b", "c"]}),
                compact({**good, "count": 1.5}),
                compact({k: v for k, v in good.items() if k != "count"}),
                compact({**good, "extra": 1})):
        assert not grammar.fullmatch(bad), bad


@pytest.mark.parametrize("draft", [OverviewDraft, EntitiesDraft, FiguresDraft, SingleDraft,
                                   _sized(SupportAnswersDraft, 3), _sized(RestatedDraft, 2),
                                   SameClaimsDraft],
                         ids=lambda model: model.__name__)
def test_every_draft_sent_to_the_model_has_a_grammar_that_accepts_its_answers(draft: Any) -> None:
    grammar = as_regex(compact_grammar(draft.model_json_schema()))
    example = {
        OverviewDraft: {"headline": {"evidence": "Nearly 600", "text": "Russia evacuates."},
                        "event_type": "evacuation",
                        "summary": [{"evidence": "on Sunday"}], "facts": [],
                        "why": [{"evidence": "to oversee the evacuations"}], "how": []},
        FiguresDraft: {"quantities": [{"evidence": "Nearly 600", "value": 600.5,
                                       "counted": "citizens"}],
                       "dates": [{"expression": "on Sunday", "event": "evacuation"}]},
    }.get(draft)
    if example is not None:
        assert grammar.fullmatch(compact(draft.model_validate(example).model_dump()))
        assert not grammar.fullmatch(json.dumps(example, indent=2))
    for name in draft.model_json_schema()["properties"]:
        assert literal(json.dumps(name) + ":") in compact_grammar(draft.model_json_schema())


def test_a_numbers_bounds_are_left_to_validation() -> None:
    grammar = as_regex(compact_grammar(SameClaimsDraft.model_json_schema()))
    assert grammar.fullmatch('{"answers":[{"pair":1,"same":true},{"pair":0,"same":false}]}')
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        SameClaimsDraft.model_validate_json('{"answers":[{"pair":0,"same":false}]}')


def test_a_keyword_it_does_not_translate_is_refused() -> None:
    with pytest.raises(UnsupportedSchema, match="pattern"):
        compact_grammar({"type": "string", "pattern": "^a+$"})
    with pytest.raises(UnsupportedSchema, match="additionalProperties"):
        compact_grammar({"type": "object", "additionalProperties": {"type": "string"}})


def test_literals_escape_quotes_backslashes_and_line_ends() -> None:
    assert literal('say "hi"\\\n') == '"say \\"hi\\"\\\\\\n"'


def _body_sent(model: str, *, response_model: type[BaseModel] = FiguresDraft,
               answer: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
    bodies: list[dict[str, Any]] = []
    answer = answer if answer is not None else {"quantities": [], "dates": []}

    def handle(request: httpx2.Request) -> httpx2.Response:
        bodies.append(json.loads(request.content))
        content = compact(answer)
        return httpx2.Response(200, json={
            "id": "x", "object": "chat.completion", "created": 1, "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

    provider = OpenAIProvider(model=model, base_url="http://fake.test/v1",
                              http_client=httpx2.Client(transport=httpx2.MockTransport(handle)),
                              **options)
    result = provider.extract([Message("user", "Numbers?")], response_model, {})
    assert result.value.model_dump() == answer
    (body,) = bodies
    return body


def test_asked_for_compact_json_it_sends_the_grammar_instead_of_the_schema_and_says_so() -> None:
    body = _body_sent(MODEL_NAME, compact_json=True)
    assert "response_format" not in body
    assert body["grammar"] == compact_grammar(FiguresDraft.model_json_schema())
    assert body["messages"] == [{"role": "user", "content": (
        'Numbers? Write the JSON on one line, with no spaces or line breaks between its parts, '
        'like {"a":[{"b":"c"},{"b":"d"}],"e":1}.')}]


class Coded(BaseModel):
    code: str = Field(pattern="^[A-Z]{3}$")


def test_a_schema_the_grammar_cannot_say_is_sent_as_the_schema_without_the_sentence() -> None:
    body = _body_sent(MODEL_NAME, compact_json=True, response_model=Coded, answer={"code": "ABC"})
    assert "grammar" not in body
    assert body["response_format"]["json_schema"]["schema"] == Coded.model_json_schema()
    assert body["messages"] == [{"role": "user", "content": "Numbers?"}]


def test_by_default_it_sends_the_json_schema() -> None:
    body = _body_sent(MODEL_NAME)
    assert "grammar" not in body
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == FiguresDraft.model_json_schema()
    assert body["messages"] == [{"role": "user", "content": "Numbers?"}]


def test_the_figures_schema_asks_for_a_quantity_per_listed_phrase_up_to_its_bound() -> None:
    assert figures_draft(0) is FiguresDraft
    three = figures_draft(3)
    assert three.model_json_schema()["properties"]["quantities"] | {"items": None} == {
        "items": None, "minItems": 3, "maxItems": 8, "title": "Quantities", "type": "array"}
    assert figures_draft(20).model_json_schema()["properties"]["quantities"]["minItems"] == 8
    grammar = as_regex(compact_grammar(three.model_json_schema()))
    quantity = {"evidence": "Nearly 600", "value": 600, "counted": "citizens"}
    assert grammar.fullmatch(compact({"quantities": [quantity] * 3, "dates": []}))
    assert not grammar.fullmatch(compact({"quantities": [quantity] * 2, "dates": []}))
    # only the model is asked for them: a shorter answer still validates (and is not lost)
    assert three.model_validate({"quantities": [quantity], "dates": []}).quantities[0].value == 600


def test_the_pipeline_asks_the_figures_pass_for_each_count_phrase_of_the_article() -> None:
    from summarizer.extract.pipeline import summarize_document
    from summarizer.normalize.count_phrases import count_phrases
    from summarizer.text.document import read_article
    from tests.cli.test_cli import SEED, FakeProvider

    asked: list[type[Any]] = []

    class Recording(FakeProvider):
        def extract(self, messages: Any, response_model: type[Any], context: Any) -> Any:
            asked.append(response_model)
            return super().extract(messages, response_model, context)

    doc = read_article(SEED)
    summarize_document(doc, Recording())
    (figures,) = [m for m in asked if issubclass(m, FiguresDraft)]
    listed = len(count_phrases(doc.view.strip()))
    assert listed == 6
    assert figures.model_json_schema()["properties"]["quantities"]["minItems"] == listed
