"""Changed functions: diff hunks against the merge base mapped to tree-sitter function extents."""

from __future__ import annotations

import textwrap
from pathlib import Path

from optimizer_agent.action.changes import Hunk, changed_functions, functions_touched
from tests.conftest import git, make_repo

BEFORE = '''
    import re

    LIMIT = 10


    def first(xs):
        return xs[0]


    def doomed(xs):
        return xs[-1]


    def last(xs):
        return xs[-1]


    class Cart:
        def add(self, item):
            self.items.append(item)
            self.count += 1

        def total(self):
            def price(i):
                return i.price
            return sum(price(i) for i in self.items)


    def untouched():
        return 1
'''


def changed(tmp_path: Path, after: str, files: dict[str, str] | None = None, exclude=frozenset()) -> list[str]:
    """Commit BEFORE, then `after` (and other files) on top, and return the changed function keys."""
    repo = make_repo(tmp_path / "r", {"pkg/mod.py": BEFORE})
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / "pkg" / "mod.py").write_text(textwrap.dedent(after).lstrip("\n"))
    for rel, text in (files or {}).items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(textwrap.dedent(text).lstrip("\n"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    head = git(repo, "rev-parse", "HEAD").strip()
    return [f.key for f in changed_functions(repo, base, head, exclude)]


def test_edits_map_to_functions_and_methods(tmp_path: Path) -> None:
    after = BEFORE.replace("return xs[0]", "return next(iter(xs))").replace("self.count += 1", "self.count += 2")
    assert changed(tmp_path, after) == ["pkg/mod.py::first", "pkg/mod.py::Cart.add"]


def test_a_nested_function_counts_as_its_parent(tmp_path: Path) -> None:
    after = BEFORE.replace("return i.price", "return i.price * 1")
    assert changed(tmp_path, after) == ["pkg/mod.py::Cart.total"]


def test_module_level_edits_and_removed_functions_change_no_function(tmp_path: Path) -> None:
    after = BEFORE.replace("LIMIT = 10", "LIMIT = 20").replace("    def doomed(xs):\n        return xs[-1]\n\n\n", "")
    assert "def doomed" not in after
    assert changed(tmp_path, after) == []


def test_a_deletion_inside_a_function_changes_it(tmp_path: Path) -> None:
    after = BEFORE.replace("            self.count += 1\n", "")  # the method's last line
    assert changed(tmp_path, after) == ["pkg/mod.py::Cart.add"]


def test_new_files_count_and_protected_or_excluded_files_do_not(tmp_path: Path) -> None:
    files = {
        "pkg/new.py": "def fresh():\n    return 2\n",
        "tests/test_mod.py": "def test_it():\n    assert True\n",
        "bench_mod.py": "def run():\n    pass\n",
        "tools/gen.py": "def gen():\n    pass\n",
        "pkg/notes.txt": "def not_python(): pass\n",
        "scripts_are_fine.py": "def helper():\n    pass\n",
    }
    assert changed(tmp_path, BEFORE, files, exclude=frozenset({"scripts_are_fine.py"})) == ["pkg/new.py::fresh"]


def test_functions_touched_reads_deletions_on_the_base_side() -> None:
    old = "def a():\n    return 1\n\n\ndef gone():\n    pass\n\n\ndef b():\n    x = 1\n    y = 2\n    return x\n"
    new = "def a():\n    return 1\n\n\ndef b():\n    x = 1\n    return x\n"
    names = lambda hunks: [e.qualname for e in functions_touched(new, old, hunks)]  # noqa: E731
    assert names([Hunk(1, 1, 1, 1)]) == ["a"]
    assert names([Hunk(4, 2, 4, 2)]) == ["b"]  # a blank line plus b's def
    assert names([Hunk(5, 4, 4, 0)]) == []  # `gone` removed whole
    assert names([Hunk(11, 1, 6, 0)]) == ["b"]  # a line removed inside b
    assert names([Hunk(5, 4, 4, 0), Hunk(11, 1, 6, 0)]) == ["b"]
