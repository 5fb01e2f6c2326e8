"""Writing a mining run to its output folder: drafts/, deltas.jsonl and summary.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

from optimizer_agent.errors import BadInput
from optimizer_agent.skilllib.miner.draft import Draft
from optimizer_agent.skilllib.miner.records import Delta, MineSummary, Pair
from optimizer_agent.skilllib.miner.render import render_card

DRAFTS_DIR = "drafts"
DELTAS_FILE = "deltas.jsonl"
SUMMARY_FILE = "summary.json"
_OWN_DRAFT = re.compile(r"^D\d{3}-.*\.md$")


def prepare_out_dir(out_dir: Path, skills_root: Path) -> None:
    """Create `out_dir`; refuse a file or a folder inside the skill library (drafts are never added silently)."""
    resolved, root = out_dir.resolve(), skills_root.resolve()
    if resolved == root or root in resolved.parents:
        raise BadInput(f"--out {out_dir} is inside the skill library {skills_root}; drafts go to a review folder")
    if out_dir.exists() and not out_dir.is_dir():
        raise BadInput(f"--out {out_dir} exists and is not a folder")
    try:
        (out_dir / DRAFTS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(f"--out {out_dir}: cannot create it ({exc.strerror})") from None


def write_outputs(out_dir: Path, pairs: dict[int, Pair], deltas: list[Delta], drafts: list[Draft],
                  summary: MineSummary) -> None:
    """Replace the previous run's drafts and write this run's drafts, deltas and summary."""
    drafts_dir = out_dir / DRAFTS_DIR
    for old in drafts_dir.iterdir():
        if old.is_file() and _OWN_DRAFT.match(old.name):
            old.unlink()
    for draft in drafts:
        (drafts_dir / draft.file_name).write_text(render_card(draft, pairs), encoding="utf-8")
    with (out_dir / DELTAS_FILE).open("w", encoding="utf-8") as handle:
        for delta in deltas:
            handle.write(json.dumps(delta.model_dump(mode="json", exclude_none=True), ensure_ascii=False) + "\n")
    (out_dir / SUMMARY_FILE).write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
