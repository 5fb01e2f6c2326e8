"""The `optimizer-agent` command line. Heavy imports happen inside commands so `--help` stays fast."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Find hot code, propose faster rewrites, keep only verified speedups.")
skills_app = typer.Typer(no_args_is_help=True, help="Browse and search the skill library.")
app.add_typer(skills_app, name="skills")

SANDBOX_HELP = "auto (Docker when a daemon answers, else local with a warning), docker or local."
SIGTERM_EXIT = 128 + 15
SIGINT_EXIT = 128 + 2


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process stands so that `finally` blocks (sandbox cleanup) run as on Ctrl-C."""


def _on_sigterm(signum, frame) -> None:
    """Turn SIGTERM into Terminated; a second one must not cut the cleanup short, so it is ignored."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated()


def _guard(fn, *args, **kwargs) -> None:
    """Run a command body; turn our errors into one stderr line and an exit code."""
    from optimizer_agent.commands.output import fail
    from optimizer_agent.errors import OptimizerError

    try:
        code = fn(*args, **kwargs)
    except OptimizerError as exc:
        fail(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt as exc:
        how = "terminated" if isinstance(exc, Terminated) else "interrupted"
        fail(f"{how}; the run's worktree is kept, continue it with `optimize --resume RUN_ID`")
        raise typer.Exit(SIGTERM_EXIT if isinstance(exc, Terminated) else SIGINT_EXIT) from None
    raise typer.Exit(code or 0)


@app.command()
def optimize(
    path: Path = typer.Argument(Path("."), help="The git repository to optimize."),
    bench: Optional[str] = typer.Option(None, help="Workload command to profile and time (default: the tests)."),
    test: Optional[str] = typer.Option(None, help="Test command (default: python -m pytest -q)."),
    file: list[str] = typer.Option([], "--file", help="Only optimize functions in this file (repeatable)."),
    function: list[str] = typer.Option([], "--function", help="Only optimize this function (repeatable)."),
    min_speedup: Optional[float] = typer.Option(None, help="Required lower bound of the 95% CI (default 1.05)."),
    max_candidates: Optional[int] = typer.Option(None, help="Most candidates judged per function."),
    top_n: Optional[int] = typer.Option(None, help="How many hot functions to work on."),
    sandbox: Optional[str] = typer.Option(None, help=SANDBOX_HELP),
    model: Optional[str] = typer.Option(None, help="LLM model name (with OPENAI_BASE_URL / OPENAI_API_KEY)."),
    base_url: Optional[str] = typer.Option(None, help="OpenAI-compatible API root, e.g. http://localhost:8000/v1 "
                                                       "(default: OPENAI_BASE_URL; the key only from OPENAI_API_KEY)."),
    k: Optional[int] = typer.Option(None, help="LLM candidates per plan."),
    rounds: Optional[int] = typer.Option(None, help="Repair rounds when every candidate is rejected."),
    budget_tokens: Optional[int] = typer.Option(None, help="Stop asking the LLM once the run used this many tokens."),
    budget_usd: Optional[float] = typer.Option(None, help="Stop asking the LLM once the run spent this many USD."),
    resume: Optional[str] = typer.Option(None, help="Continue the interrupted run RUN_ID."),
    replay: Optional[str] = typer.Option(None, help="Re-run with the settings and recorded LLM answers of run "
                                                    "RUN_ID, offline."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Profile, diagnose, rewrite, verify and commit verified speedups on a new branch."""
    from optimizer_agent.commands.optimize import run_optimize

    flags = {"bench": bench, "test": test, "files": file, "functions": function, "min_speedup": min_speedup,
             "max_candidates": max_candidates, "top_n": top_n, "sandbox": sandbox, "model": model, "k": k,
             "rounds": rounds, "base_url": base_url, "budget_tokens": budget_tokens, "budget_usd": budget_usd}
    _guard(run_optimize, path, flags, resume, json_out, replay)


