"""`optimizer-agent demo`: optimize the bundled example in a fresh git repo."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import optimizer_agent
from optimizer_agent.commands.output import progress
from optimizer_agent.errors import BadInput

EXAMPLE = "logstats"
DEMO_AUTHOR = {"GIT_AUTHOR_NAME": "Demo User", "GIT_AUTHOR_EMAIL": "demo@example.com",
               "GIT_COMMITTER_NAME": "Demo User", "GIT_COMMITTER_EMAIL": "demo@example.com"}


def example_dir(name: str = EXAMPLE) -> Path:
    """Where the bundled example lives (next to the package in a source checkout)."""
    path = Path(optimizer_agent.__file__).resolve().parent.parent / "benchmarks" / "examples" / name
    if not path.is_dir():
        raise BadInput(f"bundled example {name!r} not found at {path}; install optimizer-agent from a source checkout")
    return path


def make_demo_repo(into: Path | None, name: str = EXAMPLE) -> Path:
    """Copy the example into `into` (or a new temp folder) and commit it as a fresh git repo."""
    import git

    target = Path(into) if into else Path(tempfile.mkdtemp(prefix="optimizer-agent-demo-")) / name
    if target.exists() and any(target.iterdir()):
        raise BadInput(f"{target} already exists and is not empty; choose another --into")
    shutil.copytree(example_dir(name), target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    repo = git.Repo.init(target, initial_branch="main")
    with repo.git.custom_environment(**DEMO_AUTHOR):
        repo.git.add("-A")
        repo.git.commit("-q", "--no-verify", "--no-gpg-sign", "-m", f"Import the {name} example")
    return target


def run_demo(into: Path | None, sandbox: str | None, as_json: bool) -> int:
    """Build the demo repo and optimize it with the example's own workload."""
    from optimizer_agent.commands.optimize import run_optimize

    target = make_demo_repo(into)
    progress(f"demo repo: {target}")
    return run_optimize(target, {"bench": "python bench.py", "sandbox": sandbox}, None, as_json)
