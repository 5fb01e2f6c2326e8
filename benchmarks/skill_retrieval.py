"""Retrieval recall on labelled slow snippets: does the skill that fixes each snippet rank first, or in the top 3?

Each file in benchmarks/retrieval/snippets/ is a small module with two header comments:
    # skill: O0NN            the operator skill that fixes it
    # function: Name.method  the slow function (a qualname)
The benchmark runs the real retrieval path the agent's `retrieve` node uses: detectors on the file, scoped to the
function, then BM25 plus detector boost over the function's source. It prints every miss and top-1/top-3 recall.

    python benchmarks/skill_retrieval.py [--json] [--k 3]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from optimizer_agent.analysis.detectors import detect
from optimizer_agent.analysis.extents import find_function, function_source
from optimizer_agent.skilllib.loader import Library
from optimizer_agent.skilllib.retrieval import retrieve

SNIPPETS = Path(__file__).resolve().parent / "retrieval" / "snippets"
TARGET_TOP3 = 0.9
_HEADER = re.compile(r"^#\s*(skill|function):\s*(\S+)\s*$", re.MULTILINE)


def load_snippets(folder: Path = SNIPPETS) -> list[dict]:
    """Every snippet with its label, function and source."""
    found = []
    for path in sorted(folder.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        header = dict(_HEADER.findall(text))
        if "skill" not in header or "function" not in header:
            raise SystemExit(f"{path}: needs '# skill: O0NN' and '# function: NAME' header lines")
        found.append({"file": path.name, "skill": header["skill"], "function": header["function"], "source": text})
    return found


def rank_snippet(library: Library, snippet: dict, k: int) -> dict:
    """The operator ranking for one snippet and where its label landed (0 when absent)."""
    source = snippet["source"]
    extent = find_function(source, snippet["function"])
    if extent is None:
        raise SystemExit(f"{snippet['file']}: function {snippet['function']} not found")
    signals = detect(source, snippet["function"])
    matches = retrieve(library, function_source(source, extent), signals, k=k)
    ranked = [m.skill_id for m in matches if m.kind == "operator"]
    rank = ranked.index(snippet["skill"]) + 1 if snippet["skill"] in ranked else 0
    return {"file": snippet["file"], "skill": snippet["skill"], "rank": rank, "ranked": ranked,
            "signals": sorted({s.detector for s in signals})}


def main(argv: list[str] | None = None) -> int:
    """Print per-snippet misses and the recall figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--k", type=int, default=5, help="operators retrieved per snippet (recall uses 1 and 3)")
    args = parser.parse_args(argv)
    library = Library.load()
    snippets = load_snippets()
    start = time.perf_counter()
    rows = [rank_snippet(library, s, max(args.k, 3)) for s in snippets]
    seconds = time.perf_counter() - start
    n = len(rows)
    top1 = sum(1 for r in rows if r["rank"] == 1) / n
    top3 = sum(1 for r in rows if 1 <= r["rank"] <= 3) / n
    labelled = sorted({r["skill"] for r in rows})
    if args.json:
        print(json.dumps({"snippets": n, "skills_covered": len(labelled), "top1": round(top1, 3),
                          "top3": round(top3, 3), "seconds": round(seconds, 2), "rows": rows}, indent=2))
    else:
        for r in rows:
            if r["rank"] != 1:
                where = f"rank {r['rank']}" if r["rank"] else "missing"
                print(f"{r['file']:<28} {r['skill']}: {where:<8} got {' '.join(r['ranked'][:3]) or '-'}"
                      f"  signals: {', '.join(r['signals']) or '-'}")
        print(f"snippets: {n} covering {len(labelled)} skills; retrieval took {seconds:.2f}s")
        print(f"top-1 recall: {top1:.3f}")
        print(f"top-3 recall: {top3:.3f} (target {TARGET_TOP3})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
