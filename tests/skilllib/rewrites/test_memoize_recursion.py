"""memoize_recursion: pure recursive module-level functions get @functools.cache."""

RID = "memoize_recursion"


def test_fibonacci_reading_a_constant_gets_import_after_docstring(assert_rewrites):
    new = assert_rewrites(RID, '''
        """Number helpers."""
        MOD = 10 ** 9 + 7


        def fib(n):
            if n < 2:
                return n
            return (fib(n - 1) + fib(n - 2)) % MOD
        ''', "fib", [(0,), (10,), (18,), (-1,)])
    assert new.startswith('"""Number helpers."""\nimport functools\n')
    assert "@functools.cache\ndef fib(n):" in new


def test_grid_paths_with_existing_import_helper_and_keyword_only(assert_rewrites):
    new = assert_rewrites(RID, '''
        import functools
        import math


        def clamp(v):
            return max(0, v)


        # number of monotone paths, avoiding one blocked cell
        def paths(r, c, *, blocked=(1, 1)):
            if (r, c) == blocked:
                return 0
            if r == 0 or c == 0:
                return 1
            return paths(clamp(r - 1), c, blocked=blocked) + paths(r, c - 1, blocked=blocked) + math.floor(0.5)
        ''', "paths", [(3, 3), (0, 5), (6, 4)])
    assert new.count("import functools") == 1
    assert "# number of monotone paths, avoiding one blocked cell\n@functools.cache\ndef paths(" in new


def test_edit_distance_on_strings_with_local_containers(assert_rewrites):
    new = assert_rewrites(RID, '''
        def dist(a, b):
            if not a or not b:
                return len(a) + len(b)
            options = []
            options.append(dist(a[1:], b) + 1)
            options.append(dist(a, b[1:]) + 1)
            options.append(dist(a[1:], b[1:]) + (a[0] != b[0]))
            return min(options)
        ''', "dist", [("kitten", "sitting"), ("", "abc"), ("same", "same")])
    assert "@functools.cache\ndef dist(a, b):" in new


def test_declines_methods_decorated_or_non_recursive(assert_declines):
    assert_declines(RID, '''
        class Solver:
            def fib(self, n):
                return n if n < 2 else self.fib(n - 1) + self.fib(n - 2)
        ''', "Solver.fib")
    assert_declines(RID, '''
        import functools

        @functools.lru_cache(maxsize=None)
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)
        ''', "fib")
    assert_declines(RID, '''
        def square(n):
            return n * n
        ''', "square")


def test_declines_side_effects_and_mutable_state(assert_declines):
    assert_declines(RID, '''
        def countdown(n):
            print(n)
            if n:
                countdown(n - 1)
        ''', "countdown")
    assert_declines(RID, '''
        def collect(node, out):
            out.append(node)
            for child in node.children:
                collect(child, out)
        ''', "collect")
    assert_declines(RID, '''
        SEEN = {}

        def walk(n):
            return 0 if n == 0 else SEEN.get(n, 1) + walk(n - 1)
        ''', "walk")


def test_declines_unhashable_parameters_and_mutable_results(assert_declines):
    assert_declines(RID, '''
        def total(xs: list[int]):
            return 0 if not xs else xs[0] + total(xs[1:])
        ''', "total")
    assert_declines(RID, '''
        def subsets(n):
            if n == 0:
                return [[]]
            rest = subsets(n - 1)
            return rest + [s + [n] for s in rest]
        ''', "subsets")
    assert_declines(RID, '''
        def gen(n):
            if n:
                yield n
                yield from gen(n - 1)
        ''', "gen")


def test_declines_lists_returned_through_expressions(assert_declines):
    assert_declines(RID, '''
        def upto(n):
            return [] if n == 0 else upto(n - 1) + [n]
        ''', "upto")
    assert_declines(RID, '''
        def upto(n):
            acc = ()
            if n:
                acc = upto(n - 1) + [n]
            return acc
        ''', "upto")


def test_declines_when_result_depends_on_argument_state_or_impure_callees(assert_declines):
    assert_declines(RID, '''
        def is_subtree(root, node):
            if root == node:
                return True
            return any(is_subtree(c, node) for c in root.children)
        ''', "is_subtree")
    assert_declines(RID, '''
        def matches(expected, actual):
            for key in expected:
                if isinstance(expected[key], dict) and not matches(expected[key], actual.get(key, {})):
                    return False
            return True
        ''', "matches")
    assert_declines(RID, '''
        def load(name):
            register(name)
            return 0 if not name else load(name[1:]) + 1

        def register(name):
            print(name)
        ''', "load")
