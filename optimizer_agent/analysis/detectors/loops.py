"""Detectors for work a loop repeats although it could do it once: `len` in a `while` test, constant regexes,
invariant reductions, and all-pairs searches."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.scopes import COMPREHENSIONS, FileIndex, LoopNode, names_in
from optimizer_agent.state import Signal


def loop_region(loop: LoopNode) -> list[ast.AST]:
    """The parts of a loop that run on every iteration."""
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        return [loop.target, *loop.body]
    if isinstance(loop, ast.While):
        return [loop.test, *loop.body]
    first, *rest = loop.generators
    elts = [loop.key, loop.value] if isinstance(loop, ast.DictComp) else [loop.elt]
    return [first.target, *first.ifs, *rest, *elts]


def _changes(region: list[ast.AST], name: str, length_only: bool = False) -> bool:
    """True when code in `region` may rebind `name` or change the container it holds (or only its length)."""
    for root in region:
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del)):
                return True
            if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, (ast.Store, ast.Del)):
                base = node.value
                # `xs[i] = v` keeps the length; deleting or assigning a slice may not.
                keeps_length = (length_only and isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store)
                                and not isinstance(node.slice, ast.Slice))
                if isinstance(base, ast.Name) and base.id == name and not keeps_length:
                    return True
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                return True
            if isinstance(node, ast.Call):
                func = node.func
                if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                        and func.value.id == name and func.attr in C.MUTATING_METHODS):
                    return True
                callee = func.id if isinstance(func, ast.Name) else None
                passed = [*node.args, *(k.value for k in node.keywords)]
                if callee not in C.READ_ONLY_CALLS and any(
                        isinstance(a, ast.Name) and a.id == name for a in passed):
                    return True
    return False


def len_in_condition(index: FileIndex) -> Iterator[Signal]:
    """`while i < len(xs):` where the loop never changes `xs`."""
    for loop in index.nodes_of(ast.While):
        if not isinstance(loop, ast.While):
            continue
        for call in ast.walk(loop.test):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "len"
                    and len(call.args) == 1 and isinstance(call.args[0], ast.Name)
                    and not _changes(loop.body, call.args[0].id, length_only=True)):
                yield Signal(detector=C.LEN_IN_CONDITION, line=loop.lineno,
                             message=f"`len({call.args[0].id})` is re-evaluated on every iteration of the while loop")


def _regex_modules(index: FileIndex) -> set[str]:
    names = set()
    for node in index.nodes_of(ast.Import):
        if isinstance(node, ast.Import):
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "re"}
    return names


def regex_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`re.compile/search/match/...` with a constant pattern, called inside a loop."""
    modules = _regex_modules(index)
    for node in index.nodes_of(ast.Call):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id in modules
                and node.func.attr in C.REGEX_FUNCTIONS and node.args):
            continue
        pattern = node.args[0]
        if (isinstance(pattern, ast.Constant) and isinstance(pattern.value, (str, bytes))
                and index.loop.get(node) is not None):
            yield Signal(detector=C.REGEX_IN_LOOP, line=node.lineno,
                         message=f"`{node.func.value.id}.{node.func.attr}` with a constant pattern runs inside a loop; "
                                 "compile it once outside")


def invariant_reduction(index: FileIndex) -> Iterator[Signal]:
    """`max(xs)`, `sum(xs)`, `sorted(xs)`... inside a loop that never changes `xs`."""
    for node in index.nodes_of(ast.Call):
        loop = index.loop.get(node)
        if not (loop is not None and isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in C.REDUCTIONS and len(node.args) == 1 and isinstance(node.args[0], ast.Name)):
            continue
        arg = node.args[0].id
        region = loop_region(loop)
        keywords_vary = any(_changes(region, n) for k in node.keywords for n in names_in(k.value))
        if not keywords_vary and not _changes(region, arg):
            yield Signal(detector=C.INVARIANT_REDUCTION, line=node.lineno,
                         message=f"`{node.func.id}({arg})` gives the same result on every iteration; hoist it")


def _pairs_up(test: ast.expr, outer: set[str], inner: set[str]) -> bool:
    """True when `test` equates a value of the outer loop with one of the inner loop (or their sum with a constant)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False

    def side(expr: ast.expr) -> str:
        names = names_in(expr)
        return ("o" if names & outer else "") + ("i" if names & inner else "")

    left, right = test.left, test.comparators[0]
    if {side(left), side(right)} == {"o", "i"}:
        return True
    for combined, other in ((left, right), (right, left)):
        if (isinstance(combined, ast.BinOp) and isinstance(combined.op, (ast.Add, ast.Sub)) and side(other) == ""
                and {side(combined.left), side(combined.right)} == {"o", "i"}):
            return True
    return False


def nested_pair_search(index: FileIndex) -> Iterator[Signal]:
    """Two nested loops that look for pairs by equality: an O(n*m) join that a dict or set index makes linear."""
    message = "nested loops compare every pair by equality; index one side in a dict or set"
    for node in index.nodes_of(ast.For, *COMPREHENSIONS):
        if isinstance(node, ast.For):
            for inner in (s for s in node.body if isinstance(s, ast.For)):
                tests = [s.test for s in inner.body if isinstance(s, ast.If)]
                if any(_pairs_up(t, names_in(node.target), names_in(inner.target)) for t in tests):
                    yield Signal(detector=C.NESTED_PAIR_SEARCH, line=node.lineno, message=message)
                    break
        elif isinstance(node, COMPREHENSIONS) and len(node.generators) >= 2:
            outer, inner = node.generators[0], node.generators[-1]
            if any(_pairs_up(t, names_in(outer.target), names_in(inner.target)) for t in inner.ifs):
                yield Signal(detector=C.NESTED_PAIR_SEARCH, line=node.lineno, message=message)
