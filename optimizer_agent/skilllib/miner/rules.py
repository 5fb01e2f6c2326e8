"""The classifier's rules: each compares a slow and a fast profile and may name one kind of change."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from optimizer_agent.skilllib.miner.config import HEAVY_MODULES
from optimizer_agent.skilllib.miner.profile import Profile

STDIN_CALLS = ("sys.stdin*", "open")
EXIT_CALLS = ("exit", "sys.exit", "quit", "os._exit")
REDUCTIONS = ("sum", "min", "max", "any", "all")
SORTS = ("sorted", ".sort")
MEMO_DECORATORS = frozenset({"functools.lru_cache", "functools.cache", "lru_cache", "cache"})
HOISTABLE = ("sorted", ".sort", "list", "len", "sum", "min", "max", "set", ".copy", "copy.deepcopy", "copy.copy",
             ".index", ".count", "str", "tuple")
"""Calls whose repetition inside a loop is the usual redundant work."""
HELPER_MODULES = ("collections", "bisect", "heapq", "itertools", "math", "functools", "array", "operator")


class Finding(BaseModel):
    """A rule's verdict: the label, why, and text to quote from each program."""

    label: str
    evidence: list[str]
    slow_needles: tuple[str, ...] = ()
    fast_needles: tuple[str, ...] = ()


def _total(p: Profile, names: tuple[str, ...], in_loop: bool = False) -> int:
    return sum(p.count_in_loop(n) if in_loop else p.count(n) for n in names)


def _membership(p: Profile, *kinds: str) -> int:
    return sum(p.membership_in_loop.get(k, 0) for k in kinds)


def _exits(p: Profile) -> int:
    return p.breaks + p.continues + p.returns_in_loop + _total(p, EXIT_CALLS)


def fast_input(s: Profile, f: Profile) -> Finding | None:
    """Reading stdin directly, or dropping `eval` around `input()`."""
    more_stdin = _total(f, STDIN_CALLS) > _total(s, STDIN_CALLS) and f.count("input") < s.count("input") + 1
    less_eval = s.count("eval") > f.count("eval")
    if not (more_stdin or less_eval):
        return None
    evidence = []
    if more_stdin:
        evidence.append(f"input() x{s.count('input')} -> sys.stdin reads x{_total(f, STDIN_CALLS)}")
    if less_eval:
        evidence.append(f"eval() calls {s.count('eval')} -> {f.count('eval')}")
    return Finding(label="fast-input", evidence=evidence, slow_needles=("eval(", "input("),
                   fast_needles=("sys.stdin", "open(0"))


def batched_output(s: Profile, f: Profile) -> Finding | None:
    """Fewer prints inside loops, with a join or a single write instead."""
    before, after = s.count_in_loop("print"), f.count_in_loop("print")
    writes = f.count("sys.stdout.write") > s.count("sys.stdout.write")
    joins = f.count("str.join") + f.count(".join") > s.count("str.join") + s.count(".join")
    if not ((before > after and (joins or writes or after == 0)) or writes):
        return None
    return Finding(label="batched-output", evidence=[f"print inside loops {before} -> {after}"],
                   slow_needles=("print(",), fast_needles=("join(", "sys.stdout.write"))


def set_lookup(s: Profile, f: Profile) -> Finding | None:
    """`in` tests inside loops move to sets (from lists, unknown containers or index tables)."""
    scans = _membership(s, "list", "unknown") > _membership(f, "list", "unknown")
    set_tests = _membership(f, "set") > _membership(s, "set")
    if not (set_tests or (scans and f.count("set") > s.count("set"))):
        return None
    return Finding(label="set-lookup", evidence=[
        f"`in` on lists in loops {_membership(s, 'list', 'unknown')} -> {_membership(f, 'list', 'unknown')}",
        f"`in` on sets in loops {_membership(s, 'set')} -> {_membership(f, 'set')}"],
        slow_needles=(" in ",), fast_needles=("set(",))


