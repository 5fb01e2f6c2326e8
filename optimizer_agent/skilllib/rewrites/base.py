"""The Rewrite protocol and a base class for rewrites that edit the body of one function."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import libcst as cst

from optimizer_agent.skilllib.rewrites.names import taken_names
from optimizer_agent.skilllib.rewrites.tree import Edit, Parents, apply_edits, find_function, parent_map


class Rewrite(Protocol):
    """A deterministic, semantics-preserving source rewrite of one function."""

    id: str
    description: str

    def apply(self, module: cst.Module, qualname: str) -> cst.Module | None:
        """The rewritten module, or None when the rewrite does not apply or might not be safe."""
        ...


@dataclass
class Target:
    """The function being rewritten, with what the analyses need about its file."""

    module: cst.Module
    func: cst.FunctionDef
    parents: Parents
    taken: set[str] = field(default_factory=set)
    """Identifiers a new name must avoid; grows as fresh names are handed out."""


class FunctionRewrite:
    """Base for rewrites that turn one function into a set of identity-keyed node edits."""

    id: str = ""
    description: str = ""

    def apply(self, module: cst.Module, qualname: str) -> cst.Module | None:
        """Find `qualname`, collect edits, apply them; None when there is nothing safe to do."""
        func = find_function(module, qualname)
        if func is None:
            return None
        target = Target(module, func, parent_map(module), taken_names(module, func))
        edits = self.edits(target)
        if not edits:
            return None
        rewritten = apply_edits(module, edits)
        assert isinstance(rewritten, cst.Module)
        return self.finish(rewritten, target)

    def edits(self, target: Target) -> dict[int, Edit]:
        """The node edits for this function, keyed by `id` of the original node; empty to decline."""
        raise NotImplementedError

    def finish(self, module: cst.Module, target: Target) -> cst.Module | None:
        """A last module-wide step (e.g. adding an import) after the function was edited."""
        return module
