"""Fixtures that run a snippet before and after a rewrite and compare what its function does."""

from __future__ import annotations

import copy
import textwrap
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from optimizer_agent.skilllib.rewrites import apply_rewrite

Entry = Callable[[dict], Callable[..., Any]]


def _load(source: str) -> dict:
    namespace: dict = {"__name__": "snippet"}
    exec(compile(source, "<snippet>", "exec"), namespace)  # noqa: S102 - test snippets written in this folder
    return namespace


def _by_qualname(qualname: str) -> Entry:
    def entry(namespace: dict) -> Callable[..., Any]:
        head, *rest = qualname.split(".")
        obj = namespace[head]
        for part in rest:
            obj = getattr(obj, part)
        return obj

    return entry


def _outcome(source: str, entry: Entry, args: tuple) -> tuple:
    """What one call does: its result (or exception type) and the arguments' state afterwards."""
    call_args = copy.deepcopy(args)
    try:
        result = entry(_load(source))(*call_args)
    except Exception as error:  # noqa: BLE001 - the exception type is the observable behaviour
        return ("raised", type(error), call_args)
    if hasattr(result, "__next__"):
        result = list(result)
    return ("returned", result, call_args)


@pytest.fixture
def assert_rewrites():
    """Apply a rewrite, check it changed the code, and check both versions agree on every input."""

    def check(rewrite_id: str, source: str, qualname: str, inputs: Iterable[tuple], entry: Entry | None = None) -> str:
        source = textwrap.dedent(source).lstrip("\n")
        new = apply_rewrite(rewrite_id, source, qualname)
        assert new is not None, f"{rewrite_id} did not apply"
        assert new != source
        compile(new, "<rewritten>", "exec")
        entry = entry or _by_qualname(qualname)
        inputs = list(inputs)
        assert inputs, "give the comparison some inputs"
        for args in inputs:
            assert _outcome(new, entry, args) == _outcome(source, entry, args), f"differs on {args!r}\n{new}"
        return new

    return check


@pytest.fixture
def assert_declines():
    """Check that a rewrite leaves a look-alike alone."""

    def check(rewrite_id: str, source: str, qualname: str) -> None:
        source = textwrap.dedent(source).lstrip("\n")
        compile(source, "<snippet>", "exec")
        assert apply_rewrite(rewrite_id, source, qualname) is None

    return check
