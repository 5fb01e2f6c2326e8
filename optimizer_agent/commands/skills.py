"""`optimizer-agent skills`: list, show and search the skill library."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from optimizer_agent.commands.output import emit_json, err_console
from optimizer_agent.errors import BadInput


def _library():
    from optimizer_agent.skilllib.loader import Library

    return Library.load()


def list_skills(as_json: bool) -> int:
    """Print every skill with its family and rewrite."""
    lib = _library()
    rows = [{"id": s.id, "type": s.type, "family": s.family, "name": s.name,
             "rewrite": getattr(s, "rewrite", None), "detect": getattr(s, "detect", None)} for s in lib.skills]
    if as_json:
        emit_json({"skills": rows, "operators": len(lib.operators), "metas": len(lib.metas),
                   "with_rewrite": sum(1 for r in rows if r["rewrite"])})
        return 0
    table = Table(title=f"{len(rows)} skills")
    for col in ("id", "type", "family", "name", "rewrite"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["type"], r["family"] or "-", r["name"], r["rewrite"] or "-")
    err_console().print(table)
    return 0


def show_skill(skill_id: str, as_json: bool) -> int:
    """Print one skill card."""
    lib = _library()
    if skill_id not in lib:
        raise BadInput(f"no skill {skill_id}; see `optimizer-agent skills list`")
    skill = lib.get(skill_id)
    if as_json:
        emit_json(skill.model_dump(mode="json"))
    else:
        err_console().print(Path(skill.path).read_text() if getattr(skill, "path", None) else skill.model_dump())
    return 0


def search_skills(text: str | None, file: Path | None, function: str | None, as_json: bool) -> int:
    """Rank skills for free text, or for one function's code and detector signals."""
    from optimizer_agent.analysis.detectors import detect
    from optimizer_agent.analysis.extents import find_function, function_source
    from optimizer_agent.skilllib.retrieval import retrieve

    signals = []
    query = text or ""
    if file is not None:
        if not file.is_file():
            raise BadInput(f"--file {file}: no such file")
        source = file.read_text()
        if function:
            ext = find_function(source, function)
            if ext is None:
                raise BadInput(f"--function {function}: not found in {file}")
            query += "\n" + function_source(source, ext)
        else:
            query += "\n" + source
        signals = detect(source, function)
    if not query.strip():
        raise BadInput("give search TEXT, or --file F [--function NAME]")
    matches = retrieve(_library(), query, signals, k=8)
    if as_json:
        emit_json({"signals": [s.model_dump() for s in signals], "matches": [m.model_dump() for m in matches]})
        return 0
    table = Table(title="skill ranking")
    for col in ("skill", "kind", "score", "name", "why"):
        table.add_column(col)
    for m in matches:
        table.add_row(m.skill_id, m.kind, f"{m.score:.2f}", m.name, "; ".join(m.reasons)[:80])
    err_console().print(table)
    return 0