def dict_lookup(s: Profile, f: Profile) -> Finding | None:
    """Linear searches (`.index`, list scans) give way to dict lookups."""
    fewer_scans = s.count(".index") > f.count(".index") or _membership(s, "list") > _membership(f, "list")
    more_dicts = _membership(f, "dict") > _membership(s, "dict") or f.count(".get") > s.count(".get")
    if not (fewer_scans and more_dicts):
        return None
    return Finding(label="dict-lookup", evidence=[f".index() calls {s.count('.index')} -> {f.count('.index')}"],
                   slow_needles=(".index(",), fast_needles=(".get(", "{"))


def _introduced(label: str, callee: str, needle: str, extra: Callable[[Profile, Profile], bool] | None = None):
    def rule(s: Profile, f: Profile) -> Finding | None:
        if not (f.count(callee) > s.count(callee) or (extra is not None and extra(s, f))):
            return None
        return Finding(label=label, evidence=[f"{callee.rstrip('.*')} calls {s.count(callee)} -> {f.count(callee)}"],
                       fast_needles=(needle,))

    rule.__doc__ = f"`{callee}` appears in the fast program ({label})."
    return rule


deque = _introduced("deque", "collections.deque", "deque",
                    lambda s, f: f.count(".popleft") + f.count(".appendleft") > s.count(".popleft") + s.count(".appendleft"))
counter = _introduced("counter", "collections.Counter", "Counter",
                      lambda s, f: s.count_in_loop(".count") > 0 and f.count_in_loop(".count") == 0)
defaultdict = _introduced("defaultdict", "collections.defaultdict", "defaultdict")
bisect = _introduced("bisect", "bisect.*", "bisect")
heap = _introduced("heap", "heapq.*", "heap")
pow_mod = _introduced("pow-mod", "pow/3", "pow(")
isqrt = _introduced("isqrt", "math.isqrt", "isqrt")


def comprehension(s: Profile, f: Profile) -> Finding | None:
    """Append loops become comprehensions or `map`."""
    if not (s.appends_in_loop > f.appends_in_loop
            and (f.comprehensions > s.comprehensions or f.count("map") > s.count("map"))):
        return None
    return Finding(label="comprehension", evidence=[
        f"append in loops {s.appends_in_loop} -> {f.appends_in_loop}, comprehensions {s.comprehensions} -> "
        f"{f.comprehensions}"], slow_needles=(".append(",), fast_needles=(" for ",))


def rolling_state(s: Profile, f: Profile) -> Finding | None:
    """Lists grown in a loop or allocated as tables give way to a few variables (not to a comprehension)."""
    fewer_appends = s.appends_in_loop > f.appends_in_loop and f.comprehensions <= s.comprehensions and (
        f.count("map") <= s.count("map"))
    fewer_tables = s.table_allocs > f.table_allocs and f.recurrences <= s.recurrences
    if not (fewer_appends or fewer_tables):
        return None
    return Finding(label="rolling-state", evidence=[
        f"append in loops {s.appends_in_loop} -> {f.appends_in_loop}, table allocations {s.table_allocs} -> "
        f"{f.table_allocs}"], slow_needles=(".append(", "] * "))


def mod_as_you_go(s: Profile, f: Profile) -> Finding | None:
    """More `%` inside loops: the fast program reduces modulo while it builds numbers."""
    if f.mod_in_loop <= s.mod_in_loop:
        return None
    return Finding(label="mod-as-you-go", evidence=[f"% inside loops {s.mod_in_loop} -> {f.mod_in_loop}"],
                   fast_needles=("%",))


def string_join(s: Profile, f: Profile) -> Finding | None:
    """String `+=` in loops gives way to `str.join`."""
    joins = f.count("str.join") + f.count(".join") > s.count("str.join") + s.count(".join")
    if not (s.str_concat_in_loop > f.str_concat_in_loop and joins):
        return None
    return Finding(label="string-join", evidence=[f"string += in loops {s.str_concat_in_loop} -> "
                                                  f"{f.str_concat_in_loop}"],
                   slow_needles=("+=",), fast_needles=("join(",))


