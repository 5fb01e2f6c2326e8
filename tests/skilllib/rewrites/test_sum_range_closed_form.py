"""sum_range_closed_form: `sum(range(...))` becomes the arithmetic-series formula of the same range."""

RID = "sum_range_closed_form"

STEPS = [(a, b, s) for a in (-7, 0, 3) for b in (-4, 0, 1, 10) for s in (-3, -1, 1, 2, 5)]


def test_multiples_with_a_step(assert_rewrites):
    new = assert_rewrites(RID, '''
        def multiples_total(limit, k):
            return sum(range(0, limit, k))
        ''', "multiples_total", [(0, 3), (10, 3), (10, -3), (-10, -3), (7, 1), (3000000, 7), (10, 0), (2.5, 1)])
    assert "range(0, limit, k)" in new and "sum(" not in new


def test_one_and_two_argument_forms_in_expressions(assert_rewrites):
    new = assert_rewrites(RID, '''
        def triangle_gap(n, a, b):
            total = sum(range(n)) - 2 * sum(range(a, b))
            return total, [sum(range(i)) for i in range(n)]
        ''', "triangle_gap", [(0, 0, 0), (5, 2, 9), (7, 9, 2), (-3, -5, 5), (4, "x", 3)])
    assert "for i in range(n)]" in new


def test_every_step_and_bound_combination(assert_rewrites):
    assert_rewrites(RID, '''
        def series(a, b, s):
            return sum(range(a, b, s))
        ''', "series", STEPS)


def test_declines_start_keywords_and_other_iterables(assert_declines):
    assert_declines(RID, '''
        def f(n, xs):
            return sum(range(n), 10), sum(range(n), start=1), sum(xs), sum(range(*xs)), sum(x for x in range(n))
        ''', "f")


def test_declines_rebound_builtins(assert_declines):
    assert_declines(RID, '''
        def range(n):
            return [1] * n

        def f(n):
            return sum(range(n))
        ''', "f")
    assert_declines(RID, '''
        from numpy import sum

        def f(n):
            return sum(range(n))
        ''', "f")
