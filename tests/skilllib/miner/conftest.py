"""Helpers for miner tests: small handwritten slow/fast pairs written out as PIE-style JSONL."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from optimizer_agent.skilllib.miner.records import Pair


def pair(slow: str, fast: str, index: int = 0, problem_id: str = "p00000", times=(200, 100)) -> Pair:
    """A Pair from dedented slow and fast sources."""
    return Pair(index=index, line=index + 1, problem_id=problem_id, slow=textwrap.dedent(slow).lstrip("\n"),
                fast=textwrap.dedent(fast).lstrip("\n"), cpu_time_slow=times[0], cpu_time_fast=times[1])


def write_pairs(path: Path, pairs: list[Pair]) -> Path:
    """Write pairs as JSONL with the PIE field names (`input`, `target`, `cpu_time_v0/v1`)."""
    with path.open("w", encoding="utf-8") as handle:
        for p in pairs:
            handle.write(json.dumps({"problem_id": p.problem_id, "input": p.slow, "target": p.fast,
                                     "cpu_time_v0": p.cpu_time_slow, "cpu_time_v1": p.cpu_time_fast}) + "\n")
    return path


def sample_file(tmp_path: Path, copies: int = 3) -> Path:
    """Every handwritten sample `copies` times (a comment varies), as PIE-style JSONL."""
    from tests.skilllib.miner.samples import SAMPLES

    pairs = []
    for copy in range(copies):
        for name, (slow, fast, _) in sorted(SAMPLES.items()):
            pairs.append(pair(textwrap.dedent(slow) + f"# copy {copy}\n", fast, index=len(pairs),
                              problem_id=f"{name}-{copy}", times=(300 + copy, 100)))
    return write_pairs(tmp_path / "pairs.jsonl", pairs)
