"""membership_set: `x in L` on a list inside a loop becomes a set lookup built once before the loop.

`L` must be a plain name: either a parameter, unannotated or annotated as a list/tuple/sequence, with no
default or a list/tuple one (a string default suggests substring tests; a None default would make the
hoisted `set(L)` raise where the loop might never have tested `L`), or a local assigned exactly once,
before the loop, from a list-building expression. Inside the loop every use of `L` must be a plain read
(`in L`, `len(L)`, `L[i]`, `L.index/count(...)`, `for _ in L`) that runs right away (not in a lambda or
lazy generator), and the loop must not yield or await. Lists of visibly unhashable literals are left
alone. A list display of constants tested with `in` inside a loop becomes a set display instead (CPython
folds it to a frozenset constant).

Known differences, left to the verification gate: an unhashable element in `L` raises TypeError when the
set is built (even if the loop then runs zero times), as does an unhashable left-hand side at the test;
an object whose `__eq__` disagrees with its `__hash__` may compare differently.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.literals import has_unhashable_items, is_constant, list_to_set
from optimizer_agent.skilllib.rewrites.names import bindings, bound_anywhere, fresh_name, param_named
from optimizer_agent.skilllib.rewrites.regions import precedes, repeated_nodes
from optimizer_agent.skilllib.rewrites.tree import Edit, hoist_before, parse_stmt, replace_with, statements
from optimizer_agent.skilllib.rewrites.usage import (
    is_membership_container,
    readonly_uses,
    shared_beyond_function,
    suspends,
)

SEQUENCE_ANNOTATIONS = frozenset({"list", "List", "tuple", "Tuple", "Sequence", "MutableSequence"})
LIST_BUILDERS = frozenset({"list", "sorted"})
LIST_RETURNING_METHODS = frozenset({"split", "rsplit", "splitlines"})
SET_SUFFIX = "_set"


class MembershipSet(FunctionRewrite):
    """Replace repeated list membership tests with set lookups."""

    id = "membership_set"
    description = "Hoist `set(L)` before a loop that tests `x in L` on an unchanged list; list displays become sets."

    def edits(self, target: Target) -> dict[int, Edit]:
        """Hoisted sets for named lists, set displays for constant list displays."""
        edits: dict[int, Edit] = {}
        handled: set[int] = set()
        can_call_set = not bound_anywhere(target.module, "set", target.parents)
        for stmt in statements(target.func):
            containers = [
                node for node in repeated_nodes(stmt)
                if is_membership_container(node, target.parents) and id(node) not in handled
            ]
            hoisted: list[str] = []
            names = dict.fromkeys(n.value for n in containers if isinstance(n, cst.Name))
            for name in names if can_call_set else ():
                if not self._safe_list(target, name, stmt):
                    continue
                set_name = fresh_name(name + SET_SUFFIX, target.taken)
                hoisted.append(f"{set_name} = set({name})")
                for node in containers:
                    if isinstance(node, cst.Name) and node.value == name:
                        edits[id(node)] = replace_with(cst.Name(set_name))
                        handled.add(id(node))
            for node in containers:
                if isinstance(node, cst.List) and _constant_display(node):
                    edits[id(node)] = replace_with(list_to_set(node))
                    handled.add(id(node))
            if hoisted:
                edits[id(stmt)] = hoist_before([parse_stmt(code) for code in hoisted])
        return edits

    def _safe_list(self, target: Target, name: str, stmt: cst.BaseStatement) -> bool:
        if not _is_list_here(target, name, stmt) or shared_beyond_function(target.func, name, target.parents):
            return False
        return readonly_uses(name, stmt, target.parents) is not None and not suspends(stmt)


def _is_list_here(target: Target, name: str, stmt: cst.BaseStatement) -> bool:
    """Whether `name` is, when `stmt` starts, a list-like parameter or a local list assigned once before it."""
    parents = target.parents
    found = bindings(target.func.body, name, parents)
    param = param_named(target.func, name)
    if param is not None:
        return not found and _sequence_param(param)
    if len(found) != 1:
        return False
    assign_target = parents.get(id(found[0]))
    assign = parents.get(id(assign_target))
    line = parents.get(id(assign))
    if not (
        isinstance(assign_target, cst.AssignTarget)
        and isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(line, cst.SimpleStatementLine)
        and len(line.body) == 1
    ):
        return False
    return precedes(line, stmt, parents) and _builds_list(target, assign.value)


def _sequence_param(param: cst.Param) -> bool:
    """Unannotated or annotated as a sequence; a string or None default rules it out (`set(None)` raises)."""
    if param.default is not None and not isinstance(param.default, (cst.List, cst.Tuple)):
        return False
    if param.annotation is None:
        return True
    annotation = param.annotation.annotation
    if isinstance(annotation, cst.Subscript):
        annotation = annotation.value
    if isinstance(annotation, cst.Attribute):
        annotation = annotation.attr
    return isinstance(annotation, cst.Name) and annotation.value in SEQUENCE_ANNOTATIONS


def _builds_list(target: Target, value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.List, cst.Tuple, cst.ListComp)):
        return not has_unhashable_items(value)
    if not isinstance(value, cst.Call):
        return False
    if isinstance(value.func, cst.Name) and value.func.value in LIST_BUILDERS:
        return not bound_anywhere(target.module, value.func.value, target.parents)
    return isinstance(value.func, cst.Attribute) and value.func.attr.value in LIST_RETURNING_METHODS


def _constant_display(node: cst.List) -> bool:
    return bool(node.elements) and all(
        isinstance(el, cst.Element) and is_constant(el.value) for el in node.elements
    )
