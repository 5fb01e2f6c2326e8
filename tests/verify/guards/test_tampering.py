"""sys-modules, sys-state, timer, gc and random-state: interpreter state a benchmark depends on."""

import pytest

from tests.verify.guards.conftest import ORIGINAL, body


@pytest.mark.parametrize(("new", "guard", "message"), [
    ("import sys\n" + body("sys.modules.pop('json', None)"), "sys-modules", "touches sys.modules"),
    ("import importlib\n" + body("importlib.reload(re)"), "sys-modules", "touches importlib.reload"),
    ("import sys\n" + body("sys.setrecursionlimit(10**6)"), "sys-state",
     "changes interpreter state via sys.setrecursionlimit"),
    ("import builtins\n" + body("builtins.sum = lambda v: 0"), "sys-state", "replaces builtins.sum"),
    ("import time\ntime.perf_counter = lambda: 0.0\n" + ORIGINAL, "timer", "replaces time.perf_counter"),
    ("from time import perf_counter\n" + body("t = perf_counter()"), "timer",
     "reads or replaces the clock via time.perf_counter"),
    ("import timeit\n" + ORIGINAL, "timer", "reads or replaces the clock via timeit"),
    ("import time as t\n" + body("setattr(t, 'process_time', lambda: 0)"), "timer", "replaces time.process_time"),
    ("import gc\ngc.disable()\n" + ORIGINAL, "gc", "controls the garbage collector via gc"),
    ("import random\n" + body("random.seed(0)"), "random-state", "sets the random state via random.seed"),
    ("import numpy as np\n" + body("np.random.seed(0)"), "random-state", "sets the random state via numpy.random.seed"),
    ("import random\nrandom.random = lambda: 0.5\n" + ORIGINAL, "random-state", "replaces random.random"),
])
def test_tampering_is_found_with_its_guard(findings, new, guard, message):
    assert (guard, message) in findings(new)


def test_a_local_variable_named_like_a_module_is_not_the_module(findings):
    assert findings(body("time = 3\ngc = time + 1")) == []


def test_random_numbers_from_an_own_generator_are_fine(findings):
    assert findings("import random\n" + body("rng = random.Random(4)\nrng.random()")) == []
