"""Recursive comparison of recorded and replayed values, and a deep repr for values pickle cannot keep.

Shipped into the sandbox next to the tracer and the replayer, so it uses the standard library only and
must run on Python 3.10-3.13. `compare` returns a readable description of the first difference, or None.
"""

from __future__ import annotations

import dataclasses
import math
import re
import sys

SHORT_REPR_CHARS = 160
"""How much of a value a difference message shows."""
MAX_DEPTH = 400
"""Below this nesting depth values are compared with `==` instead of recursing."""
SET_EXAMPLES = 3
"""How many missing or extra set elements a difference message names."""
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_EXACT = (int, str, bytes, bool, type(None), range, type(Ellipsis))
_MUTABLE_SEQUENCES = (list, bytearray)


class Tolerance:
    """How close two floats must be: `math.isclose` with these tolerances; NaN equals NaN."""

    def __init__(self, rel_tol: float = 1e-9, abs_tol: float = 1e-12, dict_order: bool = True) -> None:
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol
        self.dict_order = dict_order
        """Whether two dicts must also list their keys in the same order (callers can iterate them)."""


def type_name(value: object) -> str:
    """`module.Qualname` of a value's type, `builtins.` omitted."""
    tp = type(value)
    module = getattr(tp, "__module__", "") or ""
    name = getattr(tp, "__qualname__", tp.__name__)
    return name if module == "builtins" else f"{module}.{name}"


def short(value: object) -> str:
    """A one-line repr cut to SHORT_REPR_CHARS, without memory addresses."""
    try:
        text = repr(value)
    except Exception as exc:  # noqa: BLE001 - a broken __repr__ must not break the comparison
        text = f"<{type_name(value)} with failing repr: {type(exc).__name__}>"
    text = _ADDRESS.sub("", " ".join(text.split()))
    return text if len(text) <= SHORT_REPR_CHARS else text[: SHORT_REPR_CHARS - 3] + "..."


def deep_repr(value: object, depth: int = 0, seen: set[int] | None = None) -> str:
    """A stable text for any value: containers recurse, plain objects show their attributes, no addresses."""
    seen = set() if seen is None else seen
    if depth > MAX_DEPTH // 8:
        return "..."
    if isinstance(value, _EXACT) or isinstance(value, (float, complex)):
        return repr(value)
    if id(value) in seen:
        return "<cycle>"
    seen = seen | {id(value)}
    rec = lambda v: deep_repr(v, depth + 1, seen)  # noqa: E731
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(map(rec, value)) if isinstance(value, (set, frozenset)) else [rec(v) for v in value]
        return f"{type_name(value)}[{', '.join(items)}]"
    if isinstance(value, dict):
        return f"{type_name(value)}{{{', '.join(f'{rec(k)}: {rec(v)}' for k, v in value.items())}}}"
    state = _object_state(value)
    if state is not None:
        return f"{type_name(value)}({', '.join(f'{k}={rec(v)}' for k, v in state.items())})"
    return _ADDRESS.sub("", short(value))


def compare(expected: object, got: object, tol: Tolerance | None = None, path: str = "result") -> str | None:
    """The first difference between `expected` and `got` as `path: what differs`, or None when they match."""
    return _Comparer(tol or Tolerance()).diff(expected, got, path, 0)


