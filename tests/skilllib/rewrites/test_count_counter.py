"""count_counter: repeated `L.count(x)` in a loop becomes a lookup in a Counter built once."""

RID = "count_counter"


def test_most_common_word_over_its_own_elements(assert_rewrites):
    new = assert_rewrites(RID, '''
        def most_common_word(words):
            best, best_n = None, 0
            for w in words:
                n = words.count(w)
                if n > best_n:
                    best, best_n = w, n
            return best
        ''', "most_common_word", [([],), (["b", "a", "b", "a", "c"],), ("mississippi",), ((1, 1.0, True, 2),)])
    assert new.startswith("import collections\n\n")
    assert "    words_counts = collections.Counter(words)\n    for w in words:\n        n = words_counts[w]" in new


def test_string_duplicates_in_a_comprehension_with_existing_import(assert_rewrites):
    new = assert_rewrites(RID, '''
        """Text helpers."""
        import collections


        def repeated_chars(text):
            return [c for c in text if text.count(c) > 1]
        ''', "repeated_chars", [("",), ("hello world",), (b"abba",), (["x", "y", "x"],)])
    assert new.count("import collections") == 1
    assert "text_counts = collections.Counter(text)\n    return [c for c in text if text_counts[c] > 1]" in new


def test_local_list_queried_with_other_values(assert_rewrites):
    new = assert_rewrites(RID, '''
        def histogram(line, keys):
            tokens = line.split()
            out = {}
            for key in keys:
                out[key] = tokens.count(key)
            return out
        ''', "histogram", [("a b a c", ["a", "c", "z"]), ("", ["a"]), ("x x x", [])])
    assert "tokens_counts = collections.Counter(tokens)" in new
    assert "out[key] = tokens_counts[key]" in new


def test_annotated_list_parameter(assert_rewrites):
    new = assert_rewrites(RID, '''
        def singles(xs: list[int], candidates):
            return [c for c in candidates if xs.count(c) == 1]
        ''', "singles", [([1, 2, 2, 3], [1, 2, 3, 4]), ([], [0])])
    assert "xs_counts[c] == 1" in new


def test_declines_substring_counts_and_mutation(assert_declines):
    assert_declines(RID, '''
        def f(text, needles):
            return [n for n in needles if text.count(n) > 1]
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            out = []
            for x in xs:
                out.append(xs.count(x))
                xs.append(x)
            return out
        ''', "f")


def test_declines_float_unhashable_evidence_and_taken_module_name(assert_declines):
    assert_declines(RID, '''
        def f(keys):
            vals = [0.5, float("nan"), 1.0]
            return [vals.count(k) for k in keys]
        ''', "f")
    assert_declines(RID, '''
        def f(keys):
            vals = [[1], [2], [1]]
            return [vals.count(v) for v in vals]
        ''', "f")
    assert_declines(RID, '''
        collections = {}

        def f(words):
            return [words.count(w) for w in words]
        ''', "f")
