"""profile: run the workload under py-spy in the sandbox and rank the repo's hot functions."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from langgraph.runtime import Runtime

from optimizer_agent.analysis.extents import find_function
from optimizer_agent.analysis.speedscope import rank_hotspots
from optimizer_agent.analysis.targets import command_scripts, is_source_file
from optimizer_agent.config import Settings
from optimizer_agent.context import RunContext
from optimizer_agent.errors import BadInput
from optimizer_agent.nodes.common import head_tree
from optimizer_agent.state import FunctionRef, Hotspot, RunState

PROFILE_FILE = "profile.speedscope.json"
SANDBOX_PROFILE = ".oa-profile.speedscope.json"
SANDBOX_EXIT_CODE = ".oa-bench-exit"
PYSPY_ATTEMPTS = 3
PYSPY_NO_PYTHON = "No python processes found"


# py-spy's first process is this launcher, so py-spy finds a Python process at once (with a shell first, a loaded
# machine can make it give up before the shell starts the workload's interpreter), and the exit code is written
# before py-spy sees its child exit (a shell could be killed between the two).
LAUNCHER = ("import subprocess, sys\n"
            "rc = subprocess.call(['bash', '-c', sys.argv[1]])\n"
            "open(sys.argv[2], 'w').write(str(rc))\n"
            "sys.exit(rc)\n")


def pyspy_command(bench: str, rate: int, output: str, exit_file: str, python: str = "python") -> str:
    """The py-spy invocation that records `bench` (a shell command) and its Python subprocesses.

    py-spy reports only its own status, so the workload's exit code is written to `exit_file`.
    """
    return (f"py-spy record --format speedscope --rate {rate} --subprocesses --output {shlex.quote(output)} "
            f"-- {python} -c {shlex.quote(LAUNCHER)} {shlex.quote(bench)} {shlex.quote(exit_file)}")


def record_profile(ctx: RunContext, worktree: Path, out_file: Path) -> tuple[dict, str]:
    """Run the workload under py-spy in a staged copy of HEAD; return the profile and the tree's sandbox path."""
    tree = head_tree(ctx, worktree)
    # Staged trees may be read-only to commands (Docker); the sandbox's scratch never is.
    inside = f"{ctx.sandbox.scratch}/{SANDBOX_PROFILE}"
    exit_file = f"{ctx.sandbox.scratch}/{SANDBOX_EXIT_CODE}"
    cmd = pyspy_command(ctx.settings.bench_command(), ctx.settings.profile_rate, inside, exit_file,
                        ctx.settings.python)
    for _ in range(PYSPY_ATTEMPTS):
        ctx.sandbox.execute(f"rm -f {shlex.quote(exit_file)}", tree, 30)
        result = ctx.sandbox.execute(cmd, tree, ctx.settings.bench_timeout)
        # py-spy exits 0 even when the workload fails, so the workload's own status is read back.
        code = ctx.sandbox.execute(f"cat {shlex.quote(exit_file)}", tree, 30).stdout.strip()
        # On a loaded machine py-spy may give up before the shell has started the workload's interpreter, or
        # return (and have the shell killed) before the shell wrote the exit code: both are worth another try.
        if result.timed_out or (PYSPY_NO_PYTHON not in result.stderr and (code or result.returncode != 0)):
            break
    if result.timed_out:
        raise BadInput(f"the workload did not finish within {ctx.settings.bench_timeout:.0f}s: {ctx.settings.bench_command()}")
    lines = [l for l in result.stderr.strip().splitlines() if not l.startswith("py-spy>")] or ["(no output)"]
    # py-spy prints a backtrace after its error; the `Error:` line is the one that says what happened.
    lines += [l for l in lines if l.startswith("Error:")][:1]
    if code and code != "0":
        raise BadInput(f"the workload failed (exit {code}): {lines[-1][:200]}")
    if result.returncode != 0 or not code:
        raise BadInput(f"py-spy could not profile the workload (exit {result.returncode}): {lines[-1][:200]}")
    ctx.sandbox.copy_out(inside, out_file)
    return json.loads(out_file.read_text()), tree


def choose_targets(hotspots: list[Hotspot], settings: Settings, worktree: Path) -> list[FunctionRef]:
    """The functions to optimize: named ones first, else the hottest above the share floor."""
    if settings.functions:
        chosen: list[FunctionRef] = []
        for name in settings.functions:
            file, _, qual = name.rpartition("::")
            hot = [h.function for h in hotspots if h.function.qualname == qual or h.function.qualname.endswith("." + qual)]
            hot = [f for f in hot if not file or f.file == file]
            chosen.extend(hot[:1] or _locate(worktree, file, qual, settings))
        return chosen
    picked = [h.function for h in hotspots
              if h.own_share >= settings.min_share and (not settings.files or h.function.file in settings.files)]
    return picked[: settings.top_n]


def _locate(worktree: Path, file: str, qual: str, settings: Settings) -> list[FunctionRef]:
    """Find a named function that the profile never saw, so the user's choice still counts."""
    from optimizer_agent.nodes.common import source_files

    for rel in [file] if file else source_files(worktree):
        ext = find_function((worktree / rel).read_text(), qual)
        if ext:
            return [FunctionRef(file=rel, qualname=ext.qualname, start_line=ext.start_line, end_line=ext.end_line)]
    return []


def profile(state: RunState, runtime: Runtime[RunContext]) -> dict:
    """Record the workload, rank hot functions, and pick this run's targets."""
    ctx = runtime.context
    worktree = Path(state["worktree"])
    ctx.progress(f"profiling: {ctx.settings.bench_command()}")
    judges = command_scripts(ctx.settings.bench_command()) | command_scripts(ctx.settings.test_command())

    def read(rel: str) -> str | None:
        path = worktree / rel
        return path.read_text(errors="replace") if path.is_file() else None

    for _ in range(PYSPY_ATTEMPTS):
        data, tree = record_profile(ctx, worktree, Path(state["run_dir"]) / PROFILE_FILE)
        hotspots, samples = rank_hotspots(data, tree, read, lambda rel: is_source_file(rel) and rel not in judges)
        # py-spy gives up on a subprocess that is still starting when it first looks (it never looks again),
        # which a loaded machine makes likely: a profile without any repo frame is recorded again.
        if hotspots:
            break
    targets = choose_targets(hotspots, ctx.settings, worktree)
    notes = [] if targets else ["the profile found no hot function in the repo's own source code"]
    ctx.progress(f"profile: {samples} samples, {len(hotspots)} repo functions, {len(targets)} targets")
    return {"hotspots": hotspots, "targets": targets, "notes": notes}
