"""`optimizer-agent verify BASE HEAD`: judge an existing change between two refs with the same gate."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from rich.table import Table

from optimizer_agent.commands.output import emit_json, err_console, fail, progress, warn
from optimizer_agent.errors import BadInput

EXIT_ACCEPTED, EXIT_REJECTED, EXIT_ERROR = 0, 1, 2
CANDIDATE_ID = "verify"


def run_verify(path: Path, base: str, head: str, flags: dict[str, Any], as_json: bool) -> int:
    """Stage both refs, run the base's tests, put the change through the gate; 0 accepted, 1 rejected, 2 error."""
    import git

    from optimizer_agent.config import load_settings
    from optimizer_agent.runner import new_run_id
    from optimizer_agent.sandbox.select import open_sandbox
    from optimizer_agent.vcs.worktree import open_repo

    repo = open_repo(path)
    root = Path(repo.working_tree_dir)
    settings = load_settings(root, flags)
    shas = {ref: _resolve(repo, ref) for ref in (base, head)}
    changed = _changed_files(repo, shas[base], shas[head])
    if not changed:
        raise BadInput(f"no changes between {base} and {head}")
    scratch = Path(tempfile.mkdtemp(prefix="oa-verify-"))
    trees = {"base": scratch / "base", "head": scratch / "head"}
    sandbox = None
    try:
        for name, ref in (("base", base), ("head", head)):
            repo.git.worktree("add", "-q", "--detach", str(trees[name]), shas[ref])
        sandbox = open_sandbox(settings.sandbox, new_run_id(), root, warn)
        progress(f"verify {base} ({shas[base][:10]}) -> {head} ({shas[head][:10]}): {len(changed)} changed file(s)")
        verdict, functions = _judge(sandbox, settings, trees, changed, shas[base], repo.git.diff(shas[base], shas[head]))
    except git.GitCommandError as exc:
        raise BadInput(f"git failed: {' '.join(str(exc.stderr or exc).split())}") from None
    finally:
        if sandbox is not None:
            sandbox.cleanup()
        for tree in trees.values():
            if tree.exists():
                repo.git.worktree("remove", "--force", str(tree))
        repo.git.worktree("prune")
        shutil.rmtree(scratch, ignore_errors=True)
    code = EXIT_ACCEPTED if verdict.accepted else EXIT_ERROR if verdict.stage == "error" else EXIT_REJECTED
    if as_json:
        emit_json({"base": shas[base], "head": shas[head], "files": changed, "functions": functions,
                   "accepted": verdict.accepted, "exit_code": code, "verdict": verdict.model_dump()})
    else:
        _print_table(verdict, changed, functions)
    if code == EXIT_ERROR:
        fail(verdict.reason)
    return code


def _resolve(repo, ref: str) -> str:
    """The commit sha a ref names, or a one-line error."""
    import git

    try:
        return repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except git.GitCommandError:
        raise BadInput(f"{ref!r} does not name a commit in {repo.working_tree_dir}") from None


def _changed_files(repo, base_sha: str, head_sha: str) -> list[str]:
    """Every path that differs between the two commits (renames as a delete plus an add)."""
    listed = repo.git.diff("--name-only", "--no-renames", "-z", base_sha, head_sha)
    return sorted(p for p in listed.split("\0") if p)


