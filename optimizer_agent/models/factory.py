"""Building the run's model from settings: a live endpoint, or a recorded transcript for `--replay`."""

from __future__ import annotations

from pathlib import Path

from optimizer_agent.config import Settings
from optimizer_agent.errors import BadInput

TRANSCRIPT_FILE = "llm.jsonl"


def price_table(settings: Settings, repo_root: Path | None = None) -> dict:
    """The default prices updated by the `prices` file; a relative path is looked up in the repo, then here."""
    from optimizer_agent.models.ledger import load_prices

    if not settings.prices:
        return load_prices()
    path = Path(settings.prices).expanduser()
    if not path.is_absolute() and repo_root is not None and (repo_root / path).is_file():
        path = repo_root / path
    try:
        return load_prices(path)
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise BadInput(f"cannot read the price table {settings.prices}: {exc}") from exc


def model_from_settings(settings: Settings, run_dir: Path, replay_from: Path | None = None,
                        repo_root: Path | None = None):
    """An OpenAIModel that logs every exchange to the run folder, or a ReplayModel over an old transcript.

    Either way the ledger lives in the run folder, so a resumed run keeps counting against its budget.
    """
    from optimizer_agent.models.ledger import LEDGER_FILE, Ledger

    ledger = Ledger(prices=price_table(settings, repo_root), budget_tokens=settings.budget_tokens,
                    budget_usd=settings.budget_usd).attach(run_dir / LEDGER_FILE)
    if replay_from is not None:
        from optimizer_agent.models.scripted import ReplayModel

        return ReplayModel(replay_from, ledger=ledger, record_to=run_dir / TRANSCRIPT_FILE)
    from optimizer_agent.models.openai_model import ModelConfig, OpenAIModel

    config = ModelConfig(
        base_url=settings.base_url or "https://api.openai.com/v1",
        api_key=settings.api_key,
        model=settings.model,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_retries,
        transcript_path=run_dir / TRANSCRIPT_FILE,
    )
    return OpenAIModel(config, ledger=ledger)
