"""`optimizer-agent skills check` and `skills registry`: prove every example, keep the registry in sync."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from rich.table import Table

from optimizer_agent.commands.output import emit_json, err_console, progress, warn
from optimizer_agent.errors import BadInput

STATUS_STYLE = {"passed": "green", "failed": "bold red", "skipped": "yellow"}


def _select(library, ids: list[str]) -> list:
    """The skills named by `ids` (all skills with an example when empty); unknown ids are bad input."""
    if not ids:
        return [s for s in library.skills if s.example is not None]
    unknown = [i for i in ids if i not in library]
    if unknown:
        raise BadInput(f"no skill {unknown[0]}; see `optimizer-agent skills list`")
    chosen = [library.get(i) for i in dict.fromkeys(ids)]
    without = [s.id for s in chosen if s.example is None]
    if without:
        raise BadInput(f"skill {without[0]} has no example to check")
    return chosen


def _table(results: list) -> Table:
    table = Table(title="skills check")
    for col in ("skill", "status", "speedup", "95% CI", "p", "metric", "per call", "note"):
        table.add_column(col, no_wrap=col != "note")
    for r in results:
        ci = f"[{r.ci_low:.2f}, {r.ci_high:.2f}]" if r.ci_low is not None and r.ci_high is not None else "-"
        table.add_row(r.skill_id, f"[{STATUS_STYLE[r.status]}]{r.status}[/]",
                      f"{r.speedup:.2f}x" if r.speedup is not None else "-", ci,
                      f"{r.p_value:.2g}" if r.p_value is not None else "-", r.metric or "-",
                      f"{r.call_speedup:.1f}x" if r.call_speedup is not None else "-",
                      r.reason if r.status != "passed" else "")
    return table


def check_skills(ids: list[str], sandbox_kind: str, as_json: bool, write: bool = True) -> int:
    """Run the selected skills' examples in a sandbox; exit 1 when any example is not equal or not faster."""
    from optimizer_agent.sandbox.select import open_sandbox
    from optimizer_agent.skilllib.check import check_skill
    from optimizer_agent.skilllib.loader import Library, default_root
    from optimizer_agent.skilllib.registry import record_evidence

    if sandbox_kind not in ("auto", "docker", "local"):
        raise BadInput(f"--sandbox {sandbox_kind}: choose auto, docker or local")
    root = default_root()
    library = Library.load(root)
    skills = _select(library, ids)
    scratch = Path(tempfile.mkdtemp(prefix="oa-skills-check-"))
    run_id = "skills-check-" + datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    sandbox = open_sandbox(sandbox_kind, run_id, scratch, warn)
    results = []
    try:
        for n, skill in enumerate(skills, start=1):
            result = check_skill(sandbox, skill, scratch)
            results.append(result)
            shown = f"{result.speedup:.2f}x" if result.speedup is not None else result.reason[:80]
            progress(f"[{n}/{len(skills)}] {skill.id} {result.status}: {shown}")
    finally:
        sandbox.cleanup()
        shutil.rmtree(scratch, ignore_errors=True)
    by_id = {s.id: s for s in skills}
    if write:
        evidence = {r.skill_id: r.evidence(by_id[r.skill_id], sandbox.name) for r in results if r.status != "skipped"}
        if evidence:
            path = record_evidence(root, evidence)
            progress(f"evidence for {len(evidence)} skills written to {path}")
    failed = [r for r in results if r.status == "failed"]
    if as_json:
        emit_json({"sandbox": sandbox.name, "results": [r.model_dump() for r in results],
                   "passed": sum(r.status == "passed" for r in results), "failed": len(failed),
                   "skipped": sum(r.status == "skipped" for r in results)})
    else:
        err_console().print(_table(results))
    return 1 if failed else 0


def regenerate_registry(check_only: bool) -> int:
    """Rewrite skills/registry.json from the cards, or with `check_only` exit 1 when it is out of sync."""
    from optimizer_agent.skilllib.loader import default_root
    from optimizer_agent.skilllib.registry import REGENERATE_HINT, in_sync, read_registry, registry_path, write_registry

    root = default_root()
    if check_only:
        if in_sync(root):
            progress(f"{registry_path(root)} is in sync with the cards")
            return 0
        err_console().print(f"{registry_path(root)} is out of sync; run `optimizer-agent skills registry` "
                            f"(or `{REGENERATE_HINT}`)")
        return 1
    path = write_registry(root)
    counts = (read_registry(root) or {}).get("counts", {})
    progress(f"wrote {path}: {counts.get('operators')} operators, {counts.get('metas')} metas, "
             f"{counts.get('with_evidence')} with evidence")
    return 0