@app.command()
def profile(
    path: Path = typer.Argument(Path("."), help="The git repository to profile."),
    bench: Optional[str] = typer.Option(None, help="Workload command (default: the tests)."),
    sandbox: Optional[str] = typer.Option(None, help=SANDBOX_HELP),
    top: int = typer.Option(15, help="Rows to show."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Record the workload under py-spy and rank the repo's hot functions."""
    from optimizer_agent.commands.profile import run_profile

    _guard(run_profile, path, {"bench": bench, "sandbox": sandbox}, top, json_out)


@app.command()
def demo(
    into: Optional[Path] = typer.Option(None, help="Folder for the demo repo (default: a new temporary one)."),
    sandbox: Optional[str] = typer.Option(None, help=SANDBOX_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Copy the bundled example into a new git repo and optimize it (no API key needed)."""
    from optimizer_agent.commands.demo import run_demo

    _guard(run_demo, into, sandbox, json_out)


@app.command()
def verify(
    base: str = typer.Argument(..., help="The original commit (any git ref)."),
    head: str = typer.Argument(..., help="The commit with the change to judge."),
    path: Path = typer.Argument(Path("."), help="The git repository."),
    bench: Optional[str] = typer.Option(None, help="Workload command to time (default: the tests)."),
    test: Optional[str] = typer.Option(None, help="Test command (default: python -m pytest -q)."),
    min_speedup: Optional[float] = typer.Option(None, help="Required lower bound of the 95% CI (default 1.05)."),
    sandbox: Optional[str] = typer.Option(None, help=SANDBOX_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Judge the change BASE..HEAD with the gate: exit 0 if accepted, 1 if rejected, 2 on error."""
    from optimizer_agent.commands.verify import run_verify

    flags = {"bench": bench, "test": test, "min_speedup": min_speedup, "sandbox": sandbox}
    _guard(run_verify, path, base, head, flags, json_out)


@app.command()
def action() -> None:
    """Run as the GitHub Action: optimize the functions a pull request changed and publish the results.

    Reads the workflow's environment: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_WORKSPACE, GITHUB_API_URL,
    GITHUB_TOKEN, GITHUB_STEP_SUMMARY and the INPUT_* variables that action.yml sets.
    """
    from optimizer_agent.commands.action import run_github_action

    _guard(run_github_action)


@skills_app.command("list")
def skills_list(json_out: bool = typer.Option(False, "--json", help="Print JSON on stdout.")) -> None:
    """List every skill."""
    from optimizer_agent.commands.skills import list_skills

    _guard(list_skills, json_out)


@skills_app.command("show")
def skills_show(skill_id: str, json_out: bool = typer.Option(False, "--json", help="Print JSON on stdout.")) -> None:
    """Show one skill card."""
    from optimizer_agent.commands.skills import show_skill

    _guard(show_skill, skill_id, json_out)


@skills_app.command("search")
def skills_search(
    text: Optional[str] = typer.Argument(None, help="Free text or code to search for."),
    file: Optional[Path] = typer.Option(None, "--file", help="Search with a function from this file."),
    function: Optional[str] = typer.Option(None, "--function", help="The function in --file."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Rank skills for a text, or for a function's code and detector signals."""
    from optimizer_agent.commands.skills import search_skills

    _guard(search_skills, text, file, function, json_out)


@skills_app.command("check")
def skills_check(
    ids: list[str] = typer.Argument(None, help="Skill ids to check (default: every skill with an example)."),
    sandbox: str = typer.Option("auto", help=SANDBOX_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Run each skill's Before/After example: equal outputs, After measurably faster; record the evidence."""
    from optimizer_agent.commands.skills_check import check_skills

    _guard(check_skills, list(ids or []), sandbox, json_out)


@skills_app.command("registry")
def skills_registry(
    check: bool = typer.Option(False, "--check", help="Only report whether registry.json is in sync (exit 1 if not)."),
) -> None:
    """Regenerate skills/registry.json from the cards (keeping evidence of unchanged examples)."""
    from optimizer_agent.commands.skills_check import regenerate_registry

    _guard(regenerate_registry, check)


@skills_app.command("mine")
def skills_mine(
    pairs: Path = typer.Argument(..., help="JSONL of slow/fast pairs (`input`, `target`, `problem_id`, `cpu_time_v0/v1`)."),
    out: Path = typer.Option(..., "--out", help="Folder for the drafts, deltas.jsonl and summary.json (never skills/)."),
    model: Optional[str] = typer.Option(None, help="LLM for per-pair traces (with OPENAI_BASE_URL / OPENAI_API_KEY)."),
    limit: Optional[int] = typer.Option(None, help="Mine only the first N pairs."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
) -> None:
    """Stage I: classify what changed in each pair, cluster, and draft one skill card per cluster for review."""
    from optimizer_agent.commands.mine import run_mine

    _guard(run_mine, pairs, out, model, limit, json_out)


bench_app = typer.Typer(no_args_is_help=True, help="Batch runs over benchmark suites, and their reports.")
app.add_typer(bench_app, name="bench")


@bench_app.command("run")
def bench_run(
    suite: Path = typer.Argument(..., help="Suite file: JSONL, optionally gzip-compressed, one problem a line."),
    executor: str = typer.Option("local", help="local (a process pool here) or ray."),
    ray_address: Optional[str] = typer.Option(None, help="Ray cluster to join: auto or HOST:PORT (default: start "
                                                          "a local Ray)."),
    jobs: int = typer.Option(1, help="Problems run at once (local processes or Ray CPUs of a local Ray)."),
    k: int = typer.Option(4, help="LLM candidates per plan, and the k of OPT@k."),
    model: Optional[str] = typer.Option(None, help="LLM model (with OPENAI_BASE_URL / OPENAI_API_KEY)."),
    no_llm: bool = typer.Option(False, "--no-llm", help="Offline: deterministic rewrites only."),
    limit: Optional[int] = typer.Option(None, help="Only the first N (selected) problems."),
    ids: list[str] = typer.Option([], "--ids", help="Only these problem ids (repeatable, or comma-separated)."),
    redo: bool = typer.Option(False, help="Run finished problems again instead of skipping them."),
    out: Optional[Path] = typer.Option(None, help="Results folder (default: bench-results/<suite name>)."),
    sandbox: Optional[str] = typer.Option(None, help=SANDBOX_HELP),
    budget: float = typer.Option(900.0, help="Seconds one problem's optimize run may take."),
    workload_seconds: float = typer.Option(0.3, help="One public bench.py run lasts about this long on the slow code."),
    score_seconds: float = typer.Option(1.0, help="One private workload run lasts about this long on the slow code."),
    json_out: bool = typer.Option(False, "--json", help="Print the report as one JSON document on stdout."),
) -> None:
    """Optimize every problem of a suite in its own repo and sandbox; score on private tests; resumable."""
    from optimizer_agent.commands.bench import default_out, run_bench

    options = {"suite": suite, "out": out or default_out(suite), "executor": executor, "ray_address": ray_address,
               "jobs": jobs, "k": k, "model": model, "no_llm": no_llm, "limit": limit,
               "ids": [i for item in ids for i in item.split(",") if i], "redo": redo, "sandbox": sandbox,
               "budget_s": budget, "workload_s": workload_seconds, "score_workload_s": score_seconds}
    _guard(run_bench, options, json_out)


@bench_app.command("report")
def bench_report(
    folder: Path = typer.Argument(..., help="A `bench run` results folder."),
    compare: Optional[Path] = typer.Option(None, help="Another results folder: paired bootstrap of OPT@1."),
    json_out: bool = typer.Option(False, "--json", help="Print the report as one JSON document on stdout."),
) -> None:
    """Print the batch's metrics and write report.md, report.html, metrics.json and PNG plots into FOLDER."""
    from optimizer_agent.commands.bench import report_bench

    _guard(report_bench, folder, compare, json_out)


def _mount_optional() -> None:
    """Attach sub-apps that live with their own packages."""
    try:
        from optimizer_agent.sandbox.commands import app as sandbox_app
    except ImportError:
        return
    app.add_typer(sandbox_app, name="sandbox", help="Manage sandbox images and leftover containers.")


_mount_optional()


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    app(prog_name="optimizer-agent")


if __name__ == "__main__":
    sys.exit(main())
