"""sorted_min_max: one end of a sorted copy becomes min/max.

Inputs are non-empty: on empty input the exception type differs by design (see the module docstring).
"""

RID = "sorted_min_max"


def test_first_and_last_without_key(assert_rewrites):
    new = assert_rewrites(RID, '''
        def spread(xs):
            lo = sorted(xs)[0]
            hi = sorted(xs)[-1]  # largest
            return hi - lo
        ''', "spread", [([3, 1, 2],), ([5],), ([2.5, -1, 7],), ("hello",)])
    assert "lo = min(xs)" in new
    assert "hi = max(xs)  # largest" in new


def test_key_and_reverse_in_a_method(assert_rewrites):
    new = assert_rewrites(RID, '''
        class Ranking:
            def best(self, scores):
                top = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[0]
                low = sorted(scores, reverse=True)[-1]
                return top, low
        ''', "Ranking.best", [({"a": 1, "b": 3, "c": 3},), ({"z": 0},), ({"q": 2, "p": 2},)],
        entry=lambda ns: ns["Ranking"]().best)
    assert "max(scores.items(), key=lambda kv: kv[1])" in new
    assert "low = min(scores)" in new


def test_inside_a_loop_with_a_generator_argument(assert_rewrites):
    new = assert_rewrites(RID, '''
        def shortest_words(groups):
            result = []
            for g in groups:
                if g:
                    result.append(sorted((w for w in g), key=len)[0])
            return result
        ''', "shortest_words", [([["bb", "a", "c"], [], ["xyz"]],), ([],)])
    assert "min((w for w in g), key=len)" in new


def test_declines_last_with_key_because_ties_pick_different_items(assert_declines):
    assert_declines(RID, '''
        def longest(words):
            return sorted(words, key=len)[-1]
        ''', "longest")


def test_declines_inside_try_or_on_other_indices_or_shadowed_builtins(assert_declines):
    assert_declines(RID, '''
        def first(xs):
            try:
                return sorted(xs)[0]
            except IndexError:
                return None
        ''', "first")
    assert_declines(RID, '''
        def second(xs, flag):
            return sorted(xs)[1], sorted(xs, reverse=flag)[0]
        ''', "second")
    assert_declines(RID, '''
        def min(xs):
            return 0

        def first(xs):
            return sorted(xs)[0]
        ''', "first")
