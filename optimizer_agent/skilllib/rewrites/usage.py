"""Whether a name is only read, in ways that cannot change it, inside a region of code."""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.names import is_target, references
from optimizer_agent.skilllib.rewrites.tree import Parents, ancestors, walk

READONLY_METHODS = frozenset({"index", "count"})
"""List methods that never mutate the list they are called on."""

GUARDS = (cst.Try, cst.TryStar, cst.With)
"""Statements that can catch or suppress an exception raised inside them."""

EAGER_CONSUMERS = frozenset({"sum", "any", "all", "min", "max", "list", "set", "tuple", "sorted", "frozenset", "dict"})
"""Builtins that exhaust a generator argument before returning, so it cannot observe later changes."""


def call_name(call: cst.CSTNode) -> str | None:
    """`f` for a call `f(...)` whose callee is a bare name, else None."""
    if isinstance(call, cst.Call) and isinstance(call.func, cst.Name):
        return call.func.value
    return None


def plain_args(call: cst.Call) -> list[cst.BaseExpression] | None:
    """The values of a call's arguments when all are positional and unstarred, else None."""
    if any(arg.keyword is not None or arg.star for arg in call.args):
        return None
    return [arg.value for arg in call.args]


def is_method_call(node: cst.CSTNode, parents: Parents, methods: frozenset[str]) -> bool:
    """Whether `node` is the receiver of a call `node.m(...)` with `m` in `methods`."""
    attr = parents.get(id(node))
    call = parents.get(id(attr))
    return (
        isinstance(attr, cst.Attribute)
        and attr.value is node
        and attr.attr.value in methods
        and isinstance(call, cst.Call)
        and call.func is attr
    )


def is_len_arg(node: cst.CSTNode, parents: Parents) -> bool:
    """Whether `node` is the sole argument of `len(node)`."""
    arg = parents.get(id(node))
    call = parents.get(id(arg))
    return (
        isinstance(arg, cst.Arg)
        and isinstance(call, cst.Call)
        and call_name(call) == "len"
        and plain_args(call) == [node]
    )


def is_membership_container(node: cst.CSTNode, parents: Parents) -> bool:
    """Whether `node` is the right-hand side of an `in` / `not in` test."""
    target = parents.get(id(node))
    return (
        isinstance(target, cst.ComparisonTarget)
        and target.comparator is node
        and isinstance(target.operator, (cst.In, cst.NotIn))
    )


def is_iterated(node: cst.CSTNode, parents: Parents) -> bool:
    """Whether `node` is what a `for` loop or comprehension clause iterates over."""
    parent = parents.get(id(node))
    return isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is node


def is_readonly_use(node: cst.Name, parents: Parents) -> bool:
    """Whether this occurrence only reads a sequence: `in x`, `len(x)`, `x[i]`, `x.index/count(...)`, `for _ in x`."""
    parent = parents.get(id(node))
    if isinstance(parent, cst.Subscript) and parent.value is node:
        return not is_target(parent, parents)
    return (
        is_membership_container(node, parents)
        or is_len_arg(node, parents)
        or is_method_call(node, parents, READONLY_METHODS)
        or is_iterated(node, parents)
    )


def eagerly_consumed(genexp: cst.GeneratorExp, parents: Parents) -> bool:
    """Whether a generator expression is the only argument of a builtin that exhausts it at once."""
    arg = parents.get(id(genexp))
    call = parents.get(id(arg))
    if not isinstance(arg, cst.Arg) or not isinstance(call, cst.Call) or plain_args(call) != [genexp]:
        return False
    if isinstance(call.func, cst.Attribute):
        return call.func.attr.value == "join"
    return call_name(call) in EAGER_CONSUMERS


def is_deferred(node: cst.CSTNode, region: cst.CSTNode, parents: Parents) -> bool:
    """Whether `node` runs later than its place in `region`: inside a lambda, def, class or lazy generator."""
    for above in ancestors(node, parents):
        if above is region:
            return False
        if isinstance(above, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
            return True
        if isinstance(above, cst.GeneratorExp) and not eagerly_consumed(above, parents):
            return True
    return False


def suspends(region: cst.CSTNode) -> bool:
    """Whether `region` can pause (yield/await), letting outside code change shared objects meanwhile."""
    return any(isinstance(node, (cst.Yield, cst.Await)) for node in walk(region, into_scopes=False))


def readonly_uses(name: str, region: cst.CSTNode, parents: Parents) -> list[cst.Name] | None:
    """All occurrences of `name` in `region` if each one provably only reads it right away, else None."""
    found = references(region, name, parents)
    for node in found:
        if not is_readonly_use(node, parents) or is_deferred(node, region, parents):
            return None
    return found


def shared_beyond_function(func: cst.FunctionDef, name: str, parents: Parents) -> bool:
    """Whether `name` is declared global/nonlocal in `func` or used by a function nested in it."""
    for node in walk(func.body):
        if isinstance(node, (cst.Global, cst.Nonlocal)) and any(item.name.value == name for item in node.names):
            return True
    return any(is_deferred(ref, func, parents) for ref in references(func.body, name, parents))


def guarded(func: cst.FunctionDef, node: cst.CSTNode, parents: Parents) -> bool:
    """Whether `node` is inside a `try` or `with` of `func`, where a caught error could expose partial state."""
    for above in ancestors(node, parents):
        if above is func:
            return False
        if isinstance(above, GUARDS):
            return True
    return False
