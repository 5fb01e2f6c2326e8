"""The files that judge a candidate (benchmarks, tests and their data), read for the copied-literal guard."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from optimizer_agent.analysis.targets import command_scripts, normalize
from optimizer_agent.verify.critic import CACHING_FAMILY, JUDGE_FILE_MAX_BYTES, JUDGE_FILES_MAX_BYTES

JUDGE_SUFFIXES = (".py", ".json")
JUDGE_PREFIXES = ("test", "bench")


def is_judge_file(rel: str) -> bool:
    """Benchmark or test code and data: a folder or file named test*/bench*, or a conftest.py."""
    path = PurePosixPath(normalize(rel))
    if not path.name.endswith(JUDGE_SUFFIXES):
        return False
    parts = [p.lower() for p in path.parts]
    return path.name == "conftest.py" or any(p.startswith(JUDGE_PREFIXES) for p in parts)


def read_judge_files(root: Path, tracked: list[str], commands: list[str]) -> dict[str, str]:
    """Repo-relative path -> text of every judge file under `root`, within the size limits."""
    scripts = set().union(*(command_scripts(c) for c in commands)) if commands else set()
    wanted = sorted({normalize(f) for f in tracked if is_judge_file(f)} | {normalize(s) for s in scripts})
    out: dict[str, str] = {}
    budget = JUDGE_FILES_MAX_BYTES
    for rel in wanted:
        path = root / rel
        if not path.is_file():
            continue
        size = path.stat().st_size
        if size > JUDGE_FILE_MAX_BYTES or size > budget:
            continue
        budget -= size
        out[rel] = path.read_text(errors="replace")
    return out


def uses_caching_skill(skill_ids: list[str], library) -> bool:
    """True when one of the skills belongs to the caching family (memoization)."""
    if library is None:
        return False
    return any(s in library and library.get(s).family == CACHING_FAMILY for s in skill_ids)