def _judge(sandbox, settings, trees: dict[str, Path], changed: list[str], base_sha: str, diff: str):
    """Build the gate request for the whole change and return (verdict, changed functions per file)."""
    from optimizer_agent.analysis.targets import is_source_file
    from optimizer_agent.nodes.verify import tracked_files
    from optimizer_agent.state import Candidate, FunctionRef
    from optimizer_agent.verify.changes import changed_functions
    from optimizer_agent.verify.gate import BasicGate, GateRequest
    from optimizer_agent.verify.guards import FileChange
    from optimizer_agent.verify.judges import read_judge_files
    from optimizer_agent.verify.testrun import run_tests
    from optimizer_agent.verify.timing import TimingPolicy

    changes = [FileChange(file=f, original=_read(trees["base"] / f), new=_read(trees["head"] / f)) for f in changed]
    # The first ordinary source file leads (it names the candidate); anything else rides along.
    changes.sort(key=lambda c: (not is_source_file(c.file), c.file))
    functions = {c.file: changed_functions(c.original, c.new) for c in changes if c.file.endswith(".py")}
    lead = changes[0]
    base_dir = sandbox.stage(trees["base"], "base")
    cand_dir = sandbox.stage(trees["head"], "head")
    progress(f"baseline tests on the base: {settings.test_command()}")
    baseline = run_tests(sandbox, settings.test_command(), base_dir, settings.test_timeout)
    if not baseline.ok:
        raise BadInput(f"the tests fail on the base commit, so nothing can be judged against it: "
                       f"{baseline.output_tail.strip().splitlines()[-1] if baseline.output_tail.strip() else 'no output'}")
    first = (functions.get(lead.file) or ["<module>"])[0]
    candidate = Candidate(id=CANDIDATE_ID, function=FunctionRef(file=lead.file, qualname=first), plan_id=CANDIDATE_ID,
                          skills=[], origin="external", source=lead.new, diff=diff)
    request = GateRequest(
        candidate=candidate, sandbox=sandbox, base_dir=base_dir, cand_dir=cand_dir, original_source=lead.original,
        allowed_files=changed, test_cmd=settings.test_command(), bench_cmd=settings.bench_command(),
        baseline_tests=baseline, min_speedup=settings.min_speedup, test_timeout=settings.test_timeout,
        policy=TimingPolicy(time_budget_s=settings.timing_budget, run_timeout_s=settings.bench_timeout,
                            min_speedup=settings.min_speedup),
        other_changes=changes[1:], base_sha=base_sha, python=settings.python,
        rel_tol=settings.rel_tol, abs_tol=settings.abs_tol, result_judge=settings.result_judge,
        judge_files=read_judge_files(trees["base"], tracked_files(trees["base"]),
                                     [settings.bench_command(), settings.test_command()]),
    )
    progress("judging the change: scope, guards, tests, behaviour, timing")
    return BasicGate().judge(request), functions


def _read(path: Path) -> str:
    """A file's text, or '' when the file does not exist on that side."""
    return path.read_text(errors="replace") if path.is_file() else ""


def _print_table(verdict, changed: list[str], functions: dict[str, list[str]]) -> None:
    """The verdict and its figures as a table on stderr."""
    table = Table(title="ACCEPTED" if verdict.accepted else f"REJECTED ({verdict.stage})", show_header=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    names = [f"{f}::{q}" for f, qs in functions.items() for q in qs]
    rows = [
        ("reason", verdict.reason),
        ("files", ", ".join(changed)),
        ("functions", ", ".join(names) or "-"),
        ("tests", f"{verdict.tests_passed}/{verdict.tests_run} passed"),
        ("behaviour", f"{verdict.calls_compared} of {verdict.calls_recorded} recorded calls compared"
                      + (f", {verdict.calls_unstable} unstable" if verdict.calls_unstable else "")
                      + (f", {verdict.calls_skipped} skipped" if verdict.calls_skipped else "")),
    ]
    if verdict.speedup is not None:
        rows.append(("speedup", f"{verdict.speedup:.2f}x [{verdict.ci_low:.2f}, {verdict.ci_high:.2f}] "
                                f"({verdict.metric} time, p={verdict.p_value:.2g}, {verdict.rounds} rounds"
                                f"{f' x{verdict.repeats}' if verdict.repeats > 1 else ''}, {verdict.stopped})"))
    rows += [("guard", f) for f in verdict.guard_findings]
    rows += [("note", n) for n in verdict.equivalence_notes]
    rows.append(("seconds", f"{verdict.seconds:.1f}"))
    for row in rows:
        table.add_row(*row)
    err_console().print(table)
