"""Tampering: `sys.modules`, interpreter hooks and builtins, timers, `gc`, random state, and the judging harness."""

from __future__ import annotations

import ast

from optimizer_agent.verify.guards.base import Hit, dotted, import_aliases, imported_modules, matches, names_used

SYS_MODULES = ("sys.modules", "importlib.reload", "importlib.invalidate_caches")
SYS_STATE = ("sys.settrace", "sys.setprofile", "sys.setrecursionlimit", "sys.setswitchinterval",
             "sys.monitoring", "sys.meta_path", "sys.path_hooks", "sys.stdout", "sys.stderr", "sys.displayhook",
             "threading.settrace", "threading.setprofile", "builtins", "__builtins__", "unittest.mock")
TIMERS = ("timeit", "time.perf_counter", "time.perf_counter_ns", "time.process_time", "time.process_time_ns",
          "time.monotonic", "time.monotonic_ns", "time.thread_time", "time.thread_time_ns", "time.time",
          "time.time_ns", "time.clock_gettime", "time.clock_gettime_ns", "os.times", "resource.getrusage")
GC = ("gc",)
RANDOM_STATE = ("random.seed", "random.setstate", "random.getstate", "random._inst", "numpy.random.seed",
                "numpy.random.set_state", "numpy.random.get_state")
PATCHABLE_MODULES = {"time": "timer", "timeit": "timer", "gc": "gc", "random": "random-state", "sys": "sys-state",
                     "builtins": "sys-state", "numpy.random": "random-state", "os": "sys-state"}
"""Modules whose attributes a candidate must never assign (monkeypatching), and the guard that says so."""

HARNESS_MODULES = ("sitecustomize", "usercustomize", "tests", "test", "conftest", "benchmarks")
"""Modules that judge the candidate: the gate's tracer runs as `sitecustomize`, a result judge lives in the tests."""
HARNESS_PREFIX = "_oa_"
"""The gate's replayer and its helpers run beside the code as `_oa_*` modules."""

_FAMILIES = (("sys-modules", SYS_MODULES, "touches {}"), ("sys-state", SYS_STATE, "changes interpreter state via {}"),
             ("timer", TIMERS, "reads or replaces the clock via {}"), ("gc", GC, "controls the garbage collector via {}"),
             ("random-state", RANDOM_STATE, "sets the random state via {}"))


def scan(tree: ast.Module) -> list[Hit]:
    """Every use of the interpreter state a benchmark depends on, and every monkeypatch of such a module."""
    aliases = import_aliases(tree)
    hits = [hit for name, line in imported_modules(tree) if (hit := _classify(name, line))]
    for name, node in names_used(tree, aliases):
        hit = _classify(name, node.lineno)
        if hit:
            hits.append(hit)
    hits += _harness(tree)
    for node in ast.walk(tree):
        target = _patched(node, aliases)
        if target:
            module, attr, line = target
            guard = PATCHABLE_MODULES[module]
            hits.append(Hit(guard, f"patch {module}.{attr}", f"replaces {module}.{attr}", line))
    return hits


def _harness(tree: ast.Module) -> list[Hit]:
    """Imports of the programs that judge the candidate, and strings naming the gate's own modules.

    The replay runs in the candidate's process, so a candidate that could reach these could rewrite its verdict.
    """
    hits = []
    for name, line in imported_modules(tree):
        found = matches(name, HARNESS_MODULES) or (HARNESS_PREFIX if name.startswith(HARNESS_PREFIX) else None)
        if found:
            hits.append(Hit("harness-tampering", f"import {found}", f"imports {found}, part of what judges it", line))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and HARNESS_PREFIX in node.value:
            hits.append(Hit("harness-tampering", f"name {HARNESS_PREFIX}", f"names the gate's {HARNESS_PREFIX} modules",
                            node.lineno))
    return hits


def _classify(name: str, line: int) -> Hit | None:
    for guard, prefixes, message in _FAMILIES:
        found = matches(name, prefixes)
        if found:
            return Hit(guard, f"use {found}", message.format(found), line)  # type: ignore[arg-type]
    return None


def _patched(node: ast.AST, aliases: dict[str, str]) -> tuple[str, str, int] | None:
    """(module, attribute, line) when `node` assigns, deletes or setattr()s an attribute of a watched module."""
    targets: list[ast.AST] = []
    if isinstance(node, (ast.Assign, ast.Delete)):
        targets = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    for target in targets:
        if isinstance(target, ast.Attribute):
            module = dotted(target.value, aliases)
            if module in PATCHABLE_MODULES:
                return module, target.attr, node.lineno
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
        if node.args:
            module = dotted(node.args[0], aliases)
            if module in PATCHABLE_MODULES:
                attr = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else "?"
                return module, str(attr), node.lineno
    return None
