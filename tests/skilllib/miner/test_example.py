"""Examples for drafts: blank lines dropped, long programs cut to the changed region with elision marks."""

from __future__ import annotations

from optimizer_agent.skilllib.miner.example import ELISION, trim_pair


def test_short_programs_lose_only_blank_lines() -> None:
    before, after = trim_pair("a = 1\n\n\nb = 2\r\n", "a = 1\n\nb = 3\n")
    assert before == "a = 1\nb = 2\n"
    assert after == "a = 1\nb = 3\n"


def test_long_programs_are_cut_around_the_change() -> None:
    slow = "\n".join(f"x{i} = {i}" for i in range(100))
    fast = slow.replace("x50 = 50", "x50 = 0")
    before, after = trim_pair(slow, fast, max_lines=10, context=3)
    b, a = before.splitlines(), after.splitlines()
    assert len(b) <= 10 and len(a) <= 10
    assert b[0] == ELISION and b[-1] == ELISION
    assert "x50 = 50" in b and "x50 = 0" in a
    assert "x47 = 47" in b  # context before the change


def test_change_at_the_start_has_no_leading_elision() -> None:
    slow = "\n".join(f"y{i} = {i}" for i in range(60))
    before, _ = trim_pair(slow, slow.replace("y0 = 0", "y0 = 1"), max_lines=8, context=2)
    lines = before.splitlines()
    assert lines[0] == "y0 = 0" and lines[-1] == ELISION and len(lines) <= 8


def test_code_fences_inside_programs_are_defused() -> None:
    before, _ = trim_pair('s = """```"""\n', 's = ""\n')
    assert "```" not in before