def function_locals(s: Profile, f: Profile) -> Finding | None:
    """Module-level loops move into a function that the module calls."""
    if not (f.main_called and not s.main_called and s.toplevel_loops > f.toplevel_loops):
        return None
    return Finding(label="function-locals", evidence=[
        f"module-level loops {s.toplevel_loops} -> {f.toplevel_loops}; work moved into a called function"],
        fast_needles=("def main", "def solve", "def "))


def early_exit(s: Profile, f: Profile) -> Finding | None:
    """More ways out of a loop: break, return in a loop, exit()."""
    if _exits(f) <= _exits(s):
        return None
    return Finding(label="early-exit", evidence=[f"break/continue/return-in-loop/exit {_exits(s)} -> {_exits(f)}"],
                   fast_needles=("break", "continue", "exit(", "return"))


def drop_heavy_import(s: Profile, f: Profile) -> Finding | None:
    """A heavy library import disappears."""
    dropped = sorted(m for m in HEAVY_MODULES if s.imports_module(m) and not f.imports_module(m))
    if not dropped:
        return None
    return Finding(label="drop-heavy-import", evidence=[f"import {m} removed" for m in dropped],
                   slow_needles=tuple(f"import {m}" for m in dropped) + tuple(f"from {m}" for m in dropped))


def hoist_work(s: Profile, f: Profile) -> Finding | None:
    """The same loops, but fewer expensive calls inside them (or fewer sorts overall)."""
    same_shape = s.loops == f.loops and s.max_loop_depth == f.max_loop_depth
    fewer_in_loop = _total(s, HOISTABLE, in_loop=True) > _total(f, HOISTABLE, in_loop=True)
    fewer_sorts = _total(s, SORTS) > _total(f, SORTS)
    if not (same_shape and (fewer_in_loop or fewer_sorts)):
        return None
    dropped = [n for n in HOISTABLE if s.count_in_loop(n) > f.count_in_loop(n) or
               (n in SORTS and s.count(n) > f.count(n))]
    return Finding(label="hoist-work", evidence=[f"{n.lstrip('.')}() repeated less: {s.count(n)} -> {f.count(n)}"
                                                 for n in dropped])


def fewer_nested_loops(s: Profile, f: Profile) -> Finding | None:
    """The deepest loop nest gets shallower."""
    if s.max_loop_depth <= f.max_loop_depth:
        return None
    return Finding(label="fewer-nested-loops", evidence=[f"loop nesting depth {s.max_loop_depth} -> "
                                                         f"{f.max_loop_depth}"], slow_needles=("for ", "while "))


def closed_form(s: Profile, f: Profile) -> Finding | None:
    """Fewer loops and more arithmetic: the loop became a formula."""
    if not (f.loops < s.loops and f.max_loop_depth < s.max_loop_depth and f.arith_ops >= s.arith_ops > 0):
        return None
    return Finding(label="closed-form", evidence=[f"loops {s.loops} -> {f.loops}, arithmetic ops {s.arith_ops} -> "
                                                  f"{f.arith_ops}"], slow_needles=("for ", "while "))


def sorting(s: Profile, f: Profile) -> Finding | None:
    """Sorting appears where there was none."""
    if not (_total(f, SORTS) > _total(s, SORTS)):
        return None
    return Finding(label="sorting", evidence=[f"sort calls {_total(s, SORTS)} -> {_total(f, SORTS)}"],
                   fast_needles=("sort",))


def sieve(s: Profile, f: Profile) -> Finding | None:
    """A sieve marks multiples in steps of `i`."""
    if f.sieve_loops <= s.sieve_loops:
        return None
    return Finding(label="sieve", evidence=[f"sieve-shaped loops {s.sieve_loops} -> {f.sieve_loops}"],
                   fast_needles=("range(", "::"))


def precompute_table(s: Profile, f: Profile) -> Finding | None:
    """A table filled from its own earlier entries, or `accumulate`."""
    accumulate = f.count("itertools.accumulate") > s.count("itertools.accumulate")
    if not (accumulate or f.recurrences > s.recurrences):
        return None
    return Finding(label="precompute-table", evidence=[
        f"table recurrences {s.recurrences} -> {f.recurrences}" + ("; accumulate added" if accumulate else "")],
        fast_needles=("accumulate", "[i - 1]", "[i-1]", "[i + 1]", "[i+1]"))


