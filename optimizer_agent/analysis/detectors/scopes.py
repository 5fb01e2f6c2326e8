"""An AST index of one file: which loop and scope each node runs in, and what kind of value each name holds."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Literal

Kind = Literal["list", "set", "dict", "str", "number", "deque", "tuple", "unknown"]

ScopeNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
LoopNode = ast.For | ast.AsyncFor | ast.While | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

_CALL_KINDS: dict[str, Kind] = {
    "list": "list", "sorted": "list", "split": "list", "splitlines": "list", "readlines": "list",
    "set": "set", "frozenset": "set",
    "dict": "dict", "defaultdict": "dict", "Counter": "dict", "OrderedDict": "dict",
    "str": "str", "join": "str", "format": "str", "lower": "str", "upper": "str", "strip": "str",
    "int": "number", "float": "number", "len": "number", "sum": "number", "abs": "number",
    "deque": "deque", "tuple": "tuple",
}
_ANNOTATION_KINDS: dict[str, Kind] = {
    "list": "list", "List": "list", "MutableSequence": "list",
    "set": "set", "Set": "set", "frozenset": "set", "FrozenSet": "set", "AbstractSet": "set",
    "dict": "dict", "Dict": "dict", "Mapping": "dict", "MutableMapping": "dict", "DefaultDict": "dict",
    "str": "str", "int": "number", "float": "number", "deque": "deque", "Deque": "deque",
    "tuple": "tuple", "Tuple": "tuple",
}


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def expr_kind(node: ast.expr | None) -> Kind:
    """The container/scalar kind an expression evaluates to, when its syntax alone tells."""
    if isinstance(node, (ast.List, ast.ListComp)):
        return "list"
    if isinstance(node, (ast.Set, ast.SetComp)):
        return "set"
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return "dict"
    if isinstance(node, ast.Tuple):
        return "tuple"
    if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return "str"
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return "number"
    if isinstance(node, ast.Call):
        return _CALL_KINDS.get(_name_of(node.func) or "", "unknown")
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult)):
        left, right = expr_kind(node.left), expr_kind(node.right)
        for kind in ("list", "str"):
            if kind in (left, right):
                return kind
    return "unknown"


def annotation_kind(node: ast.expr | None) -> Kind:
    """The kind a type annotation promises (`list[int]`, `List[str]`, `dict`...)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if node is None:
        return "unknown"
    return _ANNOTATION_KINDS.get(_name_of(node) or "", "unknown")


def is_small_constant_list(node: ast.expr, limit: int) -> bool:
    """True for a non-empty list literal of at most `limit` constants (a set would not pay off)."""
    return (isinstance(node, ast.List) and 0 < len(node.elts) <= limit
            and all(isinstance(e, ast.Constant) for e in node.elts))


class _Annotated:
    """A binding known by its annotation (a parameter, or `x: list[int] = ...`), not by its value."""

    def __init__(self, annotation: ast.expr | None, is_param: bool = False) -> None:
        self.annotation = annotation
        self.is_param = is_param


Binding = ast.expr | _Annotated | None


