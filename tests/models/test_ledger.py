"""The ledger: prices, overrides, per-purpose sums and budget checks."""

from __future__ import annotations

import json

import pytest

from optimizer_agent.models import BudgetExhausted, Ledger, load_prices
from optimizer_agent.models.ledger import estimate_tokens, price_for, read_ledger


def test_dated_snapshots_use_the_longest_matching_price():
    prices = load_prices()
    assert price_for(prices, "gpt-4o-mini-2024-07-18").input == 0.15
    assert price_for(prices, "gpt-4o-2024-08-06").input == 2.50
    assert price_for(prices, "llama-3-70b") is None


def test_overrides_from_a_dict_json_and_toml(tmp_path):
    assert load_prices({"local": {"input": 0, "output": 0}})["local"].output == 0
    json_file = tmp_path / "prices.json"
    json_file.write_text(json.dumps({"gpt-4o": {"input": 1.0, "output": 2.0}}))
    assert load_prices(json_file)["gpt-4o"].input == 1.0
    toml_file = tmp_path / "prices.toml"
    toml_file.write_text('[my-model]\ninput = 0.5\noutput = 1.5\n')
    table = load_prices(toml_file)
    assert table["my-model"].output == 1.5
    assert table["gpt-4o-mini"].input == 0.15


def test_record_sums_per_purpose_and_flags_unpriced_models():
    ledger = Ledger()
    cost = ledger.record("gpt-4o", 1_000_000, 100_000, "generate")
    ledger.record("local-llama", 500, 500, "plan")
    assert cost == pytest.approx(2.50 + 1.00)
    assert ledger.total.requests == 2 and ledger.total.tokens == 1_101_000
    assert ledger.by_purpose["plan"].cost_usd == 0
    assert ledger.unpriced_models == ["local-llama"]


def test_budgets_are_checked_before_spending():
    ledger = Ledger(budget_tokens=1000)
    ledger.check(prompt_estimate=999)
    ledger.record("m", 600, 400, "generate")
    assert ledger.remaining_tokens() == 0
    with pytest.raises(BudgetExhausted, match="1000 of 1000"):
        ledger.check()


def test_one_refusal_stops_the_run_asking_even_for_small_prompts():
    ledger = Ledger(budget_tokens=1000)
    with pytest.raises(BudgetExhausted, match="next prompt ~1001"):
        ledger.check(prompt_estimate=1001)
    assert ledger.stopped and ledger.total.requests == 0
    with pytest.raises(BudgetExhausted, match="next prompt ~1001"):
        ledger.check(prompt_estimate=1)


def test_an_attached_ledger_survives_the_process(tmp_path):
    path = tmp_path / "ledger.json"
    first = Ledger(budget_tokens=100).attach(path)
    first.record("gpt-4o-mini", 40, 20, "diagnose")
    first.record("gpt-4o-mini", 30, 0, "generate")
    with pytest.raises(BudgetExhausted):
        first.check("gpt-4o-mini", 50)
    saved = json.loads(path.read_text())
    assert saved["total"]["requests"] == 2 and "prices" not in saved

    resumed = Ledger(budget_tokens=100).attach(path)
    assert resumed.total.tokens == 90 and resumed.by_purpose["diagnose"].completion_tokens == 20
    assert resumed.total.cost_usd == pytest.approx(first.total.cost_usd)
    with pytest.raises(BudgetExhausted, match="90 of 100"):
        resumed.check("gpt-4o-mini", 1)
    assert read_ledger(tmp_path).total.requests == 2
    assert read_ledger(tmp_path / "elsewhere") is None


def test_cost_budget_counts_the_next_prompt():
    ledger = Ledger(budget_usd=1.0)
    ledger.record("gpt-4o", 300_000, 0, "generate")
    ledger.check("gpt-4o", 100_000)
    with pytest.raises(BudgetExhausted, match="cost budget"):
        ledger.check("gpt-4o", 200_000)


def test_token_estimate():
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcde") == 2
