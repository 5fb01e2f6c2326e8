"""The job summary (`GITHUB_STEP_SUMMARY`), written in every mode, and its echo in the job log."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from optimizer_agent.action.comment import diff_section, speedup_table
from optimizer_agent.action.outcome import RunOutcome

TITLE = "## optimizer-agent"
MAX_REPORT_CHARS = 200_000
"""GitHub caps a step summary at 1 MiB; the run report is cut well before that."""


def annotation(level: str, message: str) -> str:
    """A workflow command (`::warning::...`) with GitHub's escaping, so the log shows it as an annotation."""
    data = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level}::{data}"


class JobSummary:
    """Collects the status line, notes and results, then writes the summary once."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.path = environ.get("GITHUB_STEP_SUMMARY") or None
        self.notes: list[str] = []
        self.outcome: RunOutcome | None = None
        self.delivery: list[str] = []

    def note(self, text: str) -> None:
        """Add one explanatory bullet."""
        if text not in self.notes:
            self.notes.append(text)

    def render(self, status: str) -> str:
        """The summary as Markdown."""
        lines = [TITLE, "", f"**{status}**", ""]
        lines += [f"- {n}" for n in self.notes]
        out = self.outcome
        if out is not None:
            lines += ["", f"Run `{out.run_id}` optimized {len(out.targets)} changed function(s) and judged "
                          f"{out.judged} candidate(s).", ""]
            if out.speedups:
                lines += [speedup_table(out.speedups), "", *self.delivery, ""]
                lines += [diff_section(s) + "\n" for s in out.speedups]
            elif self.delivery:
                lines += [*self.delivery, ""]
            if out.report_text:
                lines += ["<details><summary>Full run report</summary>", "",
                          out.report_text[:MAX_REPORT_CHARS], "", "</details>"]
        return "\n".join(lines).rstrip() + "\n"

    def write(self, status: str, level: str = "notice") -> None:
        """Append the summary to GITHUB_STEP_SUMMARY (when set) and echo the status and notes to the log."""
        text = self.render(status)
        if self.path:
            with Path(self.path).open("a", encoding="utf-8") as fh:
                fh.write(text + "\n")
        sys.stdout.write(annotation(level, status) + "\n")
        if level == "error":  # the CLI's convention: one `error:` line on stderr
            sys.stderr.write("error: " + " ".join(status.split()) + "\n")
        for n in self.notes:
            sys.stdout.write(f"  {n}\n")
        sys.stdout.flush()
