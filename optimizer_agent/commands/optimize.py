"""`optimizer-agent optimize`: run or resume the workflow and show what it landed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table

from optimizer_agent.commands.output import emit_json, err_console, node_done, progress, warn


def run_optimize(path: Path, flags: dict[str, Any], resume: str | None, as_json: bool,
                 replay: str | None = None) -> int:
    """Start, resume or replay a run, print the summary, and return the exit code."""
    from optimizer_agent.config import load_settings
    from optimizer_agent.errors import BadInput
    from optimizer_agent.report import summary
    from optimizer_agent.runner import replay_run, resume_run, start_run
    from optimizer_agent.vcs.worktree import open_repo

    root = Path(open_repo(path).working_tree_dir)
    if replay:
        if resume:
            raise BadInput("--replay starts a new run and --resume continues one; give only one of them")
        given = sorted(k for k, v in flags.items() if v not in (None, []) and k != "sandbox")
        if given:
            raise BadInput(f"--replay reuses the settings of run {replay}; drop "
                           + ", ".join("--" + k.replace("_", "-") for k in given))
        state = replay_run(root, replay, progress, warn, node_done, sandbox=flags.get("sandbox"))
    elif resume:
        state = resume_run(root, resume, progress, warn, node_done)
    else:
        settings = load_settings(root, flags)
        state = start_run(root, settings, progress, warn, node_done)
    result = summary(state)
    if as_json:
        emit_json(result)
    else:
        show_summary(result)
    return 0


def show_summary(result: dict) -> None:
    """A table of every candidate and its verdict, then the branch and report locations."""
    console = err_console()
    table = Table(title=f"optimizer-agent run {result['run_id']}", show_lines=False)
    for col in ("candidate", "function", "skills", "verdict", "speedup [95% CI]", "tests"):
        table.add_column(col)
    for cand in result["candidates"]:
        v = cand["verdict"] or {}
        speed = "-"
        if v.get("speedup"):
            speed = f"{v['speedup']:.2f}x [{v.get('ci_low') or 0:.2f}, {v.get('ci_high') or 0:.2f}]"
        verdict = "[green]accepted[/green]" if v.get("accepted") else f"[red]rejected[/red] ({v.get('stage', '?')})"
        table.add_row(cand["id"], cand["function"].split("::")[-1], ", ".join(cand["skills"]) or cand["origin"],
                      verdict, speed, f"{v.get('tests_passed', 0)}/{v.get('tests_run', 0)}")
    console.print(table)
    for note in result["notes"]:
        console.print(f"note: {note}", markup=False)
    llm = result.get("llm")
    if llm:
        parts = ", ".join(f"{k} {v['requests']}" for k, v in llm["by_purpose"].items())
        console.print(f"LLM: {llm['requests']} request(s), {llm['tokens']} tokens, ${llm['cost_usd']:.4f}"
                      + (f" ({parts})" if parts else ""), markup=False)
    commits = result["commits"]
    if commits or result.get("branch_kept") is not False:
        console.print(f"[bold]{len(commits)} commit(s)[/bold] on branch [bold]{result['branch']}[/bold]")
    else:
        console.print("[bold]0 commits[/bold]: nothing passed the gate, so no branch was left behind")
    for c in commits:
        console.print(f"  {c['sha'][:10]} {c['subject']}")
    console.print(f"report: {result['report']}")
