"""Rewrites of the corpus functions: correct ones, and wrong ones that still pass the weak tests."""

from __future__ import annotations

from dataclasses import dataclass

from optimizer_agent.analysis.extents import replace_function
from tests.verify.corpus.project import ORIGINAL


@dataclass(frozen=True)
class Rewrite:
    """One candidate: the new text of one function, and what the behaviour check must say about it."""

    name: str
    qualname: str
    code: str
    expect: str = ""
    """For a wrong rewrite, a fragment of the rejection reason; empty for a correct one."""

    @property
    def source(self) -> str:
        """The whole module with this function replaced."""
        return replace_function(ORIGINAL, self.qualname, self.code)

    @property
    def bench(self) -> str:
        """The workload that exercises this function."""
        return f"python bench.py {self.qualname.split('.')[-1]}"


CORRECT = [
    Rewrite("unique-set", "unique_sorted", "def unique_sorted(items):\n    return sorted(set(items))\n"),
    Rewrite("mean-sum", "mean", "def mean(values):\n    return sum(values, 0.0) / len(values)\n"),
    Rewrite("sorted-builtin", "sorted_copy", "def sorted_copy(values):\n    return sorted(values)\n"),
    Rewrite("parse-int", "parse_ints", '''\
def parse_ints(texts):
    out = []
    for text in texts:
        if not (text.isascii() and text.isdigit()):
            raise ValueError(text or "empty")
        out.append(int(text))
    return out
'''),
    Rewrite("chunks-islice", "chunks", '''\
def chunks(items, size):
    from itertools import islice

    iterator = iter(items)
    chunk = list(islice(iterator, size))
    while chunk:
        yield chunk
        chunk = list(islice(iterator, size))
'''),
    Rewrite("counter", "word_counts", '''\
def word_counts(text):
    from collections import Counter

    return dict(Counter(text.split()))
'''),
    Rewrite("accumulate", "running_max", '''\
def running_max(values):
    from itertools import accumulate

    return list(accumulate(values, max))
'''),
    Rewrite("pairs-index", "pairs_summing_to", '''\
def pairs_summing_to(values, target):
    seen = {}
    found = []
    for j, value in enumerate(values):
        for i in seen.get(target - value, ()):
            found.append((i, j))
        seen.setdefault(value, []).append(j)
    found.sort()
    return found
'''),
    Rewrite("flatten-extend", "flatten", '''\
def flatten(nested):
    out = []
    for inner in nested:
        out.extend(inner)
    return out
'''),
    Rewrite("vowels-count", "count_vowels", '''\
def count_vowels(text):
    return sum(text.count(v) for v in "aeiou")
'''),
    Rewrite("prefix-sums", "moving_average", '''\
def moving_average(values, k):
    from itertools import accumulate

    prefix = [0.0, *accumulate(values)]
    return [(prefix[i + k] - prefix[i]) / k for i in range(len(values) - k + 1)]
'''),
    Rewrite("list-index", "first_index", '''\
def first_index(items, target):
    try:
        return items.index(target)
    except ValueError:
        return -1
'''),
    Rewrite("counter-cells", "Grid.duplicates", '''\
def duplicates(self):
    from collections import Counter

    counts = Counter(cell for row in self.rows for cell in row)
    return [cell for cell, n in counts.items() if n > 1]
'''),
]

