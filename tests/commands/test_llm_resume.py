"""An LLM run killed mid-verify resumes without asking again, keeps counting its spending, and re-reads the key."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from optimizer_agent.models.scripted_server import ScriptedServer
from tests.commands.llm_repo import INVERSIONS_PROJECT, KEY, llm_env, purposes
from tests.commands.test_llm_acceptance import SETTINGS, script
from tests.conftest import git, make_repo, run_cli

pytestmark = pytest.mark.slow


def test_sigkill_then_resume_keeps_the_ledger_and_the_transcript(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "inv", INVERSIONS_PROJECT)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}}
    with ScriptedServer(script(), api_key=KEY) as server:
        proc = subprocess.Popen(
            [sys.executable, "-m", "optimizer_agent.cli", "optimize", str(repo), "--sandbox", "local",
             "--bench", "python bench.py", *SETTINGS],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**env, **llm_env(server)})
        seen = []
        deadline = time.monotonic() + 600
        try:
            for line in proc.stderr:
                seen.append(line)
                if line.startswith("· verify c002 ("):
                    time.sleep(1.0)
                    proc.send_signal(signal.SIGKILL)
                    break
                assert time.monotonic() < deadline, "".join(seen)
        finally:
            proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL, "".join(seen)
        [run_id] = os.listdir(repo / ".optimizer-agent" / "runs")
        run_dir = repo / ".optimizer-agent" / "runs" / run_id
        assert json.loads((run_dir / "ledger.json").read_text())["total"]["requests"] == 4
        assert KEY not in (run_dir / "settings.json").read_text()

        # The key is not in the run folder: the resumed process must find it in the environment again.
        resumed = run_cli("optimize", str(repo), "--resume", run_id, "--json", env=llm_env(server), timeout=900)
        assert resumed.returncode == 0, resumed.stderr
        asked = purposes(server)

    result = json.loads(resumed.stdout)
    assert asked == ["diagnose", "rerank", "plan", "generate", "repair"]  # nothing asked twice
    assert result["llm"]["requests"] == 5 and result["llm"]["by_purpose"]["repair"]["requests"] == 1
    assert len((run_dir / "llm.jsonl").read_text().splitlines()) == 5
    [commit] = result["commits"]
    assert commit["candidate_id"] == "c003"
    assert "Skills: O019" in git(repo, "log", "-1", "--format=%B", result["branch"])
