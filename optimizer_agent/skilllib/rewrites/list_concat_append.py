"""list_concat_append: `acc = acc + [e]` in a loop becomes `acc.append(e)`, `acc = acc + xs` becomes `acc.extend(xs)`.

`+` copies the whole list on every iteration; the in-place forms are amortised O(1) per element. In-place growth
is only invisible when no other reference to the list exists, so `acc` must be a local of a plain (not
generator, not async) function that is not a parameter, not global/nonlocal and not used by a nested function;
every binding of it must be `acc = <fresh list>` (a list display, a list comprehension or `list(...)`),
`acc += ...`, or one of the rewritten concatenations, and a fresh binding must come before the loop. Every
other use must be one that cannot keep a reference: `len(acc)`, a read `acc[i]`/`acc[a:b]`, `x in acc`,
`acc.count/index(...)`, `return acc`, or `for x in acc` over a loop that does not itself grow `acc` (a loop
over a list it appends to would never end). Passing `acc` to any call, storing it, yielding it or assigning
it to another name declines. The concatenation must be the whole statement, inside a `for`/`while` body.
Declines inside `try`/`with` (a failing `extend` may leave part of its items behind where `+` left none).

Known difference, left to the verification gate: `acc + xs` raises TypeError unless `xs` is a list, while
`extend` accepts any iterable; right operands that are visibly not lists (tuple/set/dict/str displays,
generator expressions) are declined.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.names import bindings, bound_anywhere, param_named, references
from optimizer_agent.skilllib.rewrites.regions import precedes
from optimizer_agent.skilllib.rewrites.tree import LOOP_NODES, Edit, ancestors, replace_with, statements
from optimizer_agent.skilllib.rewrites.usage import (
    call_name,
    guarded,
    is_deferred,
    is_readonly_use,
    shared_beyond_function,
    suspends,
)

NOT_LIST_OPERANDS = (cst.Tuple, cst.Set, cst.Dict, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.SimpleString,
                     cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float)


class ListConcatAppend(FunctionRewrite):
    """Grow a private list in place instead of rebuilding it with `+` on every iteration."""

    id = "list_concat_append"
    description = "Replace `acc = acc + [e]` / `acc = acc + xs` in a loop by `acc.append(e)` / `acc.extend(xs)`."

    def edits(self, target: Target) -> dict[int, Edit]:
        """Edits for every name whose concatenations in loops can all safely become in-place growth."""
        if suspends(target.func) or isinstance(target.func.asynchronous, cst.Asynchronous):
            return {}
        concats: dict[str, list[cst.SimpleStatementLine]] = {}
        for stmt in statements(target.func):
            name = _concat_name(stmt)
            if name is not None and _in_loop(stmt, target):
                concats.setdefault(name, []).append(stmt)
        edits: dict[int, Edit] = {}
        for name, lines in concats.items():
            if _private_list(target, name, lines):
                for line in lines:
                    edits[id(line)] = replace_with(_in_place(target.module, line, name))
        return edits


def _concat_name(stmt: cst.BaseStatement) -> str | None:
    """`acc` for a statement line that is exactly `acc = acc + <something that may be a list>`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    name, value = assign.targets[0].target, assign.value
    if not (isinstance(name, cst.Name) and isinstance(value, cst.BinaryOperation)
            and isinstance(value.operator, cst.Add) and not value.lpar):
        return None
    left, right = value.left, value.right
    if not (isinstance(left, cst.Name) and left.value == name.value and not left.lpar):
        return None
    if isinstance(right, NOT_LIST_OPERANDS) or isinstance(right, cst.BinaryOperation):
        return None
    return name.value


def _in_loop(stmt: cst.CSTNode, target: Target) -> bool:
    for above in ancestors(stmt, target.parents):
        if above is target.func:
            return False
        if isinstance(above, LOOP_NODES):
            return True
    return False


def _private_list(target: Target, name: str, lines: list[cst.SimpleStatementLine]) -> bool:
    """Whether `name` always holds a list nothing else can see, so growing it in place is unobservable."""
    parents = target.parents
    if param_named(target.func, name) is not None or shared_beyond_function(target.func, name, parents):
        return False
    if name == "list" or any(guarded(target.func, line, parents) for line in lines):
        return False
    concat_ids = {id(line) for line in lines}
    fresh_lines = []
    for node in bindings(target.func.body, name, parents):
        line = _owning_line(node, target)
        if line is not None and id(line) in concat_ids:
            continue
        owner = parents.get(id(node))
        if isinstance(owner, cst.AugAssign):
            continue
        assign = parents.get(id(owner))
        if not (isinstance(owner, cst.AssignTarget) and isinstance(assign, cst.Assign)
                and len(assign.targets) == 1 and _fresh_list(target, assign.value)):
            return False
        fresh_lines.append(line)
    if not any(line is not None and precedes(line, _outer_loop(lines[0], target), parents) for line in fresh_lines):
        return False
    return all(_harmless_use(node, target, lines) for node in references(target.func.body, name, parents))


def _owning_line(node: cst.CSTNode, target: Target) -> cst.SimpleStatementLine | None:
    for above in ancestors(node, target.parents):
        if isinstance(above, cst.SimpleStatementLine):
            return above
        if isinstance(above, cst.BaseStatement):
            return None
    return None


def _outer_loop(line: cst.CSTNode, target: Target) -> cst.CSTNode:
    """The outermost loop of the function around `line`."""
    outer = line
    for above in ancestors(line, target.parents):
        if above is target.func:
            break
        if isinstance(above, LOOP_NODES):
            outer = above
    return outer


def _fresh_list(target: Target, value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.List, cst.ListComp)):
        return True
    return call_name(value) == "list" and not bound_anywhere(target.module, "list", target.parents)


def _harmless_use(node: cst.Name, target: Target, lines: list[cst.SimpleStatementLine]) -> bool:
    """A binding already vetted, the concatenations' own operand, or a use that keeps no reference."""
    parents = target.parents
    parent = parents.get(id(node))
    if isinstance(parent, (cst.AssignTarget, cst.AugAssign)) and parent.target is node:
        return True
    if isinstance(parent, cst.BinaryOperation) and parent.left is node:
        line = _owning_line(node, target)
        if any(line is concat for concat in lines) and parents.get(id(parent)) is line.body[0]:
            return True
    if is_deferred(node, target.func, parents):
        return False
    if isinstance(parent, cst.Return) and parent.value is node:
        return True
    if isinstance(parent, cst.For) and parent.iter is node:
        return not any(_inside(line, parent, target) for line in lines)
    return is_readonly_use(node, parents)


def _inside(node: cst.CSTNode, region: cst.CSTNode, target: Target) -> bool:
    return any(above is region for above in ancestors(node, target.parents))


def _in_place(module: cst.Module, line: cst.SimpleStatementLine, name: str) -> cst.SimpleStatementLine:
    """`acc.append(e)` for a one-element list display, else `acc.extend(rhs)`."""
    right = line.body[0].value.right
    if (isinstance(right, cst.List) and len(right.elements) == 1 and isinstance(right.elements[0], cst.Element)
            and not right.lpar):
        method, arg = "append", right.elements[0].value
    else:
        method, arg = "extend", right
    call = cst.Call(func=cst.Attribute(cst.Name(name), cst.Name(method)), args=[cst.Arg(arg)])
    return line.with_changes(body=[cst.Expr(call)])
