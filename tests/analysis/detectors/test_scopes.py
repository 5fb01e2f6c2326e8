"""The AST index behind the detectors: which nodes repeat per iteration, and what kind each name holds."""

from __future__ import annotations

import ast
import textwrap

from optimizer_agent.analysis.detectors.scopes import FileIndex, annotation_kind, expr_kind


def index_of(source: str) -> FileIndex:
    """Index a dedented snippet."""
    return FileIndex(ast.parse(textwrap.dedent(source)))


def calls_named(index: FileIndex, name: str) -> list[ast.Call]:
    """Every call to `name(...)` in the indexed file."""
    return [n for n in ast.walk(index.tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name]


def names_read(index: FileIndex, name: str) -> list[ast.Name]:
    """Every read of `name`, in source order."""
    found = [n for n in ast.walk(index.tree) if isinstance(n, ast.Name) and n.id == name
             and isinstance(n.ctx, ast.Load)]
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def test_for_iterable_runs_once_but_body_repeats() -> None:
    index = index_of("""
        for x in once(items):
            each(x)
    """)
    assert index.loop[calls_named(index, "once")[0]] is None
    assert isinstance(index.loop[calls_named(index, "each")[0]], ast.For)


def test_comprehension_first_iterable_runs_once() -> None:
    index = index_of("out = [each(x) for x in once(xs) if check(x) for y in inner(x)]\n")
    assert index.loop[calls_named(index, "once")[0]] is None
    for name in ("each", "check", "inner"):
        assert isinstance(index.loop[calls_named(index, name)[0]], ast.ListComp)


def test_function_defined_in_loop_starts_a_fresh_loop_context() -> None:
    index = index_of("""
        for x in xs:
            def helper():
                return work()
    """)
    assert index.loop[calls_named(index, "work")[0]] is None


def test_while_test_repeats() -> None:
    index = index_of("while more(q):\n    pass\n")
    assert isinstance(index.loop[calls_named(index, "more")[0]], ast.While)


def test_kinds_from_values_and_annotations() -> None:
    assert expr_kind(ast.parse("[x for x in y]", mode="eval").body) == "list"
    assert expr_kind(ast.parse("collections.deque()", mode="eval").body) == "deque"
    assert expr_kind(ast.parse("[0] * n", mode="eval").body) == "list"
    assert expr_kind(ast.parse("f(x)", mode="eval").body) == "unknown"
    assert annotation_kind(ast.parse("list[int]", mode="eval").body) == "list"
    assert annotation_kind(ast.parse("typing.Dict[str, int]", mode="eval").body) == "dict"


def test_name_kind_needs_all_bindings_to_agree() -> None:
    index = index_of("""
        def f(a: list[int], b):
            c = []
            d = []
            d = set(d)
            return a, b, c, d
    """)
    kinds = {n.id: index.kind_of(n) for n in ast.walk(index.tree.body[0].body[-1])
             if isinstance(n, ast.Name)}
    assert kinds == {"a": "list", "b": "unknown", "c": "list", "d": "unknown"}


def test_parameter_rebound_at_top_level_takes_the_new_kind_afterwards() -> None:
    index = index_of("""
        def f(names):
            first = names
            names = list(names)
            return names
    """)
    before, during, after = names_read(index, "names")
    assert index.kind_of(before) == "unknown"
    assert index.kind_of(during) == "unknown"  # `list(names)` still reads the parameter
    assert index.kind_of(after) == "list"


def test_methods_do_not_see_class_body_names() -> None:
    index = index_of("""
        items = []

        class Box:
            items = {}

            def has(self, x):
                return x in items
    """)
    read = names_read(index, "items")[-1]
    assert index.kind_of(read) == "list"
