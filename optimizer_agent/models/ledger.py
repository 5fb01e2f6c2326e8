"""Per-run token and cost accounting, with budgets checked before each request."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from pydantic import BaseModel, Field, PrivateAttr

from optimizer_agent.models.base import BudgetExhausted

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

LEDGER_FILE = "ledger.json"
"""The run folder's copy of the ledger: the report reads it, and a resumed run keeps counting from it."""
CHARS_PER_TOKEN = 4
"""Rough English/code average; used only where no tokenizer count is available."""
TOKENS_PER_MILLION = 1_000_000


class Price(BaseModel):
    """USD per one million tokens for one model."""

    input: float
    output: float


# List prices in USD per 1M tokens as published by OpenAI; override them with a price file.
DEFAULT_PRICES: Mapping[str, Price] = MappingProxyType(
    {
        "gpt-4o": Price(input=2.50, output=10.00),
        "gpt-4o-mini": Price(input=0.15, output=0.60),
        "gpt-4.1": Price(input=2.00, output=8.00),
        "gpt-4.1-mini": Price(input=0.40, output=1.60),
        "gpt-4.1-nano": Price(input=0.10, output=0.40),
        "o3": Price(input=2.00, output=8.00),
        "o3-mini": Price(input=1.10, output=4.40),
        "o4-mini": Price(input=1.10, output=4.40),
    }
)


def estimate_tokens(text: str) -> int:
    """A tokenizer-free token estimate for text (at least 1 for non-empty text)."""
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def load_prices(override: Mapping[str, object] | str | Path | None = None) -> dict[str, Price]:
    """The default price table updated by a dict or a JSON/TOML file of `{model: {input, output}}`."""
    table = dict(DEFAULT_PRICES)
    if override is None:
        return table
    if isinstance(override, (str, Path)):
        path = Path(override)
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    else:
        raw = override
    for name, price in raw.items():
        table[name] = price if isinstance(price, Price) else Price.model_validate(price)
    return table


def price_for(prices: Mapping[str, Price], model: str) -> Price | None:
    """The price of `model`: an exact entry, else the longest entry it starts with (dated snapshots)."""
    if model in prices:
        return prices[model]
    matches = [name for name in prices if model.startswith(name)]
    return prices[max(matches, key=len)] if matches else None


class Usage(BaseModel):
    """Tokens, requests and cost summed over some set of requests."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def tokens(self) -> int:
        """Prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens


class Ledger(BaseModel):
    """What one run has spent on the LLM, and the caps it must stay under."""

    prices: dict[str, Price] = Field(default_factory=load_prices)
    budget_tokens: int | None = None
    """Stop sending requests once this many prompt+completion tokens are used."""
    budget_usd: float | None = None
    """Stop sending requests once this much priced cost is spent."""
    total: Usage = Field(default_factory=Usage)
    by_purpose: dict[str, Usage] = Field(default_factory=dict)
    unpriced_models: list[str] = Field(default_factory=list)
    """Models with no price entry; their cost counts as 0 and `budget_usd` cannot see them."""
    stopped: str | None = None
    """Why a budget refused a request; from then on every request is refused, so the run stops asking once."""
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _path: Path | None = PrivateAttr(default=None)

    def attach(self, path: Path) -> Ledger:
        """Save the spending to `path` after every change, continuing from what the file already holds."""
        if path.is_file():
            saved = Ledger.model_validate_json(path.read_text(encoding="utf-8"))
            self.total, self.by_purpose = saved.total, saved.by_purpose
            self.unpriced_models, self.stopped = saved.unpriced_models, saved.stopped
        self._path = path
        return self

    def _save(self) -> None:
        # Called with the lock held; a temp file and rename keep a reader from seeing half a file.
        if self._path is None:
            return
        tmp = self._path.with_suffix(".tmp")
        tmp.write_text(self.model_dump_json(indent=2, exclude={"prices"}), encoding="utf-8")
        tmp.replace(self._path)

    def cost_of(self, model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
        """USD for the given usage of `model`, or None when it has no price."""
        price = price_for(self.prices, model)
        if price is None:
            return None
        return (prompt_tokens * price.input + completion_tokens * price.output) / TOKENS_PER_MILLION

    def check(self, model: str = "", prompt_estimate: int = 0) -> None:
        """Raise BudgetExhausted when a cap is reached, or when the prompt alone would pass it."""
        with self._lock:
            if self.stopped:
                raise BudgetExhausted(self.stopped)
            problem = self._over_budget(model, prompt_estimate)
            if problem:
                self.stopped = problem
                self._save()
                raise BudgetExhausted(problem)

    def _over_budget(self, model: str, prompt_estimate: int) -> str | None:
        used = self.total.tokens
        if self.budget_tokens is not None and (
            used >= self.budget_tokens or used + prompt_estimate > self.budget_tokens
        ):
            return (f"token budget exhausted: {used} of {self.budget_tokens} tokens used"
                    f" (next prompt ~{prompt_estimate})")
        if self.budget_usd is None:
            return None
        spent = self.total.cost_usd
        next_cost = self.cost_of(model, prompt_estimate, 0) or 0.0
        if spent >= self.budget_usd or spent + next_cost > self.budget_usd:
            return (f"cost budget exhausted: ${spent:.4f} of ${self.budget_usd:.4f} spent"
                    f" (next prompt ~${next_cost:.4f})")
        return None

    def record(self, model: str, prompt_tokens: int, completion_tokens: int, purpose: str) -> float:
        """Add one completed request; return its cost in USD (0 when unpriced)."""
        cost = self.cost_of(model, prompt_tokens, completion_tokens)
        with self._lock:
            if cost is None and model not in self.unpriced_models:
                self.unpriced_models.append(model)
            for usage in (self.total, self.by_purpose.setdefault(purpose, Usage())):
                usage.requests += 1
                usage.prompt_tokens += prompt_tokens
                usage.completion_tokens += completion_tokens
                usage.cost_usd += cost or 0.0
            self._save()
        return cost or 0.0

    def remaining_tokens(self) -> int | None:
        """Tokens left under `budget_tokens`, or None without a token budget."""
        if self.budget_tokens is None:
            return None
        return max(0, self.budget_tokens - self.total.tokens)


def read_ledger(run_dir: Path) -> Ledger | None:
    """The ledger a run saved in its folder, or None when it made no LLM request."""
    path = Path(run_dir) / LEDGER_FILE
    if not path.is_file():
        return None
    try:
        return Ledger.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
