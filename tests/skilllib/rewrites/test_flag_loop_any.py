"""flag_loop_any: an early-return search loop becomes `any`/`all` over a generator expression."""

RID = "flag_loop_any"


def test_any_over_a_condition_with_calls(assert_rewrites):
    new = assert_rewrites(RID, '''
        def has_overdue(days, limit):
            # any late item?
            for d in days:
                if abs(d) > limit:
                    return True
            return False
        ''', "has_overdue", [([], 10), ([3, 12, 7], 10), ([1, -50], 10), ([1, "x"], 10), (None, 1)])
    assert "    # any late item?\n    return any(abs(d) > limit for d in days)\n" in new


def test_all_with_tuple_target_in_a_method(assert_rewrites):
    new = assert_rewrites(RID, '''
        class Check:
            def positive(self, d):
                for k, v in d.items():
                    if not v > 0: return False
                return True
        ''', "Check.positive", [({},), ({"a": 1, "b": 2},), ({"a": 1, "b": -2},), ({"a": 1, "b": "s"},)],
        entry=lambda ns: ns["Check"]().positive)
    assert "return all(v > 0 for k, v in d.items())" in new


def test_other_constants_and_negation(assert_rewrites):
    new = assert_rewrites(RID, '''
        def label(xs, bad):
            for x in xs:
                if x % 7 == 0:
                    return "seven"
            return None

        def clean(xs, bad):
            for x in xs:
                if x in bad:
                    return False
            return True
        ''', "label", [([],), ([1, 14],), ([3, 5],)], entry=lambda ns: lambda xs: ns["label"](xs, ()))
    assert 'return "seven" if any(x % 7 == 0 for x in xs) else None' in new
    new = assert_rewrites(RID, new, "clean", [([], {1}), ([2, 1], {1}), ([2], {1}), ([[1]], {1})])
    assert "return not any(x in bad for x in xs)" in new


def test_declines_loop_shapes(assert_declines):
    assert_declines(RID, '''
        def f(xs):
            for x in xs:
                if x:
                    return True
            else:
                pass
            return False
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            for x in xs:
                if x:
                    return True
            print(x)
            return False
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            for x in xs:
                if x:
                    return x
            return False
        ''', "f")


def test_declines_unsafe_conditions_and_guards(assert_declines):
    assert_declines(RID, '''
        def f(xs):
            for x in xs:
                if (y := x * 2) > 3:
                    return True
            return False
        ''', "f")
    assert_declines(RID, '''
        def f(xs, it):
            for x in xs:
                if next(it) == x:
                    return True
            return False
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            try:
                for x in xs:
                    if x:
                        return True
                return False
            finally:
                print(x)
        ''', "f")
