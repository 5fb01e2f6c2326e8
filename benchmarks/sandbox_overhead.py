"""What the Docker sandbox costs over the local one: container start, per-command exec, and one full
candidate verification through the real gate (scope, guards, tests, behaviour capture and replay,
paired timing) on a real deterministic-rewrite candidate, under each backend.

    python benchmarks/sandbox_overhead.py                       # logstats' blocked_requests
    python benchmarks/sandbox_overhead.py --function logstats/stats.py::returning_clients --pairs 1

The gate's timing stops adaptively, so both backends get a fixed number of rounds (`--rounds`) and
do the same work; judges alternate local, docker, docker, local, ... so that drift in the machine's
load hits both sides alike. Target: docker/local <= 1.3.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizer_agent.sandbox.base import Sandbox  # noqa: E402
from optimizer_agent.sandbox.daemon import connect  # noqa: E402
from optimizer_agent.sandbox.docker import DockerConfig, DockerSandbox  # noqa: E402
from optimizer_agent.sandbox.images import ensure_image  # noqa: E402
from optimizer_agent.sandbox.local import LocalSandbox  # noqa: E402
from optimizer_agent.skilllib.loader import Library  # noqa: E402
from optimizer_agent.skilllib.rewrites import applicable, apply_rewrites  # noqa: E402
from optimizer_agent.state import Candidate, FunctionRef, Verdict  # noqa: E402
from optimizer_agent.vcs.diffs import unified_diff  # noqa: E402
from optimizer_agent.verify.gate import BasicGate, GateRequest  # noqa: E402
from optimizer_agent.verify.judges import read_judge_files, uses_caching_skill  # noqa: E402
from optimizer_agent.verify.testrun import default_test_command, run_tests  # noqa: E402
from optimizer_agent.verify.timing import TimingPolicy  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent / "examples" / "logstats"
DEFAULT_FUNCTION = "logstats/stats.py::blocked_requests"
STARTS = 3
TIMEOUT_S = 600.0
TARGET_RATIO = 1.3


def make_candidate(project: Path, function: str) -> Candidate:
    """Every deterministic rewrite that applies to `function`, as one candidate (what propose would judge)."""
    file, _, qualname = function.partition("::")
    source = (project / file).read_text()
    rewrites = applicable(source, qualname)
    applied = apply_rewrites(rewrites, source, qualname) if rewrites else None
    if applied is None:
        raise SystemExit(f"no deterministic rewrite applies to {function}")
    new, used = applied
    skill_of = {s.rewrite: s.id for s in Library.load().operators if getattr(s, "rewrite", None)}
    return Candidate(id="c001", function=FunctionRef(file=file, qualname=qualname), plan_id="overhead",
                     skills=[skill_of[r] for r in used if r in skill_of], origin="rewrite", source=new,
                     diff=unified_diff(file, source, new))


def judge(sandbox: Sandbox, project: Path, candidate: Candidate, args: argparse.Namespace) -> tuple[Verdict, float]:
    """Stage both trees, run the baseline tests, then time one fresh gate's verdict (the part measured)."""
    base_dir = sandbox.stage(project, "base")
    cand_dir = sandbox.stage(project, "cand")
    sandbox.write_file(f"{cand_dir}/{candidate.function.file}", candidate.source)
    baseline = run_tests(sandbox, args.tests, base_dir, TIMEOUT_S)
    if not baseline.ok:
        raise SystemExit(f"{sandbox.name}: the baseline tests fail:\n{baseline.output_tail}")
    files = [str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()]
    request = GateRequest(
        candidate=candidate, sandbox=sandbox, base_dir=base_dir, cand_dir=cand_dir,
        original_source=(project / candidate.function.file).read_text(), allowed_files=[candidate.function.file],
        test_cmd=args.tests, bench_cmd=args.bench, baseline_tests=baseline, test_timeout=TIMEOUT_S,
        policy=TimingPolicy(min_rounds=args.rounds, max_rounds=args.rounds, time_budget_s=TIMEOUT_S),
        judge_files=read_judge_files(project, files, [args.bench, args.tests]),
        cache_skill=uses_caching_skill(candidate.skills, Library.load()),
    )
    started = time.perf_counter()
    verdict = BasicGate().judge(request)
    seconds = time.perf_counter() - started
    sandbox.remove(cand_dir)
    sandbox.clear_scratch()
    return verdict, seconds


