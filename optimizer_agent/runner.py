"""Starting and resuming runs: everything around the graph (run folder, checkpointer, services, cleanup)."""

from __future__ import annotations

import secrets
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from optimizer_agent.config import Settings, with_secrets
from optimizer_agent.context import RunContext
from optimizer_agent.errors import BadInput, OptimizerError
from optimizer_agent.state import RunState
from optimizer_agent.vcs.worktree import BRANCH_PREFIX, open_repo, remove_worktree, run_folder

STATE_DB = "state.db"
REPLAY_FILE = "replay-of"
"""In a replay's run folder: the transcript it answers from, so that `--resume` keeps replaying."""
RECORD_TYPES = ("FunctionRef", "Hotspot", "Signal", "Diagnosis", "SkillMatch", "Plan", "Candidate", "Verdict",
                "TestSummary", "CommitRecord")


def new_run_id() -> str:
    """A sortable, unique run id such as `20261204-201700-3f9a`."""
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


def _checkpointer(db: Path):
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
    from langgraph.checkpoint.sqlite import SqliteSaver

    serde = JsonPlusSerializer(allowed_msgpack_modules=[("optimizer_agent.state", n) for n in RECORD_TYPES])
    conn = sqlite3.connect(str(db), check_same_thread=False)
    return conn, SqliteSaver(conn, serde=serde)


def build_context(settings: Settings, run_id: str, repo_root: Path, run_dir: Path,
                  progress: Callable[[str], None], warn: Callable[[str], None],
                  replay_from: Path | None = None) -> RunContext:
    """Open the sandbox and load the skills, gate and model for one process of a run.

    With `replay_from` (an earlier run's transcript) the model answers from it and never touches the network.
    """
    from optimizer_agent.sandbox.select import open_sandbox
    from optimizer_agent.skilllib.loader import Library
    from optimizer_agent.verify.gate import BasicGate

    model = None
    if settings.llm_enabled or replay_from is not None:
        from optimizer_agent.models.factory import model_from_settings

        model = model_from_settings(settings, run_dir, replay_from, repo_root)
    sandbox = open_sandbox(settings.sandbox, run_id, repo_root, warn)
    return RunContext(settings=settings, sandbox=sandbox, library=Library.load(), gate=BasicGate(),
                      model=model, progress=progress)


def _drive(ctx: RunContext, run_dir: Path, run_id: str, inputs: RunState | None,
           on_node: Callable[[str], None]) -> RunState:
    from optimizer_agent.graph import compile_graph

    conn, saver = _checkpointer(run_dir / STATE_DB)
    with closing(conn):
        graph = compile_graph(saver)
        config = {"configurable": {"thread_id": run_id}, "recursion_limit": 10_000}
        for update in graph.stream(inputs, config, context=ctx, stream_mode="updates"):
            for node in update:
                on_node(node)
        return graph.get_state(config).values


def start_run(repo_path: Path, settings: Settings, progress: Callable[[str], None],
              warn: Callable[[str], None], on_node: Callable[[str], None] = lambda n: None,
              replay_from: Path | None = None, notes: list[str] | None = None) -> RunState:
    """Run the whole workflow on a repo; on bad input, leave no branch, worktree or run folder behind."""
    repo = open_repo(repo_path)
    root = Path(repo.working_tree_dir)
    run_id = new_run_id()
    run_dir = run_folder(root, run_id)
    run_dir.mkdir(parents=True)
    branch = BRANCH_PREFIX + run_id
    (run_dir / "settings.json").write_text(settings.model_dump_json(indent=2))
    if replay_from is not None:
        (run_dir / REPLAY_FILE).write_text(str(replay_from))
    notes = list(notes or [])
    if settings.model and not settings.llm_enabled and replay_from is None:
        notes.append(f"model {settings.model} is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL (or --base-url) "
                     "is, so this run uses no LLM")
        warn(notes[-1])
    inputs: RunState = {"run_id": run_id, "repo": str(root), "run_dir": str(run_dir), "branch": branch,
                        "settings": settings.model_dump(), "notes": notes}
    ctx = None
    try:
        ctx = build_context(settings, run_id, root, run_dir, progress, warn, replay_from)
        return _release(repo, run_dir, _drive(ctx, run_dir, run_id, inputs, on_node))
    except OptimizerError:
        if _has_new_commits(repo, branch):
            warn(f"the run stopped, but its commits are kept on branch {branch}")
        else:
            remove_worktree(repo, run_dir / "worktree", branch)
            shutil.rmtree(run_dir, ignore_errors=True)
        raise
    finally:
        if ctx is not None:
            ctx.sandbox.cleanup()


