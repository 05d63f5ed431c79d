"""The price table: list prices, overrides, and what a run's tokens cost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.backends.prices import (
    DEFAULT_PRICES,
    PRICES_ENV,
    Price,
    PriceTable,
    parse_prices,
)
from summarizer.errors import ConfigurationError


def test_the_table_prices_a_model_and_its_dated_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PRICES_ENV, raising=False)
    table = PriceTable()
    assert table.price("gpt-4o-mini") == Price(0.15, 0.60)
    assert table.price("gpt-4o-mini-2024-07-18") == Price(0.15, 0.60)
    assert table.price("gpt-4o-mini-latest") is None  # not a dated snapshot: no guess
    assert table.price("qwen2.5-coder-1.5b-instruct-q4_k_m", "local") == Price(0.0, 0.0)
    assert table.price("my-own-model") is None


def test_a_cost_is_tokens_times_price_per_million(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PRICES_ENV, raising=False)
    cost = PriceTable().cost("gpt-4o", "openai", 2_000_000, 500_000)
    assert cost.usd == pytest.approx(2 * 2.50 + 0.5 * 10.00)
    assert cost.record() == {"model": "gpt-4o", "prompt_tokens": 2_000_000,
                             "completion_tokens": 500_000, "usd": 10.0,
                             "usd_per_million_tokens": {"input": 2.5, "output": 10.0}}
    half = PriceTable().cost("gpt-4o", "openai", 2_000_000, 500_000, discount=0.5)
    assert half.usd == pytest.approx(5.0)
    unknown = PriceTable().cost("my-own-model", "openai-compatible", 10, 10)
    assert unknown.usd is None and unknown.record()["usd"] is None


def test_prices_given_replace_the_tables_and_keep_the_rest(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    monkeypatch.setenv(PRICES_ENV, "gpt-4o-mini=1/2, my-model = 0.5/0.25")
    table = PriceTable()
    assert table.price("gpt-4o-mini") == Price(1.0, 2.0)
    assert table.price("my-model") == Price(0.5, 0.25)
    assert table.price("gpt-4o") == DEFAULT_PRICES["gpt-4o"]
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"my-model": [3, 4]}), encoding="utf-8")
    assert PriceTable(str(prices)).price("my-model") == Price(3.0, 4.0)
    # prices given explicitly stand in for the environment's, not beside them
    assert PriceTable({"x": Price(1, 1)}).price("gpt-4o-mini") == Price(0.15, 0.60)
    monkeypatch.delenv(PRICES_ENV)
    assert PriceTable().price("gpt-4o-mini") == Price(0.15, 0.60)


@pytest.mark.parametrize("text", ["gpt-4o-mini", "m=1", "m=1/x", "m=-1/2", "m=inf/1", "=1/2"])
def test_a_malformed_price_is_a_configuration_error(text: str) -> None:
    with pytest.raises(ConfigurationError, match="SUMMARIZER_PRICES / --prices"):
        parse_prices(text)


def test_a_malformed_price_file_is_a_configuration_error(tmp_path: Path) -> None:
    for content in ('{"m": "12"}', '{"m": [1]}', "[1, 2]", "not json"):
        path = tmp_path / "p.json"
        path.write_text(content, encoding="utf-8")
        with pytest.raises(ConfigurationError, match="SUMMARIZER_PRICES / --prices"):
            parse_prices(str(path))
