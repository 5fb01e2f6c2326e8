"""commit: land the best accepted candidate of the current target, then move to the next target."""

from __future__ import annotations

from pathlib import Path

from langgraph.runtime import Runtime

from optimizer_agent.context import RunContext
from optimizer_agent.nodes.common import current_target
from optimizer_agent.report import write_report
from optimizer_agent.state import Candidate, CommitRecord, RunState, Verdict
from optimizer_agent.vcs.commit import commit_file, commit_message, commit_subject, committed_candidates


def best_accepted(state: RunState, key: str, round_: int | None = None) -> tuple[Candidate, Verdict] | None:
    """The accepted candidate of a function with the highest CI lower bound (the most certain win)."""
    verdicts = {v.candidate_id: v for v in state.get("verdicts", [])}
    pairs = [(c, verdicts[c.id]) for c in state.get("candidates", [])
             if c.function.key == key and c.id in verdicts and verdicts[c.id].accepted]
    if not pairs:
        return None
    return max(pairs, key=lambda cv: (cv[1].ci_low or 0.0, cv[1].speedup or 0.0))


def commit(state: RunState, runtime: Runtime[RunContext]) -> dict:
    """Commit the winner (idempotently, for resumed runs), or ask for a repair round, or move on."""
    ctx = runtime.context
    fn = current_target(state)
    run_dir = Path(state["run_dir"])
    update: dict = {"pending": []}
    if fn is not None:
        best = best_accepted(state, fn.key)
        if best is None and ctx.model is not None and state.get("round", 0) < ctx.settings.rounds:
            ctx.progress(f"commit {fn.qualname}: nothing accepted; repair round {state.get('round', 0) + 1}")
            return {"pending": [], "round": state.get("round", 0) + 1}
        if best is not None:
            update["commits"] = [_land(state, ctx, *best)]
        else:
            ctx.progress(f"commit {fn.qualname}: no candidate passed the gate")
        update["cursor"] = state.get("cursor", 0) + 1
        update["round"] = 0
    write_report({**state, **update, "commits": state.get("commits", []) + update.get("commits", [])}, run_dir)
    return update


def _land(state: RunState, ctx: RunContext, candidate: Candidate, verdict: Verdict) -> CommitRecord:
    worktree = Path(state["worktree"])
    plan = next((p for p in state.get("plans", []) if p.id == candidate.plan_id), None)
    done = committed_candidates(worktree, state["base_sha"])
    sha = done.get(candidate.id) or commit_file(
        worktree, candidate.function.file, candidate.source,
        commit_message(candidate, verdict, state["run_id"], plan.rationale if plan else ""),
    )
    ctx.progress(f"commit {sha[:10]} {commit_subject(candidate, verdict)}")
    return CommitRecord(candidate_id=candidate.id, sha=sha, subject=commit_subject(candidate, verdict),
                        function=candidate.function, speedup=verdict.speedup or 0.0)
