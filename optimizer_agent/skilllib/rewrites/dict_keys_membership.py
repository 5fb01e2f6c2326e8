"""dict_keys_membership: `x in d.keys()` becomes `x in d` (and likewise `not in`), anywhere in the function.

For dicts and every `collections.abc.Mapping`, `x in m.keys()` and `x in m` are the same test; the rewrite
drops building a keys view per test. It only applies when `keys()` is called with no arguments, so other
objects with a differently shaped `keys` method are left alone.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.tree import Edit, walk
from optimizer_agent.skilllib.rewrites.usage import is_membership_container

KEYS = "keys"


class DictKeysMembership(FunctionRewrite):
    """Test membership on the mapping rather than on its keys view."""

    id = "dict_keys_membership"
    description = "Replace `x in d.keys()` by `x in d`."

    def edits(self, target: Target) -> dict[int, Edit]:
        """One edit per `in d.keys()` comparison."""
        edits: dict[int, Edit] = {}
        for node in walk(target.func.body):
            if isinstance(node, cst.Call) and _is_keys_call(node) and is_membership_container(node, target.parents):
                edits[id(node)] = _receiver
        return edits


def _is_keys_call(call: cst.Call) -> bool:
    return isinstance(call.func, cst.Attribute) and call.func.attr.value == KEYS and not call.args


def _receiver(updated: cst.CSTNode) -> cst.CSTNode:
    """`d` from `d.keys()`, keeping any parentheses that wrapped the call."""
    receiver = updated.func.value
    if updated.lpar:
        return receiver.with_changes(lpar=[*updated.lpar, *receiver.lpar], rpar=[*receiver.rpar, *updated.rpar])
    return receiver
