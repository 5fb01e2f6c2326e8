"""prepare: open the repo, make the run's worktree and branch, and check the baseline is green."""

from __future__ import annotations

from pathlib import Path

from langgraph.runtime import Runtime

from optimizer_agent.analysis.extents import find_function
from optimizer_agent.analysis.targets import command_scripts, is_source_file, syntax_error
from optimizer_agent.context import RunContext
from optimizer_agent.errors import BadInput
from optimizer_agent.nodes.common import head_tree, source_files
from optimizer_agent.state import RunState
from optimizer_agent.vcs.worktree import add_worktree, exclude_run_folder, is_dirty, open_repo


def prepare(state: RunState, runtime: Runtime[RunContext]) -> dict:
    """Create the worktree at HEAD, reject bad input, and run the tests once on the original."""
    ctx = runtime.context
    repo = open_repo(Path(state["repo"]))
    notes: list[str] = [f"candidates ran in the {ctx.sandbox.name} sandbox"]
    base_sha = repo.head.commit.hexsha
    dirty = is_dirty(repo)
    if dirty:
        notes.append(f"the working tree has uncommitted changes; optimizing HEAD {base_sha[:10]} and leaving them alone")
    exclude_run_folder(repo)
    worktree = Path(state["run_dir"]) / "worktree"
    if not worktree.exists():
        add_worktree(repo, worktree, state["branch"], base_sha)
    _check_sources(worktree, ctx)
    ctx.progress(f"baseline tests: {ctx.settings.test_command()}")
    tree = head_tree(ctx, worktree)
    from optimizer_agent.verify.testrun import run_tests

    baseline = run_tests(ctx.sandbox, ctx.settings.test_command(), tree, ctx.settings.test_timeout)
    if baseline.no_tests:
        raise BadInput(f"no tests found by `{ctx.settings.test_command()}`; give a test command with --test")
    if not baseline.ok:
        last = baseline.output_tail.strip().splitlines()[-1:] or ["(no output)"]
        raise BadInput(f"baseline tests fail before any change ({baseline.failed} failed, "
                       f"{baseline.errors} errors): {last[0][:200]}")
    ctx.progress(f"baseline: {baseline.passed} tests passed in {baseline.duration:.1f}s")
    return {"base_sha": base_sha, "worktree": str(worktree), "dirty": dirty, "baseline": baseline,
            "notes": notes, "cursor": 0, "round": 0, "pending": []}


def _check_sources(worktree: Path, ctx: RunContext) -> None:
    """Reject syntax errors in source files and unknown --file/--function names."""
    judges = command_scripts(ctx.settings.bench_command()) | command_scripts(ctx.settings.test_command())
    files = [f for f in source_files(worktree) if f not in judges]
    texts: dict[str, str] = {}
    for rel in files:
        text = (worktree / rel).read_text(errors="replace")
        problem = syntax_error(rel, text)
        if problem:
            raise BadInput(problem)
        texts[rel] = text
    for rel in ctx.settings.files:
        if rel not in texts:
            why = "is protected (tests, benchmarks or config)" if not is_source_file(rel) else "is not a Python file in the repo"
            raise BadInput(f"--file {rel} {why}")
    for name in ctx.settings.functions:
        file, _, qual = name.rpartition("::")
        pool = {file: texts[file]} if file in texts else texts
        if not any(find_function(text, qual) for text in pool.values()):
            raise BadInput(f"unknown --function {name}: no such function in the repo's source files")

