"""Ending the process early: `os._exit`, `sys.exit`, signals, and raising SystemExit."""

from __future__ import annotations

import ast

from optimizer_agent.verify.guards.base import Hit, dotted, import_aliases, imported_modules, matches, names_used

EXITS = ("os._exit", "sys.exit", "os.abort", "os.kill", "os.killpg", "signal.raise_signal", "signal.alarm",
         "signal.pthread_kill", "atexit", "exit", "quit", "breakpoint")
EXIT_EXCEPTIONS = frozenset({"SystemExit", "KeyboardInterrupt", "GeneratorExit"})


def scan(tree: ast.Module) -> list[Hit]:
    """Every way the module could end or interrupt the process that measures it."""
    aliases = import_aliases(tree)
    hits = []
    for name, line in imported_modules(tree):
        found = matches(name, EXITS)
        if found:
            hits.append(Hit("process-exit", f"use {found}", f"can end the process via {found}", line))
    for name, node in names_used(tree, aliases):
        found = matches(name, EXITS)
        if found:
            hits.append(Hit("process-exit", f"use {found}", f"can end the process via {found}", node.lineno))
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = dotted(exc, aliases) if isinstance(exc, (ast.Name, ast.Attribute)) else None
            if name and name.rsplit(".", 1)[-1] in EXIT_EXCEPTIONS:
                hits.append(Hit("process-exit", f"raise {name}", f"raises {name}", node.lineno))
    return hits
