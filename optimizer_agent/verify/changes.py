"""Which functions a change touches, as the tracer can wrap them (nested functions via their outermost one)."""

from __future__ import annotations

from optimizer_agent.analysis.extents import FunctionExtent, function_extents, function_source


def capture_name(extents: list[FunctionExtent], qualname: str) -> str | None:
    """The function to wrap so that calls of `qualname` are seen: itself, or the function it is nested in."""
    known = {e.qualname for e in extents}
    parts = qualname.split(".")
    for cut in range(1, len(parts) + 1):
        prefix = ".".join(parts[:cut])
        if prefix in known:
            return prefix
    return None


def changed_functions(original: str, new: str) -> list[str]:
    """Capture names of the functions whose text differs between the two sources, in source order.

    Functions only the new source has (helpers) are reached through the changed functions that call them;
    functions the new source dropped are reported too, so the replay can say they no longer exist.
    """
    try:
        before, after = function_extents(original), function_extents(new)
    except Exception:  # noqa: BLE001 - an unparsable text has no functions to compare
        return []
    new_text = {e.qualname: function_source(new, e) for e in after}
    out: list[str] = []
    for ext in before:
        if new_text.get(ext.qualname) != function_source(original, ext):
            name = capture_name(before, ext.qualname)
            if name and name not in out:
                out.append(name)
    return out


def capture_targets(original: str, new: str, target: str | None = None) -> list[str]:
    """The target (when it exists in the original) first, then every other changed function."""
    names: list[str] = []
    if target:
        name = capture_name(function_extents(original), target)
        if name:
            names.append(name)
    for name in changed_functions(original, new):
        if name not in names:
            names.append(name)
    return names
