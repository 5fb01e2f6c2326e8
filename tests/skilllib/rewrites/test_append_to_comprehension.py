"""append_to_comprehension: an append loop right after `out = []` becomes a list comprehension."""

RID = "append_to_comprehension"


def test_filtered_loop_keeps_comments(assert_rewrites):
    new = assert_rewrites(RID, '''
        def evens_squared(nums):
            result = []
            # square the even numbers only
            for n in nums:
                if n % 2 == 0:  # even
                    result.append(n * n)
            return result
        ''', "evens_squared", [([1, 2, 3, 4],), ([],), ([7],)])
    assert "result = [n * n for n in nums if n % 2 == 0]" in new
    assert "# square the even numbers only" in new and "# even" in new


def test_method_with_nested_loops_tuple_targets_and_annotation(assert_rewrites):
    new = assert_rewrites(RID, '''
        class Grid:
            def __init__(self, rows):
                self.rows = rows

            def cells(self, threshold):
                found: list[tuple[int, int]] = []
                for r, row in enumerate(self.rows):
                    for c, value in enumerate(row):
                        if value > threshold:
                            if (r + c) % 2:
                                found.append((r, c))
                return found
        ''', "Grid.cells", [(0,), (5,), (-1,)], entry=lambda ns: ns["Grid"]([[1, 6], [7, 0, 9]]).cells)
    expected = (
        "found: list[tuple[int, int]] = [(r, c) for r, row in enumerate(self.rows) "
        "for c, value in enumerate(row) if value > threshold if (r + c) % 2]"
    )
    assert expected in new


def test_one_line_body_and_conditional_iterable(assert_rewrites):
    new = assert_rewrites(RID, '''
        def labels(d, reverse):
            out = []
            for k in sorted(d) if not reverse else sorted(d, reverse=True): out.append(f"{k}={d[k]}")
            return ",".join(out)
        ''', "labels", [({"b": 1, "a": 2}, False), ({"b": 1, "a": 2}, True), ({}, False)])
    assert "out = [f\"{k}={d[k]}\" for k in (sorted(d) if not reverse else sorted(d, reverse=True))]" in new


def test_later_loop_rebinding_the_variable_is_fine(assert_rewrites):
    new = assert_rewrites(RID, '''
        def twice(xs):
            a = []
            for x in xs:
                a.append(x + 1)
            b = 0
            for x in a:
                b += x
            return a, b
        ''', "twice", [([1, 2],), ([],)])
    assert "a = [x + 1 for x in xs]" in new


def test_declines_when_loop_variable_is_read_after_the_loop(assert_declines):
    assert_declines(RID, '''
        def f(xs):
            out = []
            for x in xs:
                out.append(x)
            return out, x
        ''', "f")


def test_declines_on_extra_statements_break_else_or_self_reference(assert_declines):
    assert_declines(RID, '''
        def f(xs):
            out = []
            for x in xs:
                if x < 0:
                    break
                out.append(x)
            return out
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            out = []
            for x in xs:
                out.append(x)
            else:
                out.append(0)
            return out
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            out = []
            for x in xs:
                out.append(len(out) + x)
            return out
        ''', "f")


def test_declines_inside_try_or_with_lambdas(assert_declines):
    assert_declines(RID, '''
        def f(xs):
            out = []
            try:
                pass
            finally:
                for x in xs:
                    out.append(int(x))
            return out
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            out = []
            for x in xs:
                out.append(lambda: x)
            return [g() for g in out]
        ''', "f")
