"""global-state: caches and other state that outlive a call."""

import pytest

from tests.verify.guards.conftest import ORIGINAL, body


@pytest.mark.parametrize(("new", "message"), [
    ("_SEEN = {}\n" + body("if id(values) in _SEEN:\n    return _SEEN[id(values)]"),
     "keeps state between calls in _SEEN (a mutable container)"),
    ("_SEEN = dict()\n" + ORIGINAL, "keeps state between calls in _SEEN (a mutable container)"),
    ("import collections\n_HITS = collections.defaultdict(int)\n" + ORIGINAL,
     "keeps state between calls in _HITS (a mutable container)"),
    ("_TABLE = {1: 'a'}\n" + body("_TABLE[len(values)] = values"),
     "keeps state between calls in _TABLE (a mutable container)"),
    ("import functools\n" + ORIGINAL.replace("def total", "@functools.lru_cache(maxsize=None)\ndef total"),
     "adds a cache that outlives a call (functools.lru_cache)"),
    ("from functools import cache\n" + ORIGINAL.replace("def total", "@cache\ndef total"),
     "adds a cache that outlives a call (functools.cache)"),
    (ORIGINAL.replace("def total(values)", "def total(values, _memo={})"),
     "shares a mutable default total(_memo=...) between calls"),
    (ORIGINAL.replace("def total(values)", "def total(values, *, _memo=[])"),
     "shares a mutable default total(_memo=...) between calls"),
    ("CALLS = 0\n" + body("global CALLS\nCALLS += 1"), "rebinds the module global 'CALLS' in a function"),
    (body("total.last = values"), "keeps state on the function: total.last"),
    (body("setattr(total, 'memo', {})"), "keeps state on the function: total.memo"),
    (ORIGINAL + "\n\nclass Helper:\n    _cache = {}\n", "keeps state between calls in Helper._cache (a mutable container)"),
])
def test_new_state_is_found(findings, new, message):
    assert ("global-state", message) in findings(new)


@pytest.mark.parametrize("new", [
    "_VOWELS = {'a', 'e', 'i', 'o', 'u'}\n" + ORIGINAL,  # a constant lookup table
    "_MONTHS = {'Jan': 1, 'Feb': 2}\n" + ORIGINAL,
    ORIGINAL.replace("out = 0", "seen = {}\n    out = 0"),  # a cache local to one call
    "_PATTERN = re.compile('x+')\n" + ORIGINAL,  # immutable
    "_LIMITS = (1, 2, 3)\n" + ORIGINAL,
])
def test_constant_tables_and_local_state_are_fine(findings, new):
    assert [f for f in findings(new) if f[0] == "global-state"] == []


def test_state_the_original_already_had_is_not_new(findings):
    original = "_CACHE = {}\n" + ORIGINAL
    assert findings(original.replace("out = 0", "out = 0\n    _CACHE.clear()"), original=original) == []
