"""Detectors for integer work that arithmetic does faster: trial division to n, primality tested number by
number, counting multiples one by one, and `b ** e % m`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.calls import call_name, in_loop, is_int_constant
from optimizer_agent.analysis.detectors.scopes import COMPREHENSIONS, FileIndex, names_in
from optimizer_agent.state import Signal


def _mod_zero(node: ast.AST) -> tuple[ast.expr, ast.expr] | None:
    """`(a, b)` for `a % b == 0` (or `not a % b`), else None."""
    if (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq)
            and is_int_constant(node.comparators[0], 0) and isinstance(node.left, ast.BinOp)
            and isinstance(node.left.op, ast.Mod)):
        return node.left.left, node.left.right
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and isinstance(node.operand, ast.BinOp)
            and isinstance(node.operand.op, ast.Mod)):
        return node.operand.left, node.operand.right
    return None


def _loops_over(node: ast.AST) -> list[tuple[set[str], ast.expr, list[ast.AST]]]:
    """(target names, iterable, body parts) for a `for` loop or each generator of a comprehension."""
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return [(names_in(node.target), node.iter, list(node.body))]
    if isinstance(node, COMPREHENSIONS):
        elts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        return [(names_in(g.target), g.iter, [*g.ifs, *elts]) for g in node.generators]
    return []


def _divisions(parts: list[ast.AST]) -> Iterator[tuple[ast.expr, ast.expr]]:
    for part in parts:
        for node in ast.walk(part):
            found = _mod_zero(node)
            if found:
                yield found


def _is_range(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and call_name(node) == "range" and 1 <= len(node.args) <= 2


def _sqrt_bounded(node: ast.expr) -> bool:
    """True when a range bound already stops at the square root (isqrt, sqrt, ** 0.5)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and call_name(sub) in ("isqrt", "sqrt"):
            return True
        if isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Pow):
            return True
    return False


def trial_division_to_n(index: FileIndex) -> Iterator[Signal]:
    """`for d in range(2, n): if n % d == 0` -- divisors searched all the way to n instead of isqrt(n)."""
    for node in index.nodes_of(ast.For, ast.AsyncFor, *COMPREHENSIONS):
        for targets, iterable, parts in _loops_over(node):
            if not _is_range(iterable) or _sqrt_bounded(iterable.args[-1]):
                continue
            bound_names = names_in(iterable.args[-1])
            for dividend, divisor in _divisions(parts):
                if (isinstance(divisor, ast.Name) and divisor.id in targets and isinstance(dividend, ast.Name)
                        and dividend.id in bound_names):
                    yield Signal(detector=C.TRIAL_DIVISION_TO_N, line=node.lineno,
                                 message=f"divisors of `{dividend.id}` are tried up to `{dividend.id}`; "
                                         f"stopping at math.isqrt({dividend.id}) finds the same ones")
                    break


def _trial_divides(func: ast.FunctionDef) -> bool:
    """True when `func` tests one of its parameters for divisibility by a loop variable."""
    params = {a.arg for a in [*func.args.posonlyargs, *func.args.args]}
    for node in ast.walk(func):
        if isinstance(node, (ast.For, ast.While, *COMPREHENSIONS)):
            for sub in ast.walk(node):
                found = _mod_zero(sub)
                if found and isinstance(found[0], ast.Name) and found[0].id in params:
                    return True
    return False


def trial_division_in_loop(index: FileIndex) -> Iterator[Signal]:
    """A trial-division primality test run for every number of a loop: one sieve answers them all."""
    testers = {f.name for f in index.nodes_of(ast.FunctionDef)
               if any(part in f.name.lower() for part in C.PRIME_TEST_NAMES) and _trial_divides(f)}
    seen: set[int] = set()
    for node in index.nodes_of(ast.Call, ast.For, ast.AsyncFor, *COMPREHENSIONS):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in testers:
            if in_loop(index, node) is not None and node.lineno not in seen:
                seen.add(node.lineno)
                yield Signal(detector=C.TRIAL_DIVISION_IN_LOOP, line=node.lineno,
                             message=f"`{node.func.id}` runs trial division for every number of the loop; "
                                     "a sieve marks all primes below the bound at once")
        for targets, _, parts in _loops_over(node):
            # An inner divisor loop whose dividend is the outer loop's variable: primality (or factor) per number.
            for inner in (n for p in parts for n in ast.walk(p) if isinstance(n, (ast.For, ast.While))):
                for dividend, divisor in _divisions([inner]):
                    if (isinstance(dividend, ast.Name) and dividend.id in targets and isinstance(divisor, ast.Name)
                            and divisor.id not in targets and inner.lineno not in seen):
                        seen.add(inner.lineno)
                        yield Signal(detector=C.TRIAL_DIVISION_IN_LOOP, line=inner.lineno,
                                     message=f"trial division of every `{dividend.id}` in the outer loop; "
                                             "a sieve shares the work across numbers")


