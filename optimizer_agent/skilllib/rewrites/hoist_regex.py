"""hoist_regex: `re.f(CONST, ...)` inside a loop becomes `pat.f(...)` with `pat = re.compile(CONST)` before it.

Covers `re.compile`, `match`, `search`, `fullmatch`, `findall`, `finditer`, `sub`, `subn` and `split` whose
pattern is a string literal and whose flags (keyword or in their own positional slot) are literal `re.X`
constants or integers combined with `|`. Arguments are re-mapped to the Pattern method's signature (the
pattern and flags move into `compile`). The pattern is compiled once at rewrite time to prove it is valid,
so the hoisted compile cannot raise where the loop would not have run. Requires a plain top-level
`import re`. Declines on star-arguments, unknown keywords, non-literal flags, `re.DEBUG`/`re.LOCALE`/
`re.TEMPLATE` (their compile has effects or depends on state) and patterns that warn when compiled.
"""

from __future__ import annotations

import re
import warnings

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.imports import ModuleName, module_name_state
from optimizer_agent.skilllib.rewrites.literals import string_value
from optimizer_agent.skilllib.rewrites.names import fresh_name
from optimizer_agent.skilllib.rewrites.regions import repeated_nodes
from optimizer_agent.skilllib.rewrites.tree import Edit, hoist_before, parse_stmt, statements

RE_FUNCTIONS: dict[str, tuple[tuple[str, ...], int]] = {
    "compile": ((), 1),
    "match": (("string",), 2),
    "search": (("string",), 2),
    "fullmatch": (("string",), 2),
    "findall": (("string",), 2),
    "finditer": (("string",), 2),
    "sub": (("repl", "string", "count"), 4),
    "subn": (("repl", "string", "count"), 4),
    "split": (("string", "maxsplit"), 3),
}
"""Module function -> (the parameters it passes on to the Pattern method, positional index of `flags`)."""

SAFE_FLAGS = frozenset({"A", "ASCII", "I", "IGNORECASE", "M", "MULTILINE", "S", "DOTALL",
                        "U", "UNICODE", "X", "VERBOSE", "NOFLAG"})
PATTERN_BASE_NAME = "regex"


class HoistRegex(FunctionRewrite):
    """Compile constant regular expressions once, before the loop that uses them."""

    id = "hoist_regex"
    description = "Hoist `re.compile(CONST)` out of loops and turn `re.f(CONST, ...)` into a precompiled `pat.f(...)`."

    def edits(self, target: Target) -> dict[int, Edit]:
        """A hoisted compile per distinct constant pattern per loop, and the calls that use it."""
        if module_name_state(target.module, "re", target.parents) is not ModuleName.IMPORTED:
            return {}
        edits: dict[int, Edit] = {}
        handled: set[int] = set()
        for stmt in statements(target.func):
            compiled: dict[str, str] = {}
            for node in repeated_nodes(stmt):
                if id(node) in handled or not isinstance(node, cst.Call):
                    continue
                plan = _plan(target.module, node)
                if plan is None:
                    continue
                compile_code, method, keep = plan
                if compile_code not in compiled:
                    compiled[compile_code] = fresh_name(PATTERN_BASE_NAME, target.taken)
                edits[id(node)] = _use_compiled(compiled[compile_code], method, keep)
                handled.add(id(node))
            if compiled:
                hoisted = [parse_stmt(f"{name} = {code}") for code, name in compiled.items()]
                edits[id(stmt)] = hoist_before(hoisted)
        return edits


def _plan(module: cst.Module, call: cst.Call) -> tuple[str, str | None, list[int]] | None:
    """(the `re.compile(...)` code, the Pattern method or None for compile, indices of args to keep)."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "re"):
        return None
    spec = RE_FUNCTIONS.get(func.attr.value)
    if spec is None or not call.args:
        return None
    passed_on, flags_index = spec
    pattern_arg, flags_arg, keep = call.args[0], None, []
    if pattern_arg.keyword is not None or pattern_arg.star or string_value(pattern_arg.value) is None:
        return None
    for index, arg in enumerate(call.args[1:], start=1):
        if arg.star:
            return None
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword == "flags" or (keyword is None and index == flags_index):
            flags_arg = arg
        elif keyword in passed_on or (keyword is None and index <= len(passed_on)):
            keep.append(index)
        else:
            return None
    flags_code = module.code_for_node(flags_arg.value) if flags_arg is not None else None
    if not _compiles(string_value(pattern_arg.value), flags_arg.value if flags_arg is not None else None):
        return None
    pattern_code = module.code_for_node(pattern_arg.value)
    args = pattern_code if flags_code is None else f"{pattern_code}, {flags_code}"
    method = None if func.attr.value == "compile" else func.attr.value
    return f"re.compile({args})", method, keep


def _flags_value(node: cst.BaseExpression | None) -> int | None:
    if node is None:
        return 0
    if isinstance(node, cst.Integer):
        return int(node.value.replace("_", ""), 0)
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "re":
        name = node.attr.value
        return int(getattr(re, name)) if name in SAFE_FLAGS and hasattr(re, name) else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left, right = _flags_value(node.left), _flags_value(node.right)
        return None if left is None or right is None else left | right
    return None


def _compiles(pattern: str | bytes | None, flags_node: cst.BaseExpression | None) -> bool:
    """Whether the literal pattern compiles, silently, with the literal flags."""
    flags = _flags_value(flags_node)
    if pattern is None or flags is None:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            re.compile(pattern, flags)
        except (re.error, Warning, ValueError, TypeError):
            return False
    return True


def _use_compiled(name: str, method: str | None, keep: list[int]) -> Edit:
    def edit(updated: cst.CSTNode) -> cst.CSTNode:
        if method is None:
            return cst.Name(name)
        args = [updated.args[i] for i in keep]
        if args:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(func=cst.Attribute(cst.Name(name), cst.Name(method)), args=args)

    return edit
