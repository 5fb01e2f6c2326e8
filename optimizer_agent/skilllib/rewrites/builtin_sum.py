"""builtin_sum: `total = 0` then `for v in it: [if c:] total += e` becomes `total = sum(e for v in it [if c])`.

Only integer sums are rewritten. Since Python 3.12 `sum` adds floats with compensated (Neumaier) summation,
so a float total could differ in the last bits from the loop's plain left-to-right additions; for ints,
bools and other exact numbers both add left to right from the int 0 and agree exactly. `e` must therefore
be provably int-valued: an int literal, a comparison or `not`, `len`/`ord`/`int`/`bool`/`.count(...)`, a
variable from `range(...)`/`enumerate(...)` or from iterating a parameter annotated as a collection of
ints, or `+ - * // % & | ^ << >>`, `abs`, `x if c else y` of such. The initialiser must be the literal `0`.

Declines, as append_to_comprehension does, on `else`, extra statements, loop variables read after the loop,
walrus/lambda/lazy generators/yield/await, `try`/`with` around the loop, and `total` used by nested
functions or mentioned in the loop's parts.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.comprehension import (
    LoopNest,
    comprehension_code,
    expression_code,
    fold_into_initialiser,
    following_statement,
    lazy_or_binding,
    loop_vars_escape,
    unwrap_loop,
)
from optimizer_agent.skilllib.rewrites.literals import is_int_literal
from optimizer_agent.skilllib.rewrites.names import any_bound_anywhere, bindings, bound_anywhere, param_named
from optimizer_agent.skilllib.rewrites.tree import Edit, statements, walk
from optimizer_agent.skilllib.rewrites.usage import guarded, call_name, shared_beyond_function

INT_FUNCTIONS = frozenset({"len", "ord", "int", "bool"})
INT_METHODS = frozenset({"count"})
INT_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide, cst.Modulo, cst.BitAnd, cst.BitOr,
                 cst.BitXor, cst.LeftShift, cst.RightShift)
INT_ELEMENT_TYPES = frozenset({"int", "bool"})
COLLECTION_ANNOTATIONS = frozenset({"list", "List", "tuple", "Tuple", "set", "Set", "frozenset", "FrozenSet",
                                    "Sequence", "Iterable", "Collection"})


class BuiltinSum(FunctionRewrite):
    """Replace an integer accumulation loop by the builtin `sum`."""

    id = "builtin_sum"
    description = "Turn `total = 0` + a loop of `total += e` (int-valued e) into `total = sum(e for ...)`."

    def edits(self, target: Target) -> dict[int, Edit]:
        """Replace the initialising line and remove the loop, for every loop that fits."""
        if bound_anywhere(target.module, "sum", target.parents):
            return {}
        edits: dict[int, Edit] = {}
        for loop in statements(target.func):
            if not isinstance(loop, cst.For):
                continue
            line = following_statement(loop, target.parents, -1)
            name = _zero_name(line)
            nest = unwrap_loop(target.module, loop)
            if name is None or nest is None or id(line) in edits:
                continue
            term = _added(nest, name)
            if term is None or not self._safe(target, loop, nest, name, term):
                continue
            edits.update(fold_into_initialiser(line, loop, nest, _sum_code(target.module, term, nest, loop)))
        return edits

    def _safe(self, target: Target, loop: cst.For, nest: LoopNest, name: str, term: cst.BaseExpression) -> bool:
        parts = [*nest.expressions, term]
        if any(isinstance(n, cst.Name) and n.value == name for p in parts for n in walk(p)):
            return False
        return (
            name not in nest.loop_vars
            and _int_valued(term, _int_names(target, loop), target)
            and not guarded(target.func, loop, target.parents)
            and not lazy_or_binding(parts, target.parents)
            and not loop_vars_escape(target.func, loop, nest.loop_vars, target.parents)
            and not shared_beyond_function(target.func, name, target.parents)
        )


def _zero_name(line: cst.CSTNode | None) -> str | None:
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    small = line.body[0]
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
        return None
    if not isinstance(small.targets[0].target, cst.Name):
        return None
    return small.targets[0].target.value if is_int_literal(small.value, 0) else None


def _added(nest: LoopNest, name: str) -> cst.BaseExpression | None:
    inner = nest.inner
    if isinstance(inner, cst.AugAssign) and isinstance(inner.operator, cst.AddAssign):
        if isinstance(inner.target, cst.Name) and inner.target.value == name:
            return inner.value
    return None


def _sum_code(module: cst.Module, term: cst.BaseExpression, nest: LoopNest, loop: cst.For) -> str:
    plain = len(nest.clauses) == 1 and isinstance(loop.target, cst.Name) and isinstance(term, cst.Name)
    if plain and term.value == loop.target.value:
        return f"sum({expression_code(module, loop.iter)})"
    return f"sum({comprehension_code(module, term, nest)})"


def _int_names(target: Target, loop: cst.For) -> set[str]:
    """Loop variables of the nest known to hold ints."""
    names: set[str] = set()
    counters_are_builtin = not any_bound_anywhere(target.module, ("range", "enumerate"), target.parents)
    for node in walk(loop):
        if not isinstance(node, cst.For):
            continue
        iterator = call_name(node.iter)
        if not counters_are_builtin and iterator in ("range", "enumerate"):
            continue
        if iterator == "range" and isinstance(node.target, cst.Name):
            names.add(node.target.value)
        elif iterator == "enumerate" and isinstance(node.target, cst.Tuple) and len(node.iter.args) == 1:
            first = node.target.elements[0].value
            if isinstance(first, cst.Name):
                names.add(first.value)
        elif isinstance(node.iter, cst.Name) and isinstance(node.target, cst.Name):
            if _int_collection_param(target, node.iter.value):
                names.add(node.target.value)
    return names


def _int_collection_param(target: Target, name: str) -> bool:
    param = param_named(target.func, name)
    if param is None or param.annotation is None or bindings(target.func.body, name, target.parents):
        return False
    annotation = param.annotation.annotation
    if not (isinstance(annotation, cst.Subscript) and isinstance(annotation.value, cst.Name)):
        return False
    elements = [el.slice for el in annotation.slice]
    return (
        annotation.value.value in COLLECTION_ANNOTATIONS
        and isinstance(elements[0], cst.Index)
        and isinstance(elements[0].value, cst.Name)
        and elements[0].value.value in INT_ELEMENT_TYPES
    )


def _int_valued(node: cst.BaseExpression, int_names: set[str], target: Target) -> bool:
    """Whether `node` provably evaluates to an int (or bool) given the int-valued loop variables."""
    def ok(child: cst.BaseExpression) -> bool:
        return _int_valued(child, int_names, target)

    if is_int_literal(node) or isinstance(node, cst.Comparison):
        return True
    if isinstance(node, cst.Name):
        return node.value in int_names or node.value in ("True", "False")
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, cst.Not) or ok(node.expression)
    if isinstance(node, cst.BinaryOperation):
        return isinstance(node.operator, INT_OPERATORS) and ok(node.left) and ok(node.right)
    if isinstance(node, cst.BooleanOperation):
        return ok(node.left) and ok(node.right)
    if isinstance(node, cst.IfExp):
        return ok(node.body) and ok(node.orelse)
    if isinstance(node, cst.Call):
        name = call_name(node)
        if name in INT_FUNCTIONS or (name == "abs" and len(node.args) == 1 and ok(node.args[0].value)):
            return not bound_anywhere(target.module, name, target.parents)
        return isinstance(node.func, cst.Attribute) and node.func.attr.value in INT_METHODS
    return False
