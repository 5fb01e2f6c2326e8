"""Detectors for idioms with a faster builtin spelling: map/filter with a lambda, flattening by `sum(.., [])`,
materialised lists for yes/no questions, search loops without an early exit, replace chains, and attribute
chains re-read in hot loops."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.calls import (
    Imports,
    assigned_names,
    call_name,
    dotted,
    in_loop,
    is_builtin_call,
    is_int_constant,
    walk_no_functions,
)
from optimizer_agent.analysis.detectors.loops import loop_region
from optimizer_agent.analysis.detectors.scopes import FileIndex, names_in
from optimizer_agent.state import Signal


def map_lambda(index: FileIndex) -> Iterator[Signal]:
    """`map(lambda ...)` / `filter(lambda ...)`: a Python call per element where a comprehension is inline."""
    for node in index.nodes_of(ast.Call):
        for name in ("map", "filter"):
            if is_builtin_call(index, node, name) and node.args and isinstance(node.args[0], ast.Lambda):
                yield Signal(detector=C.MAP_LAMBDA, line=node.lineno,
                             message=f"`{name}` with a lambda calls a Python function per element; "
                                     "a comprehension is faster")


def _empty_list(node: ast.expr) -> bool:
    return isinstance(node, ast.List) and not node.elts


def _flattening_loop(loop: ast.For) -> bool:
    """`for sub in rows: for x in sub: out.append(x)` and nothing else."""
    if len(loop.body) != 1 or not isinstance(loop.body[0], ast.For) or not isinstance(loop.target, ast.Name):
        return False
    inner = loop.body[0]
    # The inner loop walks the outer item itself or one of its attributes (`for label in issue.labels`).
    source = inner.iter.value if isinstance(inner.iter, ast.Attribute) else inner.iter
    if not (isinstance(source, ast.Name) and source.id == loop.target.id and len(inner.body) == 1):
        return False
    stmt = inner.body[0]
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and call_name(stmt.value) == "append"
            and len(stmt.value.args) == 1 and isinstance(stmt.value.args[0], ast.Name)
            and names_in(inner.target) == {stmt.value.args[0].id})


def flatten_concat(index: FileIndex) -> Iterator[Signal]:
    """`sum(lists, [])`, `reduce(operator.add, lists)` and append-only nested loops that flatten a list of lists."""
    imports = Imports(index)
    for node in index.nodes_of(ast.Call, ast.For):
        quadratic = (is_builtin_call(index, node, "sum") and len(node.args) == 2 and _empty_list(node.args[1])) or (
            imports.calls(node, "functools", {"reduce"}) and node.args
            and (imports.calls(ast.Call(func=node.args[0], args=[], keywords=[]), "operator", {"add", "concat"})
                 or (isinstance(node.args[0], ast.Lambda) and isinstance(node.args[0].body, ast.BinOp)
                     and isinstance(node.args[0].body.op, ast.Add))))
        if quadratic:
            yield Signal(detector=C.FLATTEN_CONCAT, line=node.lineno,
                         message="lists are concatenated pairwise, copying the growing result each time; "
                                 "use itertools.chain.from_iterable")
        elif isinstance(node, ast.For) and _flattening_loop(node):
            yield Signal(detector=C.FLATTEN_CONCAT, line=node.lineno,
                         message="nested loops only append every item of every sub-list; "
                                 "extend with itertools.chain.from_iterable")


def _filtered_list(node: ast.expr) -> bool:
    """A list comprehension with a condition, or `list(filter(...))`."""
    if isinstance(node, ast.ListComp):
        return any(g.ifs for g in node.generators) or isinstance(node.elt, (ast.Compare, ast.BoolOp))
    return (isinstance(node, ast.Call) and call_name(node) == "list" and len(node.args) == 1
            and isinstance(node.args[0], ast.Call) and call_name(node.args[0]) == "filter")


def _existence_test(node: ast.Compare) -> bool:
    """`len([...]) > 0`, `len([...]) == 0`, `len([...]) >= 1`, `sum([...]) > 0`."""
    if len(node.ops) != 1 or not isinstance(node.left, ast.Call) or call_name(node.left) not in ("len", "sum"):
        return False
    if len(node.left.args) != 1 or not _filtered_list(node.left.args[0]):
        return False
    op, right = node.ops[0], node.comparators[0]
    return (is_int_constant(right, 0) and isinstance(op, (ast.Gt, ast.Eq, ast.NotEq))) or (
        is_int_constant(right, 1) and isinstance(op, (ast.GtE, ast.Lt)))


def materialized_any(index: FileIndex) -> Iterator[Signal]:
    """A whole filtered list built to answer a yes/no question that any()/all() could stop early on."""
    for node in index.nodes_of(ast.Compare, ast.Call, ast.If, ast.While):
        hit = (isinstance(node, ast.Compare) and _existence_test(node)) or (
            isinstance(node, ast.Call) and call_name(node) in ("any", "all") and isinstance(node.func, ast.Name)
            and len(node.args) == 1 and isinstance(node.args[0], ast.ListComp)) or (
            isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.In)
            and isinstance(node.left, ast.Constant) and node.left.value is True
            and isinstance(node.comparators[0], ast.ListComp)) or (
            isinstance(node, (ast.If, ast.While)) and _filtered_list(node.test))
        if hit:
            yield Signal(detector=C.MATERIALIZED_ANY, line=node.lineno,
                         message="a full list is built just to test whether anything matches; "
                                 "any()/all() over a generator stops at the first decisive item")


def _exits(loop: ast.For) -> bool:
    return any(isinstance(n, (ast.Break, ast.Return, ast.Raise)) for s in loop.body for n in walk_no_functions(s))


def _unset_check(test: ast.expr, names: set[str]) -> bool:
    """`x is None`, `x == -1`, `not x`, `x < 0`: the result has not been found yet."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return isinstance(test.operand, ast.Name) and test.operand.id in names
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name)
            and test.left.id in names and isinstance(test.comparators[0], (ast.Constant, ast.UnaryOp))):
        return False
    return isinstance(test.ops[0], (ast.Is, ast.Eq, ast.Lt))


