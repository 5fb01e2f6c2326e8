"""How often the gate is fooled by noise, and how often it finds a real speedup, on this machine.

The gate (scope, guards, tests, behaviour replay and paired ABBA timing with the critic) judges:
- A/A trials: the candidate is a no-op edit (a rename, a reformat, a comment or a docstring);
- trials with a known true speedup (1.10x, 1.25x, 2x by default) of a workload whose cost is set exactly.

For every trial it also applies Codeflash's rule to the very same timing samples: accept when
min(original) / min(candidate) - 1 exceeds a 5% noise floor (min-of-N, no significance test).
Trials run in a shuffled order so that drifting machine load spreads over every kind.

    python benchmarks/gate_calibration.py                      # 100 A/A trials, 40 per speedup
    python benchmarks/gate_calibration.py --aa 20 --per-speedup 10 --out results.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizer_agent.sandbox.base import Sandbox  # noqa: E402
from optimizer_agent.state import Candidate, FunctionRef  # noqa: E402
from optimizer_agent.verify.critic import DEFAULT_MIN_SPEEDUP  # noqa: E402
from optimizer_agent.verify.gate import BasicGate, GateRequest  # noqa: E402
from optimizer_agent.verify.testrun import run_tests  # noqa: E402
from optimizer_agent.verify.timing import TimingPolicy  # noqa: E402

CODEFLASH_NOISE_FLOOR = 0.05
"""Codeflash keeps a candidate whose best (minimum) runtime beats the original's by more than this."""
CALIBRATION_RUNS = 31
"""Runs of each calibration point when working out the workload's fixed and per-round cost."""
SOURCE = "costly/work.py"
WORK = '''\
ROUNDS = {rounds}


def work():
    """Busy work whose cost grows with ROUNDS; the answer does not depend on it."""
    acc = 0
    for i in range(ROUNDS):
        acc ^= i
    return 0 if acc >= 0 else 1
'''
NO_OPS = {
    "rename": lambda s: s.replace("acc", "accumulator"),
    "reformat": lambda s: s.replace("    acc = 0\n", "    acc = (\n        0\n    )\n\n"),
    "comment": lambda s: s.replace("    for i", "    # walk the range once\n    for i"),
    "docstring": lambda s: s.replace('"""Busy work', '"""Deliberate busy work'),
}
PROJECT = {
    "costly/__init__.py": "",
    "tests/__init__.py": "",
    "tests/test_work.py": ("import unittest\n\nfrom costly.work import work\n\n\nclass WorkTest(unittest.TestCase):\n"
                           "    def test_work(self):\n        self.assertEqual(work(), 0)\n"),
    "bench.py": "from costly.work import work\n\nwork()\n",
}
TEST_CMD = "python -m unittest discover -q -s tests -t ."
"""unittest starts faster than pytest, so more of each trial goes to the timing being calibrated."""


def write_project(root: Path, rounds: int) -> Path:
    """The calibration project with `rounds` of busy work."""
    for rel, text in {**PROJECT, SOURCE: WORK.format(rounds=rounds)}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def cost_model(sandbox: Sandbox, tree: str, big: int, metric: str) -> tuple[float, float]:
    """(fixed seconds, seconds per round) of `python bench.py`, from medians at 0 and `big` rounds."""
    points = {}
    for rounds in (0, big):
        sandbox.write_file(f"{tree}/{SOURCE}", WORK.format(rounds=rounds))
        samples = []
        for _ in range(CALIBRATION_RUNS):
            result = sandbox.execute("python bench.py", tree, 120)
            samples.append(result.cpu_time if metric == "cpu" and result.cpu_time is not None else result.duration)
        points[rounds] = statistics.median(samples)
    return points[0], (points[big] - points[0]) / big


def rounds_for(seconds: float, fixed: float, per_round: float) -> int:
    """Rounds that make one run of the workload cost `seconds` in total."""
    return max(1, round((seconds - fixed) / per_round))


def run_cost(sandbox: Sandbox, tree: str, metric: str) -> float:
    """One run of the workload in `tree`, in the chosen metric."""
    result = sandbox.execute("python bench.py", tree, 120)
    return result.cpu_time if metric == "cpu" and result.cpu_time is not None else result.duration