WRONG = [
    Rewrite("tuple-not-list", "unique_sorted", "def unique_sorted(items):\n    return tuple(sorted(set(items)))\n",
            "result: expected list [1, 3], got tuple (1, 3)"),
    Rewrite("sorts-as-text", "unique_sorted", "def unique_sorted(items):\n    return sorted(set(items), key=str)\n",
            "result[2]: expected 2, got 10"),
    Rewrite("float-error", "mean", "def mean(values):\n    return sum(values) / len(values) * 1.001\n",
            "result: expected 2.3333333333333335, got 2.3356666666666666"),
    Rewrite("integer-mean", "mean", "def mean(values):\n    return sum(values) // len(values)\n",
            "result: expected float 2.3333333333333335, got int 2"),
    Rewrite("sorts-in-place", "sorted_copy", "def sorted_copy(values):\n    values.sort()\n    return values\n",
            "arguments after the call"),
    Rewrite("wrong-exception", "parse_ints", '''\
def parse_ints(texts):
    out = []
    for text in texts:
        if not (text.isascii() and text.isdigit()):
            raise TypeError(text)
        out.append(int(text))
    return out
''', "expected ValueError to be raised, got TypeError"),
    Rewrite("empty-as-minus-one", "parse_ints", '''\
def parse_ints(texts):
    return [int(text) if text else -1 for text in texts]
''', "expected ValueError to be raised, got a return value [-1]"),
    Rewrite("list-not-generator", "chunks", '''\
def chunks(items, size):
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)]
''', "expected an iterator (generator), got list"),
    Rewrite("tuples-not-lists", "chunks", '''\
def chunks(items, size):
    items = tuple(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
''', "item[0]: expected list [1, 2], got tuple (1, 2)"),
    Rewrite("trailing-empty-chunk", "chunks", '''\
def chunks(items, size):
    items = list(items)
    for start in range(0, len(items) + 1, size):
        yield items[start : start + size]
''', "iterator yields more than the original's 4 items (next: [])"),
    Rewrite("counter-type", "word_counts", '''\
def word_counts(text):
    from collections import Counter

    return Counter(text.split())
''', "result: expected dict {'a': 2, 'b': 1}, got collections.Counter"),
    Rewrite("sorted-keys", "word_counts", '''\
def word_counts(text):
    from collections import Counter

    return dict(sorted(Counter(text.split()).items()))
''', "result: same keys in another order"),
    Rewrite("max-everywhere", "running_max", '''\
def running_max(values):
    return [max(values)] * len(values)
''', "result[0]: expected 1, got 3"),
    Rewrite("unsorted-pairs", "pairs_summing_to", '''\
def pairs_summing_to(values, target):
    seen = {}
    found = []
    for j, value in enumerate(values):
        for i in seen.get(target - value, ()):
            found.append((i, j))
        seen.setdefault(value, []).append(j)
    return found
''', "result[0][0]: expected 0, got 1"),
    Rewrite("pairs-as-lists", "pairs_summing_to", '''\
def pairs_summing_to(values, target):
    seen = {}
    found = []
    for j, value in enumerate(values):
        for i in seen.get(target - value, ()):
            found.append([i, j])
        seen.setdefault(value, []).append(j)
    found.sort()
    return found
''', "result[0]: expected tuple (0, 3), got list [0, 3]"),
    Rewrite("lazy-chain", "flatten", '''\
def flatten(nested):
    from itertools import chain

    return chain.from_iterable(nested)
''', "result: expected list [1, 2, 3], got itertools.chain"),
    Rewrite("counts-capitals", "count_vowels", '''\
def count_vowels(text):
    return sum(text.lower().count(v) for v in "aeiou")
''', "result: expected 500000, got 700000"),
    Rewrite("rounded-average", "moving_average", '''\
def moving_average(values, k):
    return [round(sum(values[i : i + k]) / k, 3) for i in range(len(values) - k + 1)]
''', "result[0]: expected"),
    Rewrite("none-when-missing", "first_index", '''\
def first_index(items, target):
    try:
        return items.index(target)
    except ValueError:
        return None
''', "expected int -1, got NoneType None"),
    Rewrite("counts-kept-on-self", "Grid.duplicates", '''\
def duplicates(self):
    from collections import Counter

    self.counts = Counter(cell for row in self.rows for cell in row)
    return [cell for cell, n in self.counts.items() if n > 1]
''', "arguments after the call[0][0]: attributes ['rows'] expected, got ['counts', 'rows']"),
    Rewrite("sorts-rows", "Grid.duplicates", '''\
def duplicates(self):
    from collections import Counter

    for row in self.rows:
        row.sort()
    counts = Counter(cell for row in self.rows for cell in row)
    return [cell for cell, n in counts.items() if n > 1]
''', "arguments after the call[0][0].rows[0]"),
    Rewrite("set-not-list", "Grid.duplicates", '''\
def duplicates(self):
    from collections import Counter

    counts = Counter(cell for row in self.rows for cell in row)
    return {cell for cell, n in counts.items() if n > 1}
''', "result: expected list [1], got set {1}"),
]
"""Each passes the project's weak tests; the behaviour comparison must reject every one."""
