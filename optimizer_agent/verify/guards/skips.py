"""Skipping or expecting failure of the tests that judge the candidate, from inside the source module."""

from __future__ import annotations

import ast

from optimizer_agent.verify.guards.base import Hit, import_aliases, imported_modules, matches, names_used

SKIPS = ("pytest.skip", "pytest.xfail", "pytest.importorskip", "pytest.exit", "pytest.fail", "pytest.mark.skip",
         "pytest.mark.skipif", "pytest.mark.xfail", "_pytest", "unittest.skip", "unittest.skipIf",
         "unittest.skipUnless", "unittest.SkipTest", "unittest.expectedFailure", "unittest.case.SkipTest",
         "nose.SkipTest")


def scan(tree: ast.Module) -> list[Hit]:
    """Every skip, xfail or test-exit API the module uses."""
    aliases = import_aliases(tree)
    found_at = [(name, line) for name, line in imported_modules(tree)]
    found_at += [(name, node.lineno) for name, node in names_used(tree, aliases)]
    hits = []
    for name, line in found_at:
        found = matches(name, SKIPS)
        if found:
            hits.append(Hit("test-skip", f"use {found}", f"skips or excuses tests via {found}", line))
    return hits
