"""Compare two example outcomes as the sandbox harness encoded them (see `harness.encode`).

The two sides of an example run in separate sandbox processes, so their results come back as JSON, never as
pickles that the host would have to trust. `decode` rebuilds plain values from that JSON (builtin containers, and
inert stand-ins for anything else) and the gate's own recursive comparison
(`optimizer_agent.verify.equivalence.compare`) judges them, with exact floats and dict order checked.
"""

from __future__ import annotations

from typing import Any

from optimizer_agent.verify.equivalence.compare import Tolerance, compare

EXACT = Tolerance(rel_tol=0.0, abs_tol=0.0, dict_order=True)
"""Skill examples must agree exactly: the same floats bit for bit (NaN equal to NaN) and dict keys in the same
order, because a caller may iterate the result."""

_BASES: dict[str, type] = {"list": list, "tuple": tuple, "dict": dict, "set": set, "bytes": bytes}


class Opaque:
    """Stands in for a value the harness could only describe (its type and repr, or its `tolist()` contents)."""

    def __init__(self, kind: str, text: str) -> None:
        self.kind = kind
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Opaque) and (self.kind, self.text) == (other.kind, other.text)

    def __hash__(self) -> int:
        return hash((self.kind, self.text))

    def __repr__(self) -> str:
        return f"<{self.kind} {self.text}>"


def _typed(base: type, kind: str | None, classes: dict[str, type]) -> type:
    """`base` itself, or a same-named subclass for `Counter`, `defaultdict`, a namedtuple, `frozenset`..."""
    if not kind or kind == base.__name__:
        return base
    builtin = {"frozenset": frozenset, "bytearray": bytearray}.get(kind)
    if builtin is not None:
        return builtin
    if kind not in classes:
        classes[kind] = type(kind, (base,), {"__module__": "example"})
    return classes[kind]


def decode(value: Any, classes: dict[str, type] | None = None) -> Any:
    """The plain Python value an encoded tree describes; nothing in it can run code."""
    classes = {} if classes is None else classes
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, list):
        return [decode(v, classes) for v in value]
    kind = value.get("type")
    if "int" in value:
        return int(value["int"])
    if "float" in value:
        return float(value["float"])
    if "complex" in value:
        return complex(decode(value["complex"][0]), decode(value["complex"][1]))
    if "bytes" in value:
        return _typed(bytes, kind, classes)(bytes.fromhex(value["bytes"]))
    for tag in ("list", "tuple", "set"):
        if tag in value:
            items = [decode(v, classes) for v in value[tag]]
            return _typed(_BASES[tag], kind, classes)(items)
    if "dict" in value:
        return _typed(dict, kind, classes)((decode(k, classes), decode(v, classes)) for k, v in value["dict"])
    if "tolist" in value:
        return Opaque(kind or "?", repr(decode(value["tolist"], classes)))
    if "cycle" in value:
        return Opaque(value["cycle"], "<cycle>")
    return Opaque(kind or "?", str(value.get("repr", value)))


def first_difference(a: Any, b: Any, path: str = "value") -> str | None:
    """Where two encoded values first differ (`value[2]: expected 3, got 4`), or None when they are equal."""
    return compare(decode(a), decode(b), EXACT, path)


def equal(a: Any, b: Any) -> bool:
    """True when two encoded values are the same value, type and order included."""
    return first_difference(a, b) is None
