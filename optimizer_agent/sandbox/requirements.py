"""The target's declared dependencies, read (never executed) from its packaging files."""

from __future__ import annotations

import configparser
from pathlib import Path

from pydantic import BaseModel

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None

PACKAGING_FILES = ("pyproject.toml", "setup.cfg", "setup.py")
REQUIREMENTS_GLOB = "requirements*.txt"
# Extras and dependency groups that a test run usually needs besides the main dependencies.
TEST_GROUPS = frozenset({"test", "tests", "testing", "dev"})
INCLUDE_OPTIONS = ("-r", "--requirement")
LOCAL_PREFIXES = (".", "/", "file:", "-e", "--editable")


class TargetRequirements(BaseModel):
    """Requirement lines for pip, plus notes on what could not be carried over."""

    lines: list[str] = []
    notes: list[str] = []


def dependency_files(repo: Path) -> list[Path]:
    """The files whose content decides the target's image: packaging files and requirements*.txt."""
    found = [repo / name for name in PACKAGING_FILES if (repo / name).is_file()]
    return found + sorted(p for p in repo.glob(REQUIREMENTS_GLOB) if p.is_file())


def read_requirements(repo: Path) -> TargetRequirements:
    """Collect the requirement lines of every dependency file in `repo`, in a stable order."""
    out = TargetRequirements()
    for path in dependency_files(repo):
        if path.name == "pyproject.toml":
            _from_pyproject(path, out)
        elif path.name == "setup.cfg":
            _from_setup_cfg(path, out)
        elif path.name == "setup.py":
            out.notes.append("setup.py is never run, so dependencies declared only there are not installed")
        else:
            _from_requirements_txt(path, repo, out, seen=set())
    out.lines = list(dict.fromkeys(out.lines))
    return out


def _from_requirements_txt(path: Path, repo: Path, out: TargetRequirements, seen: set[Path]) -> None:
    """Add the lines of one requirements file, following -r includes that stay inside the repo."""
    path = path.resolve()
    if path in seen:
        return
    seen.add(path)
    for raw in path.read_text(errors="replace").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.partition(" ")
        if head in INCLUDE_OPTIONS or line.startswith("--requirement="):
            target = (path.parent / (rest.strip() or line.split("=", 1)[-1])).resolve()
            if target.is_file() and target.is_relative_to(repo.resolve()):
                _from_requirements_txt(target, repo, out, seen)
            else:
                out.notes.append(f"{path.name}: include {line!r} is outside the repo or missing; skipped")
        elif line.startswith(LOCAL_PREFIXES):
            out.notes.append(f"{path.name}: local or editable requirement {line!r} skipped")
        elif line.startswith("-"):
            out.notes.append(f"{path.name}: pip option {line!r} ignored")
        else:
            out.lines.append(line.split(" --hash", 1)[0].strip())


def _from_pyproject(path: Path, out: TargetRequirements) -> None:
    """Add [project] dependencies, test extras and test dependency groups."""
    if tomllib is None:
        out.notes.append("pyproject.toml needs Python 3.11+ to read; its dependencies are not installed")
        return
    try:
        data = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        out.notes.append(f"pyproject.toml could not be parsed ({exc}); its dependencies are not installed")
        return
    project = data.get("project", {})
    out.lines.extend(project.get("dependencies", []))
    for group, reqs in project.get("optional-dependencies", {}).items():
        if group in TEST_GROUPS:
            out.lines.extend(reqs)
    for group, reqs in data.get("dependency-groups", {}).items():
        if group in TEST_GROUPS:
            out.lines.extend(r for r in reqs if isinstance(r, str))
    if "poetry" in data.get("tool", {}):
        out.notes.append("[tool.poetry] dependencies use Poetry's syntax and are not installed")


def _from_setup_cfg(path: Path, out: TargetRequirements) -> None:
    """Add [options] install_requires and the test extras of setup.cfg."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text())
    except configparser.Error as exc:
        out.notes.append(f"setup.cfg could not be parsed ({exc}); its dependencies are not installed")
        return
    out.lines.extend(_cfg_list(parser.get("options", "install_requires", fallback="")))
    if parser.has_section("options.extras_require"):
        for group, value in parser.items("options.extras_require"):
            if group in TEST_GROUPS:
                out.lines.extend(_cfg_list(value))


def _cfg_list(value: str) -> list[str]:
    """Split a setup.cfg multi-line or ';'-free list value into requirement strings."""
    return [line.strip() for line in value.splitlines() if line.strip() and not line.strip().startswith("#")]
