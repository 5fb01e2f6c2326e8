"""builtin_sum: an integer accumulation loop becomes sum()."""

RID = "builtin_sum"


def test_sum_of_lengths(assert_rewrites):
    new = assert_rewrites(RID, '''
        def total_chars(words):
            n = 0
            for w in words:
                n += len(w)
            return n
        ''', "total_chars", [(["ab", "c"],), ([],), (("xyz",),)])
    assert "n = sum(len(w) for w in words)" in new


def test_range_variable_plain_sum_in_a_method(assert_rewrites):
    new = assert_rewrites(RID, '''
        class Series:
            def triangular(self, n):
                acc = 0
                # 0 + 1 + ... + n-1
                for i in range(n):
                    acc += i
                return acc
        ''', "Series.triangular", [(0,), (5,), (100,)], entry=lambda ns: ns["Series"]().triangular)
    assert "acc = sum(range(n))" in new
    assert "# 0 + 1 + ... + n-1" in new


def test_counting_with_filter_and_nested_loops(assert_rewrites):
    new = assert_rewrites(RID, '''
        def count_matches(grid, target):
            hits = 0
            for row in grid:
                for cell in row:
                    if cell == target:
                        hits += 1
            return hits
        ''', "count_matches", [([[1, 2], [2, 2]], 2), ([], 1), ([[0]], 1)])
    assert "hits = sum(1 for row in grid for cell in row if cell == target)" in new


def test_annotated_int_list_and_bool_terms(assert_rewrites):
    new = assert_rewrites(RID, '''
        def score(values: list[int], limit):
            s = 0
            for v in values:
                s += v * 2 if v > limit else (v < 0)
            return s
        ''', "score", [([1, 5, -3], 2), ([], 0), ([10], 10)])
    assert "s = sum((v * 2 if v > limit else (v < 0)) for v in values)" in new


def test_declines_when_terms_may_be_floats(assert_declines):
    assert_declines(RID, '''
        def f(prices):
            total = 0
            for p in prices:
                total += p
            return total
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            total = 0
            for x in range(xs):
                total += x / 2
            return total
        ''', "f")
    assert_declines(RID, '''
        def f(words):
            total = 0.0
            for w in words:
                total += len(w)
            return total
        ''', "f")


def test_declines_on_extra_statements_or_leaking_loop_variable(assert_declines):
    assert_declines(RID, '''
        def f(words):
            total = 0
            for w in words:
                total += len(w)
                print(w)
            return total
        ''', "f")
    assert_declines(RID, '''
        def f(words):
            total = 0
            for w in words:
                total += len(w)
            return total, w
        ''', "f")
