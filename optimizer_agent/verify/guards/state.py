"""New state that outlives a call: module and class caches, `global`, function attributes, mutable defaults.

A benchmark calls the same function with the same inputs again and again; a cache keyed on those inputs
makes every call after the first look free. A constant lookup table that nothing ever changes (a
non-empty literal of constants) is not state and is allowed.
"""

from __future__ import annotations

import ast

from optimizer_agent.verify.guards.base import Hit, dotted, import_aliases, imported_modules, matches, names_used

CONTAINER_CALLS = ("dict", "list", "set", "bytearray", "collections.defaultdict", "collections.OrderedDict",
                   "collections.Counter", "collections.deque", "collections.ChainMap", "weakref.WeakValueDictionary",
                   "weakref.WeakKeyDictionary", "weakref.WeakSet", "array.array", "queue.Queue")
CACHE_DECORATORS = ("functools.cache", "functools.lru_cache", "cachetools", "joblib.Memory", "diskcache",
                    "methodtools")
MUTATING_METHODS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "pop", "popitem", "clear",
                              "remove", "discard", "appendleft", "extendleft", "sort", "reverse", "move_to_end",
                              "difference_update", "intersection_update", "symmetric_difference_update",
                              "__setitem__", "__delitem__"})


def scan(tree: ast.Module) -> list[Hit]:
    """Every piece of state in the module that a call could leave behind for the next call."""
    aliases = import_aliases(tree)
    mutated = _mutated_names(tree)
    hits: list[Hit] = []
    hits += _containers(tree.body, "", aliases, mutated)
    functions = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            hits += _containers(node.body, node.name + ".", aliases, mutated)
        elif isinstance(node, ast.Global):
            for name in node.names:
                hits.append(Hit("global-state", f"global {name}", f"rebinds the module global {name!r} in a function",
                                node.lineno))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            hits += _mutable_defaults(node, aliases)
        hits += _function_attribute(node, functions)
    for name, line in imported_modules(tree):
        found = matches(name, CACHE_DECORATORS)
        if found:
            hits.append(Hit("global-state", f"cache {found}", f"adds a cache that outlives a call ({found})", line))
    for name, node in names_used(tree, aliases):
        found = matches(name, CACHE_DECORATORS)
        if found:
            hits.append(Hit("global-state", f"cache {found}", f"adds a cache that outlives a call ({found})",
                            node.lineno))
    return hits


def _containers(body: list[ast.stmt], prefix: str, aliases: dict[str, str], mutated: set[str]) -> list[Hit]:
    """Module- or class-level names bound to mutable containers that start empty or are changed later."""
    hits = []
    for stmt in _flat(body):
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        else:
            continue
        if not _is_mutable_container(value, aliases):
            continue
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            if _is_constant_table(value) and target.id not in mutated:
                continue
            hits.append(Hit("global-state", f"state {prefix}{target.id}",
                            f"keeps state between calls in {prefix}{target.id} (a mutable container)", stmt.lineno))
    return hits


def _flat(body: list[ast.stmt]):
    """Statements at this level, looking inside if/try/with blocks but not into functions or classes."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.If, ast.With, ast.Try)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(stmt, field, []) or []:
                    yield from _flat(child.body if isinstance(child, ast.ExceptHandler) else [child])


def _is_mutable_container(value: ast.expr, aliases: dict[str, str]) -> bool:
    if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)):
        return True
    if isinstance(value, ast.Call) and isinstance(value.func, (ast.Name, ast.Attribute)):
        return bool(matches(dotted(value.func, aliases) or "", CONTAINER_CALLS))
    return False


def _is_constant_table(value: ast.expr) -> bool:
    """A non-empty literal whose every key and element is a constant (a lookup table, not a cache)."""
    if isinstance(value, ast.Dict):
        items = [k for k in value.keys if k is not None] + list(value.values)
        return bool(value.keys) and None not in value.keys and all(_constant(i) for i in items)
    if isinstance(value, (ast.List, ast.Set)):
        return bool(value.elts) and all(_constant(e) for e in value.elts)
    return False


def _constant(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Tuple):
        return all(_constant(e) for e in node.elts)
    return isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)


def _mutated_names(tree: ast.Module) -> set[str]:
    """Names changed in place anywhere, or aliased (conservatively counted as changed)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            base = node.value
            if isinstance(base, ast.Name):
                names.add(base.id)
            elif isinstance(base, ast.Attribute):
                names.add(base.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATING_METHODS:
            base = node.func.value
            names.add(base.id if isinstance(base, ast.Name) else getattr(base, "attr", ""))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Global):
            names.update(node.names)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
            names.add(node.value.id)
    return names


def _mutable_defaults(func: ast.FunctionDef | ast.AsyncFunctionDef, aliases: dict[str, str]) -> list[Hit]:
    """`def f(x, _seen={})`: a default container is created once and shared by every call."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    return [Hit("global-state", f"default {func.name}({arg.arg})",
                f"shares a mutable default {func.name}({arg.arg}=...) between calls", func.lineno)
            for arg, default in pairs if _is_mutable_container(default, aliases)]


def _function_attribute(node: ast.AST, functions: set[str]) -> list[Hit]:
    """`f.cache = {}`, `f.__dict__[...]`, `setattr(f, ...)`: state hung on a module-level function."""
    owner = None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in functions:
        if isinstance(node.ctx, ast.Store) or node.attr == "__dict__":
            owner, attr = node.value.id, node.attr
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "getattr", "hasattr")
          and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in functions):
        owner = node.args[0].id
        attr = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else "?"
    if owner is None:
        return []
    return [Hit("global-state", f"attribute {owner}.{attr}", f"keeps state on the function: {owner}.{attr}",
                node.lineno)]