def _guarded_capture(stmt: ast.If) -> bool:
    """`if cond: found = True`, or `if not_found_yet and cond: idx = i`: matches after the first change nothing."""
    assigned = assigned_names(stmt.body)
    simple = all(isinstance(s, ast.Assign) and all(isinstance(t, ast.Name) for t in s.targets) for s in stmt.body)
    if not (simple and assigned) or stmt.orelse:
        return False
    flags = all(isinstance(s.value, ast.Constant) and isinstance(s.value.value, bool) for s in stmt.body)
    conjuncts = stmt.test.values if isinstance(stmt.test, ast.BoolOp) and isinstance(stmt.test.op, ast.And) else [
        stmt.test]
    return flags or any(_unset_check(t, assigned) for t in conjuncts)


def flag_without_break(index: FileIndex) -> Iterator[Signal]:
    """A search loop that records a match (a flag, or the first hit behind a guard) and never leaves early."""
    for node in index.nodes_of(ast.For):
        if not isinstance(node, ast.For) or node.orelse or _exits(node):
            continue
        ifs = [s for s in node.body if isinstance(s, ast.If)]
        others = [s for s in node.body if not isinstance(s, ast.If)]
        # Only pure searches: any other statement may be per-item work that must still run.
        if ifs and not others and all(_guarded_capture(s) for s in ifs):
            yield Signal(detector=C.FLAG_WITHOUT_BREAK, line=node.lineno,
                         message="the loop keeps scanning after its result is decided; break or return at the match")


def _replace_depth(node: ast.expr) -> int:
    depth = 0
    while isinstance(node, ast.Call) and call_name(node) == "replace" and isinstance(node.func, ast.Attribute):
        depth += 1
        node = node.func.value
    return depth


def replace_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`s = s.replace(ch, ...)` in a loop, or a long chain of `.replace()` calls: one pass per character."""
    for node in index.nodes_of(ast.Assign, ast.Call):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value, name = node.value, node.targets[0].id
            if (_replace_depth(value) >= 1 and isinstance(node.value.func.value, ast.Name)
                    and value.func.value.id == name and isinstance(in_loop(index, node), ast.For)):
                yield Signal(detector=C.REPLACE_IN_LOOP, line=node.lineno,
                             message="str.replace runs once per character to strip or map; str.translate does one pass")
                continue
        if isinstance(node, ast.Call) and _replace_depth(node) >= C.REPLACE_CHAIN_MIN and not (
                isinstance(index.parent.get(node), ast.Attribute)):
            yield Signal(detector=C.REPLACE_IN_LOOP, line=node.lineno,
                         message="a chain of str.replace calls scans the string once per call; "
                                 "str.translate maps single characters in one pass")


def _chain_root(node: ast.Attribute) -> tuple[str, int] | None:
    steps = 0
    base: ast.expr = node
    while isinstance(base, ast.Attribute):
        steps += 1
        base = base.value
    return (base.id, steps) if isinstance(base, ast.Name) else None


def attribute_chain_in_loop(index: FileIndex) -> Iterator[Signal]:
    """Loop-invariant attribute chains (`self.cfg.limits.low`) re-read on every iteration of a loop."""
    imports = Imports(index)
    modules = {ref.split(".")[0] for refs in imports.refs.values() for ref in refs}
    for loop in index.nodes_of(ast.For, ast.While):
        if not isinstance(loop, (ast.For, ast.While)):
            continue
        region = loop_region(loop)
        varying = assigned_names(region)
        reads = []
        for root in region:
            for node in walk_no_functions(root):
                if not (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)):
                    continue
                if isinstance(index.parent.get(node), ast.Attribute):
                    continue  # only the longest chain counts
                found = _chain_root(node)
                if found and found[1] >= C.ATTRIBUTE_CHAIN_MIN and found[0] not in varying | modules:
                    if not _stored_below(region, dotted(node)):
                        reads.append(node)
        if len(reads) >= C.ATTRIBUTE_CHAIN_READS_MIN and index.loop.get(loop) is None:
            yield Signal(detector=C.ATTRIBUTE_CHAIN_IN_LOOP, line=loop.lineno,
                         message=f"`{dotted(reads[0])}` and other attribute chains are re-read on every iteration; "
                                 "bind them to locals before the loop")


def _stored_below(region: list[ast.AST], chain: str | None) -> bool:
    """True when the loop assigns to the chain or to a prefix of it (`self.total = ...` for `self.total.x`)."""
    if chain is None:
        return True
    for root in region:
        for node in ast.walk(root):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
                stored = dotted(node)
                if stored and (chain == stored or chain.startswith(stored + ".") or stored.startswith(chain + ".")):
                    return True
    return False
