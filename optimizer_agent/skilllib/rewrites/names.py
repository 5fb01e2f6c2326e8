"""Name roles in libcst trees (read, bind, label) and fresh names that collide with nothing."""

from __future__ import annotations

import builtins
import keyword

import libcst as cst

from optimizer_agent.skilllib.rewrites.tree import Parents, walk

_TARGET_CONTAINERS = (cst.Element, cst.StarredElement, cst.Tuple, cst.List)
_TARGET_FIELDS: dict[type, str] = {
    cst.AssignTarget: "target",
    cst.AugAssign: "target",
    cst.AnnAssign: "target",
    cst.For: "target",
    cst.CompFor: "target",
    cst.NamedExpr: "target",
    cst.AsName: "name",
    cst.Del: "target",
    cst.Param: "name",
    cst.FunctionDef: "name",
    cst.ClassDef: "name",
    cst.NameItem: "name",
    cst.MatchAs: "name",
    cst.MatchStar: "name",
    cst.MatchMapping: "rest",
}


def is_label(node: cst.Name, parents: Parents) -> bool:
    """Whether this Name is not a variable at all: an attribute name, a keyword label or a module path."""
    parent = parents.get(id(node))
    if isinstance(parent, cst.Attribute) and parent.attr is node:
        return True
    if isinstance(parent, cst.Arg) and parent.keyword is node:
        return True
    for above in _chain(node, parents):
        if isinstance(above, cst.ImportFrom):
            return not _import_alias_binds(node, parents)
        if isinstance(above, cst.ImportAlias):
            return not _import_alias_binds(node, parents)
    return False


def is_binding(node: cst.Name, parents: Parents) -> bool:
    """Whether this Name is assigned, deleted, imported, declared or defined here rather than read."""
    if any(isinstance(above, cst.ImportAlias) for above in _chain(node, parents)):
        return _import_alias_binds(node, parents)
    return is_target(node, parents)


def is_target(node: cst.CSTNode, parents: Parents) -> bool:
    """Whether `node` (a Name, Subscript, Attribute…) sits where a value is stored or deleted."""
    child: cst.CSTNode = node
    parent = parents.get(id(node))
    while isinstance(parent, _TARGET_CONTAINERS):
        child, parent = parent, parents.get(id(parent))
    field = _TARGET_FIELDS.get(type(parent))
    return field is not None and getattr(parent, field) is child


def _chain(node: cst.CSTNode, parents: Parents):
    current = parents.get(id(node))
    while current is not None and not isinstance(current, cst.BaseStatement):
        yield current
        current = parents.get(id(current))
    if current is not None:
        yield current


def _import_alias_binds(node: cst.Name, parents: Parents) -> bool:
    """In `import a.b as c` only `c` binds; in `import a.b` only `a`; in `from m import x` only `x`."""
    alias = next((a for a in _chain(node, parents) if isinstance(a, cst.ImportAlias)), None)
    if alias is None:
        return False
    if alias.asname is not None:
        return isinstance(alias.asname, cst.AsName) and alias.asname.name is node
    leftmost = alias.name
    while isinstance(leftmost, cst.Attribute):
        leftmost = leftmost.value
    return leftmost is node


def references(root: cst.CSTNode, name: str, parents: Parents, *, into_scopes: bool = True) -> list[cst.Name]:
    """Every variable occurrence (read or binding) of `name` under `root`."""
    return [
        node
        for node in walk(root, into_scopes=into_scopes)
        if isinstance(node, cst.Name) and node.value == name and not is_label(node, parents)
    ]


def bindings(root: cst.CSTNode, name: str, parents: Parents) -> list[cst.Name]:
    """The occurrences of `name` under `root` that bind it (nested scopes included, to stay conservative)."""
    return [node for node in references(root, name, parents) if is_binding(node, parents)]


def bound_anywhere(root: cst.CSTNode, name: str, parents: Parents) -> bool:
    """Whether `name` is bound anywhere under `root`, e.g. a module shadowing a builtin."""
    return any_bound_anywhere(root, (name,), parents)


def any_bound_anywhere(root: cst.CSTNode, names: tuple[str, ...], parents: Parents) -> bool:
    """Whether any of `names` is bound anywhere under `root` (one walk, however many names)."""
    wanted = set(names)
    return any(isinstance(node, cst.Name) and node.value in wanted and not is_label(node, parents)
               and is_binding(node, parents) for node in walk(root))


def taken_names(module: cst.Module, func: cst.FunctionDef) -> set[str]:
    """Names a new local of `func` must avoid: those it spells, the module's globals, builtins and keywords.

    Locals of other functions are not included: reusing their names cannot clash.
    """
    spelled = {node.value for node in walk(func) if isinstance(node, cst.Name)}
    module_level = set()
    for node in walk(module, into_scopes=False):
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            module_level.add(node.name.value)
        elif isinstance(node, cst.Name):
            module_level.add(node.value)
    return spelled | module_level | set(dir(builtins)) | set(keyword.kwlist)


def fresh_name(base: str, taken: set[str]) -> str:
    """`base`, or `base_2`, `base_3`… whichever is first free; the result is added to `taken`."""
    candidate = base
    suffix = 2
    while candidate in taken:
        candidate = f"{base}_{suffix}"
        suffix += 1
    taken.add(candidate)
    return candidate


def param_named(func: cst.FunctionDef, name: str) -> cst.Param | None:
    """The plain (not `*`/`**`) parameter of `func` called `name`, if any."""
    params = func.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            return param
    return None
