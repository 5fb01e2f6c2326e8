"""memoize_recursion: a pure, recursive module-level function gets `@functools.cache`.

Purity is judged from the AST by a whitelist (see `purity`): calls only to itself, pure builtins, `math`-like
modules, string/tuple reading methods and other pure functions of the same file; no attribute reads on
arguments (caching on an object whose state changes would go stale); stores and mutating methods only on
containers the function creates itself; globals only if they are functions, classes, imports or constants.
It also declines methods, decorated, async and generator functions, `*args`/`**kwargs`, parameters that
look unhashable (annotated or defaulted as list/dict/set, or used with dict/list-only methods: the cache
would raise TypeError), and functions that may return a new list/dict/set (callers could mutate a
cached result).

Known difference: the cache adds a C frame per recursive call, so recursion that was close to the
interpreter's limit may hit it sooner.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.imports import ModuleName, add_import, module_name_state
from optimizer_agent.skilllib.rewrites.purity import MUTABLE_LITERALS, MUTATING_METHODS, builds_new_container, is_pure
from optimizer_agent.skilllib.rewrites.tree import Edit, is_module_level, walk
from optimizer_agent.skilllib.rewrites.usage import call_name

FUNCTOOLS = "functools"
MUTABLE_TYPES = frozenset({"list", "List", "dict", "Dict", "set", "Set", "bytearray", "defaultdict", "deque",
                           "Counter", "OrderedDict", "MutableSequence", "MutableMapping", "MutableSet"})
CONTAINER_ONLY_METHODS = MUTATING_METHODS | frozenset({"keys", "values", "items", "get"})
"""Methods whose use on a parameter suggests a list or dict, which the cache cannot hash."""
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
        if not _recursive(func) or not _hashable_params(func) or _may_return_new_container(func):
            return {}
        if not is_pure(target.module, func, target.parents):
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
    names = set()
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if isinstance(param.default, MUTABLE_LITERALS):
            return False
        if param.annotation is not None and _names_mutable_type(param.annotation.annotation):
            return False
        names.add(param.name.value)
    return not any(
        isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value in names
        and node.attr.value in CONTAINER_ONLY_METHODS
        for node in walk(func.body)
    )


def _names_mutable_type(annotation: cst.BaseExpression) -> bool:
    return any(isinstance(n, cst.Name) and n.value in MUTABLE_TYPES for n in walk(annotation))


def _may_return_new_container(func: cst.FunctionDef) -> bool:
    return any(
        isinstance(node, cst.Return) and _returns_mutable(node.value, func)
        for node in walk(func.body, into_scopes=False)
    )


def _returns_mutable(value: cst.BaseExpression | None, func: cst.FunctionDef, depth: int = 0) -> bool:
    """Whether a return value may be a new list, dict or set (directly, via `+`/`if`/`or`, or via a local)."""
    if value is None or depth > MAX_ALIAS_DEPTH:
        return False
    if builds_new_container(value):
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
