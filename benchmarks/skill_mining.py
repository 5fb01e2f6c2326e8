"""Stage I mining on the PIE pairs, offline, as the CLI runs it: wall time, peak memory and the largest clusters.

    python benchmarks/skill_mining.py                                   # ../shared/data/pie_py_pairs.jsonl
    python benchmarks/skill_mining.py --pairs PAIRS.jsonl --out /tmp/mined --top 10

Target (issue 5): the 1,000 PIE pairs in under 10 minutes on the development machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PAIRS = REPO.parent / "shared" / "data" / "pie_py_pairs.jsonl"
TARGET_SECONDS = 600


def main() -> int:
    """Run `optimizer-agent skills mine` in a child process and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: a temporary one)")
    parser.add_argument("--top", type=int, default=10, help="clusters to list")
    args = parser.parse_args()
    if not args.pairs.is_file():
        print(f"error: {args.pairs}: no such file", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="mined-"))
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "optimizer_agent.cli", "skills", "mine", str(args.pairs),
                           "--out", str(out), "--json"], cwd=REPO, capture_output=True, text=True)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return proc.returncode
    summary = json.loads(proc.stdout)
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    verdict = "PASS" if wall < TARGET_SECONDS else "FAIL"
    print(f"pairs {summary['pairs']}  sources {summary['sources']}  k {summary['k']}  "
          f"silhouette {summary['silhouette']:.3f}")
    print(f"wall {wall:.1f}s (target < {TARGET_SECONDS}s: {verdict})  peak RSS {peak_mib:.0f} MiB  out {out}")
    print(f"{'draft':6} {'support':>7} {'speedup':>8}  {'duplicate_of':12} label")
    for c in summary["clusters"][: args.top]:
        speed = f"{c['median_speedup']:.2f}x" if c["median_speedup"] is not None else "-"
        print(f"{c['draft_id']:6} {c['support']:>7} {speed:>8}  {c['duplicate_of'] or '-':12} {c['label']}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
