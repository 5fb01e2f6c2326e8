"""The package API: registry, apply_rewrite, apply_rewrites and applicable."""

import textwrap

from optimizer_agent.skilllib.rewrites import REWRITES, applicable, apply_rewrite, apply_rewrites

EXPECTED_IDS = {
    "membership_set", "str_join", "hoist_regex", "sorted_min_max", "append_to_comprehension",
    "hoist_len", "pop0_deque", "builtin_sum", "dict_keys_membership", "memoize_recursion",
}

SLOW = textwrap.dedent('''
    import re


    def untouched(words, stop):
        return [w for w in words if w in stop]


    def report(words, stop, index):
        line = ""
        for w in words:
            if w not in stop and w in index.keys():
                line += re.sub("[aeiou]", "", w)
        return line
''').lstrip("\n")


def test_registry_has_every_rewrite_with_a_description():
    assert EXPECTED_IDS <= set(REWRITES)
    for rewrite_id, rewrite in REWRITES.items():
        assert rewrite.id == rewrite_id
        assert rewrite.description


def test_applicable_lists_the_rewrites_that_change_the_function():
    hits = [rewrite_id for rewrite_id in applicable(SLOW, "report") if rewrite_id in EXPECTED_IDS]
    assert hits == ["membership_set", "str_join", "hoist_regex", "dict_keys_membership"]
    assert applicable(SLOW, "missing") == []


def test_apply_rewrites_chains_and_only_touches_the_target():
    result = apply_rewrites(["sorted_min_max", "membership_set", "str_join", "hoist_regex", "dict_keys_membership"],
                            SLOW, "report")
    assert result is not None
    new, applied = result
    assert applied == ["membership_set", "str_join", "hoist_regex", "dict_keys_membership"]
    assert "def untouched(words, stop):\n    return [w for w in words if w in stop]\n" in new
    namespace_old, namespace_new = {}, {}
    exec(SLOW, namespace_old)  # noqa: S102 - fixed snippet
    exec(new, namespace_new)  # noqa: S102 - rewritten fixed snippet
    args = (["banana", "the", "kiwi", "plum"], ["the"], {"banana": 1, "kiwi": 2, "the": 3})
    assert namespace_new["report"](*args) == namespace_old["report"](*args) == "bnnkw"


def test_apply_rewrites_returns_none_when_nothing_applies():
    assert apply_rewrites(["memoize_recursion", "pop0_deque"], SLOW, "report") is None


def test_odd_input_gives_none_instead_of_raising():
    assert apply_rewrite("membership_set", "def broken(:\n", "broken") is None
    assert apply_rewrite("no_such_rewrite", SLOW, "report") is None
    assert apply_rewrite("membership_set", SLOW, "nowhere") is None
    assert apply_rewrite("membership_set", "", "f") is None


def test_nested_qualnames_and_unique_bare_names_are_found():
    source = textwrap.dedent('''
        class Box:
            def outer(self, items):
                def inner(words, stop):
                    return [w for w in words if w in stop]
                return inner(items, ["a"])
    ''').lstrip("\n")
    by_path = apply_rewrite("membership_set", source, "Box.outer.inner")
    by_bare_name = apply_rewrite("membership_set", source, "inner")
    assert by_path is not None and by_path == by_bare_name
    assert "stop_set = set(stop)" in by_path
    assert apply_rewrite("membership_set", source, "Box.outer") is None