def _counting_body(parts: list[ast.AST], targets: set[str]) -> bool:
    """The loop only counts (`n += 1`) or adds the loop variable (`total += i`)."""
    for part in parts:
        for node in ast.walk(part):
            if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and (
                    is_int_constant(node.value, 1) or (isinstance(node.value, ast.Name) and node.value.id in targets)):
                return True
    return False


def _multiple_test(parts: list[ast.AST], targets: set[str]) -> bool:
    for dividend, divisor in _divisions(parts):
        if isinstance(dividend, ast.Name) and dividend.id in targets and not (names_in(divisor) & targets):
            return True
    return False


def count_multiples(index: FileIndex) -> Iterator[Signal]:
    """Counting or summing the multiples of k in a range one number at a time."""
    message = "multiples in a range are counted one by one; floor division (hi // k) gives the count directly"
    for node in index.nodes_of(ast.For, ast.Call):
        if isinstance(node, ast.For) and _is_range(node.iter):
            targets = names_in(node.target)
            ifs = [s for s in node.body if isinstance(s, ast.If)]
            if any(_multiple_test([s.test], targets) and _counting_body(s.body, targets) for s in ifs):
                yield Signal(detector=C.COUNT_MULTIPLES, line=node.lineno, message=message)
        elif (isinstance(node, ast.Call) and call_name(node) in ("sum", "len") and len(node.args) == 1
              and isinstance(node.args[0], (ast.GeneratorExp, ast.ListComp))):
            comp = node.args[0]
            gen = comp.generators[0]
            if len(comp.generators) == 1 and _is_range(gen.iter) and _multiple_test(gen.ifs, names_in(gen.target)):
                yield Signal(detector=C.COUNT_MULTIPLES, line=node.lineno, message=message)


def _small_exponent(node: ast.expr) -> bool:
    return is_int_constant(node) and 0 <= node.value <= C.SMALL_EXPONENT_MAX


def pow_then_mod(index: FileIndex) -> Iterator[Signal]:
    """`(b ** e) % m` or `pow(b, e) % m`, and `r = r * b % m` repeated in a loop: use three-argument pow."""
    for node in index.nodes_of(ast.BinOp, ast.For):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            power = node.left
            if isinstance(power, ast.BinOp) and isinstance(power.op, ast.Pow) and not _small_exponent(power.right):
                exponent = power.right
            elif (isinstance(power, ast.Call) and isinstance(power.func, ast.Name) and power.func.id == "pow"
                  and len(power.args) == 2 and not _small_exponent(power.args[1])):
                exponent = power.args[1]
            else:
                continue
            if not (isinstance(exponent, ast.Constant) and isinstance(exponent.value, float)):
                yield Signal(detector=C.POW_THEN_MOD, line=node.lineno,
                             message="the power is computed in full and then reduced; pow(b, e, m) reduces as it goes")
        elif isinstance(node, ast.For) and _is_range(node.iter) and len(node.body) == 1:
            stmt = node.body[0]
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                    and isinstance(stmt.value, ast.BinOp) and isinstance(stmt.value.op, ast.Mod)
                    and isinstance(stmt.value.left, ast.BinOp) and isinstance(stmt.value.left.op, ast.Mult)
                    and stmt.targets[0].id in names_in(stmt.value.left)
                    and not (names_in(stmt.value) & names_in(node.target))):
                yield Signal(detector=C.POW_THEN_MOD, line=node.lineno,
                             message="a loop multiplies and reduces e times; pow(b, e, m) needs log2(e) steps")
