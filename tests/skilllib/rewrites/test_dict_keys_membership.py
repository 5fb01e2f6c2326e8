"""dict_keys_membership: `x in d.keys()` becomes `x in d`."""

RID = "dict_keys_membership"


def test_in_loop_and_not_in(assert_rewrites):
    new = assert_rewrites(RID, '''
        def known(words, vocab):
            out = []
            for w in words:
                if w in vocab.keys() and w.upper() not in vocab.keys():
                    out.append(w)
            return out
        ''', "known", [(["a", "B", "c"], {"a": 1, "c": 2, "C": 3}), ([], {}), (["x"], {"x": 0})])
    assert "w in vocab and w.upper() not in vocab" in new


def test_method_with_attribute_receiver(assert_rewrites):
    new = assert_rewrites(RID, '''
        class Cache:
            def __init__(self):
                self.store = {"k": 1}

            def has(self, key):
                return key in self.store.keys()  # fast path
        ''', "Cache.has", [("k",), ("z",)], entry=lambda ns: ns["Cache"]().has)
    assert "return key in self.store  # fast path" in new


def test_comprehension_with_parenthesised_receiver(assert_rewrites):
    new = assert_rewrites(RID, '''
        def shared(a, b):
            return [k for k in a if k in (b or {}).keys()]
        ''', "shared", [({"x": 1, "y": 2}, {"y": 0}), ({"x": 1}, None), ({}, {})])
    assert "k in (b or {})]" in new


def test_declines_on_keys_with_arguments_or_other_uses(assert_declines):
    assert_declines(RID, '''
        def f(store, k):
            return k in store.keys(prefix="a")
        ''', "f")
    assert_declines(RID, '''
        def f(d):
            return list(d.keys())
        ''', "f")
