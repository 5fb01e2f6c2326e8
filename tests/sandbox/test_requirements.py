"""Reading a target's declared dependencies without running anything."""

from __future__ import annotations

from optimizer_agent.sandbox.requirements import dependency_files, read_requirements

from .conftest import write_tree


def test_collects_pyproject_setup_cfg_and_requirements(tmp_path):
    repo = write_tree(tmp_path, {
        "pyproject.toml": """
            [project]
            name = "t"
            dependencies = ["numpy>=1.24", "attrs"]
            [project.optional-dependencies]
            test = ["hypothesis"]
            docs = ["sphinx"]
            [dependency-groups]
            dev = ["pytest-xdist", {include-group = "test"}]
        """,
        "setup.cfg": """
            [options]
            install_requires =
                requests>=2
            [options.extras_require]
            tests = responses
        """,
        "requirements.txt": """
            # pinned
            attrs==23.1.0  # comment
            -r requirements-extra.txt
            -e .
            --index-url https://example.invalid/simple
            six==1.16.0 --hash=sha256:abc
        """,
        "requirements-extra.txt": "rich\n",
    })
    got = read_requirements(repo)
    assert got.lines == [
        "numpy>=1.24", "attrs", "hypothesis", "pytest-xdist", "requests>=2", "responses",
        "rich", "attrs==23.1.0", "six==1.16.0",
    ]
    assert any("-e ." in note for note in got.notes)
    assert any("--index-url" in note for note in got.notes)


def test_setup_py_is_noted_not_run(tmp_path):
    repo = write_tree(tmp_path, {"setup.py": "raise SystemExit('must not run')\n"})
    got = read_requirements(repo)
    assert got.lines == []
    assert got.notes and "setup.py" in got.notes[0]


def test_includes_outside_the_repo_are_refused(tmp_path):
    write_tree(tmp_path, {"outside.txt": "evil\n"})
    repo = write_tree(tmp_path / "repo", {"requirements.txt": "-r ../outside.txt\nok\n"})
    got = read_requirements(repo)
    assert got.lines == ["ok"]
    assert "outside the repo" in got.notes[0]


def test_dependency_files_are_found_in_stable_order(tmp_path):
    repo = write_tree(tmp_path, {"requirements-dev.txt": "", "requirements.txt": "", "pyproject.toml": "", "x.txt": ""})
    assert [p.name for p in dependency_files(repo)] == ["pyproject.toml", "requirements-dev.txt", "requirements.txt"]
