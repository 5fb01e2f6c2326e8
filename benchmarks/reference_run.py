"""The scripted-model reference run: `bench run` against a model whose candidate is each problem's reference code.

    python benchmarks/reference_run.py ../shared/data/suites/enamel-dev.jsonl.gz --out /tmp/bench-reference --jobs 2

1. Measures every problem's reference solution against its slow code on the private tests and workload, with the
   same scoring the batch uses (correctness by the checker, speedup by the gate's paired timing). Saved in
   OUT/reference_speedups.json; problems already measured are skipped on a re-run.
2. Starts `tests/bench/reference_server.py` (a real OpenAI-compatible HTTP server) and runs
   `optimizer-agent bench run SUITE --model scripted-reference --out OUT/run`: the full graph, the gate on the
   public tests, scoring on the private ones.
3. Prints OPT@1 over the problems whose reference really is correct and at least 1.10x faster (target >= 0.9),
   and why each of the others was missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from optimizer_agent.bench.store import ResultStore  # noqa: E402
from optimizer_agent.bench.suite import load_suite, parse_problem, select  # noqa: E402
from optimizer_agent.bench.thresholds import OPT_SPEEDUP, PRIVATE_WORKLOAD_TARGET_S, WORKLOAD_TARGET_S  # noqa: E402
from tests.bench.reference_server import ReferenceServer  # noqa: E402

MODEL = "scripted-reference"
TARGET_SHARE = 0.9


def measure_reference(record: dict, work: str, sandbox_kind: str, workload_s: float, score_s: float) -> dict:
    """Score the reference solution of one problem on its private tests against the slow code."""
    from optimizer_agent.bench.calibrate import calibrate_private
    from optimizer_agent.bench.problem_repo import private_files
    from optimizer_agent.bench.problem_run import prepare_repo
    from optimizer_agent.bench.scoring import score_tree, stage_tree, timing_budget
    from optimizer_agent.bench.thresholds import SCORE_TIMING_BUDGET_S
    from optimizer_agent.sandbox.select import open_sandbox

    problem = parse_problem(record)
    repo = Path(work) / problem.slug / "repo"
    repo.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["rm", "-rf", str(repo)], check=True)
    repo.mkdir()
    sandbox = open_sandbox(sandbox_kind, f"ref-{problem.slug}", repo, lambda m: None)
    try:
        public = prepare_repo(problem, repo, sandbox, "python", workload_s)
        base = stage_tree(sandbox, repo, "ref-base", {})
        private = calibrate_private(sandbox, base, problem, "python", score_s, public.workload)
        extra = private_files(problem, private.workload)
        for rel, text in extra.items():
            sandbox.write_file(f"{base}/{rel}", text)
        tree = stage_tree(sandbox, repo, "ref-candidate", {"solution.py": problem.reference_code, **extra})
        score = score_tree(sandbox, base, tree, "reference", [], "python",
                           timing_budget(SCORE_TIMING_BUDGET_S, private.run_s))
    finally:
        sandbox.cleanup()
    return {"id": problem.id, "correct": score.correct, "speedup": score.speedup, "ci_low": score.ci_low,
            "ci_high": score.ci_high, "error": score.error}


MUTATION_CHECK = """
import importlib.util, json, sys
from tests import harness

def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

spec = harness.load("public_cases.json")
slow, ref = load("solution.py", "slow_solution"), load("ref_solution.py", "ref_solution")
same = True
for case in spec["cases"][: int(sys.argv[1])]:
    a, b = harness.arguments(case["input"]), harness.arguments(case["input"])
    getattr(slow, spec["entry"])(*a)
    getattr(ref, spec["entry"])(*b)
    same = same and a == b
