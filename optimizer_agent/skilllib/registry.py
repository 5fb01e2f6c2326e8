"""`skills/registry.json`: every card parsed into JSON, plus `skills check` evidence, for fast loading.

The registry is generated, never edited: `python -m optimizer_agent.skilllib.registry` rewrites it from the cards
(keeping evidence whose example did not change), and `--check` exits 1 when it is out of date.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from optimizer_agent.skilllib.loader import card_paths, default_root, load_skills
from optimizer_agent.skilllib.schema import Evidence, Skill

REGISTRY_FILE = "registry.json"
REGISTRY_VERSION = 1
REGENERATE_HINT = "python -m optimizer_agent.skilllib.registry"


def registry_path(root: Path) -> Path:
    """Where the registry of the library at `root` lives."""
    return root / REGISTRY_FILE


def fingerprint(root: Path) -> str:
    """A hash of every card's relative path and bytes: it changes whenever any card is added, removed or edited."""
    digest = hashlib.sha256()
    for path, _ in card_paths(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def read_registry(root: Path) -> dict | None:
    """The registry document at `root`, or None when there is none or it is not a registry we can read."""
    try:
        document = json.loads(registry_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("version") != REGISTRY_VERSION:
        return None
    if not isinstance(document.get("skills"), list):
        return None
    return document


def _previous_evidence(document: dict | None) -> dict[str, dict]:
    if not document:
        return {}
    return {entry.get("id"): entry["evidence"] for entry in document["skills"]
            if isinstance(entry, dict) and isinstance(entry.get("evidence"), dict)}


def _entry(skill: Skill, root: Path, evidence: dict | None) -> dict:
    entry = skill.model_dump(mode="json", exclude={"path", "evidence"})
    entry["path"] = Path(skill.path).resolve().relative_to(root.resolve()).as_posix() if skill.path else None
    if evidence and evidence.get("example_hash") == skill.example_hash():
        entry["evidence"] = evidence
    else:
        entry["evidence"] = None
    return entry


def build_registry(root: Path | None = None, previous: dict | None = None) -> dict:
    """The registry document for the cards under `root`, carrying over `previous` evidence that still applies."""
    root = default_root() if root is None else root
    old = _previous_evidence(previous if previous is not None else read_registry(root))
    skills = load_skills(root)
    entries = [_entry(s, root, old.get(s.id)) for s in skills]
    return {
        "version": REGISTRY_VERSION,
        "generated_by": REGENERATE_HINT,
        "fingerprint": fingerprint(root),
        "counts": {"operators": sum(s.is_operator for s in skills), "metas": sum(not s.is_operator for s in skills),
                   "with_rewrite": sum(1 for s in skills if s.rewrite),
                   "with_evidence": sum(1 for e in entries if e["evidence"])},
        "skills": entries,
    }


def render(document: dict) -> str:
    """The registry's file text (stable, so regenerating an unchanged library changes no byte)."""
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def write_registry(root: Path | None = None, document: dict | None = None) -> Path:
    """Write `document` (default: a fresh build) as the registry of `root`; return its path."""
    root = default_root() if root is None else root
    document = build_registry(root) if document is None else document
    path = registry_path(root)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(render(document), encoding="utf-8")
    tmp.replace(path)
    return path


def in_sync(root: Path | None = None) -> bool:
    """True when the registry on disk is exactly what regenerating it from the cards would write."""
    root = default_root() if root is None else root
    current = read_registry(root)
    return current is not None and render(build_registry(root, current)) == render(current)


def skills_from_registry(root: Path) -> list[Skill] | None:
    """The library read from the registry when it matches the cards on disk, else None (parse the cards)."""
    document = read_registry(root)
    if document is None or document.get("fingerprint") != fingerprint(root):
        return None
    try:
        skills = [Skill.model_validate({**entry, "path": str(root / entry["path"]) if entry.get("path") else None})
                  for entry in document["skills"]]
    except (ValidationError, KeyError, TypeError):
        return None
    return sorted(skills, key=lambda s: s.id)


def attach_evidence(root: Path, skills: list[Skill]) -> list[Skill]:
    """Cards parsed from Markdown, with the registry's evidence for every example that did not change."""
    old = _previous_evidence(read_registry(root))
    out = []
    for skill in skills:
        found = old.get(skill.id)
        if found and found.get("example_hash") == skill.example_hash():
            try:
                skill = skill.model_copy(update={"evidence": Evidence.model_validate(found)})
            except ValidationError:
                pass
        out.append(skill)
    return out


def record_evidence(root: Path, evidence: dict[str, Evidence]) -> Path:
    """Regenerate the registry from the cards and store new evidence for the given skill ids."""
    document = build_registry(root)
    for entry in document["skills"]:
        if entry["id"] in evidence:
            entry["evidence"] = evidence[entry["id"]].model_dump(mode="json")
    document["counts"]["with_evidence"] = sum(1 for e in document["skills"] if e["evidence"])
    return write_registry(root, document)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the registry, or with `--check` report whether it is in sync (exit 1 when not)."""
    args = sys.argv[1:] if argv is None else argv
    root = default_root()
    if args == ["--check"]:
        if in_sync(root):
            print(f"{registry_path(root)} is in sync with the cards")
            return 0
        print(f"{registry_path(root)} is out of sync with the cards; run `{REGENERATE_HINT}`", file=sys.stderr)
        return 1
    if args:
        print(f"usage: {REGENERATE_HINT} [--check]", file=sys.stderr)
        return 2
    path = write_registry(root)
    document = read_registry(root) or {}
    counts = document.get("counts", {})
    print(f"wrote {path}: {counts.get('operators')} operators, {counts.get('metas')} metas, "
          f"{counts.get('with_evidence')} with evidence")
    return 0


if __name__ == "__main__":
    sys.exit(main())