def realize(sandbox: Sandbox, trees: tuple[str, str], base_rounds: int, target: float, fixed: float,
            per_round: float, metric: str) -> tuple[int, float]:
    """Rounds whose measured speedup over `base_rounds` is `target` (two correction steps), and that speedup.

    The linear cost model is only an estimate; interleaved paired runs measure the speedup those rounds
    really give, and the rounds are corrected by the remaining error.
    """
    base_tree, cand_tree = trees
    sandbox.write_file(f"{base_tree}/{SOURCE}", WORK.format(rounds=base_rounds))
    rounds = rounds_for((fixed + per_round * base_rounds) / target, fixed, per_round)
    ratio = 0.0
    for step in range(3):
        sandbox.write_file(f"{cand_tree}/{SOURCE}", WORK.format(rounds=rounds))
        pairs = [(run_cost(sandbox, base_tree, metric), run_cost(sandbox, cand_tree, metric))
                 for _ in range(CALIBRATION_RUNS)]
        base_cost = statistics.median(a for a, _ in pairs)
        # Back-to-back pairs see the same machine load, so their ratios drift far less than either side.
        ratio = statistics.median(a / b for a, b in pairs)
        if step == 2:
            break
        # The candidate costs base/ratio now and should cost base/target: add the difference in rounds.
        rounds = max(1, round(rounds + (base_cost / target - base_cost / ratio) / per_round))
    return rounds, ratio


