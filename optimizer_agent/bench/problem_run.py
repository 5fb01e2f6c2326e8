"""One problem, start to finish, inside a worker: build the repo, run the optimize graph, score privately."""

from __future__ import annotations

import shutil
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from optimizer_agent.bench import outcome
from optimizer_agent.bench.calibrate import Calibration, calibrate_private, calibrate_public
from optimizer_agent.bench.classify import classify
from optimizer_agent.bench.deadline import BudgetExceeded, budget, checkpoint, kill_child_groups
from optimizer_agent.bench.problem_repo import (
    bench_command,
    git_commit,
    private_files,
    public_files,
    problem_test_command,
    result_judge,
    workload_files,
    write_files,
)
from optimizer_agent.bench.records import ProblemJob, ProblemResult
from optimizer_agent.bench.scoring import Score, score_tree, stage_tree, timing_budget
from optimizer_agent.bench.suite import parse_problem
from optimizer_agent.config import Settings, with_secrets
from optimizer_agent.errors import OptimizerError

Log = Callable[[str], None]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def prepare_repo(problem, repo: Path, sandbox, python: str, target_s: float) -> Calibration:
    """Write the repo, size its workload against the slow code in the sandbox, and commit it once."""
    write_files(repo, public_files(problem))
    tree = sandbox.stage(repo, "calibrate")
    calibration = calibrate_public(sandbox, tree, problem, python, target_s)
    write_files(repo, workload_files(problem, calibration.workload, private=False))
    git_commit(repo, f"{problem.id}: slow solution, public tests and workload")
    return calibration


def run_graph(repo: Path, settings: Settings, seconds: float, log: Log, result: ProblemResult) -> dict:
    """Run the optimize graph within `seconds`; on overrun, return the last checkpointed state."""
    from optimizer_agent.runner import start_run

    marks = {"start": time.monotonic()}
    last = [marks["start"]]

    def on_node(node: str) -> None:
        now = time.monotonic()
        result.phases.nodes_s[node] = result.phases.nodes_s.get(node, 0.0) + now - last[0]
        if node == "profile":
            result.phases.profile_s += now - last[0]
        last[0] = now
        log(f"node {node} done")
        checkpoint()

    try:
        with budget(seconds):
            return dict(start_run(repo, settings, log, lambda m: log(f"warning: {m}"), on_node))
    except BudgetExceeded as exc:
        kill_child_groups()
        runs = outcome.run_folders(repo)
        state = outcome.read_checkpoint(runs[-1]) if runs else {}
        if not state.get("commits"):
            raise OptimizerError(f"{exc} before the run landed anything") from None
        result.notes.append(f"{exc}; scored what the run had landed by then")
        return state
    finally:
        result.phases.run_s = time.monotonic() - marks["start"]


def score_run(problem, repo: Path, state: dict, public: Calibration, sandbox, job: ProblemJob, python: str,
              result: ProblemResult) -> tuple[Score | None, list[Score]]:
    """Score the run branch's final tree (when it landed anything) and up to k public-test-passing candidates."""
    ranked = outcome.ranked_candidates(state, job.k)
    if not state.get("commits") and not ranked:
        return None, []
    base = stage_tree(sandbox, repo, "score-base", {})
    private = calibrate_private(sandbox, base, problem, python, job.score_workload_s, public.workload)
    result.workload["private"] = private.workload.model_dump(exclude={"inputs"})
    result.phases.calibrate_s += private.seconds
    budget_s = timing_budget(job.score_timing_budget_s, private.run_s)
    extra = private_files(problem, private.workload)
    for rel, text in extra.items():
        sandbox.write_file(f"{base}/{rel}", text)
    final: Score | None = None
    seen: dict[str, Score] = {}
    if state.get("commits"):
        files = outcome.landed_files(repo, state["branch"], state["base_sha"])
        tree = stage_tree(sandbox, repo, "score-final", {**files, **extra})
        ids = [c.candidate_id for c in state["commits"]]
        final = score_tree(sandbox, base, tree, "final", ids, python, budget_s)
        if len(files) == 1:
            seen[next(iter(files.values()))] = final
    scored: list[Score] = []
    for cand in ranked:
        if cand.source in seen:
            scored.append(seen[cand.source].model_copy(update={"label": cand.id, "candidate_ids": [cand.id]}))
            continue
        tree = stage_tree(sandbox, repo, f"score-{cand.id}", {cand.function.file: cand.source, **extra})
        score = score_tree(sandbox, base, tree, cand.id, [cand.id], python, budget_s)
        seen[cand.source] = score
        scored.append(score)
    return final, scored


def run_problem(job: ProblemJob, log: Log) -> ProblemResult:
    """Run one problem; every failure becomes an `error` result rather than an exception."""
    from optimizer_agent.sandbox.select import open_sandbox

    started = time.monotonic()
    problem = parse_problem(job.problem)
    result = ProblemResult(id=problem.id, kind=problem.kind, problem_hash=problem.content_hash(), position=job.position)
    work = Path(job.work_dir)
    repo = work / "repo"
    # The API key is never part of a job: it comes from this worker's environment.
    settings = with_secrets(Settings.model_validate(job.settings), work)
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    sandbox = None
    state: dict = {}
    try:
        t = time.monotonic()
        sandbox = open_sandbox(settings.sandbox, f"bench-{problem.slug}", repo, lambda m: log(f"warning: {m}"))
        result.phases.sandbox_start_s = time.monotonic() - t
        t = time.monotonic()
        calibration = prepare_repo(problem, repo, sandbox, settings.python, job.workload_s)
        result.phases.calibrate_s = calibration.seconds
        result.phases.setup_s = time.monotonic() - t - calibration.seconds
        result.workload = {"public": calibration.workload.model_dump(exclude={"inputs"})}
        log(f"workload: level {calibration.workload.level}, {calibration.workload.repeat} pass(es)")
        remaining = job.budget_s - (time.monotonic() - started)
        run_settings = settings.model_copy(update={"bench": bench_command(settings.python),
                                                   "test": problem_test_command(settings.python),
                                                   "result_judge": result_judge(problem)})
        state = run_graph(repo, run_settings, remaining, log, result)
        outcome.fill_from_state(result, state)
        checkpoint()
        t = time.monotonic()
        result.final, result.scored = score_run(problem, repo, state, calibration, sandbox, job, settings.python,
                                                result)
        result.phases.score_s = time.monotonic() - t
    except OptimizerError as exc:
        result.status, result.error = "error", str(exc)
        log(f"error: {exc}")
    except Exception as exc:  # noqa: BLE001 - one broken problem must not end the batch
        result.status, result.error = "error", f"{type(exc).__name__}: {exc}"
        log(traceback.format_exc())
    finally:
        if sandbox is not None:
            sandbox.cleanup()
    runs = outcome.run_folders(repo)
    if runs:
        result.tokens, result.cost_usd, result.llm_requests = outcome.llm_usage(runs[-1], settings)
    result.opt1 = bool(result.final and result.final.opt)
    result.optk = result.opt1 or any(s.opt for s in result.scored)
    result.classification = classify(
        errored=result.status == "error", targets=result.targets, skills_matched=outcome.operator_skills_matched(state),
        candidates=result.candidates, stages=[v.stage for v in state.get("verdicts", [])], commits=result.commits,
        final=result.final)
    result.wall_s = time.monotonic() - started
    result.finished_at = _now()
    return result
