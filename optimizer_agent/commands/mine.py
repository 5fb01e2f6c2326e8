"""`optimizer-agent skills mine`: draft skill cards from slow/fast pairs, for review."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from optimizer_agent.commands.output import emit_json, err_console, progress, warn
from optimizer_agent.errors import BadInput

TABLE_ROWS = 40


def _model(name: str, out: Path):
    """The OpenAI-compatible model for the traces, configured like `optimize` (env and flags)."""
    from optimizer_agent.config import load_settings
    from optimizer_agent.models.factory import model_from_settings

    settings = load_settings(Path.cwd(), {"model": name})
    if not settings.llm_enabled:
        raise BadInput("--model needs an endpoint: set OPENAI_BASE_URL (local servers) or OPENAI_API_KEY")
    return model_from_settings(settings, out)


def _table(summary) -> Table:
    table = Table(title=f"{summary.k} clusters from {summary.pairs} pairs "
                        f"(silhouette {summary.silhouette or 0:.3f}, {summary.seconds:.1f}s)")
    for col in ("draft", "support", "label", "family", "median speedup", "duplicate_of", "nearest"):
        table.add_column(col)
    for c in summary.clusters[:TABLE_ROWS]:
        speed = f"{c.median_speedup:.2f}x" if c.median_speedup is not None else "-"
        nearest = f"{c.nearest_skill} {c.nearest_cosine:.2f}" if c.nearest_skill else "-"
        table.add_row(c.draft_id, str(c.support), c.label, c.family, speed, c.duplicate_of or "-", nearest)
    return table


def run_mine(pairs: Path, out: Path, model_name: str | None, limit: int | None, as_json: bool) -> int:
    """Mine the pairs into `out` (drafts/, deltas.jsonl, summary.json) and show the clusters."""
    from optimizer_agent.skilllib.loader import Library, default_root
    from optimizer_agent.skilllib.miner.outputs import prepare_out_dir
    from optimizer_agent.skilllib.miner.pipeline import mine

    root = default_root()
    if not pairs.is_file():
        raise BadInput(f"{pairs}: no such file")
    prepare_out_dir(out, root)
    library = Library.load(root)
    model = _model(model_name, out) if model_name else None
    try:
        summary = mine(pairs, out, skills=library.skills, skills_root=root, model=model, limit=limit,
                       progress=progress, warn=warn)
    finally:
        if model is not None and hasattr(model, "close"):
            model.close()
    if as_json:
        emit_json(summary.model_dump(mode="json"))
    else:
        err_console().print(_table(summary))
        progress(f"drafts in {out / 'drafts'}; summary in {out / 'summary.json'}")
    return 0