def codeflash_accepts(times_a: list[float], times_b: list[float]) -> bool | None:
    """Codeflash's rule on our samples: min-of-N speedup above a 5% floor; None without samples."""
    if not times_a or not times_b:
        return None
    return min(times_a) / min(times_b) - 1 > CODEFLASH_NOISE_FLOOR


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson interval of a rate."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def main() -> int:
    """Calibrate the cost model, then judge every trial in a shuffled order and print the rates."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aa", type=int, default=100, help="A/A trials (no-op candidates)")
    parser.add_argument("--per-speedup", type=int, default=40, help="trials per true speedup")
    parser.add_argument("--speedups", type=float, nargs="*", default=[1.10, 1.25, 2.0])
    parser.add_argument("--workload-seconds", type=float, default=0.1, help="cost of one base run of the workload")
    parser.add_argument("--sandbox", choices=["local", "docker"], default="local")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="append every trial's figures to this file, one JSON line each")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="oa-calibration-"))
    sandbox = open_box(args.sandbox, write_project(scratch / "project", 0))
    policy = TimingPolicy()
    try:
        probe = sandbox.stage(scratch / "project", "probe")
        metric = "cpu" if sandbox.execute("python bench.py", probe, 60).cpu_time is not None else "wall"
        fixed, per_round = cost_model(sandbox, probe, 5_000_000, metric)
        base_rounds = rounds_for(args.workload_seconds, fixed, per_round)
        write_project(scratch / "project", base_rounds)
        base_source = WORK.format(rounds=base_rounds)
        base_dir = sandbox.stage(scratch / "project", "base")
        baseline = run_tests(sandbox, TEST_CMD, base_dir, 120)
        if not baseline.ok:
            print(baseline.output_tail, file=sys.stderr)
            return 2
        other = sandbox.stage(scratch / "project", "probe-b")
        targets = {s: realize(sandbox, (probe, other), base_rounds, s, fixed, per_round, metric) for s in args.speedups}
        plan = [("A/A", 1.0, name) for name in list(NO_OPS) * math.ceil(args.aa / len(NO_OPS))][: args.aa]
        for speedup in args.speedups:
            plan += [(f"{speedup:g}x", speedup, "")] * args.per_speedup
        random.Random(args.seed).shuffle(plan)
        print_setup(args, sandbox.name, metric, fixed, per_round, base_rounds, policy, len(plan))
        for speedup, (rounds, ratio) in targets.items():
            print(f"true {speedup:g}x: {rounds} rounds; measured before the trials: {ratio:.3f}x")
        gate = BasicGate()
        trials = []
        for i, (kind, speedup, no_op) in enumerate(plan):
            if speedup == 1.0:
                source = NO_OPS[no_op](base_source)
            else:
                source = WORK.format(rounds=targets[speedup][0])
            trials.append(judge(gate, sandbox, scratch / "project", base_dir, base_source, source, baseline, policy,
                                f"t{i:04d}", kind, speedup))
            if args.out:
                with args.out.open("a") as handle:
                    handle.write(json.dumps(trials[-1]) + "\n")
            if (i + 1) % 10 == 0:
                print(f"  {i + 1}/{len(plan)} trials, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    finally:
        sandbox.cleanup()
    print_results(trials, args.speedups)
    return 0


def open_box(kind: str, project: Path) -> Sandbox:
    """The sandbox the gate runs in."""
    from optimizer_agent.sandbox.select import open_sandbox

    return open_sandbox(kind, f"calibration-{os.getpid()}", project, lambda m: print(f"warning: {m}", file=sys.stderr))


def judge(gate: BasicGate, sandbox: Sandbox, project: Path, base_dir: str, base_source: str, source: str, baseline,
          policy: TimingPolicy, cid: str, kind: str, speedup: float) -> dict:
    """One trial through the whole gate; the figures a summary needs."""
    cand_dir = sandbox.stage(project, f"cand-{cid}")
    sandbox.write_file(f"{cand_dir}/{SOURCE}", source)
    candidate = Candidate(id=cid, function=FunctionRef(file=SOURCE, qualname="work"), plan_id="calibration",
                          skills=[], origin="rewrite", source=source, diff="")
    request = GateRequest(candidate=candidate, sandbox=sandbox, base_dir=base_dir, cand_dir=cand_dir,
                          original_source=base_source, allowed_files=[SOURCE], test_cmd=TEST_CMD,
                          bench_cmd="python bench.py", baseline_tests=baseline, policy=policy, base_sha="calibration")
    start = time.monotonic()
    verdict = gate.judge(request)
    seconds = time.monotonic() - start
    sandbox.remove(cand_dir)
    return {"kind": kind, "true_speedup": speedup, "accepted": verdict.accepted, "stage": verdict.stage,
            "reason": verdict.reason, "rounds": verdict.rounds, "stopped": verdict.stopped, "metric": verdict.metric,
            "speedup": verdict.speedup, "ci": [verdict.ci_low, verdict.ci_high], "p": verdict.p_value,
            "seconds": seconds, "codeflash": codeflash_accepts(verdict.timings_base, verdict.timings_cand),
            "times_base": verdict.timings_base, "times_cand": verdict.timings_cand}


def print_setup(args, sandbox: str, metric: str, fixed: float, per_round: float, rounds: int, policy: TimingPolicy,
                trials: int) -> None:
    """What was measured, and how."""
    print(f"gate calibration: {trials} trials, sandbox {sandbox}, metric {metric}, python {sys.version.split()[0]}")
    print(f"workload: {fixed * 1000:.1f} ms fixed + {rounds} rounds x {per_round * 1e9:.1f} ns "
          f"= {(fixed + rounds * per_round) * 1000:.0f} ms per base run")
    print(f"policy: min_speedup {DEFAULT_MIN_SPEEDUP}, p < 0.01, {policy.min_rounds}-{policy.max_rounds} rounds per "
          f"side, budget {policy.time_budget_s:g}s, min round {policy.min_round_seconds:g}s; load {os.getloadavg()[0]:.1f}")


def print_results(trials: list[dict], speedups: list[float]) -> None:
    """Acceptance rates of the gate and of Codeflash's rule, per kind of trial, and times to a verdict."""
    print()
    print(f"{'kind':>6} {'n':>4} {'gate accepts':>14} {'95% CI':>14} {'codeflash accepts':>18} "
          f"{'median verdict s':>17} {'median rounds':>14} {'median measured':>16}")
    for kind in ["A/A"] + [f"{s:g}x" for s in speedups]:
        group = [t for t in trials if t["kind"] == kind]
        if not group:
            continue
        accepted = sum(t["accepted"] for t in group)
        low, high = wilson(accepted, len(group))
        codeflash = [t["codeflash"] for t in group if t["codeflash"] is not None]
        measured = [t["speedup"] for t in group if t["speedup"] is not None]
        print(f"{kind:>6} {len(group):>4} {accepted / len(group):>13.1%} {f'[{low:.1%}, {high:.1%}]':>14} "
              f"{sum(codeflash) / max(len(codeflash), 1):>17.1%} "
              f"{statistics.median(t['seconds'] for t in group):>17.1f} "
              f"{statistics.median(t['rounds'] for t in group):>14.0f} "
              f"{statistics.median(measured) if measured else float('nan'):>15.3f}x")
    stages = {}
    for t in trials:
        if not t["accepted"]:
            stages[t["stage"]] = stages.get(t["stage"], 0) + 1
    print(f"\nrejections by stage: {stages}")
    print(f"median time to a verdict, all trials: {statistics.median(t['seconds'] for t in trials):.1f}s")
    print("targets: A/A false acceptance <= 1%; 1.25x detected >= 95%; 1.1x detected >= 80%")


if __name__ == "__main__":
    sys.exit(main())