def recursion_to_iteration(s: Profile, f: Profile) -> Finding | None:
    """A recursive function is gone and loops remain."""
    gone = sorted(set(s.recursive) - set(f.recursive))
    if not gone or len(f.recursive) >= len(s.recursive) or f.loops == 0:
        return None
    return Finding(label="recursion-to-iteration", evidence=[f"recursive function(s) {', '.join(gone)} removed"],
                   slow_needles=tuple(f"def {g}" for g in gone))


def memoization(s: Profile, f: Profile) -> Finding | None:
    """A cache decorator or an `if key in memo: return memo[key]` check appears."""
    decorators = len(MEMO_DECORATORS & set(f.decorators)) > len(MEMO_DECORATORS & set(s.decorators))
    if not (decorators or f.memo_checks > s.memo_checks):
        return None
    return Finding(label="memoization", evidence=["cache decorator added" if decorators else
                                                  f"memo-dict checks {s.memo_checks} -> {f.memo_checks}"],
                   fast_needles=("lru_cache", "cache", "memo"))


def builtin_reduction(s: Profile, f: Profile) -> Finding | None:
    """More sum/min/max/any/all and no more loops."""
    if not (_total(f, REDUCTIONS) > _total(s, REDUCTIONS) and f.loops <= s.loops):
        return None
    added = [n for n in REDUCTIONS if f.count(n) > s.count(n)]
    return Finding(label="builtin-reduction", evidence=[f"{', '.join(added)} calls added; loops {s.loops} -> "
                                                        f"{f.loops}"], fast_needles=tuple(f"{n}(" for n in added))


def itertools_use(s: Profile, f: Profile) -> Finding | None:
    """itertools newly imported."""
    if not (f.imports_module("itertools") and not s.imports_module("itertools")):
        return None
    return Finding(label="itertools", evidence=["itertools imported"], fast_needles=("itertools",))


def integer_arithmetic(s: Profile, f: Profile) -> Finding | None:
    """Fewer float operations, no fewer floor divisions."""
    if not (s.float_ops > f.float_ops and f.floor_divs >= s.floor_divs):
        return None
    return Finding(label="integer-arithmetic", evidence=[f"float operations {s.float_ops} -> {f.float_ops}"],
                   slow_needles=(" / ", "float(", "sqrt", "** 0.5"), fast_needles=("//",))


def numpy_vectorize(s: Profile, f: Profile) -> Finding | None:
    """numpy newly imported."""
    if not (f.imports_module("numpy") and not s.imports_module("numpy")):
        return None
    return Finding(label="numpy-vectorize", evidence=["numpy imported"], fast_needles=("numpy", "np."))


RULES: tuple[Callable[[Profile, Profile], Finding | None], ...] = (
    fast_input, batched_output, set_lookup, dict_lookup, deque, counter, defaultdict, comprehension, rolling_state,
    string_join,
    function_locals, early_exit, drop_heavy_import, hoist_work, fewer_nested_loops, closed_form, sorting, bisect,
    heap, sieve, precompute_table, recursion_to_iteration, memoization, builtin_reduction, itertools_use, pow_mod,
    isqrt, mod_as_you_go, integer_arithmetic, numpy_vectorize,
)


def library_import(s: Profile, f: Profile, labels: set[str]) -> Finding | None:
    """A helper module newly imported that no other label accounts for."""
    if labels & {"deque", "counter", "defaultdict", "bisect", "heap", "itertools", "memoization", "isqrt"}:
        return None
    added = [m for m in HELPER_MODULES if f.imports_module(m) and not s.imports_module(m)]
    if not added:
        return None
    return Finding(label="library-import", evidence=[f"import {m} added" for m in added],
                   fast_needles=tuple(f"import {m}" for m in added) + tuple(f"from {m}" for m in added))
