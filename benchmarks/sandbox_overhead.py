"""What the Docker sandbox costs over the local one: container start, per-command exec, and a
stand-in for one candidate verification (the target's tests once, then timing runs of its bench).

    python benchmarks/sandbox_overhead.py                      # a small built-in project
    python benchmarks/sandbox_overhead.py --repo benchmarks/examples/logstats --bench "python bench.py"
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizer_agent.sandbox.base import Result, Sandbox  # noqa: E402
from optimizer_agent.sandbox.daemon import connect  # noqa: E402
from optimizer_agent.sandbox.docker import DockerConfig, DockerSandbox  # noqa: E402
from optimizer_agent.sandbox.images import ensure_image  # noqa: E402
from optimizer_agent.sandbox.local import LocalSandbox  # noqa: E402

STAND_IN = {
    "pkg/__init__.py": "",
    "pkg/work.py": """
        def pairs(values):
            seen = []
            hits = 0
            for v in values:
                if -v in seen:
                    hits += 1
                seen.append(v)
            return hits

        def squares(n):
            return sum(i * i for i in range(n))
    """,
    "tests/test_work.py": """
        import pytest
        from pkg.work import pairs, squares

        @pytest.mark.parametrize("n", range(40))
        def test_squares(n):
            assert squares(n) == sum(i * i for i in range(n))

        def test_pairs():
            assert pairs([1, -1, 2, 3, -3]) == 2
    """,
    "bench.py": """
        from pkg.work import pairs, squares
        print(pairs(list(range(-1500, 1500))), squares(300_000))
    """,
}
STARTS = 3
TIMEOUT_S = 600


def _write_stand_in(root: Path) -> Path:
    """Write the built-in project under `root`."""
    for rel, text in STAND_IN.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def _run(sandbox: Sandbox, cmd: str, cwd: str) -> tuple[Result, float]:
    """Execute `cmd`, insisting that it succeeds; return the result and the host-side seconds."""
    started = time.perf_counter()
    result = sandbox.execute(cmd, cwd, timeout=TIMEOUT_S)
    wall = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"{sandbox.name}: {cmd!r} failed:\n{result.tail()}")
    return result, wall


def _measure(sandbox: Sandbox, project: Path, args: argparse.Namespace) -> dict:
    """Exec overhead and the stand-in verification on one backend."""
    where = sandbox.stage(project, "overhead")
    _run(sandbox, args.tests, where)  # warm file caches and imports once
    trues = [_run(sandbox, "true", where)[1] for _ in range(args.execs)]
    started = time.perf_counter()
    _run(sandbox, args.tests, where)
    inner = [_run(sandbox, args.bench, where)[0].duration for _ in range(args.bench_runs)]
    version = _run(sandbox, "python -c 'import sys; print(sys.version.split()[0], sys.executable)'", where)[0]
    return {
        "python": version.stdout.strip(),
        "exec_ms": statistics.mean(trues) * 1000,
        "verify_s": time.perf_counter() - started,
        "bench_median_s": statistics.median(inner),
        "bench_spread": (max(inner) - min(inner)) / statistics.median(inner),
    }


def main(argv: list[str] | None = None) -> None:
    """Measure both backends on one project and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, help="target project (default: a small built-in one)")
    parser.add_argument("--tests", default="python -m pytest -q -p no:cacheprovider", help="test command")
    parser.add_argument("--bench", default="python bench.py", help="workload command")
    parser.add_argument("--execs", type=int, default=30, help="`true` runs for the exec overhead")
    parser.add_argument("--bench-runs", type=int, default=10, help="timing runs of the workload")
    args = parser.parse_args(argv)

    client = connect()
    with tempfile.TemporaryDirectory(prefix="oa-overhead-") as scratch:
        project = args.repo.resolve() if args.repo else _write_stand_in(Path(scratch))
        image = ensure_image(client, project, log=lambda m: print(m, file=sys.stderr))
        config = DockerConfig(image=image.tag, run_id="overhead", repo=project)

        starts, removals = [], []
        for _ in range(STARTS):
            t0 = time.perf_counter()
            sandbox = DockerSandbox(config, client=client)
            t1 = time.perf_counter()
            sandbox.cleanup()
            starts.append(t1 - t0)
            removals.append(time.perf_counter() - t1)

        local = LocalSandbox()
        try:
            on_local = _measure(local, project, args)
        finally:
            local.cleanup()
        with DockerSandbox(config, client=client) as docker_sandbox:
            on_docker = _measure(docker_sandbox, project, args)

    print(f"image                      {image.tag} ({'built' if image.built else 'reused'})")
    # Inner timings compare interpreters as much as sandboxes: say which ones ran.
    print(f"python                     local {on_local['python']}   docker {on_docker['python']}")
    print(f"container start            {statistics.mean(starts):.2f} s (mean of {STARTS}); removal {statistics.mean(removals):.2f} s")
    print(f"exec of `true` (n={args.execs})      local {on_local['exec_ms']:.1f} ms   docker {on_docker['exec_ms']:.1f} ms"
          f"   overhead {on_docker['exec_ms'] - on_local['exec_ms']:+.1f} ms/command")
    print(f"tests + {args.bench_runs} bench runs     local {on_local['verify_s']:.2f} s   docker {on_docker['verify_s']:.2f} s"
          f"   ratio docker/local {on_docker['verify_s'] / on_local['verify_s']:.2f}")
    print(f"bench median (inner)       local {on_local['bench_median_s']:.3f} s   docker {on_docker['bench_median_s']:.3f} s"
          f"   ratio {on_docker['bench_median_s'] / on_local['bench_median_s']:.2f}")
    print(f"bench spread (max-min)/med local {on_local['bench_spread']:.1%}   docker {on_docker['bench_spread']:.1%}")


if __name__ == "__main__":
    main()
