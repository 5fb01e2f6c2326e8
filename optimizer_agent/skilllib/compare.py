"""Recursive comparison of two values as the sandbox harness encoded them (see `harness.encode`).

The gate's behaviour capture compares live objects in the candidate's process; skill examples run in two
separate sandbox processes instead, so they are compared here on their JSON encoding, which never has to be
unpickled (or otherwise executed) on the host.
"""

from __future__ import annotations

import json
from typing import Any

def canonical(value: Any) -> Any:
    """The encoded value with dict items and set elements in a fixed order, so equal values are identical."""
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: canonical(v) for k, v in value.items()}
    if "set" in out:
        out["set"] = sorted(out["set"], key=_key)
    if "dict" in out:
        out["dict"] = sorted(out["dict"], key=lambda item: _key(item[0]))
    return out


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _tag(value: Any) -> str:
    if isinstance(value, dict):
        return next((k for k in value if k != "type"), "?")
    return type(value).__name__


def _short(value: Any) -> str:
    text = _key(value)
    return text if len(text) <= 60 else text[:57] + "..."


def first_difference(a: Any, b: Any, path: str = "value") -> str | None:
    """Where two encoded values first differ (`value[2]['k']: 3 != 4`), or None when they are equal."""
    return _diff(canonical(a), canonical(b), path)


def _diff(a: Any, b: Any, path: str) -> str | None:
    if a == b:
        return None
    if not (isinstance(a, dict) and isinstance(b, dict)) or _tag(a) != _tag(b):
        return f"{path}: {_short(a)} != {_short(b)}"
    if a.get("type") != b.get("type"):
        return f"{path}: type {a.get('type')} != {b.get('type')}"
    tag = _tag(a)
    items_a, items_b = a[tag], b[tag]
    if not (isinstance(items_a, list) and isinstance(items_b, list)):
        return f"{path}: {_short(a)} != {_short(b)}"
    if len(items_a) != len(items_b):
        return f"{path}: {len(items_a)} items != {len(items_b)} items"
    for i, (x, y) in enumerate(zip(items_a, items_b)):
        if tag == "dict":
            if x[0] != y[0]:
                return f"{path}: key {_short(x[0])} != key {_short(y[0])}"
            found = _diff(x[1], y[1], f"{path}[{_short(x[0])}]")
        else:
            found = _diff(x, y, f"{path}[{i}]")
        if found:
            return found
    return f"{path}: {_short(a)} != {_short(b)}"


def equal(a: Any, b: Any) -> bool:
    """True when two encoded values are equal the way Python's `==` sees them, with NaN equal to NaN."""
    return first_difference(a, b) is None
