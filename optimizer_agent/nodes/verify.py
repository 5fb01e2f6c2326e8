"""verify: put the next pending candidate through the gate."""

from __future__ import annotations

import json
from pathlib import Path

from langgraph.runtime import Runtime

from optimizer_agent.context import RunContext
from optimizer_agent.nodes.common import head_sha, head_tree, source_files
from optimizer_agent.state import Candidate, RunState, Verdict


def save_candidate(run_dir: Path, candidate: Candidate, verdict: Verdict) -> None:
    """Keep every candidate's diff and verdict in the run folder."""
    folder = run_dir / "candidates" / candidate.id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "candidate.diff").write_text(candidate.diff)
    (folder / "candidate.json").write_text(candidate.model_dump_json(indent=2, exclude={"source"}))
    (folder / "verdict.json").write_text(json.dumps(verdict.model_dump(), indent=2))


def tracked_files(worktree: Path) -> list[str]:
    """Every file git tracks in the worktree."""
    import git

    return [f for f in git.Repo(worktree).git.ls_files("-z").split("\0") if f]


def verify(state: RunState, runtime: Runtime[RunContext]) -> dict:
    """Judge one candidate: stage it beside the current HEAD and ask the gate."""
    from optimizer_agent.verify.gate import GateRequest
    from optimizer_agent.verify.judges import read_judge_files, uses_caching_skill
    from optimizer_agent.verify.timing import TimingPolicy

    ctx = runtime.context
    pending = list(state.get("pending", []))
    if not pending:
        return {}
    candidate = pending.pop(0)
    worktree = Path(state["worktree"])
    base_dir = head_tree(ctx, worktree)
    cand_dir = ctx.sandbox.stage(worktree, f"cand-{candidate.id}")
    ctx.sandbox.write_file(f"{cand_dir}/{candidate.function.file}", candidate.source)
    request = GateRequest(
        candidate=candidate,
        sandbox=ctx.sandbox,
        base_dir=base_dir,
        cand_dir=cand_dir,
        original_source=(worktree / candidate.function.file).read_text(),
        allowed_files=ctx.settings.files or source_files(worktree),
        test_cmd=ctx.settings.test_command(),
        bench_cmd=ctx.settings.bench_command(),
        baseline_tests=state["baseline"],
        min_speedup=ctx.settings.min_speedup,
        test_timeout=ctx.settings.test_timeout,
        policy=TimingPolicy(time_budget_s=ctx.settings.timing_budget, run_timeout_s=ctx.settings.bench_timeout,
                            min_speedup=ctx.settings.min_speedup),
        judge_files=read_judge_files(worktree, tracked_files(worktree),
                                     [ctx.settings.bench_command(), ctx.settings.test_command()]),
        cache_skill=uses_caching_skill(candidate.skills, ctx.library),
        base_sha=head_sha(worktree),
        run_dir=state["run_dir"],
        python=ctx.settings.python,
        rel_tol=ctx.settings.rel_tol,
        abs_tol=ctx.settings.abs_tol,
        result_judge=ctx.settings.result_judge,
    )
    ctx.progress(f"verify {candidate.id} ({candidate.function.qualname}, {'+'.join(candidate.skills) or candidate.origin})")
    verdict = ctx.gate.judge(request)
    ctx.sandbox.remove(cand_dir)
    # Nothing a candidate left in the scratch (a full /tmp, planted files) may reach the next one.
    ctx.sandbox.clear_scratch()
    save_candidate(Path(state["run_dir"]), candidate, verdict)
    ctx.progress(f"verify {candidate.id}: {'ACCEPTED' if verdict.accepted else 'rejected'} - {verdict.reason}")
    return {"pending": pending, "verdicts": [verdict]}
