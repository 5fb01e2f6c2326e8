"""A shop repo behind a local bare remote (base `main`, PR branch `feature/blocked-count` with a slow function),
a workspace checked out the way actions/checkout does it, the recorded event, and the action's environment."""

from __future__ import annotations

import json
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.action.github_server import ScriptedGitHub
from tests.conftest import git, run_cli

FIXTURES = Path(__file__).parent / "fixtures"
REPO = "acme/shop"
PR_NUMBER = 7
HEAD_REF = "feature/blocked-count"
TOKEN = "ghs_test_token"
TEST_CMD = "python -m unittest -q"
BENCH_CMD = "python bench.py"

BASE_FILES = {
    "README.md": "# shop\n",
    "shop/__init__.py": "",
    "shop/stock.py": '''
        def total(prices):
            """Sum of the prices."""
            return sum(prices)
    ''',
    "tests/__init__.py": "",
    "tests/test_stock.py": '''
        import unittest

        from shop.stock import total


        class TotalTest(unittest.TestCase):
            def test_total(self):
                self.assertEqual(total([1, 2, 3]), 6)
    ''',
    "bench.py": '''
        from shop.stock import total

        total(range(1000))
    ''',
}
PR_FILES = {
    "shop/stock.py": '''
        def total(prices):
            """Sum of the prices."""
            return sum(prices)


        def count_blocked(items, blocked):
            """How many items are blocked."""
            n = 0
            for item in items:
                if item in blocked:
                    n += 1
            return n
    ''',
    "tests/test_blocked.py": '''
        import unittest

        from shop.stock import count_blocked


        class CountBlockedTest(unittest.TestCase):
            def test_counts_repeats(self):
                self.assertEqual(count_blocked([1, 2, 3, 2], [2, 3]), 3)

            def test_empty(self):
                self.assertEqual(count_blocked([], [1]), 0)

            def test_strings(self):
                self.assertEqual(count_blocked(["a", "b"], ["b"]), 1)
    ''',
    "bench.py": '''
        from shop.stock import count_blocked, total

        total(range(1000))
        blocked = list(range(0, 4000, 2))
        items = list(range(4000))
        for _ in range(3):
            count_blocked(items, blocked)
    ''',
}


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write dedented files under `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))


def commit_all(root: Path, message: str) -> str:
    """Commit everything in `root` with the fixed test author; return the sha."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


@dataclass
class Shop:
    """A bare remote and a workspace checkout of pull request #7 (copied per test)."""

    remote: Path
    workspace: Path
    base_sha: str
    head_sha: str

    def remote_refs(self) -> dict[str, str]:
        """Every ref in the bare remote -> sha."""
        out = git(self.remote, "for-each-ref", "--format=%(refname) %(objectname)")
        return dict(line.split(" ", 1) for line in out.splitlines())

    def add_pr_commit(self, files: dict[str, str], message: str) -> str:
        """Push one more commit to the PR branch (as its author would) and return its sha."""
        scratch = self.workspace.parent / "scratch"
        if not scratch.exists():
            git(self.workspace.parent, "clone", "-q", str(self.remote), str(scratch))
        git(scratch, "fetch", "-q", "origin")
        git(scratch, "checkout", "-q", "-B", HEAD_REF, f"origin/{HEAD_REF}")
        write_files(scratch, files)
        sha = commit_all(scratch, message)
        git(scratch, "push", "-q", "origin", f"{HEAD_REF}:{HEAD_REF}")
        return sha


def build_shop(root: Path, base_files: dict[str, str] = BASE_FILES, pr_files: dict[str, str] = PR_FILES) -> Shop:
    """Create the remote (with GitHub's refs/pull/N/head and /merge) and a workspace at the merge commit."""
    author = root / "author"
    author.mkdir(parents=True)
    git(author, "init", "-q", "-b", "main")
    write_files(author, base_files)
    base_sha = commit_all(author, "Shop inventory: totals")
    git(author, "checkout", "-q", "-b", HEAD_REF)
    write_files(author, pr_files)
    head_sha = commit_all(author, "Count blocked items in stock")
    git(author, "checkout", "-q", "--detach", "main")
    git(author, "merge", "-q", "--no-ff", "-m", f"Merge {head_sha} into {base_sha}", HEAD_REF)
    remote = root / "remote.git"
    git(root, "init", "-q", "--bare", str(remote))
    git(author, "push", "-q", str(remote), "main:main", f"{HEAD_REF}:{HEAD_REF}",
        f"{HEAD_REF}:refs/pull/{PR_NUMBER}/head", f"HEAD:refs/pull/{PR_NUMBER}/merge")
    workspace = root / "workspace"
    # What actions/checkout does on pull_request with fetch-depth: 0: the merge commit, detached.
    git(root, "clone", "-q", str(remote), str(workspace))
    git(workspace, "fetch", "-q", "origin", f"refs/pull/{PR_NUMBER}/merge")
    git(workspace, "checkout", "-q", "--detach", "FETCH_HEAD")
    shutil.rmtree(author)
    return Shop(remote=remote, workspace=workspace, base_sha=base_sha, head_sha=head_sha)


@pytest.fixture(scope="session")
def shop_template(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    """One shop built per session; tests get copies."""
    return build_shop(tmp_path_factory.mktemp("shop-template"))


@pytest.fixture
def shop(shop_template: Shop, tmp_path: Path) -> Shop:
    """A private copy of the shop remote and workspace, with origin pointing at the copy."""
    remote = tmp_path / "remote.git"
    workspace = tmp_path / "workspace"
    shutil.copytree(shop_template.remote, remote, symlinks=True)
    shutil.copytree(shop_template.workspace, workspace, symlinks=True)
    git(workspace, "remote", "set-url", "origin", str(remote))
    return Shop(remote=remote, workspace=workspace, base_sha=shop_template.base_sha, head_sha=shop_template.head_sha)


def event_payload(shop: Shop, **pull_changes) -> dict:
    """The recorded pull_request event with this shop's shas, plus changes to `pull_request` (dotted keys nest)."""
    payload = json.loads((FIXTURES / "pull_request.json").read_text())
    pull = payload["pull_request"]
    pull["head"]["sha"] = payload["after"] = shop.head_sha
    pull["base"]["sha"] = shop.base_sha
    for key, value in pull_changes.items():
        target = pull
        *path, last = key.split(".")
        for part in path:
            target = target[part]
        target[last] = value
    return payload


@pytest.fixture
def api():
    """The scripted GitHub API on loopback."""
    with ScriptedGitHub(repo=REPO, token=TOKEN) as server:
        yield server


@dataclass
class ActionRun:
    """One `optimizer-agent action` process and what it left."""

    returncode: int
    stdout: str
    stderr: str
    summary: str


def run_action(shop: Shop, api: ScriptedGitHub, payload: dict, mode: str = "comment", token: str | None = TOKEN,
               extra_env: dict[str, str] | None = None, event_name: str = "pull_request") -> ActionRun:
    """Run the action as GitHub would: event file, workspace, API URL, token and INPUT_* variables."""
    run_dir = shop.workspace.parent
    n = len(list(run_dir.glob("event-*.json")))
    event_path = run_dir / f"event-{n}.json"
    event_path.write_text(json.dumps(payload))
    summary = run_dir / f"summary-{n}.md"
    env = {
        "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event_name, "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_WORKSPACE": str(shop.workspace), "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": api.url,
        "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_RUN_ID": "4242",
        "GITHUB_TOKEN": token or "",
        "INPUT_MODE": mode, "INPUT_BENCH": BENCH_CMD, "INPUT_TEST": TEST_CMD, "INPUT_MIN_SPEEDUP": "",
        "INPUT_MODEL": "", "INPUT_BASE_URL": "", "INPUT_API_KEY": "", "INPUT_MAX_FUNCTIONS": "5",
        # Local sandbox: no Docker needed. One candidate per function keeps each run to seconds.
        "OPTIMIZER_AGENT_SANDBOX": "local", "OPTIMIZER_AGENT_MAX_CANDIDATES": "1",
        **(extra_env or {}),
    }
    proc = run_cli("action", cwd=shop.workspace, env=env, timeout=300)
    text = summary.read_text() if summary.exists() else ""
    return ActionRun(proc.returncode, proc.stdout, proc.stderr, text)
