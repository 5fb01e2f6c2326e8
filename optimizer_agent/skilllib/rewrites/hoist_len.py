"""hoist_len: `while i < len(xs):` computes `n_xs = len(xs)` once before the loop and tests `i < n_xs`.

Applies when `xs` is a plain name that the loop (test and body) only reads: `len(xs)`, `xs[i]` (not stored
or deleted), `x in xs`, `xs.index/count(...)`, `for _ in xs`, each running right away (not in a lambda or a
lazy generator), and the loop neither rebinds `xs`, passes it to a call, nor yields or awaits. Every
`len(xs)` inside the loop then uses the hoisted value. Declines when `len` is rebound in the file.

Known difference: `len(xs)` is now evaluated once even if the test would have short-circuited before
reaching it on the first check (only observable if `xs` has no length at all).
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.names import bindings, bound_anywhere, fresh_name, param_named
from optimizer_agent.skilllib.rewrites.tree import Edit, hoist_before, parse_stmt, replace_with, statements, walk
from optimizer_agent.skilllib.rewrites.usage import (
    call_name,
    is_len_arg,
    readonly_uses,
    shared_beyond_function,
    suspends,
)

LEN_PREFIX = "n_"


class HoistLen(FunctionRewrite):
    """Compute the length of an unchanging sequence once instead of on every loop test."""

    id = "hoist_len"
    description = "Hoist `len(xs)` out of a `while` condition when the loop never changes `xs`."

    def edits(self, target: Target) -> dict[int, Edit]:
        """A hoisted length per (outermost) while loop and sequence, and the calls that use it."""
        if bound_anywhere(target.module, "len", target.parents):
            return {}
        edits: dict[int, Edit] = {}
        handled: set[int] = set()
        for loop in statements(target.func):
            if not isinstance(loop, cst.While) or suspends(loop):
                continue
            hoisted = []
            for name in dict.fromkeys(_measured_names(loop.test, target)):
                calls = [call for call in _len_calls(loop, name, target) if id(call) not in handled]
                if not calls or not _is_local(target, name) or readonly_uses(name, loop, target.parents) is None:
                    continue
                length = fresh_name(LEN_PREFIX + name, target.taken)
                hoisted.append(parse_stmt(f"{length} = len({name})"))
                for call in calls:
                    edits[id(call)] = replace_with(cst.Name(length))
                    handled.add(id(call))
            if hoisted:
                edits[id(loop)] = hoist_before(hoisted)
        return edits


def _measured_names(test: cst.BaseExpression, target: Target):
    """Names `xs` with a `len(xs)` call in the loop test."""
    for node in walk(test, into_scopes=False):
        if isinstance(node, cst.Name) and is_len_arg(node, target.parents):
            yield node.value


def _len_calls(loop: cst.While, name: str, target: Target) -> list[cst.Call]:
    calls = []
    for node in walk(loop):
        if call_name(node) == "len" and len(node.args) == 1:
            arg = node.args[0].value
            if isinstance(arg, cst.Name) and arg.value == name and is_len_arg(arg, target.parents):
                calls.append(node)
    return calls


def _is_local(target: Target, name: str) -> bool:
    """Whether `name` is a parameter or local of the function (a global could change in any call)."""
    if shared_beyond_function(target.func, name, target.parents):
        return False
    return param_named(target.func, name) is not None or bool(bindings(target.func.body, name, target.parents))
