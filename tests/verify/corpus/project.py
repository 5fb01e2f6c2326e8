"""A small library with slow originals, weak tests, and one workload per function (`python bench.py NAME`)."""

ORIGINAL = '''\
"""Utilities with slow first versions."""


def unique_sorted(items):
    """The distinct items, ascending."""
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    out.sort()
    return out


def mean(values):
    """The arithmetic mean."""
    total = 0.0
    count = 0
    for value in values:
        total += value
        count += 1
    return total / count


def sorted_copy(values):
    """A sorted copy; the argument is left alone."""
    out = list(values)
    for i in range(1, len(out)):
        j = i
        while j > 0 and out[j - 1] > out[j]:
            out[j - 1], out[j] = out[j], out[j - 1]
            j -= 1
    return out


def parse_ints(texts):
    """Decimal strings to ints; ValueError on anything else."""
    out = []
    for text in texts:
        if not text:
            raise ValueError("empty")
        value = 0
        for char in text:
            if char not in "0123456789":
                raise ValueError(text)
            value = value * 10 + "0123456789".index(char)
        out.append(value)
    return out


def chunks(items, size):
    """Consecutive slices of `size` items (the last may be shorter), lazily."""
    current = []
    for item in items:
        current.append(item)
        if len(current) == size:
            yield current
            current = []
    if current:
        yield current


def word_counts(text):
    """How often each word occurs, in order of first appearance."""
    words = text.split()
    counts = {}
    for word in words:
        if word not in counts:
            counts[word] = words.count(word)
    return counts


def running_max(values):
    """The largest value so far, at every position."""
    out = []
    for i in range(len(values)):
        out.append(max(values[: i + 1]))
    return out


def pairs_summing_to(values, target):
    """Index pairs (i, j), i < j, whose values add up to target, in (i, j) order."""
    found = []
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            if values[i] + values[j] == target:
                found.append((i, j))
    return found


def flatten(nested):
    """One list with the items of every inner list."""
    out = []
    for inner in nested:
        out = out + inner
    return out


def count_vowels(text):
    """Lower-case vowels in the text."""
    count = 0
    for char in text:
        if char in ["a", "e", "i", "o", "u"]:
            count += 1
    return count


def moving_average(values, k):
    """Means of every window of k consecutive values."""
    out = []
    for i in range(len(values) - k + 1):
        window = values[i : i + k]
        out.append(sum(window) / k)
    return out


def first_index(items, target):
    """Where target first occurs, or -1."""
    for i in range(len(items)):
        if items[i] == target:
            return i
    return -1


def drain_total(queue):
    """The sum of the queue's items; the queue is left empty."""
    total = 0
    while queue:
        total += queue.pop()
    return total


class Grid:
    """Rows of numbers."""

    def __init__(self, rows):
        self.rows = rows

    def duplicates(self):
        """Values found in more than one cell, in order of first appearance."""
        cells = [cell for row in self.rows for cell in row]
        out = []
        for cell in cells:
            if cells.count(cell) > 1 and cell not in out:
                out.append(cell)
        return out
'''

TESTS = '''\
import pytest

from corpus.funcs import (Grid, chunks, count_vowels, drain_total, first_index, flatten, mean, moving_average,
                          pairs_summing_to, parse_ints, running_max, sorted_copy, unique_sorted, word_counts)


def test_drain_total():
    assert drain_total([1, 2]) == 3


def test_unique_sorted():
    result = unique_sorted([3, 1, 3])
    assert list(result)[0] == 1 and len(result) == 2


def test_mean():
    assert round(mean([1, 2, 3])) == 2


def test_sorted_copy():
    assert list(sorted_copy([2, 1])) == [1, 2]


def test_parse_ints():
    assert list(parse_ints(["12", "7"])) == [12, 7]
    with pytest.raises(Exception):
        parse_ints(["1x"])


def test_chunks():
    assert [list(c) for c in chunks([1, 2, 3], 2)] == [[1, 2], [3]]


def test_word_counts():
    assert word_counts("a b a")["a"] == 2


def test_running_max():
    assert running_max([1, 3, 2])[-1] == 3


def test_pairs_summing_to():
    assert len(pairs_summing_to([1, 2, 3, 4], 5)) == 2


def test_flatten():
    assert list(flatten([[1], [2, 3]])) == [1, 2, 3]


def test_count_vowels():
    assert count_vowels("banana") == 3


def test_moving_average():
    assert list(moving_average([1, 2, 3, 4], 2)) == [1.5, 2.5, 3.5]


def test_first_index():
    assert first_index([5, 6, 7], 6) == 1


def test_grid():
    assert 3 in Grid([[3, 1], [3, 2]]).duplicates()
'''

BENCH = '''\
import random
import sys

from corpus.funcs import (Grid, chunks, count_vowels, drain_total, first_index, flatten, mean, moving_average,
                          pairs_summing_to, parse_ints, running_max, sorted_copy, unique_sorted, word_counts)

rng = random.Random(11)
WORDS = [f"w{(i * 7) % 30}" for i in range(30)]


def run(name):
    if name == "unique_sorted":
        unique_sorted([rng.randrange(3000) for _ in range(8000)])
    elif name == "mean":
        data = [rng.random() for _ in range(100000)]
        for _ in range(20):
            mean(data)
        mean([1, 2, 4])
    elif name == "sorted_copy":
        sorted_copy([rng.random() for _ in range(1500)])
    elif name == "parse_ints":
        parse_ints([str(rng.randrange(10**9)) for _ in range(80000)])
        for bad in (["12", "x"], [""]):
            try:
                parse_ints(bad)
            except ValueError:
                pass
    elif name == "chunks":
        for size in (3, 4):
            for _ in chunks(list(range(12)), size):
                pass
        total = 0
        for chunk in chunks(range(4000000), 50):
            total += len(chunk)
    elif name == "word_counts":
        word_counts(" ".join(WORDS * 20000))
    elif name == "running_max":
        running_max([rng.random() for _ in range(5000)])
    elif name == "pairs_summing_to":
        pairs_summing_to([rng.randrange(500) for _ in range(1800)], 499)
    elif name == "flatten":
        flatten([[i, i + 1] for i in range(8000)])
    elif name == "count_vowels":
        count_vowels("abcdeioQuAE " * 100000)
    elif name == "moving_average":
        moving_average([rng.random() * 100 for _ in range(80000)], 100)
    elif name == "first_index":
        items = list(range(1000000))
        for target in (999999, -3, 750000, -1, 999998):
            first_index(items, target)
    elif name == "drain_total":
        for _ in range(3):
            drain_total(list(range(100000)))
    elif name == "duplicates":
        Grid([[(r * c) % 997 for c in range(60)] for r in range(100)]).duplicates()
        Grid([[3, 1], [2, 1]]).duplicates()

if __name__ == "__main__":
    run(sys.argv[1])
'''

FILES = {"corpus/__init__.py": "", "corpus/funcs.py": ORIGINAL, "tests/test_funcs.py": TESTS, "bench.py": BENCH}
SOURCE = "corpus/funcs.py"
