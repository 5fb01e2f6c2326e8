"""count_counter: `L.count(x)` inside a loop becomes a lookup in `collections.Counter(L)` built once before it.

Each `count` scans the whole list; one Counter answers every later question in O(1), and a missing key reads
as 0 like `count`. `L` must be a plain name that the loop (or comprehension) only reads, right away, without
yielding or awaiting (the checks membership_set uses), not global/nonlocal nor used by a nested function,
and known to hold a sequence whose `count` counts elements:
- a local assigned once, before the loop, from a list display, list comprehension, `list(...)`, `sorted(...)`
  or `.split()`; or a parameter annotated `list`/`tuple` and never rebound;
- or anything (a string included: its elements are one-character strings) when `x` is the variable of a
  `for x in L` or `... for x in L` clause enclosing the call, and `L` is a parameter or such a local.
Declines on literal evidence that the elements are unhashable (nested list/dict/set displays) or floats
(float equality and hashing disagree on NaN), on an unhashable-looking `x`, and when `collections` is bound to
something other than a plain top-level `import collections` (added when missing).

Known differences, left to the verification gate: `Counter(L)` is built even when the loop runs zero times,
so a `L` holding unhashable objects (or not iterable at all) raises TypeError there; an unhashable `x`
raises TypeError at the lookup where `count` would have returned 0.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.imports import ModuleName, add_import, module_name_state
from optimizer_agent.skilllib.rewrites.literals import UNHASHABLE_LITERALS, has_unhashable_items
from optimizer_agent.skilllib.rewrites.names import bindings, bound_anywhere, fresh_name, param_named
from optimizer_agent.skilllib.rewrites.regions import precedes, repeated_nodes
from optimizer_agent.skilllib.rewrites.tree import Edit, ancestors, hoist_before, parse_stmt, statements, walk
from optimizer_agent.skilllib.rewrites.usage import call_name, readonly_uses, shared_beyond_function, suspends

COLLECTIONS = "collections"
COUNTS_SUFFIX = "_counts"
LIST_ANNOTATIONS = frozenset({"list", "List", "tuple", "Tuple"})
LIST_BUILDERS = frozenset({"list", "sorted"})
SPLIT_METHODS = frozenset({"split", "rsplit", "splitlines"})


class CountCounter(FunctionRewrite):
    """Replace repeated `list.count(x)` scans with lookups in a Counter built once."""

    id = "count_counter"
    description = "Hoist `collections.Counter(L)` before a loop that calls `L.count(x)` on an unchanged list."

    def edits(self, target: Target) -> dict[int, Edit]:
        """A hoisted Counter per loop and list, and the lookups that replace the `count` calls."""
        if module_name_state(target.module, COLLECTIONS, target.parents) is ModuleName.TAKEN:
            return {}
        edits: dict[int, Edit] = {}
        handled: set[int] = set()
        for stmt in statements(target.func):
            calls = [node for node in repeated_nodes(stmt) if _count_receiver(node) and id(node) not in handled]
            hoisted: list[str] = []
            for name in dict.fromkeys(_count_receiver(call) for call in calls):
                mine = [call for call in calls if _count_receiver(call) == name]
                if not self._safe(target, name, stmt, mine):
                    continue
                counts = fresh_name(name + COUNTS_SUFFIX, target.taken)
                hoisted.append(f"{counts} = {COLLECTIONS}.Counter({name})")
                for call in mine:
                    edits[id(call)] = _lookup(counts)
                    handled.add(id(call))
            if hoisted:
                edits[id(stmt)] = hoist_before([parse_stmt(code) for code in hoisted])
        return edits

    def finish(self, module: cst.Module, target: Target) -> cst.Module | None:
        """Add `import collections` when the file lacks it."""
        return add_import(module, COLLECTIONS)

    def _safe(self, target: Target, name: str, stmt: cst.BaseStatement, calls: list[cst.Call]) -> bool:
        parents = target.parents
        if shared_beyond_function(target.func, name, parents) or suspends(stmt):
            return False
        if readonly_uses(name, stmt, parents) is None:
            return False
        if any(isinstance(call.args[0].value, UNHASHABLE_LITERALS) for call in calls):
            return False
        kind = _sequence_kind(target, name, stmt)
        if kind == "list":
            return True
        return kind == "any" and all(_counts_own_element(call, name, target) for call in calls)


def _count_receiver(node: cst.CSTNode) -> str | None:
    """`L` for a call `L.count(x)` with one plain positional argument."""
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)):
        return None
    receiver = node.func.value
    if node.func.attr.value != "count" or not isinstance(receiver, cst.Name) or len(node.args) != 1:
        return None
    arg = node.args[0]
    return receiver.value if arg.keyword is None and not arg.star else None


def _sequence_kind(target: Target, name: str, stmt: cst.BaseStatement) -> str | None:
    """`list` when `name` surely holds a list/tuple at `stmt`, `any` for a sequence of unknown type, else None."""
    parents = target.parents
    found = bindings(target.func.body, name, parents)
    param = param_named(target.func, name)
    if param is not None:
        if found or param.default is not None:
            return None
        annotation = param.annotation.annotation if param.annotation is not None else None
        if isinstance(annotation, cst.Subscript):
            annotation = annotation.value
        return "list" if isinstance(annotation, cst.Name) and annotation.value in LIST_ANNOTATIONS else "any"
    if len(found) != 1:
        return None
    assign_target = parents.get(id(found[0]))
    assign = parents.get(id(assign_target))
    line = parents.get(id(assign))
    if not (isinstance(assign_target, cst.AssignTarget) and isinstance(assign, cst.Assign)
            and len(assign.targets) == 1 and isinstance(line, cst.SimpleStatementLine)
            and precedes(line, stmt, parents)):
        return None
    value = assign.value
    if _looks_unhashable_or_float(value):
        return None
    if isinstance(value, (cst.List, cst.Tuple, cst.ListComp)):
        return "list"
    if call_name(value) in LIST_BUILDERS and not bound_anywhere(target.module, call_name(value), parents):
        return "list"
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in SPLIT_METHODS:
        return "list"
    return "any"


def _looks_unhashable_or_float(value: cst.BaseExpression) -> bool:
    if has_unhashable_items(value):
        return True
    if isinstance(value, (cst.List, cst.Tuple)):
        return any(isinstance(node, cst.Float) or call_name(node) == "float" for node in walk(value))
    if isinstance(value, cst.ListComp):
        return any(isinstance(node, cst.Float) or call_name(node) == "float" for node in walk(value.elt))
    return False


def _counts_own_element(call: cst.Call, name: str, target: Target) -> bool:
    """Whether the counted value is the variable of an enclosing `for x in name` loop or clause."""
    arg = call.args[0].value
    if not isinstance(arg, cst.Name):
        return False
    for above in ancestors(call, target.parents):
        if above is target.func:
            return False
        clause = above if isinstance(above, cst.For) else getattr(above, "for_in", None)
        while isinstance(clause, (cst.For, cst.CompFor)):
            if (isinstance(clause.target, cst.Name) and clause.target.value == arg.value
                    and isinstance(clause.iter, cst.Name) and clause.iter.value == name):
                return True
            clause = getattr(clause, "inner_for_in", None)
    return False


def _lookup(counts: str) -> Edit:
    def edit(updated: cst.CSTNode) -> cst.CSTNode:
        index = cst.SubscriptElement(cst.Index(updated.args[0].value))
        return cst.Subscript(value=cst.Name(counts), slice=[index], lpar=updated.lpar, rpar=updated.rpar)

    return edit
