"""The sandbox harness: its encoding keeps what `==` sees, and its three modes run an example from a folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from optimizer_agent.skilllib.harness import SPEC_FILE, capture_outcomes, encode


class _Arrayish:
    """Stands in for a numpy array: compared by its `tolist()`."""

    def tolist(self):
        return [1, 2]


def test_encode_is_json_and_keeps_type_distinctions() -> None:
    value = [None, True, 1, 1.5, float("nan"), "s", b"b", (1,), {2}, {"k": [1]}, 2 ** 80, _Arrayish(), 1j]
    text = json.dumps(encode(value))
    decoded = json.loads(text)["list"]
    assert decoded[1] is True and decoded[2] == {"int": "1"} and decoded[4] == {"float": "nan"}
    assert decoded[10] == {"int": str(2 ** 80)}
    assert decoded[11] == {"tolist": {"list": [{"int": "1"}, {"int": "2"}], "type": "list"}, "type": "_Arrayish"}


def test_encode_survives_cycles() -> None:
    loop: list = []
    loop.append(loop)
    assert encode(loop)["list"][0] == {"cycle": "list"}


def test_capture_records_exceptions_and_argument_mutation() -> None:
    def entry(xs):
        if not xs:
            raise ValueError("empty")
        xs.append(0)
        return len(xs)

    raised, mutated = capture_outcomes(entry, ["([],)", "([5],)"])
    assert raised["raised"] == "ValueError" and "result" not in raised
    assert mutated["result"] == {"int": "2"}
    assert mutated["args"] != mutated["fresh_args"]


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    harness = Path(__file__).resolve().parents[2] / "optimizer_agent" / "skilllib" / "harness.py"
    return subprocess.run([sys.executable, str(harness), *args], cwd=folder, capture_output=True, text=True,
                          timeout=60)


def test_modes_run_the_example_in_its_folder(tmp_path: Path) -> None:
    (tmp_path / "oa_example.py").write_text("def double(x):\n    return x * 2\n")
    (tmp_path / SPEC_FILE).write_text(json.dumps({"entry": "double", "inputs": ["(2,)", "('ab',)"]}))
    captured = _run(tmp_path, "capture")
    assert captured.returncode == 0, captured.stderr
    assert [o["result"] for o in json.loads(captured.stdout)] == [{"int": "4"}, "abab"]
    calibrated = _run(tmp_path, "calibrate")
    assert json.loads(calibrated.stdout)["seconds"] >= 0
    assert _run(tmp_path, "bench", "3").returncode == 0
    assert _run(tmp_path, "nonsense").returncode == 2
