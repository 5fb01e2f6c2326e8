"""Reading slow/fast pairs from JSONL (the PIE format: `input`, `target`, `problem_id`, `cpu_time_v0/v1`)."""

from __future__ import annotations

import json
from pathlib import Path

from optimizer_agent.errors import BadInput
from optimizer_agent.skilllib.miner.records import Pair

SLOW_FIELD = "input"
FAST_FIELD = "target"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _pair(record: object, index: int, line: int, path: Path) -> Pair:
    if not isinstance(record, dict):
        raise BadInput(f"{path}:{line}: expected a JSON object per line")
    for field in (SLOW_FIELD, FAST_FIELD):
        if not isinstance(record.get(field), str) or not record[field].strip():
            raise BadInput(f"{path}:{line}: field '{field}' must be a non-empty string (the "
                           f"{'slow' if field == SLOW_FIELD else 'fast'} program)")
    return Pair(index=index, line=line, problem_id=str(record.get("problem_id") or ""),
                slow=record[SLOW_FIELD], fast=record[FAST_FIELD],
                cpu_time_slow=_number(record.get("cpu_time_v0")), cpu_time_fast=_number(record.get("cpu_time_v1")))


def read_pairs(path: Path, limit: int | None = None) -> list[Pair]:
    """The first `limit` pairs of a JSONL file (all when None); blank lines are skipped."""
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    if limit is not None and limit < 1:
        raise BadInput(f"--limit must be at least 1, not {limit}")
    pairs: list[Pair] = []
    try:
        with path.open(encoding="utf-8") as handle:
            for line_no, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise BadInput(f"{path}:{line_no}: not JSON ({exc.msg} at column {exc.colno})") from None
                pairs.append(_pair(record, len(pairs), line_no, path))
                if limit is not None and len(pairs) >= limit:
                    break
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 text ({exc.reason})") from None
    if not pairs:
        raise BadInput(f"{path}: no pairs (expected JSON lines with '{SLOW_FIELD}' and '{FAST_FIELD}')")
    return pairs
