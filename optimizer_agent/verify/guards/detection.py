"""Benchmark detection: reading the environment, the command line, the call stack, or the judges' files."""

from __future__ import annotations

import ast
import re

from optimizer_agent.verify.guards.base import (
    Hit,
    docstring_nodes,
    dotted,
    import_aliases,
    imported_modules,
    matches,
    names_used,
)

ENVIRONMENT = ("os.environ", "os.environb", "os.getenv", "os.getenvb", "os.putenv", "os.unsetenv")
COMMAND_LINE = ("sys.argv", "sys.orig_argv", "os.getppid", "psutil", "__main__")
STACK = ("inspect.stack", "inspect.currentframe", "inspect.getouterframes", "inspect.getframeinfo", "inspect.trace",
         "sys._getframe", "sys._current_frames", "traceback.extract_stack", "traceback.walk_stack",
         "traceback.format_stack", "traceback.print_stack", "sys.gettrace", "sys.getprofile")
FRAME_ATTRIBUTES = frozenset({"f_back", "f_code", "f_globals", "f_locals", "tb_frame"})
FILE_PROBES = ("open", "io.open", "os.path.exists", "os.path.isfile", "os.path.isdir", "os.listdir", "os.scandir",
               "os.stat", "os.walk", "glob.glob", "glob.iglob", "pathlib.Path", "pathlib.PurePath")
FILE_METHODS = frozenset({"read_text", "read_bytes", "exists", "is_file", "is_dir", "open", "glob", "rglob", "iterdir"})
JUDGE_WORDS = re.compile(r"bench|pytest|conftest|unittest|/proc/|cmdline|(^|[/_.-])tests?([/_.-]|$)", re.IGNORECASE)
"""Text in a string literal that points at the programs judging the candidate."""

_FAMILIES = ((ENVIRONMENT, "reads environment variables via {}"), (COMMAND_LINE, "inspects the running program via {}"),
             (STACK, "inspects the call stack via {}"))


def scan(tree: ast.Module, judge_names: frozenset[str]) -> list[Hit]:
    """Every way the module could learn that a benchmark or a test is running it."""
    aliases = import_aliases(tree)
    hits = []
    for name, line in imported_modules(tree):
        hit = _classify(name, line)
        if hit:
            hits.append(hit)
    for name, node in names_used(tree, aliases):
        hit = _classify(name, node.lineno)
        if hit:
            hits.append(hit)
    docstrings = docstring_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in FRAME_ATTRIBUTES:
            hits.append(Hit("benchmark-detection", f"frame .{node.attr}", f"inspects stack frames via .{node.attr}",
                            node.lineno))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if _names_a_judge(node.value, judge_names):
                hits.append(Hit("benchmark-detection", f"literal {node.value!r}",
                                f"names the benchmark or tests: {node.value[:60]!r}", node.lineno))
        elif isinstance(node, ast.Call) and _probes_files(node, aliases):
            hits.append(Hit("benchmark-detection", f"probe {ast.unparse(node.func)}",
                            f"probes the file system via {ast.unparse(node.func)}()", node.lineno))
    return hits


def _classify(name: str, line: int) -> Hit | None:
    for prefixes, message in _FAMILIES:
        found = matches(name, prefixes)
        if found:
            return Hit("benchmark-detection", f"use {found}", message.format(found), line)
    return None


def _names_a_judge(text: str, judge_names: frozenset[str]) -> bool:
    """True for a literal that mentions a benchmark or test file, or the test machinery."""
    if JUDGE_WORDS.search(text):
        return True
    base = text.replace("\\", "/").rsplit("/", 1)[-1]
    return bool(base) and base in judge_names


def _probes_files(call: ast.Call, aliases: dict[str, str]) -> bool:
    """Calls that look at files with a constant path that is not plain data (any file probe counts)."""
    func = call.func
    name = dotted(func, aliases) if isinstance(func, (ast.Name, ast.Attribute)) else None
    if name and matches(name, FILE_PROBES):
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and (root.id in aliases or root.id == "open")
    return isinstance(func, ast.Attribute) and func.attr in FILE_METHODS and _path_like(func.value, aliases)


def _path_like(node: ast.AST, aliases: dict[str, str]) -> bool:
    """`Path(...)`-built receivers: `Path("x").read_text()` or `Path(__file__).parent.exists()`."""
    while isinstance(node, ast.Attribute):
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
        return bool(matches(dotted(node.func, aliases) or "", ("pathlib.Path", "pathlib.PurePath")))
    return False
