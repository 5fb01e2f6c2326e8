"""Every card's Before and After code runs and returns equal results on the card's example inputs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from optimizer_agent.skilllib.loader import load_skills

# Runs in a fresh interpreter so the examples' imports and definitions cannot leak into the test process.
RUNNER = r"""
import json, sys
spec = json.load(sys.stdin)

def load(code):
    namespace = {"__name__": "example"}
    exec(compile(code, "<example>", "exec"), namespace)
    return namespace[spec["entry"]]

before, after = load(spec["before"]), load(spec["after"])
report = []
for text in spec["inputs"]:
    args_before, args_after = eval(text, {}), eval(text, {})
    if not isinstance(args_before, tuple):
        report.append({"input": text, "problem": "input is not an args tuple"})
        continue
    got_before, got_after = before(*args_before), after(*args_after)
    report.append({"input": text, "equal": got_before == got_after and args_before == args_after,
                   "before": repr(got_before)[:200], "after": repr(got_after)[:200]})
print(json.dumps(report))
"""

EXAMPLE_TIMEOUT_S = 60


@pytest.mark.parametrize("skill", [s for s in load_skills() if s.example], ids=lambda s: s.id)
def test_before_and_after_agree(skill) -> None:
    spec = {"entry": skill.example.entry, "inputs": skill.example.inputs,
            "before": skill.before, "after": skill.after}
    done = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(spec), capture_output=True,
                          text=True, timeout=EXAMPLE_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(report) == len(skill.example.inputs)
    for case in report:
        assert "problem" not in case, case
        assert case["equal"], case


def test_every_operator_has_a_runnable_example() -> None:
    operators = [s for s in load_skills() if s.type == "operator"]
    assert operators and all(s.example and s.before and s.after for s in operators)
