"""pop0_deque: a local list used as a FIFO queue (`q.pop(0)`) becomes a `collections.deque` with `popleft()`.

`q` must be assigned exactly once in the function, by plain `q = [...]`, `q = []` or `q = list(...)`, and
every other use must behave identically on a deque: `q.pop(0)` (becomes `q.popleft()`), `q.pop()`,
`append`, `extend`, `insert`, `remove`, `clear`, `count`, `index`, `reverse`, truth tests, `len(q)`,
`x in q`, `q[0]`/`q[-1]` reads, and iteration by a loop that does not touch `q` (a deque raises if mutated
while iterated). Anything else (returning it, passing it to a call, slicing, comparing, printing, storing
it elsewhere, nested functions) declines. Uses `deque` when the file already has `from collections import
deque`, else `collections.deque`, adding `import collections` if the name is free.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.imports import ModuleName, add_import, from_imported, module_name_state
from optimizer_agent.skilllib.rewrites.literals import is_int_literal
from optimizer_agent.skilllib.rewrites.names import bindings, bound_anywhere, is_binding, is_target, references
from optimizer_agent.skilllib.rewrites.tree import Edit, Parents, ancestors, replace_with, walk
from optimizer_agent.skilllib.rewrites.usage import (
    is_iterated,
    is_len_arg,
    is_membership_container,
    is_method_call,
    shared_beyond_function,
)

SAME_ON_DEQUE = frozenset({"append", "extend", "insert", "remove", "clear", "count", "index", "reverse"})
"""List methods a deque has with the same meaning for the same arguments."""
TRUTH_TESTED = (cst.If, cst.While, cst.IfExp, cst.Assert, cst.CompIf)
COLLECTIONS = "collections"


class Pop0Deque(FunctionRewrite):
    """Use a deque for a list that is consumed from the front."""

    id = "pop0_deque"
    description = "Turn a local list used as a queue with `q.pop(0)` into a `collections.deque` with `popleft()`."

    def edits(self, target: Target) -> dict[int, Edit]:
        """The deque construction and a `popleft()` per `pop(0)`, for each qualifying local list."""
        constructor = _deque_constructor(target)
        if constructor is None:
            return {}
        edits: dict[int, Edit] = {}
        queues = dict.fromkeys(
            node.func.value.value for node in walk(target.func.body, into_scopes=False) if _is_pop0(node)
        )
        for name in queues:
            plan = _queue_plan(target, name)
            if plan is None:
                continue
            value, pops = plan
            edits[id(value)] = replace_with(cst.parse_expression(_deque_code(target.module, value, constructor)))
            for call in pops:
                edits[id(call)] = _popleft
        return edits

    def finish(self, module: cst.Module, target: Target) -> cst.Module | None:
        """Add `import collections` when the new code uses it and the file lacks it."""
        if _deque_constructor(target) == f"{COLLECTIONS}.deque":
            return add_import(module, COLLECTIONS)
        return module


def _deque_constructor(target: Target) -> str | None:
    if from_imported(target.module, COLLECTIONS, "deque", target.parents):
        return "deque"
    if module_name_state(target.module, COLLECTIONS, target.parents) is ModuleName.TAKEN:
        return None
    return f"{COLLECTIONS}.deque"


def _is_pop0(node: cst.CSTNode) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and isinstance(node.func.value, cst.Name)
        and node.func.attr.value == "pop"
        and len(node.args) == 1
        and node.args[0].keyword is None
        and not node.args[0].star
        and is_int_literal(node.args[0].value, 0)
    )


def _queue_plan(target: Target, name: str) -> tuple[cst.BaseExpression, list[cst.Call]] | None:
    """The list-building value and the `pop(0)` calls, if `name` is a local list used only deque-safely."""
    parents = target.parents
    found = bindings(target.func.body, name, parents)
    if len(found) != 1 or shared_beyond_function(target.func, name, parents):
        return None
    assign_target = parents.get(id(found[0]))
    assign = parents.get(id(assign_target))
    if not (isinstance(assign_target, cst.AssignTarget) and isinstance(assign, cst.Assign)):
        return None
    if len(assign.targets) != 1:
        return None
    if not _builds_list(target, assign.value):
        return None
    pops = []
    for ref in references(target.func.body, name, parents):
        if ref is found[0]:
            continue
        if not _deque_safe(ref, parents):
            return None
        call = parents.get(id(parents.get(id(ref))))
        if _is_pop0(call):
            pops.append(call)
    return (assign.value, pops) if pops else None


def _builds_list(target: Target, value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.List):
        return True
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "list":
        return len(value.args) <= 1 and not bound_anywhere(target.module, "list", target.parents)
    return False


def _deque_safe(ref: cst.Name, parents: Parents) -> bool:
    """Whether this use of the queue means the same on a deque as on a list."""
    parent = parents.get(id(ref))
    if is_binding(ref, parents):
        return False
    if is_method_call(ref, parents, SAME_ON_DEQUE) or is_len_arg(ref, parents) or is_membership_container(ref, parents):
        return True
    if is_method_call(ref, parents, frozenset({"pop"})):
        call = parents.get(id(parent))
        return not call.args or _is_pop0(call)
    if isinstance(parent, cst.Subscript) and parent.value is ref and not is_target(parent, parents):
        index = parent.slice[0].slice if len(parent.slice) == 1 else None
        return isinstance(index, cst.Index) and (is_int_literal(index.value, 0) or is_int_literal(index.value, -1))
    if is_iterated(ref, parents):
        return not _mutated_while_iterated(ref, parent, parents)
    return _truth_tested(ref, parents)


def _mutated_while_iterated(ref: cst.Name, clause: cst.CSTNode, parents: Parents) -> bool:
    scope = clause.body if isinstance(clause, cst.For) else parents.get(id(clause))
    if isinstance(clause, cst.CompFor):
        while isinstance(scope, cst.CompFor):
            scope = parents.get(id(scope))
    return any(isinstance(n, cst.Name) and n.value == ref.value and n is not ref for n in walk(scope))


def _truth_tested(ref: cst.Name, parents: Parents) -> bool:
    child: cst.CSTNode = ref
    for above in ancestors(ref, parents):
        if isinstance(above, cst.BooleanOperation):
            child = above
            continue
        if isinstance(above, cst.UnaryOperation) and isinstance(above.operator, cst.Not):
            return True
        return isinstance(above, TRUTH_TESTED) and getattr(above, "test", None) is child
    return False


def _deque_code(module: cst.Module, value: cst.BaseExpression, constructor: str) -> str:
    if isinstance(value, cst.List):
        inner = module.code_for_node(value) if value.elements else ""
    else:
        inner = ", ".join(module.code_for_node(arg).rstrip(", ") for arg in value.args)
    return f"{constructor}({inner})"


def _popleft(updated: cst.CSTNode) -> cst.CSTNode:
    return updated.with_changes(func=updated.func.with_changes(attr=cst.Name("popleft")), args=[])
