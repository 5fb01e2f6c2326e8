"""What one program does, as countable facts: the AST walk for code that parses, tokens for code that does not."""

from __future__ import annotations

import ast
import re
import warnings
from collections import Counter

from pydantic import BaseModel, Field

from optimizer_agent.skilllib.miner.walker import ProgramWalker

_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)",
                     re.MULTILINE)
_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([\w \t,*]+)", re.MULTILINE)
_CALL = re.compile(r"([A-Za-z_][\w.]*)\s*\(")
_LOOP = re.compile(r"^([ \t]*)(for|while)\b")
_KEYWORDS = frozenset({"if", "elif", "while", "for", "in", "and", "or", "not", "return", "print", "assert", "del",
                       "yield", "lambda", "else", "with", "is"})
_PY2_PRINT = re.compile(r"^\s*print\b(?!\s*\()", re.MULTILINE)


class Profile(BaseModel):
    """Countable facts about one program; the classifier compares a slow and a fast one."""

    parsed: bool
    """False when the program did not parse and only its tokens were read."""
    lines: int = 0
    imports: list[str] = Field(default_factory=list)
    """Imported modules and `module.name` for each from-import."""
    calls: dict[str, int] = Field(default_factory=dict)
    """Callee names with aliases resolved (`np.sum` -> `numpy.sum`); methods on values as `.name`."""
    calls_in_loop: dict[str, int] = Field(default_factory=dict)
    loops: int = 0
    while_loops: int = 0
    max_loop_depth: int = 0
    toplevel_loops: int = 0
    comprehensions: int = 0
    appends_in_loop: int = 0
    breaks: int = 0
    continues: int = 0
    returns_in_loop: int = 0
    recursive: list[str] = Field(default_factory=list)
    decorators: list[str] = Field(default_factory=list)
    memo_checks: int = 0
    """`if key in cache: return cache[key]` shapes."""
    str_concat_in_loop: int = 0
    membership_in_loop: dict[str, int] = Field(default_factory=dict)
    """`in` tests inside loops by the container's kind: list, set, dict, range or unknown."""
    sieve_loops: int = 0
    recurrences: int = 0
    """Assignments `t[i] = ... t[j] ...` that fill a table from its own earlier entries."""
    table_allocs: int = 0
    float_ops: int = 0
    floor_divs: int = 0
    arith_ops: int = 0
    mod_in_loop: int = 0
    """`%` inside loops: big integers kept small as they are built."""
    main_called: bool = False
    """A function that holds the program's work is defined and called at module level."""

    def count(self, name: str) -> int:
        """How often `name` is called; a trailing `*` matches every name with that prefix."""
        if name.endswith("*"):
            return sum(n for callee, n in self.calls.items() if callee.startswith(name[:-1]))
        return self.calls.get(name, 0)

    def count_in_loop(self, name: str) -> int:
        """How often `name` is called inside a loop (trailing `*` as in `count`)."""
        if name.endswith("*"):
            return sum(n for callee, n in self.calls_in_loop.items() if callee.startswith(name[:-1]))
        return self.calls_in_loop.get(name, 0)

    def imports_module(self, module: str) -> bool:
        """True when the program imports `module` or something from it."""
        return any(i == module or i.startswith(module + ".") for i in self.imports)


def profile_program(source: str) -> Profile:
    """The AST profile of `source`, or its token profile when it does not parse (py2, typos)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return token_profile(source)
    walker = ProgramWalker()
    try:
        walker.run(tree)
    except RecursionError:
        return token_profile(source)
    return Profile(parsed=True, lines=_count_lines(source), **walker.facts())


def _count_lines(source: str) -> int:
    return sum(1 for line in source.splitlines() if line.strip())


def _token_imports(source: str) -> tuple[list[str], dict[str, str]]:
    imports: set[str] = set()
    aliases: dict[str, str] = {}
    for match in _IMPORT.finditer(source):
        for part in match.group(1).split(","):
            bits = part.split()
            if bits:
                imports.add(bits[0])
            if len(bits) == 3 and bits[1] == "as":
                aliases[bits[2]] = bits[0]
    for match in _FROM_IMPORT.finditer(source):
        module = match.group(1)
        imports.add(module)
        for name in re.split(r"[\s,]+", match.group(2).strip()):
            if name and name != "*" and name.isidentifier():
                imports.add(f"{module}.{name}")
                aliases[name] = f"{module}.{name}"
    return sorted(imports), aliases


def _resolve(name: str, aliases: dict[str, str]) -> str:
    head, _, rest = name.partition(".")
    if head in aliases:
        return aliases[head] + ("." + rest if rest else "")
    return name


def _line_calls(line: str, aliases: dict[str, str], modules: set[str]) -> list[str]:
    names = []
    for match in _CALL.finditer(line):
        name = _resolve(match.group(1), aliases)
        if name in _KEYWORDS:
            continue
        head, _, rest = name.partition(".")
        names.append(name if not rest or head in modules or name in aliases.values() else "." + name.rsplit(".", 1)[1])
    if re.search(r"\bprint\s*\(", line) or _PY2_PRINT.match(line):
        names.append("print")
    return names


def token_profile(source: str) -> Profile:
    """Facts read line by line: imports, calls, and loop nesting judged by indentation."""
    imports, aliases = _token_imports(source)
    aliases.update({"raw_input": "input", "xrange": "range"})
    modules = {i.split(".")[0] for i in imports}
    calls: Counter[str] = Counter()
    in_loop: Counter[str] = Counter()
    loops = depth_max = toplevel = breaks = 0
    stack: list[int] = []
    for line in source.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        while stack and indent <= stack[-1]:
            stack.pop()
        names = _line_calls(line, aliases, modules)
        calls.update(names)
        if stack:
            in_loop.update(names)
        breaks += line.strip() == "break"
        if _LOOP.match(line):
            loops += 1
            toplevel += indent == 0
            stack.append(indent)
            depth_max = max(depth_max, len(stack))
    return Profile(parsed=False, lines=_count_lines(source), imports=imports, calls=dict(calls),
                   calls_in_loop=dict(in_loop), loops=loops, max_loop_depth=depth_max, toplevel_loops=toplevel,
                   breaks=breaks)
