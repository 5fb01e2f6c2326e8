"""Bad input: one clear line on stderr, a non-zero exit, and no branch, worktree or run folder left."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SLOW_PROJECT, branches, git, make_repo, run_cli, worktrees


def assert_clean_failure(repo: Path, proc, fragment: str) -> None:
    """The run failed with `fragment` in a single error line and left nothing behind."""
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, proc.stderr
    assert fragment in errors[0]
    assert proc.stdout == ""
    if (repo / ".git").exists():
        assert branches(repo) == ["main"]
        assert worktrees(repo) == [str(repo)]
        runs = repo / ".optimizer-agent" / "runs"
        assert not runs.exists() or not any(runs.iterdir())
        assert git(repo, "status", "--porcelain") == ""


def test_not_a_git_repo(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text("x = 1\n")
    proc = run_cli("optimize", str(tmp_path), "--sandbox", "local")
    assert_clean_failure(tmp_path, proc, "is not a git repository")


def test_missing_path(tmp_path: Path) -> None:
    proc = run_cli("optimize", str(tmp_path / "nope"), "--sandbox", "local")
    assert_clean_failure(tmp_path, proc, "no such directory")


def test_no_tests_found(tmp_path: Path) -> None:
    files = {k: v for k, v in SLOW_PROJECT.items() if not k.startswith("tests/")}
    repo = make_repo(tmp_path / "r", files)
    proc = run_cli("optimize", str(repo), "--sandbox", "local", "--bench", "python bench.py")
    assert_clean_failure(repo, proc, "no tests found")


def test_baseline_tests_failing(tmp_path: Path) -> None:
    files = dict(SLOW_PROJECT)
    files["tests/test_broken.py"] = "def test_broken():\n    assert 1 == 2\n"
    repo = make_repo(tmp_path / "r", files)
    proc = run_cli("optimize", str(repo), "--sandbox", "local", "--bench", "python bench.py")
    assert_clean_failure(repo, proc, "baseline tests fail")


def test_syntax_error_in_source(tmp_path: Path) -> None:
    files = dict(SLOW_PROJECT)
    files["slowpkg/broken.py"] = "def oops(:\n    pass\n"
    repo = make_repo(tmp_path / "r", files)
    proc = run_cli("optimize", str(repo), "--sandbox", "local", "--bench", "python bench.py")
    assert_clean_failure(repo, proc, "syntax error in slowpkg/broken.py line 1")


def test_failing_bench_command(slow_repo: Path) -> None:
    proc = run_cli("optimize", str(slow_repo), "--sandbox", "local", "--bench", "python -c 'raise SystemExit(3)'")
    assert_clean_failure(slow_repo, proc, "the workload failed (exit 3)")


def test_unknown_function(slow_repo: Path) -> None:
    proc = run_cli("optimize", str(slow_repo), "--sandbox", "local", "--bench", "python bench.py",
                   "--function", "no_such_function")
    assert_clean_failure(slow_repo, proc, "unknown --function no_such_function")


def test_docker_requested_but_down(slow_repo: Path) -> None:
    proc = run_cli("optimize", str(slow_repo), "--sandbox", "docker", "--bench", "python bench.py",
                   env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"})
    assert_clean_failure(slow_repo, proc, "no Docker daemon answers")


def test_bad_setting_from_environment(slow_repo: Path) -> None:
    proc = run_cli("optimize", str(slow_repo), "--sandbox", "local", env={"OPTIMIZER_AGENT_MIN_SPEEDUP": "fast"})
    assert_clean_failure(slow_repo, proc, "bad setting min_speedup")


def test_bad_sandbox_flag(slow_repo: Path) -> None:
    proc = run_cli("optimize", str(slow_repo), "--sandbox", "bogus")
    assert_clean_failure(slow_repo, proc, "bad setting sandbox")


def test_unknown_pyproject_setting(tmp_path: Path) -> None:
    files = dict(SLOW_PROJECT)
    files["pyproject.toml"] += "\n[tool.optimizer-agent]\nmin-speedupp = 1.2\n"
    repo = make_repo(tmp_path / "r", files)
    proc = run_cli("optimize", str(repo), "--sandbox", "local")
    assert_clean_failure(repo, proc, "unknown setting(s) in [tool.optimizer-agent]: min_speedupp")
