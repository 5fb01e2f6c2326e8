"""Reading a finished (or stopped) optimize run: its state, what it landed, what it spent."""

from __future__ import annotations

import json
import subprocess
from contextlib import closing
from pathlib import Path

from optimizer_agent.bench.classify import furthest_stage
from optimizer_agent.bench.records import ProblemResult
from optimizer_agent.config import Settings
from optimizer_agent.state import Candidate, Verdict

PASSED_TESTS = frozenset({"timing", "accepted"})
"""Verdict stages a candidate reaches only after the public tests passed."""
TRANSCRIPT = "llm.jsonl"


def run_folders(repo: Path) -> list[Path]:
    """The run folders under the problem repo (a bench problem has one)."""
    runs = repo / ".optimizer-agent" / "runs"
    return sorted(p for p in runs.iterdir() if p.is_dir()) if runs.is_dir() else []


def read_checkpoint(run_dir: Path) -> dict:
    """The last checkpointed state of a run that was stopped mid-way ({} when there is none)."""
    from optimizer_agent.graph import compile_graph
    from optimizer_agent.runner import STATE_DB, _checkpointer

    if not (run_dir / STATE_DB).is_file():
        return {}
    conn, saver = _checkpointer(run_dir / STATE_DB)
    with closing(conn):
        snapshot = compile_graph(saver).get_state({"configurable": {"thread_id": run_dir.name}})
        return dict(snapshot.values or {})


def verdicts_by_id(state: dict) -> dict[str, Verdict]:
    """The gate's verdicts keyed by candidate id."""
    return {v.candidate_id: v for v in state.get("verdicts", [])}


def ranked_candidates(state: dict, k: int) -> list[Candidate]:
    """Up to k candidates the gate accepted on the public tests and workload, most certain speedup first."""
    verdicts = verdicts_by_id(state)
    accepted = [c for c in state.get("candidates", []) if c.id in verdicts and verdicts[c.id].accepted]
    return sorted(accepted, key=lambda c: (verdicts[c.id].ci_low or 0.0, verdicts[c.id].speedup or 0.0),
                  reverse=True)[:k]


def landed_files(repo: Path, branch: str, base_sha: str) -> dict[str, str]:
    """Files the run branch changed since the base commit, with their text at the branch's tip."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout

    names = [n for n in git("diff", "--name-only", "-z", base_sha, branch).split("\0") if n]
    return {name: git("show", f"{branch}:{name}") for name in names}


def llm_usage(run_dir: Path, settings: Settings) -> tuple[int, float, int]:
    """Tokens, USD and successful requests from the run's transcript (zeros without an LLM)."""
    path = run_dir / TRANSCRIPT
    if not path.is_file():
        return 0, 0.0, 0
    from optimizer_agent.models.ledger import Ledger, load_prices

    ledger = Ledger(prices=load_prices(settings.prices))
    tokens, cost, requests = 0, 0.0, 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        reply = json.loads(line).get("reply")
        if not reply:
            continue
        prompt, completion = int(reply.get("prompt_tokens", 0)), int(reply.get("completion_tokens", 0))
        tokens += prompt + completion
        cost += ledger.cost_of(reply.get("model") or settings.model or "", prompt, completion) or 0.0
        requests += 1
    return tokens, cost, requests


def fill_from_state(result: ProblemResult, state: dict) -> None:
    """Copy counts, public figures and skills from the run state into the result."""
    verdicts = verdicts_by_id(state)
    candidates = state.get("candidates", [])
    accepted = [c for c in candidates if c.id in verdicts and verdicts[c.id].accepted]
    result.run_id = state.get("run_id", "")
    result.targets = len(state.get("targets", []))
    result.candidates = len(candidates)
    result.passed_public_tests = sum(1 for c in candidates if c.id in verdicts and verdicts[c.id].stage in PASSED_TESTS)
    result.accepted = len(accepted)
    result.commits = len(state.get("commits", []))
    if accepted:
        best = max((verdicts[c.id] for c in accepted), key=lambda v: (v.ci_low or 0.0, v.speedup or 0.0))
        result.public_speedup, result.public_ci_low, result.public_ci_high = best.speedup, best.ci_low, best.ci_high
    landed = {rec.candidate_id for rec in state.get("commits", [])}
    result.skills_proposed = sorted({s for c in candidates for s in c.skills})
    result.skills_accepted = sorted({s for c in accepted for s in c.skills})
    result.skills_landed = sorted({s for c in candidates if c.id in landed for s in c.skills})
    result.phases.baseline_tests_s = state["baseline"].duration if state.get("baseline") else 0.0
    result.phases.gate_s = sum(v.seconds for v in verdicts.values())
    result.notes += list(state.get("notes", []))
    rejected = [v for v in verdicts.values() if not v.accepted]
    stage = furthest_stage(v.stage for v in rejected)
    if stage and not result.commits:
        furthest = next(v for v in rejected if v.stage == stage)
        result.rejection = f"{furthest.stage}: {furthest.reason}"


def operator_skills_matched(state: dict) -> bool:
    """True when retrieval found at least one operator skill for some target."""
    return any(m.kind == "operator" for found in state.get("matches", {}).values() for m in found)