def _release(repo, run_dir: Path, state: RunState) -> RunState:
    """Give a finished run's worktree back; keep its branch only if the run committed something to it."""
    # While the worktree exists git refuses to check the branch out anywhere else, which is the first thing a
    # user does with the result; an interrupted run never gets here, so its worktree stays for --resume.
    branch = state.get("branch")
    kept = bool(branch) and _has_new_commits(repo, branch, state.get("base_sha") or "HEAD")
    remove_worktree(repo, run_dir / "worktree", None if kept else branch)
    return {**state, "worktree": None, "branch_kept": kept}


def _has_new_commits(repo, branch: str, since: str = "HEAD") -> bool:
    """True when the run branch holds commits beyond `since`, where it started (work worth keeping)."""
    if branch not in [h.name for h in repo.heads]:
        return False
    return repo.git.rev_list("--count", f"{since}..{branch}").strip() != "0"


def resume_run(repo_path: Path, run_id: str, progress: Callable[[str], None], warn: Callable[[str], None],
               on_node: Callable[[str], None] = lambda n: None) -> RunState:
    """Continue an interrupted run from its last checkpoint, with the settings it started with."""
    repo = open_repo(repo_path)
    root = Path(repo.working_tree_dir)
    run_dir = run_folder(root, run_id)
    if not (run_dir / STATE_DB).is_file():
        raise BadInput(f"no run {run_id} under {root / '.optimizer-agent' / 'runs'}")
    settings = with_secrets(Settings.model_validate_json((run_dir / "settings.json").read_text()), root)
    ctx = build_context(settings, run_id, root, run_dir, progress, warn, _replayed_transcript(run_dir))
    try:
        return _release(repo, run_dir, _drive(ctx, run_dir, run_id, None, on_node))
    finally:
        ctx.sandbox.cleanup()



def _replayed_transcript(run_dir: Path) -> Path | None:
    marker = run_dir / REPLAY_FILE
    return Path(marker.read_text().strip()) if marker.is_file() else None


def recorded_base(run_dir: Path, run_id: str) -> str | None:
    """The commit an earlier run started from, read from its last checkpoint."""
    conn, saver = _checkpointer(run_dir / STATE_DB)
    with closing(conn):
        saved = saver.get_tuple({"configurable": {"thread_id": run_id}})
    return saved.checkpoint.get("channel_values", {}).get("base_sha") if saved else None


def replay_run(repo_path: Path, run_id: str, progress: Callable[[str], None], warn: Callable[[str], None],
               on_node: Callable[[str], None] = lambda n: None, sandbox: str | None = None) -> RunState:
    """A new run with the settings of run `run_id` whose LLM answers come from its transcript, offline."""
    from optimizer_agent.models.factory import TRANSCRIPT_FILE

    root = Path(open_repo(repo_path).working_tree_dir)
    old = run_folder(root, run_id)
    transcript = old / TRANSCRIPT_FILE
    if not (old / "settings.json").is_file():
        raise BadInput(f"no run {run_id} under {root / '.optimizer-agent' / 'runs'}")
    settings = Settings.model_validate_json((old / "settings.json").read_text())
    if not settings.model or not transcript.is_file():
        raise BadInput(f"run {run_id} made no LLM request, so there is nothing to replay")
    if sandbox:
        settings = settings.model_copy(update={"sandbox": sandbox})
    notes = [f"replay of run {run_id}: the LLM's answers come from its transcript, without network"]
    base = recorded_base(old, run_id) if (old / STATE_DB).is_file() else None
    head = open_repo(root).head.commit.hexsha
    if base and base != head:
        notes.append(f"HEAD {head[:10]} differs from {base[:10]} where run {run_id} started; "
                     "its recorded answers may not fit, so decisions can differ")
    return start_run(root, settings, progress, warn, on_node, replay_from=transcript, notes=notes)
