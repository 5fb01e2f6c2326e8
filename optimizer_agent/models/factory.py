"""Building the run's model from settings: a live endpoint, or a recorded transcript for `--replay`."""

from __future__ import annotations

from pathlib import Path

from optimizer_agent.config import Settings

TRANSCRIPT_FILE = "llm.jsonl"


def model_from_settings(settings: Settings, run_dir: Path, replay_from: Path | None = None):
    """An OpenAIModel that logs every exchange to the run folder, or a ReplayModel over an old transcript.

    Either way the ledger lives in the run folder, so a resumed run keeps counting against its budget.
    """
    from optimizer_agent.models.ledger import LEDGER_FILE, Ledger, load_prices

    ledger = Ledger(prices=load_prices(settings.prices), budget_tokens=settings.budget_tokens,
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
