"""Run the project's test command in the sandbox and read pytest's or unittest's counts from it."""

from __future__ import annotations

import re

from optimizer_agent.sandbox.base import Result, Sandbox
from optimizer_agent.state import TestSummary
from optimizer_agent.verify.critic import OUTPUT_TAIL_CHARS

PYTEST_NO_TESTS_EXIT = 5
"""pytest (and unittest from Python 3.12) exit with 5 when nothing was collected."""

# "==== 1 failed, 2 passed, 1 warning in 0.12s ====" or, under -q, the same without the rules.
_PYTEST_LINE = re.compile(r"^[=\s]*(?P<body>.+?)\s+in\s+[\d.]+s\b")
_PYTEST_BODY = re.compile(r"^(no tests ran|\d+ [a-z]+(, \d+ [a-z]+)*)$")
_PYTEST_ITEM = re.compile(r"(\d+) ([a-z]+)")
_UNITTEST_RAN = re.compile(r"^Ran (\d+) tests? in ", re.MULTILINE)
_UNITTEST_STATUS = re.compile(r"^(OK|FAILED|NO TESTS RAN)(?: \((?P<items>[^)]*)\))?\s*$", re.MULTILINE)
_UNITTEST_ITEM = re.compile(r"([a-z ]+)=(\d+)")
# A node id has no spaces outside its [parameters]; " - " then starts pytest's message.
_PYTEST_FAILING = re.compile(r"^(?:FAILED|ERROR) (?P<id>[^\s(]\S*?(?:\[[^\]]*\])?)(?: - .*)?$", re.MULTILINE)
_UNITTEST_FAILING = re.compile(r"^(?:FAIL|ERROR): (?P<name>\S+) \((?P<where>[^)]+)\)", re.MULTILINE)
# An exception line of a traceback (pytest marks its own with "E"), or the message pytest's short
# summary gives a failure (cut to the terminal's width, so only the second choice).
_EXCEPTION_LINE = re.compile(r"^(?:E\s+)?(?P<msg>[A-Za-z_][\w.]*(?:Error|Exception|Exit)(?:: .*)?)$", re.MULTILINE)
_PYTEST_CAUSE = re.compile(r"^(?:FAILED|ERROR) \S+ - (?P<msg>.+)$", re.MULTILINE)
CAUSE_CHARS = 200
"""How much of the first failure's message a summary keeps."""


def default_test_command(python: str = "python") -> str:
    """The pytest invocation used when the project names none; the project's own config still applies."""
    # No -x: stopping at the first failure would hide how many tests the candidate breaks.
    # No cache provider: the staged tree must not collect state between runs.
    return f"{python} -m pytest -q -p no:cacheprovider"


def run_tests(sandbox: Sandbox, cmd: str, cwd: str, timeout: float) -> TestSummary:
    """Run `cmd` in `cwd` inside the sandbox and summarise the outcome."""
    return summarize(sandbox.execute(cmd, cwd=cwd, timeout=timeout), timeout)


def summarize(result: Result, timeout: float = 0.0) -> TestSummary:
    """Turn one test run's Result into counts; unknown runners are judged by exit code alone."""
    text = result.stdout + "\n" + result.stderr
    counts = parse_pytest(text) or parse_unittest(text) or {}
    no_tests = bool(counts.get("no_tests")) or result.returncode == PYTEST_NO_TESTS_EXIT
    failed, errors = counts.get("failed", 0), counts.get("errors", 0)
    # "Nothing ran" is not a failure here; the critic compares against the baseline's count instead.
    exit_fine = result.returncode == 0 or (no_tests and result.returncode == PYTEST_NO_TESTS_EXIT)
    tail = result.tail(OUTPUT_TAIL_CHARS)
    if result.timed_out:
        tail = f"timed out after {timeout:g}s\n{tail}"
    return TestSummary(
        ok=exit_fine and not result.timed_out and failed == 0 and errors == 0,
        passed=counts.get("passed", 0),
        failed=failed,
        errors=errors,
        skipped=counts.get("skipped", 0),
        duration=result.duration,
        no_tests=no_tests,
        output_tail=tail,
        killed_reason=result.killed_reason,
        cause="" if result.ok else failure_cause(text),
    )


def failure_cause(text: str) -> str:
    """The first exception a traceback shows, else pytest's short-summary message of the first failure, or ''."""
    match = _EXCEPTION_LINE.search(text) or _PYTEST_CAUSE.search(text)
    return match["msg"].strip()[:CAUSE_CHARS] if match else ""


def parse_pytest(text: str) -> dict[str, int] | None:
    """Counts from the last pytest summary line, or None when there is none."""
    for line in reversed(text.splitlines()):
        match = _PYTEST_LINE.match(line.strip())
        if not match or not _PYTEST_BODY.match(match["body"]):
            continue
        if match["body"] == "no tests ran":
            return {"no_tests": 1}
        counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
        for number, word in _PYTEST_ITEM.findall(match["body"]):
            key = {"error": "errors", "xpassed": "passed", "xfailed": "skipped"}.get(word, word)
            if key in counts:
                counts[key] += int(number)
        if sum(counts.values()) == 0:
            counts["no_tests"] = 1
        return counts
    return None


def parse_unittest(text: str) -> dict[str, int] | None:
    """Counts from unittest's "Ran N tests" and status lines, or None when they are absent."""
    ran = list(_UNITTEST_RAN.finditer(text))
    if not ran:
        return None
    total = int(ran[-1].group(1))
    status = _UNITTEST_STATUS.search(text, ran[-1].end())
    items = {k.strip(): int(v) for k, v in _UNITTEST_ITEM.findall(status["items"] or "")} if status else {}
    failed = items.get("failures", 0) + items.get("unexpected successes", 0)
    errors = items.get("errors", 0)
    skipped = items.get("skipped", 0) + items.get("expected failures", 0)
    counts = {
        "passed": max(total - failed - errors - skipped, 0),
        "failed": failed,
        "errors": errors,
        "skipped": skipped,
    }
    if total == 0 or (status is not None and status.group(1) == "NO TESTS RAN"):
        counts["no_tests"] = 1
    return counts


def failing_tests(text: str) -> list[str]:
    """Ids of failing or erroring tests named in pytest's short summary or unittest's report."""
    ids = [m["id"].strip() for m in _PYTEST_FAILING.finditer(text)]
    for m in _UNITTEST_FAILING.finditer(text):
        name, where = m["name"], m["where"]
        ids.append(where if where.endswith("." + name) else f"{where}.{name}")
    return list(dict.fromkeys(ids))