def exec_overhead(sandbox: Sandbox, project: Path, count: int) -> float:
    """Median host-side seconds of a `true` command (the median shrugs off a busy daemon's stalls)."""
    where = sandbox.stage(project, "execs")
    sandbox.execute("true", where, timeout=60)
    took = []
    for _ in range(count):
        started = time.perf_counter()
        sandbox.execute("true", where, timeout=60)
        took.append(time.perf_counter() - started)
    return statistics.median(took)


def python_of(sandbox: Sandbox) -> str:
    """The version and path of the interpreter commands get."""
    with tempfile.TemporaryDirectory() as empty:
        where = sandbox.stage(Path(empty), "python")
    result = sandbox.execute("python -c 'import sys; print(sys.version.split()[0], sys.executable)'", where, 60)
    return result.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    """Measure both backends on one project and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=EXAMPLE, help="target project (default: the logstats example)")
    parser.add_argument("--function", default=DEFAULT_FUNCTION, help="file::qualname to rewrite")
    parser.add_argument("--tests", default=default_test_command(), help="test command")
    parser.add_argument("--bench", default="python bench.py", help="workload command")
    parser.add_argument("--rounds", type=int, default=6, help="timed rounds per side in each verification")
    parser.add_argument("--pairs", type=int, default=2, help="verifications per backend (order L D D L ...)")
    parser.add_argument("--execs", type=int, default=30, help="`true` runs for the exec overhead")
    args = parser.parse_args(argv)

    project = args.repo.resolve()
    candidate = make_candidate(project, args.function)
    client = connect()
    image = ensure_image(client, project, log=lambda m: print(m, file=sys.stderr))
    config = DockerConfig(image=image.tag, run_id="overhead", repo=project)

    starts, removals = [], []
    for _ in range(STARTS):
        t0 = time.perf_counter()
        probe = DockerSandbox(config, client=client)
        t1 = time.perf_counter()
        probe.cleanup()
        starts.append(t1 - t0)
        removals.append(time.perf_counter() - t1)

    local = LocalSandbox()
    docker_sandbox = DockerSandbox(config, client=client)
    seconds: dict[str, list[float]] = {"local": [], "docker": []}
    verdicts: dict[str, list[Verdict]] = {"local": [], "docker": []}
    try:
        sandboxes = {"local": local, "docker": docker_sandbox}
        pythons = {name: python_of(sb) for name, sb in sandboxes.items()}
        execs = {name: exec_overhead(sb, project, args.execs) for name, sb in sandboxes.items()}
        order = [("local", "docker") if i % 2 == 0 else ("docker", "local") for i in range(args.pairs)]
        for pair in order:
            for name in pair:
                verdict, took = judge(sandboxes[name], project, candidate, args)
                print(f"  {name:6} {took:6.1f} s  {verdict.reason}", file=sys.stderr)
                seconds[name].append(took)
                verdicts[name].append(verdict)
    finally:
        local.cleanup()
        docker_sandbox.cleanup()

    ratio = statistics.mean(seconds["docker"]) / statistics.mean(seconds["local"])
    print(f"project                    {project.name}: {args.function} ({'+'.join(candidate.skills)})")
    print(f"image                      {image.tag} ({'built' if image.built else 'reused'})")
    # Inner timings compare interpreters as much as sandboxes: say which ones ran.
    print(f"python                     local {pythons['local']}   docker {pythons['docker']}")
    print(f"container start            {statistics.mean(starts):.2f} s (mean of {STARTS}); removal {statistics.mean(removals):.2f} s")
    print(f"exec of `true` (median/{args.execs}) local {execs['local'] * 1000:.1f} ms   docker {execs['docker'] * 1000:.1f} ms"
          f"   overhead {(execs['docker'] - execs['local']) * 1000:+.1f} ms/command")
    for name in ("local", "docker"):
        runs = ", ".join(f"{s:.1f}" for s in seconds[name])
        last = verdicts[name][-1]
        print(f"gate verdict {name:6}        {statistics.mean(seconds[name]):.1f} s (runs: {runs});"
              f" {last.stage}, {last.metric or '-'} speedup {last.speedup or 0:.2f}x, {last.rounds} rounds,"
              f" {last.tests_passed}/{last.tests_run} tests, {last.calls_compared} calls compared")
    print(f"full verification ratio    docker/local {ratio:.2f} (target <= {TARGET_RATIO})")


if __name__ == "__main__":
    main()
