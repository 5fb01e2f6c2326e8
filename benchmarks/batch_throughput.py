"""Batch throughput: problems per hour at --jobs 1 and --jobs 2, and where each problem's time goes.

    python benchmarks/batch_throughput.py                                   # the bundled function suite
    python benchmarks/batch_throughput.py SUITE --limit 6 --sandbox docker --jobs 1 2

Each setting runs the same problems offline (no LLM) into a fresh results folder with the local executor.
The per-problem split separates the runner's own overhead (worker start, repo set-up, sandbox start,
calibration, and the rest of the graph) from the time spent running the problem's tests and workloads
(baseline tests, profile, the gate's tests and paired timing, private scoring).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from optimizer_agent.bench.batch import BatchOptions, run_batch  # noqa: E402
from optimizer_agent.bench.records import ProblemResult  # noqa: E402

OVERHEAD = (("worker_start_s", "worker start + imports"), ("setup_s", "repo set-up (files, git)"),
            ("sandbox_start_s", "sandbox start"), ("calibrate_s", "workload calibration"))
NODE_ORDER = ["prepare", "profile", "diagnose", "retrieve", "plan", "propose", "verify", "commit"]
MEASURING = (("baseline_tests_s", "baseline tests"), ("profile_s", "profile (py-spy)"),
             ("gate_s", "gate: tests + equivalence + timing"), ("score_s", "private tests + timing"))


def run(suite: Path, jobs: int, limit: int | None, sandbox: str) -> tuple[float, list[ProblemResult]]:
    """Wall seconds and results of one offline batch."""
    with tempfile.TemporaryDirectory(prefix="oa-throughput-") as out:
        options = BatchOptions(suite=suite, out=Path(out), jobs=jobs, limit=limit, no_llm=True, sandbox=sandbox)
        start = time.monotonic()
        results = run_batch(options, lambda plan: None, lambda r: print(f"    {r.id}: {r.classification} "
                                                                         f"({r.wall_s:.1f}s)", file=sys.stderr))
        return time.monotonic() - start, results


def mean(results: list[ProblemResult], field: str) -> float:
    return statistics.fmean(getattr(r.phases, field) for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", type=Path, nargs="?", default=ROOT / "benchmarks" / "suites" / "functions.jsonl")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--sandbox", default="auto", choices=["auto", "docker", "local"])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"suite {args.suite.name}, sandbox {args.sandbox}, offline")
    rows = []
    for jobs in args.jobs:
        print(f"  running with --jobs {jobs} ...", file=sys.stderr)
        wall, results = run(args.suite, jobs, args.limit, args.sandbox)
        rows.append((jobs, wall, results))
        print(f"--jobs {jobs}: {len(results)} problems in {wall:.0f}s = {len(results) / wall * 3600:.0f} problems/hour")
    jobs, wall, results = rows[0]
    print(f"\nper problem, mean over {len(results)} problems at --jobs {jobs} (seconds):")
    overhead = {label: mean(results, f) for f, label in OVERHEAD}
    measuring = {label: mean(results, f) for f, label in MEASURING}
    total = statistics.fmean(r.wall_s for r in results)
    other = total - sum(overhead.values()) - sum(measuring.values())
    for label, value in overhead.items():
        print(f"  overhead   {label:<36} {value:7.2f}")
    print(f"  overhead   {'graph, git, skills, reports (rest)':<36} {other:7.2f}")
    for label, value in measuring.items():
        print(f"  measuring  {label:<36} {value:7.2f}")
    spent = sum(overhead.values()) + max(other, 0.0)
    print(f"  total wall {'':<36} {total:7.2f}")
    print(f"runner overhead {spent:.2f}s ({spent / total:.0%}) vs tests and timing {sum(measuring.values()):.2f}s "
          f"({sum(measuring.values()) / total:.0%})")
    nodes = sorted({n for r in results for n in r.phases.nodes_s}, key=NODE_ORDER.index)
    if nodes:
        print("  graph nodes: " + ", ".join(
            f"{n} {statistics.fmean(r.phases.nodes_s.get(n, 0.0) for r in results):.2f}" for n in nodes)
            + "  (prepare includes opening the run's sandbox and baseline tests; verify is the gate)")
    if len(rows) > 1:
        base = rows[0][1] / len(rows[0][2])
        for jobs, wall, results in rows[1:]:
            print(f"speed-up of --jobs {jobs} over --jobs {rows[0][0]}: {base / (wall / len(results)):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
