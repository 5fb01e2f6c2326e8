"""`self.attr` kinds: a list kept on the instance is found by the list detectors, other kinds are not."""

from __future__ import annotations

import ast
import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect
from optimizer_agent.analysis.detectors.scopes import FileIndex


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


REGISTRY = """
class Registry:
    limit: int = 3

    def __init__(self, names):
        self.names = list(names)
        self.seen = set()
        self.queue = deque()
        self.mixed = []

    def reset(self):
        self.mixed = {}

    def probe(self, x):
        return (self.names, self.seen, self.queue, self.mixed, self.limit, self.unknown)
"""


def test_attribute_kind_comes_from_the_class_assignments() -> None:
    index = FileIndex(ast.parse(REGISTRY))
    probe = next(n for n in ast.walk(index.tree) if isinstance(n, ast.FunctionDef) and n.name == "probe")
    attrs = [e for e in probe.body[0].value.elts]
    assert [index.kind_of(a) for a in attrs] == ["list", "set", "deque", "unknown", "number", "unknown"]


@pytest.mark.parametrize(("detector", "source"), [
    (C.LIST_MEMBERSHIP, """
     class Filter:
         def __init__(self, banned):
             self.banned = list(banned)

         def keep(self, words):
             return [w for w in words if w not in self.banned]
     """),
    (C.COUNT_IN_LOOP, """
     class Poll:
         def __init__(self):
             self.votes = []

         def tallies(self):
             return {v: self.votes.count(v) for v in self.votes}
     """),
    (C.INDEX_IN_LOOP, """
     class Deck:
         def __init__(self, cards):
             self.order = sorted(cards)

         def ranks(self, hand):
             return [self.order.index(c) for c in hand]
     """),
])
def test_list_detectors_see_instance_lists(detector: str, source: str) -> None:
    assert fired(source, detector)


@pytest.mark.parametrize(("detector", "source"), [
    (C.LIST_MEMBERSHIP, """
     class Filter:
         def __init__(self, banned):
             self.banned = set(banned)

         def keep(self, words):
             return [w for w in words if w not in self.banned]
     """),
    (C.LIST_POP0, """
     from collections import deque

     class Worker:
         def __init__(self):
             self.jobs = deque()

         def run(self):
             while self.jobs:
                 self.jobs.pop(0)
     """),
    (C.LIST_MEMBERSHIP, """
     def keep(words, other):
         return [w for w in words if w not in other.banned]
     """),
])
def test_other_instance_kinds_stay_quiet(detector: str, source: str) -> None:
    assert fired(source, detector) == []