class _Comparer:
    """One comparison, remembering visited pairs so cyclic structures terminate."""

    def __init__(self, tol: Tolerance) -> None:
        self.tol = tol
        self.visiting: set[tuple[int, int]] = set()

    def diff(self, exp: object, got: object, path: str, depth: int) -> str | None:
        """Dispatch on the expected value's kind."""
        if exp is got and isinstance(exp, _EXACT):
            return None
        if not _same_type(exp, got):
            return f"{path}: expected {type_name(exp)} {short(exp)}, got {type_name(got)} {short(got)}"
        if isinstance(exp, float):
            return None if self._close(exp, got) else _values(path, exp, got)
        if isinstance(exp, complex):
            ok = self._close(exp.real, got.real) and self._close(exp.imag, got.imag)
            return None if ok else _values(path, exp, got)
        if isinstance(exp, _EXACT):
            return None if exp == got else _values(path, exp, got)
        if depth > MAX_DEPTH:
            return None if _safe_eq(exp, got) else _values(path, exp, got)
        pair = (id(exp), id(got))
        if pair in self.visiting:
            return None
        self.visiting.add(pair)
        try:
            return self._container(exp, got, path, depth)
        finally:
            self.visiting.discard(pair)

    def _close(self, a: float, b: float) -> bool:
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=self.tol.rel_tol, abs_tol=self.tol.abs_tol)

    def _container(self, exp: object, got: object, path: str, depth: int) -> str | None:
        if _is_numpy_array(exp):
            return _numpy_diff(exp, got, path, self.tol)
        if isinstance(exp, (set, frozenset)):
            return _set_diff(exp, got, path)
        if isinstance(exp, dict):
            return self._dict(exp, got, path, depth)
        if isinstance(exp, (list, tuple)) or _is_sequence_like(exp):
            return self._sequence(exp, got, path, depth)
        if isinstance(exp, BaseException):
            return self.diff(exp.args, got.args, f"{path}.args", depth + 1)
        if dataclasses.is_dataclass(exp) and not isinstance(exp, type):
            return self._fields(_dataclass_state(exp), _dataclass_state(got), path, depth)
        if type(exp).__eq__ is not object.__eq__:
            return None if _safe_eq(exp, got) else _values(path, exp, got)
        state_e, state_g = _object_state(exp), _object_state(got)
        if state_e is not None and state_g is not None:
            return self._fields(state_e, state_g, path, depth)
        if callable(exp) or isinstance(exp, type):
            same = getattr(exp, "__qualname__", None) == getattr(got, "__qualname__", None)
            return None if same else _values(path, exp, got)
        return None

    def _sequence(self, exp, got, path: str, depth: int) -> str | None:
        exp_items, got_items = list(exp), list(got)
        if len(exp_items) != len(got_items):
            return f"{path}: expected {len(exp_items)} items, got {len(got_items)} ({short(exp)} vs {short(got)})"
        fields = getattr(type(exp), "_fields", None)
        for i, (e, g) in enumerate(zip(exp_items, got_items)):
            label = f".{fields[i]}" if fields and i < len(fields) else f"[{i}]"
            found = self.diff(e, g, path + label, depth + 1)
            if found:
                return found
        return None

    def _dict(self, exp: dict, got: dict, path: str, depth: int) -> str | None:
        missing = [k for k in exp if k not in got]
        extra = [k for k in got if k not in exp]
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing keys " + short(missing[:SET_EXAMPLES]))
            if extra:
                parts.append("extra keys " + short(extra[:SET_EXAMPLES]))
            return f"{path}: {', '.join(parts)}"
        for key, value in exp.items():
            found = self.diff(value, got[key], f"{path}[{short(key)}]", depth + 1)
            if found:
                return found
        if self.tol.dict_order and list(exp) != list(got):
            return f"{path}: same keys in another order: expected {short(list(exp))}, got {short(list(got))}"
        return None

    def _fields(self, exp: dict, got: dict, path: str, depth: int) -> str | None:
        if set(exp) != set(got):
            return f"{path}: attributes {sorted(exp)} expected, got {sorted(got)}"
        for name in exp:
            found = self.diff(exp[name], got[name], f"{path}.{name}", depth + 1)
            if found:
                return found
        return None


def _same_type(a: object, b: object) -> bool:
    """Same type, or same-named types (a class re-created when its module was imported again)."""
    ta, tb = type(a), type(b)
    if ta is tb:
        return True
    return (getattr(ta, "__module__", None), ta.__qualname__) == (getattr(tb, "__module__", None), tb.__qualname__)


def _values(path: str, exp: object, got: object) -> str:
    return f"{path}: expected {short(exp)}, got {short(got)}"


def _safe_eq(a: object, b: object) -> bool:
    try:
        result = a == b
        return bool(result)
    except Exception:  # noqa: BLE001 - an __eq__ that raises counts as "not equal"
        return False


def _set_diff(exp, got, path: str) -> str | None:
    try:
        if exp == got:
            return None
        missing, extra = list(exp - got)[:SET_EXAMPLES], list(got - exp)[:SET_EXAMPLES]
    except TypeError:
        return None if _safe_eq(exp, got) else _values(path, exp, got)
    return f"{path}: set differs: missing {short(missing)}, extra {short(extra)}"


def _is_sequence_like(value: object) -> bool:
    """deque, array.array and bytearray compare item by item like lists."""
    name = type_name(value)
    return isinstance(value, _MUTABLE_SEQUENCES) or name in ("collections.deque", "array.array")


def _is_numpy_array(value: object) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.ndarray)


def _numpy_diff(exp, got, path: str, tol: Tolerance) -> str | None:
    numpy = sys.modules["numpy"]
    if exp.shape != got.shape or exp.dtype != got.dtype:
        return f"{path}: expected array {exp.dtype}{list(exp.shape)}, got {got.dtype}{list(got.shape)}"
    if exp.dtype.kind in "fc":
        same = numpy.allclose(exp, got, rtol=tol.rel_tol, atol=tol.abs_tol, equal_nan=True)
    else:
        same = numpy.array_equal(exp, got)
    return None if same else _values(path, exp, got)


def _dataclass_state(value: object) -> dict:
    return {f.name: getattr(value, f.name, None) for f in dataclasses.fields(value) if f.compare}


def _object_state(value: object) -> dict | None:
    """Instance attributes from `__dict__` and `__slots__`, or None for objects without any."""
    state: dict = {}
    found = False
    try:
        attrs = vars(value)
    except TypeError:
        attrs = None
    if isinstance(attrs, dict):
        state.update(attrs)
        found = True
    for cls in type(value).__mro__:
        for name in getattr(cls, "__slots__", ()) or ():
            if isinstance(name, str) and name not in ("__dict__", "__weakref__") and hasattr(value, name):
                state[name] = getattr(value, name)
                found = True
    return state if found else None
