"""Rendering the pull request comment: marker, table, collapsible diffs, and GitHub's size limit."""

from __future__ import annotations

from optimizer_agent.action.comment import MARKER, MAX_BODY_CHARS, has_marker, render_comment, speedup_table
from optimizer_agent.action.outcome import RunOutcome, Speedup

DIFF = "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n def f(xs, ys):\n-    return [x for x in xs if x in ys]\n+    s = set(ys)\n+    return [x for x in xs if x in s]\n"


def speedup(name: str = "f", diff: str = DIFF, **kw) -> Speedup:
    fields = {"function": f"pkg/m.py::{name}", "subject": f"perf(pkg.m.{name}): 3.00x faster", "sha": "abcdef1234567890",
              "speedup": 3.0, "ci_low": 2.5, "ci_high": 3.5, "p_value": 0.001, "tests_passed": 12, "tests_run": 12,
              "skills": ["O001", "M002"], "diff": diff, **kw}
    return Speedup(**fields)


def outcome(*speedups: Speedup, judged: int = 3) -> RunOutcome:
    return RunOutcome(run_id="20260101-000000-abcd", branch="optimizer-agent/x", base_sha="1" * 40,
                      speedups=list(speedups), targets=["pkg/m.py::f", "pkg/m.py::g"], judged=judged, min_speedup=1.05)


def test_the_comment_has_the_marker_table_and_collapsible_diffs() -> None:
    body = render_comment(outcome(speedup()), "f" * 40, ["Pushed 1 commit(s) to `feature`."])
    assert body.startswith(MARKER + "\n### optimizer-agent: 1 verified speedup\n") and has_marker(body)
    assert "In the 2 function(s) this pull request changed (at ffffffffff), 3 candidate(s) were judged" in body
    assert "at or above 1.05x" in body
    assert "| `pkg/m.py::f` | 3.00x [2.50, 3.50] | 12/12 passed | O001, M002 |" in body
    assert "<details><summary><code>f</code>: 3.00x [2.50, 3.50] faster (abcdef1234)</summary>" in body
    assert "```diff\n" + DIFF.rstrip() + "\n```\n\n</details>" in body
    assert "Pushed 1 commit(s) to `feature`." in body and "optimizer-agent:skip" in body
    assert body.index("| function |") < body.index("Pushed") < body.index("<details>")


def test_no_speedup_comment_says_so() -> None:
    body = render_comment(outcome(judged=4), "e" * 40, [])
    assert body.startswith(MARKER + "\n### optimizer-agent: no verified speedup")
    assert "4 candidate(s) for 2 changed function(s) at eeeeeeeeee" in body and "<details>" not in body


def test_backticks_in_a_diff_cannot_close_its_fence() -> None:
    diff = '+    """Use ```code``` here."""\n'
    body = render_comment(outcome(speedup(diff=diff)), "f" * 40, [])
    assert "````diff\n" + diff.rstrip() + "\n````" in body


def test_pipes_in_cells_are_escaped() -> None:
    table = speedup_table([speedup(skills=["a|b"])])
    assert "| a\\|b |" in table


def test_long_diffs_are_dropped_from_the_end_to_fit() -> None:
    huge = "+" + "x" * 40_000 + "\n"
    body = render_comment(outcome(speedup("f"), speedup("g", diff=huge), speedup("h", diff=huge)), "f" * 40, [])
    assert len(body) <= MAX_BODY_CHARS
    assert "<code>f</code>" in body and body.count("<details>") == 2
    assert "_1 diff(s) left out to fit GitHub's comment size limit; see the job summary._" in body
    assert body.rstrip().endswith("</sub>")  # the table and footer always survive
    assert "| `pkg/m.py::h` |" in body


def test_has_marker() -> None:
    assert not has_marker(None) and not has_marker("LGTM") and has_marker(f"x\n{MARKER}\n")
