"""What the model's tokens cost: a table of list prices for common hosted models (US dollars per
million input and output tokens), overridable, and the cost of a run's usage.

The table is a snapshot, not a feed: OpenAI's standard-tier list prices as of 2026-12-01 (from
platform.openai.com/docs/pricing as reproduced by public price summaries; the official page cannot
be reached from the machine this was written on). Prices change: override them with
SUMMARIZER_PRICES (or `prices=` / `--prices`), "MODEL=INPUT/OUTPUT" pairs separated by commas
("gpt-4o-mini=0.15/0.60,my-model=1/2"), or the path of a JSON file {"MODEL": [INPUT, OUTPUT]}. A
given price replaces the table's for that model; the others stay. The embedded local model costs
nothing. A model with no price has no cost (None), never a guessed one.

A dated snapshot ("gpt-4o-mini-2024-07-18") is priced as its model. The OpenAI Batch API bills
half the standard price (`discount`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import ConfigurationError

PRICES_ENV = "SUMMARIZER_PRICES"
PRICES_DATE = "2026-12-01"
BATCH_API_DISCOUNT = 0.5  # the Batch API's price, as a share of the standard one


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: float
    output: float


# Standard tier, USD per 1M tokens (see the module docstring for the date and the source).
DEFAULT_PRICES: Mapping[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-5": Price(1.25, 10.00),
    "gpt-5-mini": Price(0.25, 2.00),
    "o3-mini": Price(1.10, 4.40),
    "gpt-3.5-turbo": Price(0.50, 1.50),
}
_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")
_PAIR = re.compile(r"\s*(?P<model>[^=,\s][^=,]*?)\s*=\s*(?P<input>[^/,\s]+)\s*/\s*(?P<output>[^,\s]+)\s*")


@dataclass(frozen=True)
class Cost:
    """What one run's tokens cost at `price` (None: no price is known for `model`)."""

    model: str
    prompt_tokens: int
    completion_tokens: int
    price: Price | None
    discount: float = 1.0

    @property
    def usd(self) -> float | None:
        if self.price is None:
            return None
        return (self.prompt_tokens * self.price.input
                + self.completion_tokens * self.price.output) * self.discount / 1e6

    def record(self) -> dict[str, object]:
        price = None if self.price is None else {
            "input": self.price.input * self.discount, "output": self.price.output * self.discount}
        usd = self.usd
        return {"model": self.model, "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "usd": None if usd is None else round(usd, 8), "usd_per_million_tokens": price}


class PriceTable:
    """The prices a run uses: the defaults, with what is given in their place."""

    def __init__(self, given: str | Mapping[str, Price] | None = None) -> None:
        self._prices = dict(DEFAULT_PRICES)
        if given is None:
            given = os.environ.get(PRICES_ENV) or None
        if isinstance(given, str):
            given = parse_prices(given)
        self._prices.update(given or {})

    def price(self, model: str, endpoint_kind: str = "") -> Price | None:
        if endpoint_kind == "local":
            return Price(0.0, 0.0)  # the embedded model runs on this machine
        if model in self._prices:
            return self._prices[model]
        undated = _SNAPSHOT.sub("", model)
        return self._prices.get(undated)

    def cost(self, model: str, endpoint_kind: str, prompt_tokens: int, completion_tokens: int,
             discount: float = 1.0) -> Cost:
        return Cost(model, prompt_tokens, completion_tokens, self.price(model, endpoint_kind),
                    discount)


def parse_prices(text: str) -> dict[str, Price]:
    """"MODEL=IN/OUT,..." or the path of a JSON file {"MODEL": [IN, OUT]}; ConfigurationError
    names what is wrong."""
    where = f"{PRICES_ENV} / --prices"
    if text.strip().endswith(".json"):
        path = Path(text.strip())
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"{where}: {path} is no readable JSON file ({exc})") from exc
        if not isinstance(raw, dict):
            raise ConfigurationError(f'{where}: {path} must hold {{"MODEL": [INPUT, OUTPUT]}}')
        pairs = [(str(model), value) for model, value in raw.items()]
    else:
        pairs = []
        for part in text.split(","):
            if not part.strip():
                continue
            found = _PAIR.fullmatch(part)
            if found is None:
                raise ConfigurationError(f"{where}: {part.strip()!r} is not MODEL=INPUT/OUTPUT "
                                         "(US dollars per million tokens)")
            pairs.append((found["model"], [found["input"], found["output"]]))
    prices = {}
    for model, value in pairs:
        try:
            if not isinstance(value, list | tuple) or len(value) != 2:
                raise ValueError(value)
            low, high = float(value[0]), float(value[1])
        except (TypeError, ValueError):
            raise ConfigurationError(f"{where}: the price of {model!r} must be two numbers "
                                     f"(input, output), not {value!r}") from None
        if not (0 <= low < float("inf") and 0 <= high < float("inf")):
            raise ConfigurationError(f"{where}: the price of {model!r} must be >= 0")
        prices[model] = Price(low, high)
    return prices
