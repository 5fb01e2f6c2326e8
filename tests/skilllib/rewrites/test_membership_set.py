"""membership_set: list membership inside loops becomes a set lookup built once."""

RID = "membership_set"


def test_parameter_list_in_for_loop_with_constant_display(assert_rewrites):
    new = assert_rewrites(RID, '''
        def content_words(words, stop):
            out = []
            for w in words:
                # skip stop words and punctuation
                if w not in stop and w not in [".", ",", "!"]:
                    out.append(w.lower())
            return out
        ''', "content_words", [
            (["The", "cat", ",", "sat", "!"], ["the", "sat"]),
            ([], ["a"]),
            (["a", "b", "a"], []),
        ])
    assert "stop_set = set(stop)" in new
    assert 'w not in {".", ",", "!"}' in new
    assert "# skip stop words and punctuation" in new


def test_method_with_local_split_list_in_while_loop(assert_rewrites):
    new = assert_rewrites(RID, '''
        class Filter:
            def __init__(self, banned):
                self.banned = banned

            def keep(self, text):
                banned = self.banned.split()
                kept = []
                words = text.split()
                i = 0
                while i < len(words):
                    if words[i] in banned:
                        i += 1
                        continue
                    kept.append(words[i])
                    i += 1
                return kept
        ''', "Filter.keep", [("a b c d a",), ("",), ("x y",)],
        entry=lambda ns: ns["Filter"]("a c").keep)
    assert "banned_set = set(banned)" in new


def test_comprehension_with_annotated_parameter(assert_rewrites):
    new = assert_rewrites(RID, '''
        def keep_allowed(rows, allowed: list[int]):
            return [[v for v in row if v in allowed] for row in rows]
        ''', "keep_allowed", [([[1, 2, 3], [4, 5]], [2, 5]), ([], [1]), ([[1]], [])])
    assert new.count("allowed_set") == 2


def test_outer_loop_changes_list_so_set_is_built_per_inner_loop(assert_rewrites):
    new = assert_rewrites(RID, '''
        def grow(items, rounds):
            pool = [0]
            hits = 0
            for r in range(rounds):
                pool.append(r * 2)
                for x in items:
                    if x in pool:
                        hits += 1
            return hits
        ''', "grow", [([0, 1, 2, 4], 3), ([], 2), ([5, 6], 0)])
    assert "        pool_set = set(pool)\n        for x in items:" in new


def test_fresh_name_avoids_existing_names(assert_rewrites):
    new = assert_rewrites(RID, '''
        stop_set = "module level name"

        def f(words, stop):
            return [w for w in words if w in stop]
        ''', "f", [(["a", "b"], ["b"])])
    assert "stop_set_2 = set(stop)" in new


def test_declines_when_list_is_mutated_in_loop(assert_declines):
    assert_declines(RID, '''
        def dedupe(items):
            seen = []
            for x in items:
                if x not in seen:
                    seen.append(x)
            return seen
        ''', "dedupe")


def test_declines_on_string_parameter_where_in_means_substring(assert_declines):
    assert_declines(RID, '''
        def has_any(words, letters: str):
            return [w for w in words if w in letters]
        ''', "has_any")


def test_declines_when_list_escapes_to_a_call_or_lambda(assert_declines):
    assert_declines(RID, '''
        def f(items, pool):
            out = []
            for x in items:
                log(pool)
                if x in pool:
                    out.append(x)
            return out
        ''', "f")
    assert_declines(RID, '''
        def f(items, pool):
            checks = []
            for x in items:
                checks.append(lambda: x in pool)
            return checks
        ''', "f")


def test_declines_on_list_of_lists_and_on_globals(assert_declines):
    assert_declines(RID, '''
        def f(items):
            pairs = [[1, 2], [3]]
            return [x for x in items if x in pairs]
        ''', "f")
    assert_declines(RID, '''
        POOL = [1, 2]

        def f(items):
            return [x for x in items if x in POOL]
        ''', "f")


def test_declines_optional_parameter_that_the_loop_might_never_test(assert_declines):
    assert_declines(RID, '''
        def positives_allowed(xs, allowed=None):
            return [x for x in xs if x > 0 and x in allowed]
        ''', "positives_allowed")
