"""memoize_recursion: a pure, recursive module-level function gets `@functools.cache`.

"Pure" is judged from the AST, conservatively: no decorators, not async, no `yield`, no `global`/`nonlocal`,
no `*args`/`**kwargs`, no parameter annotated or defaulted as a list/dict/set (unhashable: the cache would
raise TypeError), no stores into attributes or items of anything but locals, no mutating method calls on
parameters or globals, no I/O or randomness calls, no reads of module variables other than functions,
classes, imports and constants assigned once, and no mutable containers returned (callers could mutate
a cached result). Calls to other functions are assumed pure; the verification gate's equivalence check
and the pure-memoization guard have the last word.

Known difference: the cache adds a C frame per recursive call, so recursion that was close to the
interpreter's limit may hit it sooner.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.imports import ModuleName, add_import, module_name_state
from optimizer_agent.skilllib.rewrites.literals import is_constant
from optimizer_agent.skilllib.rewrites.names import bindings, is_binding, is_label, is_target
from optimizer_agent.skilllib.rewrites.tree import Edit, is_module_level, walk
from optimizer_agent.skilllib.rewrites.usage import call_name

FUNCTOOLS = "functools"
MUTABLE_TYPES = frozenset({"list", "List", "dict", "Dict", "set", "Set", "bytearray", "defaultdict", "deque",
                           "Counter", "OrderedDict", "MutableSequence", "MutableMapping", "MutableSet"})
MUTABLE_LITERALS = (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)
MUTATING_METHODS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "update", "add", "discard",
                              "setdefault", "popitem", "sort", "reverse", "write", "writelines", "send"})
IMPURE_CALLS = frozenset({"print", "input", "open", "exec", "eval", "setattr", "delattr", "globals", "locals",
                          "vars", "id", "next", "iter", "__import__", "breakpoint"})
IMPURE_MODULES = frozenset({"random", "time", "os", "sys", "datetime", "secrets", "uuid", "logging", "subprocess"})
MUTABLE_BUILDERS = frozenset({"list", "dict", "set", "sorted", "bytearray"})
MAX_ALIAS_DEPTH = 3
"""How many `name = other_name` steps to follow when asking whether a returned local is a new container."""


class MemoizeRecursion(FunctionRewrite):
    """Cache a pure recursive function's results."""

    id = "memoize_recursion"
    description = "Add `@functools.cache` to a pure, recursive, module-level function."

    def edits(self, target: Target) -> dict[int, Edit]:
        """The decorator on the function, when it is provably recursive and plausibly pure."""
        func = target.func
        if not is_module_level(target.module, func) or func.decorators or func.asynchronous is not None:
            return {}
        if module_name_state(target.module, FUNCTOOLS, target.parents) is ModuleName.TAKEN:
            return {}
        if not _recursive(func) or not _hashable_params(func) or not _pure(target):
            return {}
        decorator = cst.Decorator(cst.parse_expression(f"{FUNCTOOLS}.cache"))
        return {id(func): lambda updated: _decorate(updated, decorator)}

    def finish(self, module: cst.Module, target: Target) -> cst.Module | None:
        """Add `import functools` if the file lacks it."""
        return add_import(module, FUNCTOOLS)


def _decorate(updated: cst.CSTNode, decorator: cst.Decorator) -> cst.CSTNode:
    """Put the decorator first, taking over the blank lines and comments above the `def`."""
    moved = decorator.with_changes(leading_lines=updated.leading_lines)
    return updated.with_changes(decorators=[moved], leading_lines=())


def _recursive(func: cst.FunctionDef) -> bool:
    return any(call_name(node) == func.name.value for node in walk(func.body))


def _hashable_params(func: cst.FunctionDef) -> bool:
    params = func.params
    if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        return False
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if isinstance(param.default, MUTABLE_LITERALS):
            return False
        if param.annotation is not None and _names_mutable_type(param.annotation.annotation):
            return False
    return True


