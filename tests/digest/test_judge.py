"""ModelJudge: the provider's answer mapped onto the pairs it was asked (a fake behind the seam)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from summarizer.digest.judge import MAX_PAIRS, ModelJudge, SameClaimsDraft
from summarizer.llm.provider import Extraction, Message


class Answering:
    model = "fake"
    endpoint_kind = "none"
    parameters: Mapping[str, object] = {}

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        self.answers = answers
        self.prompts: list[str] = []

    def extract(self, messages: Sequence[Message], response_model: type[BaseModel],
                context: Mapping[str, object]) -> Extraction[Any]:
        assert response_model is SameClaimsDraft
        self.prompts.append(messages[-1].content)
        return Extraction(SameClaimsDraft.model_validate({"answers": self.answers}), 1, 10, 5)


def test_answers_land_on_their_pairs_and_the_rest_stay_unanswered() -> None:
    provider = Answering([{"pair": 2, "same": True}, {"pair": 9, "same": True},
                          {"pair": 2, "same": False}])
    judge = ModelJudge(provider)
    verdicts = judge([("a", "b"), ("c", "d"), ("e", "f")])
    assert verdicts == [None, True, None]  # pair 9 does not exist; the first answer for 2 counts
    assert judge.calls == 1 and judge.name == "fake"
    (prompt,) = provider.prompts
    assert "Pair 1:\nA: a\nB: b" in prompt and "Pair 3:\nA: e\nB: f" in prompt


def test_nothing_to_ask_makes_no_call_and_a_long_list_is_capped() -> None:
    provider = Answering([])
    judge = ModelJudge(provider)
    assert judge([]) == [] and provider.prompts == []
    pairs = [(f"claim {i}", f"other {i}") for i in range(MAX_PAIRS + 3)]
    assert judge(pairs) == [None] * len(pairs)
    assert f"Pair {MAX_PAIRS}:" in provider.prompts[0] and f"Pair {MAX_PAIRS + 1}:" not in provider.prompts[0]
