"""The model as a last resort for merging: asked only whether pairs of claims the rules could not
decide report the same fact, all pairs of an event in one call.

The merge itself stays deterministic and model-free (`summarizer.digest.merging` takes any `Judge`); this
module adapts a Provider to that interface. A pair the model does not answer stays unmerged.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from summarizer.llm import prompts
from summarizer.llm.provider import Message, Provider

MAX_PAIRS = 12  # one short call; the closest pairs first (merging orders them)


class PairAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    pair: int = Field(ge=1, description="The pair's number.")
    same: bool = Field(description="Whether both statements report the same fact.")


class SameClaimsDraft(BaseModel):
    model_config = ConfigDict(extra="ignore")
    answers: list[PairAnswer] = Field(max_length=MAX_PAIRS)


class ModelJudge:
    """Callable as `Judge`: pairs of claims in, one verdict per pair out (None: not answered)."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.calls = 0

    @property
    def name(self) -> str:
        return self.provider.model

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[bool | None]:
        asked = list(pairs[:MAX_PAIRS])
        if not asked:
            return []
        messages = [Message("user", prompts.render("same_claims", pairs=asked))]
        result = self.provider.extract(messages, SameClaimsDraft, {})
        self.calls += result.calls
        verdicts: list[bool | None] = [None] * len(pairs)
        for answer in result.value.answers:
            if 1 <= answer.pair <= len(asked) and verdicts[answer.pair - 1] is None:
                verdicts[answer.pair - 1] = answer.same
        return verdicts
