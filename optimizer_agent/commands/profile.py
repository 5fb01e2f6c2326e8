"""`optimizer-agent profile`: rank hot functions of HEAD without changing anything."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from rich.table import Table

from optimizer_agent.commands.output import emit_json, err_console, progress, warn


def run_profile(path: Path, flags: dict[str, Any], top: int, as_json: bool) -> int:
    """Profile HEAD in a throwaway worktree and print the ranking; the speedscope file is kept."""
    from optimizer_agent.analysis.targets import command_scripts, is_source_file
    from optimizer_agent.analysis.speedscope import rank_hotspots
    from optimizer_agent.config import load_settings
    from optimizer_agent.context import RunContext
    from optimizer_agent.nodes.profile import record_profile
    from optimizer_agent.runner import new_run_id
    from optimizer_agent.sandbox.select import open_sandbox
    from optimizer_agent.vcs.worktree import RUNS_DIR, exclude_run_folder, open_repo

    repo = open_repo(path)
    root = Path(repo.working_tree_dir)
    settings = load_settings(root, flags)
    run_id = new_run_id()
    out_dir = root / RUNS_DIR / "profiles"
    out_dir.mkdir(parents=True, exist_ok=True)
    exclude_run_folder(repo)
    scratch = Path(tempfile.mkdtemp(prefix="oa-profile-"))
    worktree = scratch / "tree"
    repo.git.worktree("add", "-q", "--detach", str(worktree), "HEAD")
    sandbox = open_sandbox(settings.sandbox, run_id, root, warn)
    try:
        ctx = RunContext(settings=settings, sandbox=sandbox, library=None, gate=None, progress=progress)
        out_file = out_dir / f"{run_id}.speedscope.json"
        progress(f"profiling: {settings.bench_command()}")
        data, tree = record_profile(ctx, worktree, out_file)
        judges = command_scripts(settings.bench_command()) | command_scripts(settings.test_command())

        def read(rel: str) -> str | None:
            p = worktree / rel
            return p.read_text(errors="replace") if p.is_file() else None

        hotspots, samples = rank_hotspots(data, tree, read, lambda rel: is_source_file(rel) and rel not in judges)
    finally:
        sandbox.cleanup()
        repo.git.worktree("remove", "--force", str(worktree))
        shutil.rmtree(scratch, ignore_errors=True)
    if as_json:
        emit_json({"samples": samples, "speedscope": str(out_file),
                   "hotspots": [h.model_dump() for h in hotspots[:top]]})
        return 0
    table = Table(title=f"hot functions ({samples} samples)")
    for col in ("#", "function", "file:line", "own", "total"):
        table.add_column(col)
    for i, h in enumerate(hotspots[:top], 1):
        table.add_row(str(i), h.function.qualname, f"{h.function.file}:{h.function.start_line}",
                      f"{h.own_share:.1%}", f"{h.total_share:.1%}")
    err_console().print(table)
    err_console().print(f"speedscope profile: {out_file}")
    return 0
