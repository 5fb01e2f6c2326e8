"""Trimming a pair's programs into a short Before/After example centred on what changed."""

from __future__ import annotations

import difflib

from optimizer_agent.skilllib.miner.config import EXAMPLE_CONTEXT_LINES, EXAMPLE_MAX_LINES

ELISION = "# ..."


def _lines(source: str) -> list[str]:
    # PIE programs carry a blank line after every line; blank lines carry no meaning for the example.
    text = source.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).replace("```", "`` `")
    return [line.rstrip() for line in text.split("\n") if line.strip()]


def _window(lines: list[str], start: int, end: int, max_lines: int, context: int) -> list[str]:
    """Lines [start, end) widened by `context`, cut to `max_lines`, with elision marks where cut."""
    if len(lines) <= max_lines:
        return lines
    lo = max(0, start - context)
    hi = min(len(lines), max(end + context, lo + 1))
    hi = min(hi, lo + max_lines - (lo > 0) - 1)
    if hi - lo < max_lines - 2:  # room left: show more of the surroundings, preferring what follows
        hi = min(len(lines), lo + max_lines - 2)
        lo = max(0, hi - (max_lines - 2))
    body = lines[lo:hi]
    return ([ELISION] if lo > 0 else []) + body + ([ELISION] if hi < len(lines) else [])


def trim_pair(slow: str, fast: str, max_lines: int = EXAMPLE_MAX_LINES,
              context: int = EXAMPLE_CONTEXT_LINES) -> tuple[str, str]:
    """The slow and fast programs without blank lines, each cut to the changed region when too long."""
    a, b = _lines(slow), _lines(fast)
    ops = [op for op in difflib.SequenceMatcher(None, [x.strip() for x in a], [x.strip() for x in b],
                                                autojunk=False).get_opcodes() if op[0] != "equal"]
    if ops:
        a_span = (ops[0][1], ops[-1][2])
        b_span = (ops[0][3], ops[-1][4])
    else:
        a_span = b_span = (0, 0)
    before = _window(a, *a_span, max_lines, context)
    after = _window(b, *b_span, max_lines, context)
    return "\n".join(before) + "\n", "\n".join(after) + "\n"