print(json.dumps({"same_mutation": same}))
"""
MUTATION_CASES = 3
"""The first public tests (the small, correctness-level ones) are enough to see whether arguments get mutated."""


def same_mutation(record: dict, work: str, sandbox_kind: str) -> bool:
    """Whether the reference leaves its arguments as the slow code does (the gate compares that too)."""
    from optimizer_agent.bench.problem_repo import public_files
    from optimizer_agent.bench.scoring import stage_tree
    from optimizer_agent.sandbox.select import open_sandbox

    problem = parse_problem(record)
    if problem.kind != "function":
        return True
    folder = Path(work) / problem.slug / "mutation"
    folder.mkdir(parents=True, exist_ok=True)
    sandbox = open_sandbox(sandbox_kind, f"refmut-{problem.slug}", folder, lambda m: None)
    try:
        files = {**public_files(problem), "ref_solution.py": problem.reference_code, "check_mutation.py": MUTATION_CHECK}
        tree = stage_tree(sandbox, folder, "check", files)
        result = sandbox.execute(f"python check_mutation.py {MUTATION_CASES}", tree, 600)
    finally:
        sandbox.cleanup()
    lines = [l for l in result.stdout.splitlines() if l.startswith("{")]
    return bool(lines) and json.loads(lines[-1])["same_mutation"] is True


def measure_all(problems: list, out: Path, jobs: int, sandbox: str, workload_s: float, score_s: float) -> dict:
    """Reference speedups by problem id, measured once and kept in OUT/reference_speedups.json."""
    path = out / "reference_speedups.json"
    known = json.loads(path.read_text()) if path.is_file() else {}
    todo = [p for p in problems if p.id not in known and p.reference_code]
    print(f"measuring {len(todo)} reference solution(s) ({len(known)} known)", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(measure_reference, p.model_dump(), str(out / "reference"), sandbox, workload_s, score_s)
                   for p in todo]
        for future in futures:
            got = future.result()
            known[got["id"]] = got
            path.write_text(json.dumps(known, indent=1))
            shown = f"{got['speedup']:.2f}x" if got["speedup"] else "-"
            print(f"  {got['id']}: {'correct' if got['correct'] else 'WRONG'} {shown} {got['error'][:80]}",
                  file=sys.stderr)
    missing = [p for p in problems if p.id in known and "same_mutation" not in known[p.id]]
    print(f"checking argument mutation of {len(missing)} reference solution(s)", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        checks = {p.id: pool.submit(same_mutation, p.model_dump(), str(out / "reference"), sandbox) for p in missing}
        for pid, future in checks.items():
            known[pid]["same_mutation"] = future.result()
            path.write_text(json.dumps(known, indent=1))
    return known


def run_batch(suite: Path, out: Path, args: argparse.Namespace, problems: list) -> float:
    """`bench run` with the reference server as the model; returns its wall time."""
    with ReferenceServer(problems) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "scripted"}
        cmd = [sys.executable, "-m", "optimizer_agent.cli", "bench", "run", str(suite), "--model", MODEL,
               "--out", str(out / "run"), "--jobs", str(args.jobs), "--k", str(args.k),
               "--workload-seconds", str(args.workload_seconds), "--score-seconds", str(args.score_seconds)]
        cmd += ["--sandbox", args.sandbox] if args.sandbox else []
        cmd += [x for i in args.ids for x in ("--ids", i)]
        cmd += ["--limit", str(args.limit)] if args.limit else []
        start = time.monotonic()
        subprocess.run(cmd, env=env, check=True, cwd=ROOT)
        print(f"the server answered {server.answered}", file=sys.stderr)
        return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--k", type=int, default=1)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--ids", action="append", default=[])
    parser.add_argument("--sandbox", choices=["auto", "docker", "local"])
    parser.add_argument("--workload-seconds", type=float, default=WORKLOAD_TARGET_S)
    parser.add_argument("--score-seconds", type=float, default=PRIVATE_WORKLOAD_TARGET_S)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    problems = select(load_suite(args.suite), args.ids, args.limit)
    refs = measure_all(problems, args.out, args.jobs, args.sandbox or "auto", args.workload_seconds, args.score_seconds)
    wall = run_batch(args.suite, args.out, args, problems)
    with ResultStore(args.out / "run", create=False) as store:
        results = {r.id: r for r in store.results()}
    eligible = [p.id for p in problems
                if refs.get(p.id, {}).get("correct") and (refs[p.id].get("speedup") or 0) >= OPT_SPEEDUP]
    hits = [i for i in eligible if results.get(i) and results[i].opt1]
    alike = [i for i in eligible if refs[i].get("same_mutation")]
    alike_hits = [i for i in alike if i in hits]
    print(f"\nbench run wall time: {wall:.0f}s for {len(problems)} problems")
    print(f"references correct and >= {OPT_SPEEDUP:.2f}x faster on the private tests: {len(eligible)}/{len(problems)}")
    share = len(hits) / len(eligible) if eligible else 0.0
    verdict = "meets" if share >= TARGET_SHARE else "MISSES"
    print(f"OPT@1 among them: {len(hits)}/{len(eligible)} = {share:.3f} ({verdict} the {TARGET_SHARE} target)")
    print(f"  of which the reference leaves its arguments as the slow code does (the gate checks it): {len(alike)}; "
          f"OPT@1 among those: {len(alike_hits)}/{len(alike)} = {len(alike_hits) / max(len(alike), 1):.3f}")
    print(f"OPT@1 over all problems: {sum(r.opt1 for r in results.values())}/{len(results)}")
    for i in eligible:
        r = results.get(i)
        if r is None or not r.opt1:
            why = "not run" if r is None else f"{r.classification}: {r.error or r.rejection or (r.final.error if r.final else '')}"
            alike_note = "" if refs[i].get("same_mutation") else ", reference mutates arguments differently"
            print(f"  missed {i} (reference {refs[i]['speedup']:.2f}x{alike_note}): {why[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
