"""The one pull request comment: a table of verified speedups and each diff in a collapsible section."""

from __future__ import annotations

import re

from optimizer_agent.action.outcome import RunOutcome, Speedup

MARKER = "<!-- optimizer-agent -->"
"""Hidden first line that lets a later run find and update its comment instead of adding another."""
MAX_BODY_CHARS = 60_000
"""GitHub refuses comment bodies over 65,536 characters; diffs are dropped from the end to fit."""
SKIP_LABEL_HINT = "Add the label `optimizer-agent:skip` to stop optimizer-agent on this pull request."


def has_marker(body: str | None) -> bool:
    """True for a comment this action wrote."""
    return MARKER in (body or "")


def speed_cell(s: Speedup) -> str:
    """`4.80x [3.44, 6.63]`: the median ratio and its bootstrap 95% CI."""
    ci = f" [{s.ci_low:.2f}, {s.ci_high:.2f}]" if s.ci_low is not None and s.ci_high is not None else ""
    return f"{s.speedup:.2f}x{ci}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def speedup_table(speedups: list[Speedup]) -> str:
    """A Markdown table: function, speedup with CI, tests, skills."""
    rows = ["| function | speedup [95% CI] | tests | skills |", "|---|---|---|---|"]
    for s in speedups:
        tests = f"{s.tests_passed}/{s.tests_run} passed"
        rows.append(f"| `{_cell(s.function)}` | {speed_cell(s)} | {tests} | {_cell(', '.join(s.skills) or '-')} |")
    return "\n".join(rows)


def _fence(text: str) -> str:
    """A code fence longer than any backtick run inside `text`, so a diff cannot close it early."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def diff_section(s: Speedup) -> str:
    """One collapsible `<details>` block holding a speedup's diff."""
    fence = _fence(s.diff)
    name = s.function.split("::")[-1]
    return (f"<details><summary><code>{name}</code>: {speed_cell(s)} faster ({s.sha[:10]})</summary>\n\n"
            f"{fence}diff\n{s.diff.rstrip()}\n{fence}\n\n</details>")


def render_comment(outcome: RunOutcome, head_sha: str, delivery: list[str]) -> str:
    """The whole comment body for a run, marker first; `delivery` says where the commits went."""
    count = len(outcome.speedups)
    functions = len(outcome.targets)
    if count:
        title = f"### optimizer-agent: {count} verified speedup{'s' if count != 1 else ''}"
        bar = f"{outcome.min_speedup:.2f}x" if outcome.min_speedup else "the required speedup"
        intro = (f"In the {functions} function(s) this pull request changed (at {head_sha[:10]}), "
                 f"{outcome.judged} candidate(s) were judged. Each speedup below passed the project's tests, and "
                 f"paired timing put the lower bound of its 95% CI at or above {bar}.")
        parts = [MARKER, title, "", intro, "", speedup_table(outcome.speedups), "", *delivery]
        sections = [diff_section(s) for s in outcome.speedups]
    else:
        title = "### optimizer-agent: no verified speedup"
        intro = (f"{outcome.judged} candidate(s) for {functions} changed function(s) at {head_sha[:10]} were "
                 "judged; none was both correct and measurably faster.")
        parts = [MARKER, title, "", intro, "", *delivery]
        sections = []
    footer = ["", f"<sub>Run `{outcome.run_id}`. {SKIP_LABEL_HINT}</sub>"]
    return _fit("\n".join(parts), sections, "\n".join(footer))


def _fit(head: str, sections: list[str], footer: str) -> str:
    """Join the parts, dropping diff sections from the end until the body fits GitHub's limit."""
    kept = list(sections)
    dropped = 0
    while True:
        note = [f"_{dropped} diff(s) left out to fit GitHub's comment size limit; see the job summary._"] if dropped else []
        body = "\n\n".join([head, *kept, *note]) + "\n" + footer + "\n"
        if len(body) <= MAX_BODY_CHARS or not kept:
            return body[:MAX_BODY_CHARS]
        kept.pop()
        dropped += 1