def _names_mutable_type(annotation: cst.BaseExpression) -> bool:
    return any(isinstance(n, cst.Name) and n.value in MUTABLE_TYPES for n in walk(annotation))


def _pure(target: Target) -> bool:
    func, parents = target.func, target.parents
    local_names = {n.value for n in walk(func) if isinstance(n, cst.Name) and is_binding(n, parents)}
    fresh = _fresh_locals(func, local_names, parents)
    for node in walk(func.body):
        if isinstance(node, (cst.Global, cst.Nonlocal, cst.Yield, cst.Await)):
            return False
        if isinstance(node, (cst.Attribute, cst.Subscript)) and is_target(node, parents):
            if _root_name(node) not in fresh:
                return False
        if isinstance(node, cst.Call) and not _pure_call(node, fresh):
            return False
        if isinstance(node, cst.Return) and _returns_mutable(node.value, func):
            return False
        if isinstance(node, cst.Name) and not is_label(node, parents) and node.value not in local_names:
            if not _stable_global(target, node.value):
                return False
    return True


def _fresh_locals(func: cst.FunctionDef, local_names: set[str], parents) -> set[str]:
    """Locals only ever bound to new containers, so mutating them cannot touch a caller's objects."""
    fresh = set()
    for name in local_names:
        found = bindings(func, name, parents)
        values = [parents.get(id(parents.get(id(node)))) for node in found]
        if all(isinstance(v, cst.Assign) and _builds_new_container(v.value) for v in values):
            fresh.add(name)
    return fresh


def _builds_new_container(value: cst.BaseExpression) -> bool:
    return isinstance(value, MUTABLE_LITERALS) or call_name(value) in MUTABLE_BUILDERS


def _root_name(node: cst.CSTNode) -> str | None:
    while isinstance(node, (cst.Attribute, cst.Subscript, cst.Call)):
        node = node.func if isinstance(node, cst.Call) else node.value
    return node.value if isinstance(node, cst.Name) else None


def _pure_call(call: cst.Call, locals_only: set[str]) -> bool:
    name = call_name(call)
    if name is not None:
        return name not in IMPURE_CALLS
    func = call.func
    if isinstance(func, cst.Attribute):
        root = _root_name(func.value)
        if root in IMPURE_MODULES:
            return False
        if func.attr.value in MUTATING_METHODS:
            return root in locals_only
    return True


def _returns_mutable(value: cst.BaseExpression | None, func: cst.FunctionDef, depth: int = 0) -> bool:
    """Whether a return value may be a new list, dict or set (directly, via `+`/`if`/`or`, or via a local)."""
    if value is None or depth > MAX_ALIAS_DEPTH:
        return False
    if _builds_new_container(value):
        return True
    if isinstance(value, (cst.BinaryOperation, cst.BooleanOperation)):
        return _returns_mutable(value.left, func, depth) or _returns_mutable(value.right, func, depth)
    if isinstance(value, cst.IfExp):
        return _returns_mutable(value.body, func, depth) or _returns_mutable(value.orelse, func, depth)
    if not isinstance(value, cst.Name):
        return False
    return any(
        _returns_mutable(node.value, func, depth + 1)
        for node in walk(func.body)
        if isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign)) and _assigns(node, value.value)
    )


def _assigns(node: cst.CSTNode, name: str) -> bool:
    targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
    return any(isinstance(t, cst.Name) and t.value == name for t in targets)


def _stable_global(target: Target, name: str) -> bool:
    """Whether a free name refers to something a cached result may depend on: a def, class, import or constant."""
    found = bindings(target.module, name, target.parents)
    if not found:
        return True
    for node in found:
        owner = target.parents.get(id(node))
        if isinstance(owner, (cst.FunctionDef, cst.ClassDef, cst.ImportAlias, cst.AsName)):
            continue
        assign = target.parents.get(id(owner))
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
