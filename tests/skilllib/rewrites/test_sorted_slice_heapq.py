"""sorted_slice_heapq: the first k items of a full sort become a heapq selection."""

RID = "sorted_slice_heapq"


def test_reverse_with_a_variable_k_is_guarded(assert_rewrites):
    new = assert_rewrites(RID, '''
        def top_scores(scores, k):
            return sorted(scores, reverse=True)[:k]
        ''', "top_scores", [([5, 1, 9, 9, 2], 3), ([], 3), ([4, 2], 5), ([3, 1, 2], 0), ([3, 1, 2], -1),
                            ([3, 1, 2], None), ([1, 2.0, 2, 1.0], 2), ([1, "a"], 0), ([1, "a"], 1), ([3, 1], 1.5)])
    assert new.startswith("import heapq\n\n")
    assert "heapq.nlargest(k, scores) if isinstance(k, int) and k > 0 else sorted(scores, reverse=True)[:k]" in new


def test_literal_k_with_key_in_a_method_and_existing_import(assert_rewrites):
    new = assert_rewrites(RID, '''
        import heapq
        import math


        class Points:
            def nearest(self, points, origin):
                return sorted(points, key=lambda p: math.dist(p, origin))[:3]
        ''', "Points.nearest", [([(0, 0), (5, 5), (1, 1), (1, 1), (2, 0)], (0, 0)), ([], (1, 1)), ([(3, 4)], (0, 0))],
        entry=lambda ns: ns["Points"]().nearest)
    assert new.count("import heapq") == 1
    assert "return heapq.nsmallest(3, points, key=lambda p: math.dist(p, origin))" in new


def test_ties_keep_their_order_and_generators_are_consumed_alike(assert_rewrites):
    new = assert_rewrites(RID, '''
        def cheapest(offers, k):
            names = sorted((o for o in offers), key=lambda o: o[1])[:k]
            worst = sorted(offers, key=lambda o: o[1], reverse=True)[:2]
            return [n for n, _ in names], worst
        ''', "cheapest", [([("a", 2), ("b", 1), ("c", 2), ("d", 1)], 3), ([], 2), ([("x", 1), ("y", 1.0)], 1)])
    assert "heapq.nsmallest(k, (o for o in offers), key=lambda o: o[1])" in new
    assert "heapq.nlargest(2, offers, key=lambda o: o[1])" in new


def test_declines_other_slices_and_k_shapes(assert_declines):
    assert_declines(RID, '''
        def f(xs, k):
            return sorted(xs)[1:k], sorted(xs)[:k:2], sorted(xs)[:-2], sorted(xs)[:0], sorted(xs)[-k:]
        ''', "f")
    assert_declines(RID, '''
        def f(xs, obj):
            return sorted(xs)[:obj.k], sorted(xs)[:len(xs) // 2], sorted(xs, reverse=obj.flag)[:3]
        ''', "f")


def test_declines_when_names_are_taken(assert_declines):
    assert_declines(RID, '''
        heapq = None

        def f(xs):
            return sorted(xs)[:3]
        ''', "f")
    assert_declines(RID, '''
        def sorted(xs):
            return list(xs)

        def f(xs):
            return sorted(xs)[:3]
        ''', "f")