class FileIndex:
    """Per-node loop and scope, plus every name binding per scope, for one parsed module."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.loop: dict[ast.AST, LoopNode | None] = {}
        self.scope: dict[ast.AST, ScopeNode] = {}
        self.parent: dict[ast.AST, ast.AST] = {}
        self.bindings: dict[ScopeNode, dict[str, list[Binding]]] = {}
        self.rebound_at: dict[tuple[ScopeNode, str], int] = {}
        """First line where a function's top-level statement rebinds a name (e.g. `xs = list(xs)`)."""
        self._annotate(tree, tree, None)
        self._by_class: dict[type, list[ast.AST]] = {}
        for node in self.scope:
            self._by_class.setdefault(type(node), []).append(node)
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
        self._collect_bindings()

    def _annotate(self, node: ast.AST, scope: ScopeNode, loop: LoopNode | None) -> None:
        self.scope[node] = scope
        self.loop[node] = loop

        def visit(children: list, s: ScopeNode = scope, lp: LoopNode | None = loop) -> None:
            for child in children:
                if child is not None:
                    self._annotate(child, s, lp)

        if isinstance(node, FUNCTIONS):
            # Decorators and defaults run once, where the function is defined.
            visit(getattr(node, "decorator_list", []))
            visit([*node.args.defaults, *node.args.kw_defaults])
            params = node.args
            self.scope[params], self.loop[params] = node, None
            visit([*params.posonlyargs, *params.args, params.vararg, *params.kwonlyargs, params.kwarg], node, None)
            visit(node.body if isinstance(node.body, list) else [node.body], node, None)
            visit([getattr(node, "returns", None)])
        elif isinstance(node, ast.ClassDef):
            visit([*node.decorator_list, *node.bases, *node.keywords])
            visit(node.body, node)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            visit([node.iter])
            visit([node.target, *node.body], lp=node)
            visit(node.orelse)
        elif isinstance(node, ast.While):
            visit([node.test, *node.body], lp=node)
            visit(node.orelse)
        elif isinstance(node, COMPREHENSIONS):
            # Only the first iterable is evaluated once; everything else repeats per element.
            first, *rest = node.generators
            visit([first.iter])
            elts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            visit([first.target, *first.ifs, *rest, *elts], lp=node)
        else:
            visit(list(ast.iter_child_nodes(node)))

    def _bind(self, scope: ScopeNode, name: str, value: Binding) -> None:
        self.bindings.setdefault(scope, {}).setdefault(name, []).append(value)

    def _collect_bindings(self) -> None:
        for node, scope in self.scope.items():
            if isinstance(node, ast.arguments):
                for arg in [*node.posonlyargs, *node.args, *node.kwonlyargs]:
                    self._bind(scope, arg.arg, _Annotated(arg.annotation, is_param=True))
                for arg in (node.vararg, node.kwarg):
                    if arg is not None:
                        self._bind(scope, arg.arg, None)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind_target(scope, target, node.value)
                    body = getattr(scope, "body", None)
                    if isinstance(target, ast.Name) and isinstance(body, list) and node in body:
                        self.rebound_at.setdefault((scope, target.id), node.lineno)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                self._bind(scope, node.target.id, _Annotated(node.annotation))
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                self._bind_target(scope, node.target, None)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                self._bind_target(scope, node.optional_vars, None)
            elif isinstance(node, ast.NamedExpr):
                self._bind(scope, node.target.id, node.value)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    self._bind(scope, (alias.asname or alias.name).split(".")[0], None)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self._bind(scope, node.name, None)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self._bind(scope, node.name, None)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    self._bind(scope, name, None)

    def _bind_target(self, scope: ScopeNode, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self._bind(scope, target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._bind_target(scope, elt, None)
        elif isinstance(target, ast.Starred):
            self._bind_target(scope, target.value, None)

    def nodes_of(self, *classes: type) -> list[ast.AST]:
        """Every node of exactly these AST classes (`ast.Call`, `ast.For`...), grouped by class, each in walk order.

        Dozens of detectors each need a few node types; one grouping pass replaces a full tree walk per detector."""
        return [n for cls in classes for n in self._by_class.get(cls, [])]

    def enclosing_scopes(self, node: ast.AST) -> Iterator[ScopeNode]:
        """The scopes a name read at `node` resolves through, innermost first (class bodies skipped)."""
        scope = self.scope.get(node, self.tree)
        first = True
        while True:
            if first or not isinstance(scope, ast.ClassDef):
                yield scope
            first = False
            if scope is self.tree:
                return
            scope = self.scope[scope]

    def values_of(self, name: ast.Name) -> list[Binding] | None:
        """The values `name` can hold where it is read, or None when it is never bound."""
        # Flow-insensitive on purpose, with one exception common enough to matter: `xs = list(xs)` at the
        # top of a function means every later read sees the list, not the caller's argument.
        for scope in self.enclosing_scopes(name):
            found = self.bindings.get(scope, {}).get(name.id)
            if found is not None:
                rebound = self.rebound_at.get((scope, name.id))
                if rebound is not None and rebound < getattr(name, "lineno", 0):
                    found = [v for v in found if not (isinstance(v, _Annotated) and v.is_param)]
                return found
        return None

    def kind_of(self, node: ast.expr) -> Kind:
        """The kind of an expression; for a name (or `self.attr`), the kind all its bindings agree on, else unknown."""
        if isinstance(node, ast.Attribute):
            return self._attribute_kind(node)
        if not isinstance(node, ast.Name):
            return expr_kind(node)
        values = [v for v in self.values_of(node) or [] if not _extends_itself(node.id, v)]
        if not values:
            return "unknown"
        kinds = {annotation_kind(v.annotation) if isinstance(v, _Annotated) else expr_kind(v) for v in values}
        return kinds.pop() if len(kinds) == 1 else "unknown"

    def _attribute_kind(self, node: ast.Attribute) -> Kind:
        """The kind of `self.attr` from every `self.attr = ...` in the class's methods (and `attr: T` in its body)."""
        func = self.function_of(node)
        cls = self.scope.get(func) if func is not None else None
        if not (isinstance(cls, ast.ClassDef) and isinstance(node.value, ast.Name) and func.args.args
                and node.value.id == func.args.args[0].arg):
            return expr_kind(node)
        kinds: set[Kind] = set()
        for stmt in ast.walk(cls):
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == node.attr:
                kinds.add(annotation_kind(stmt.annotation))
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if (isinstance(target, ast.Attribute) and target.attr == node.attr
                            and isinstance(target.value, ast.Name) and target.value.id == node.value.id
                            and not _extends_itself_attr(target, stmt.value)):
                        kinds.add(expr_kind(stmt.value))
        return kinds.pop() if len(kinds) == 1 else "unknown"

    def function_of(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The innermost `def` around `node`, if any."""
        scope = self.scope.get(node)
        while scope is not None and scope is not self.tree:
            if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return scope
            scope = self.scope.get(scope)
        return None


def leftmost_addend(node: ast.expr) -> ast.expr:
    """The first operand of a chain of `+`: `s` for `s + a + b`."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        node = node.left
    return node


def _extends_itself(name: str, value: Binding) -> bool:
    # `s = s + x` keeps whatever kind `s` already had, so it says nothing new about `s`.
    if not isinstance(value, ast.BinOp):
        return False
    first = leftmost_addend(value)
    return isinstance(first, ast.Name) and first.id == name


def _extends_itself_attr(target: ast.Attribute, value: ast.expr) -> bool:
    # `self.xs = self.xs + [...]` keeps whatever kind `self.xs` already had.
    first = leftmost_addend(value) if isinstance(value, ast.BinOp) else None
    return isinstance(first, ast.Attribute) and ast.dump(first) == ast.dump(target).replace("Store()", "Load()")


def names_in(node: ast.AST) -> set[str]:
    """Every name read or written anywhere under `node`."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}

