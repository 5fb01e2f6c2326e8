"""The job summary: appended to GITHUB_STEP_SUMMARY, echoed as a workflow annotation."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer_agent.action.summary import JobSummary, annotation
from tests.action.test_comment import outcome, speedup


def test_the_summary_appends_and_echoes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "summary.md"
    path.write_text("earlier step\n")
    s = JobSummary({"GITHUB_STEP_SUMMARY": str(path)})
    s.note("Checked out the head.")
    s.note("Checked out the head.")  # notes are not repeated
    run = outcome(speedup())
    run.report_text = "# optimizer-agent run X\n\n| id | verdict |\n"
    s.outcome = run
    s.delivery = ["Opened #9."]
    s.write("1 verified speedup (opened #9).")
    text = path.read_text()
    assert text.startswith("earlier step\n## optimizer-agent\n\n**1 verified speedup (opened #9).**\n\n- Checked out the head.\n\n")
    assert text.count("Checked out the head.") == 1
    assert "| `pkg/m.py::f` | 3.00x [2.50, 3.50] |" in text and "Opened #9." in text
    assert "<details><summary>Full run report</summary>" in text and "# optimizer-agent run X" in text
    out = capsys.readouterr().out
    assert out.startswith("::notice::1 verified speedup (opened #9).\n") and "  Checked out the head.\n" in out


def test_without_a_summary_file_it_only_logs(capsys: pytest.CaptureFixture) -> None:
    JobSummary({}).write("Skipped: draft.", "warning")
    assert capsys.readouterr().out == "::warning::Skipped: draft.\n"


def test_annotations_escape_newlines_and_percent() -> None:
    assert annotation("error", "50% done\nnext") == "::error::50%25 done%0Anext"
