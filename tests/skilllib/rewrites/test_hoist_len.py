"""hoist_len: `len(xs)` of an unchanged sequence in a while condition is computed once."""

RID = "hoist_len"


def test_index_walk_over_parameter(assert_rewrites):
    new = assert_rewrites(RID, '''
        def total(xs):
            i = 0
            acc = 0
            while i < len(xs):
                acc += xs[i]
                i += 1
            return acc
        ''', "total", [([1, 2, 3],), ([],), ((5,),)])
    assert "n_xs = len(xs)\n    while i < n_xs:" in new


def test_two_pointer_method_with_len_in_body_too(assert_rewrites):
    new = assert_rewrites(RID, '''
        class Merger:
            def merge(self, a, b):
                out = []
                i = j = 0
                # classic merge of two sorted lists
                while i < len(a) and j < len(b):
                    if a[i] <= b[j]:
                        out.append(a[i])
                        i += 1
                    else:
                        out.append(b[j])
                        j += 1
                    if i == len(a):
                        break
                return out + a[i:] + b[j:]
        ''', "Merger.merge", [([1, 4, 9], [2, 3, 10]), ([], [1]), ([5], [])], entry=lambda ns: ns["Merger"]().merge)
    assert "        # classic merge of two sorted lists\n        n_a = len(a)\n        n_b = len(b)\n" in new
    assert "if i == n_a:" in new


def test_inner_while_hoisted_when_outer_loop_changes_the_list(assert_rewrites):
    new = assert_rewrites(RID, '''
        def runs(text):
            chunks = []
            words = text.split()
            while words:
                k = 0
                while k < len(words) and words[k] != "|":
                    k += 1
                chunks.append(words[:k])
                words = words[k + 1:]
            return chunks
        ''', "runs", [("a b | c | d",), ("",), ("|",)])
    assert "        n_words = len(words)\n        while k < n_words" in new


def test_declines_when_loop_changes_the_list(assert_declines):
    assert_declines(RID, '''
        def drain(stack):
            out = []
            while len(stack) > 0:
                out.append(stack.pop())
            return out
        ''', "drain")
    assert_declines(RID, '''
        def f(xs):
            i = 0
            while i < len(xs):
                xs[i] = 0
                i += 1
        ''', "f")


def test_declines_for_globals_calls_and_generators(assert_declines):
    assert_declines(RID, '''
        ITEMS = [1, 2]

        def f():
            i = 0
            while i < len(ITEMS):
                i += 1
            return i
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            i = 0
            while i < len(xs):
                consume(xs)
                i += 1
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            i = 0
            while i < len(xs):
                yield xs[i]
                i += 1
        ''', "f")
