"""Every card's Before and After code runs and behaves the same on the card's example inputs.

This is the fast half of `skills check` (no timing): the same harness and the same comparison, one fresh
interpreter per skill so the examples' imports and definitions cannot leak into the test process.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from optimizer_agent.skilllib.check import compare_outcomes
from optimizer_agent.skilllib.loader import load_skills

RUNNER = r"""
import json, sys
from optimizer_agent.skilllib.harness import capture_outcomes

spec = json.load(sys.stdin)
report = {}
for side in ("before", "after"):
    namespace = {"__name__": "oa_example_" + side}
    exec(compile(spec[side], "<" + side + ">", "exec"), namespace)
    report[side] = capture_outcomes(namespace[spec["entry"]], spec["inputs"])
print(json.dumps(report))
"""

EXAMPLE_TIMEOUT_S = 60
SKILLS = load_skills()


@pytest.mark.parametrize("skill", [s for s in SKILLS if s.example], ids=lambda s: s.id)
def test_before_and_after_agree(skill) -> None:
    spec = {"entry": skill.example.entry, "inputs": skill.example.inputs,
            "before": skill.before, "after": skill.after}
    done = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(spec), capture_output=True,
                          text=True, timeout=EXAMPLE_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(report["before"]) == len(report["after"]) == len(skill.example.inputs)
    assert compare_outcomes(skill.example.inputs, report["before"], report["after"]) is None


def test_every_operator_has_a_runnable_example() -> None:
    operators = [s for s in SKILLS if s.type == "operator"]
    assert operators and all(s.example and s.before and s.after for s in operators)


def test_a_behaviour_change_is_caught() -> None:
    # The comparison the examples rely on must see a changed result, a changed exception and a mutated argument.
    def outcome(result=None, raised=None, args=(), fresh=()):
        found = {"raised": raised} if raised else {"result": result}
        return {**found, "args": args, "fresh_args": fresh}

    assert compare_outcomes(["(1,)"], [outcome({"int": "1"})], [outcome({"int": "2"})]) is not None
    assert compare_outcomes(["(1,)"], [outcome(raised="KeyError")], [outcome({"int": "2"})]) is not None
    mutated = outcome(None, args={"tuple": [{"list": [], "type": "list"}], "type": "tuple"},
                      fresh={"tuple": [{"list": [{"int": "1"}], "type": "list"}], "type": "tuple"})
    assert "mutates" in compare_outcomes(["([1],)"], [mutated], [mutated])
