"""Whether a module-level function's result depends only on its arguments' values, judged from the AST.

The judgement is a whitelist: only calls, attribute uses and global reads known not to touch outside state
pass. Reading an attribute of an argument (`node.children`) fails it, since caching on such an object
would return stale results once the object changes.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.literals import is_constant
from optimizer_agent.skilllib.rewrites.names import bindings, is_binding, is_label, is_target
from optimizer_agent.skilllib.rewrites.tree import Parents, walk
from optimizer_agent.skilllib.rewrites.usage import call_name

PURE_BUILTINS = frozenset({
    "abs", "all", "any", "bin", "bool", "chr", "dict", "divmod", "enumerate", "float", "format", "frozenset",
    "hex", "int", "isinstance", "len", "list", "max", "min", "oct", "ord", "pow", "range", "repr", "reversed",
    "round", "set", "sorted", "str", "sum", "tuple", "zip",
})
PURE_MODULES = frozenset({"math", "cmath", "operator", "itertools", "string"})
"""Stdlib modules whose functions and constants depend only on their arguments."""
PURE_METHODS = frozenset(name for name in dir(str) if not name.startswith("_")) | frozenset(
    {"count", "index", "get", "keys", "values", "items", "copy", "bit_length"}
)
"""Methods that only read their receiver: every `str` method, plus tuple/dict/int readers."""
MUTATING_METHODS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "update", "add",
                              "discard", "setdefault", "popitem", "sort", "reverse"})
MUTABLE_LITERALS = (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)
MUTABLE_BUILDERS = frozenset({"list", "dict", "set", "sorted", "bytearray"})
MAX_CALLEE_DEPTH = 4
"""How deep to follow calls into other functions of the same file before giving up."""


def builds_new_container(value: cst.CSTNode) -> bool:
    """Whether an expression evaluates to a freshly made list, dict or set."""
    return isinstance(value, MUTABLE_LITERALS) or call_name(value) in MUTABLE_BUILDERS


def is_pure(module: cst.Module, func: cst.FunctionDef, parents: Parents, seen: frozenset[str] = frozenset()) -> bool:
    """Whether every operation in `func` is on the whitelist (callees in the same file are checked too)."""
    if len(seen) > MAX_CALLEE_DEPTH:
        return False
    seen = seen | {func.name.value}
    local_names = {n.value for n in walk(func) if isinstance(n, cst.Name) and is_binding(n, parents)}
    fresh = _fresh_locals(func, local_names, parents)
    for node in walk(func.body):
        if isinstance(node, (cst.Global, cst.Nonlocal, cst.Yield, cst.Await)):
            return False
        if isinstance(node, (cst.Attribute, cst.Subscript)) and is_target(node, parents):
            if _root_name(node) not in fresh:
                return False
        elif isinstance(node, cst.Attribute) and not _allowed_attribute(module, node, fresh, parents):
            return False
        if isinstance(node, cst.Call):
            if not isinstance(node.func, (cst.Name, cst.Attribute)):
                return False
            if isinstance(node.func, cst.Name) and node.func.value not in local_names:
                if not _allowed_callee(module, node.func.value, parents, seen):
                    return False
        if isinstance(node, cst.Name) and not is_label(node, parents) and node.value not in local_names:
            if not _stable_global(module, node.value, parents):
                return False
    return True


def _fresh_locals(func: cst.FunctionDef, local_names: set[str], parents: Parents) -> set[str]:
    """Locals only ever bound to new containers, so mutating them cannot touch a caller's objects."""
    fresh = set()
    for name in local_names:
        owners = [parents.get(id(parents.get(id(node)))) for node in bindings(func, name, parents)]
        if all(isinstance(owner, cst.Assign) and builds_new_container(owner.value) for owner in owners):
            fresh.add(name)
    return fresh


def _root_name(node: cst.CSTNode) -> str | None:
    while isinstance(node, (cst.Attribute, cst.Subscript, cst.Call)):
        node = node.func if isinstance(node, cst.Call) else node.value
    return node.value if isinstance(node, cst.Name) else None


def _allowed_attribute(module: cst.Module, node: cst.Attribute, fresh: set[str], parents: Parents) -> bool:
    """A pure module's attribute, a reading method, or a mutating method of a fresh local container."""
    root = _root_name(node.value)
    if isinstance(node.value, cst.Name) and _pure_module_import(module, node.value.value, parents):
        return True
    call = parents.get(id(node))
    if not (isinstance(call, cst.Call) and call.func is node):
        return False
    method = node.attr.value
    return method in PURE_METHODS or (method in MUTATING_METHODS and root in fresh)


def _allowed_callee(module: cst.Module, name: str, parents: Parents, seen: frozenset[str]) -> bool:
    if name in seen:
        return True
    found = bindings(module, name, parents)
    if not found:
        return name in PURE_BUILTINS
    if len(found) != 1:
        return False
    owner = parents.get(id(found[0]))
    if isinstance(owner, cst.FunctionDef) and not owner.decorators and any(s is owner for s in module.body):
        return is_pure(module, owner, parents, seen)
    return _from_pure_module(owner, parents)


def _pure_module_import(module: cst.Module, name: str, parents: Parents) -> bool:
    found = bindings(module, name, parents)
    if len(found) != 1:
        return False
    alias = parents.get(id(found[0]))
    if isinstance(alias, cst.AsName):
        alias = parents.get(id(alias))
    statement = parents.get(id(alias))
    return (
        isinstance(alias, cst.ImportAlias)
        and isinstance(statement, cst.Import)
        and isinstance(alias.name, cst.Name)
        and alias.name.value in PURE_MODULES
    )


def _from_pure_module(owner: cst.CSTNode | None, parents: Parents) -> bool:
    """Whether a binding comes from `from <pure module> import name`."""
    alias = parents.get(id(owner)) if isinstance(owner, cst.AsName) else owner
    statement = parents.get(id(alias))
    return (
        isinstance(alias, cst.ImportAlias)
        and isinstance(statement, cst.ImportFrom)
        and isinstance(statement.module, cst.Name)
        and statement.module.value in PURE_MODULES
    )


def _stable_global(module: cst.Module, name: str, parents: Parents) -> bool:
    """Whether a free name is something a cached result may depend on: a def, class, import or constant."""
    found = bindings(module, name, parents)
    for node in found:
        owner = parents.get(id(node))
        if isinstance(owner, (cst.FunctionDef, cst.ClassDef, cst.ImportAlias, cst.AsName)):
            continue
        assign = parents.get(id(owner))
        if isinstance(owner, cst.AssignTarget) and isinstance(assign, cst.Assign) and len(found) == 1:
            if _constant_expression(assign.value):
                continue
        return False
    return True


def _constant_expression(node: cst.BaseExpression) -> bool:
    """Literals, tuples of them and arithmetic on them: values that can never change."""
    if is_constant(node):
        return True
    if isinstance(node, cst.BinaryOperation):
        return _constant_expression(node.left) and _constant_expression(node.right)
    if isinstance(node, cst.UnaryOperation):
        return _constant_expression(node.expression)
    if isinstance(node, cst.Tuple):
        return all(isinstance(e, cst.Element) and _constant_expression(e.value) for e in node.elements)
    return False
