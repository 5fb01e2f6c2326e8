"""Issue 6 faults over real HTTP: each ends with a clean run summary, the user's tree untouched and nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimizer_agent.models.scripted_server import ScriptedServer
from tests.commands.llm_repo import (
    DIAGNOSE,
    DIAGNOSIS,
    FAST,
    GENERATE,
    INVERSIONS_PROJECT,
    KEY,
    MODEL,
    PLAN,
    PLAN_STEPS,
    PLANS,
    RERANK,
    SKILL_SETS,
    SLOWER,
    TWO_TARGETS,
    candidate,
    json_reply,
    llm_env,
    optimize,
    planning_steps,
    purposes,
    reply,
)
from tests.conftest import branches, git, make_repo, worktrees

pytestmark = pytest.mark.slow
ONE_CANDIDATE = ("--model", MODEL, "--k", "1", "--rounds", "0")
GOOD = reply(candidate(FAST, ["O019"], "bisect over the sorted seen values"), GENERATE.format("count_inversions"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "inv", INVERSIONS_PROJECT)


def run(repo: Path, script: list[dict], *args: str, url_flag: bool = False,
        **env: str) -> tuple[dict, ScriptedServer, list[str]]:
    """Optimize `repo` against a server playing `script` (its URL by env, or by --base-url); check the user's tree."""
    head = git(repo, "rev-parse", "HEAD").strip()
    with ScriptedServer(script) as server:
        if url_flag:
            proc = optimize(repo, *args, "--base-url", server.base_url, env={"OPENAI_API_KEY": KEY, **env})
        else:
            proc = optimize(repo, *args, env=llm_env(server, **env))
    assert proc.returncode == 0, proc.stderr
    assert git(repo, "rev-parse", "HEAD").strip() == head and git(repo, "status", "--porcelain") == ""
    return json.loads(proc.stdout), server, proc.stderr.splitlines()


def transcript(result: dict) -> list[dict]:
    return [json.loads(line) for line in (Path(result["report"]).parent / "llm.jsonl").read_text().splitlines()]


def landed_llm_candidate(repo: Path, result: dict) -> None:
    """The LLM's fast candidate passed the gate and is the run's one commit."""
    [commit] = result["commits"]
    cand = next(c for c in result["candidates"] if c["id"] == commit["candidate_id"])
    assert cand["origin"] == "llm" and cand["skills"] == ["O019"]
    assert "bisect_right" in git(repo, "show", f"{result['branch']}:inv/core.py")


@pytest.fixture(scope="module")
def transient_run(tmp_path_factory) -> tuple[Path, dict, list[str]]:
    """One run through three transient faults: a 500 on diagnose, a read timeout on rerank, 429 twice on generate."""
    repo = make_repo(tmp_path_factory.mktemp("transient") / "inv", INVERSIONS_PROJECT)
    fn = "count_inversions"
    limited = {"status": 429, "retry_after": 0.2, "message": "Rate limit reached for requests",
               "match": GENERATE.format(fn)}
    script = [
        {"status": 500, "message": "The server had an error while processing your request", "match": DIAGNOSE.format(fn)},
        json_reply(DIAGNOSIS, DIAGNOSE.format(fn)),
        json_reply(SKILL_SETS, RERANK.format(fn), delay=20),  # the client gives up after 3 s
        json_reply(SKILL_SETS, RERANK.format(fn)),
        json_reply(PLANS, PLAN.format(fn)),
        limited, limited, GOOD,
    ]
    result, server, _ = run(repo, script, *ONE_CANDIDATE, OPTIMIZER_AGENT_LLM_TIMEOUT="3")
    assert server.remaining == 0
    assert purposes(server) == ["diagnose", "diagnose", "rerank", "rerank", "plan", "generate", "generate", "generate"]
    # Nothing lost: the LLM's candidate still landed, and the faults left no trace in the run's notes.
    landed_llm_candidate(repo, result)
    assert not any(n.startswith("LLM") for n in result["notes"])
    return repo, result, transcript(result)


def attempts(entries: list[dict], purpose: str) -> list[tuple[int, str | None]]:
    return [(e["attempt"], e.get("error")) for e in entries if e["purpose"] == purpose]


def test_429_twice_then_success(transient_run) -> None:
    _, result, entries = transient_run
    assert attempts(entries, "generate") == [(0, "HTTP 429: Rate limit reached for requests"),
                                             (1, "HTTP 429: Rate limit reached for requests"), (2, None)]
    assert result["llm"]["by_purpose"]["generate"]["requests"] == 1  # failed attempts cost nothing


def test_a_500_then_success(transient_run) -> None:
    _, result, entries = transient_run
    assert attempts(entries, "diagnose") == [(0, "HTTP 500: The server had an error while processing your request"),
                                             (1, None)]
    assert result["llm"]["by_purpose"]["diagnose"]["requests"] == 1


def test_a_read_timeout_then_success(transient_run) -> None:
    _, result, entries = transient_run
    assert attempts(entries, "rerank") == [(0, "no answer within 3s"), (1, None)]
    assert result["llm"]["requests"] == 4


def test_an_invalid_api_key_is_one_line_and_exit_2_leaving_nothing_behind(repo: Path) -> None:
    with ScriptedServer([*planning_steps(), GOOD], api_key="sk-the-right-one") as server:
        proc = optimize(repo, *ONE_CANDIDATE, env=llm_env(server, key="sk-wrong"))
        asked = len(server.requests)
    assert proc.returncode == 2 and proc.stdout == ""
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert errors == [proc.stderr.strip().splitlines()[-1]]
    assert errors[0].startswith("error: LLM endpoint rejected the API key (401)") and "sk-wrong" not in proc.stderr
    assert asked == 0  # refused at the door (the server logs only authorised requests), and not retried
    assert branches(repo) == ["main"] and worktrees(repo) == [str(repo)]
    assert not list((repo / ".optimizer-agent" / "runs").iterdir())
    assert git(repo, "status", "--porcelain") == ""


def test_garbage_text_is_asked_again_then_dropped(repo: Path) -> None:
    garbage = ["I'm sorry, I can't help with that.", "As an AI model I have no opinion on performance.",
               "<html><body>502 Bad Gateway</body></html>", "lorem ipsum dolor sit amet", "}}}{{{ ::: ]]",
               "Sure! Here is your JSON: none", "```\nthe code goes here\n```"]
    result, server, stderr = run(repo, garbage, *ONE_CANDIDATE)
    assert purposes(server) == ["diagnose", "fix-json", "rerank", "fix-json", "plan", "fix-json", "generate"]
    assert result["candidates"] == [] and result["commits"] == []
    notes = "\n".join(result["notes"])
    assert "LLM diagnose reply for count_inversions was not JSON even after asking again" in notes
    assert "LLM rerank for count_inversions chose no skill set" in notes
    assert "LLM generate reply for count_inversions: dropped 1 of 1 code block(s): block 1 has a syntax error" in notes
    assert result["llm"]["by_purpose"]["fix-json"]["requests"] == 3
    assert "Traceback" not in "\n".join(stderr) and Path(result["report"]).is_file()


def test_truncated_json_and_code_are_read_or_dropped(repo: Path) -> None:
    diagnosis = json.dumps(DIAGNOSIS, indent=2)
    plans = json.dumps(PLANS, indent=2)
    cut_plan = plans[: plans.index('"risks"') + 20]
    cut_code = candidate(SLOWER, ["O008"], "generator sum", 2)[:-60]
    script = [
        reply(diagnosis[: diagnosis.index('"summary"') + 30], DIAGNOSE.format("count_inversions"), finish_reason="length"),
        json_reply(SKILL_SETS, RERANK.format("count_inversions")),
        reply("```json\n" + cut_plan, PLAN.format("count_inversions"), finish_reason="length"),
        reply(candidate(FAST, ["O019"], "bisect") + "\n" + cut_code, GENERATE.format("count_inversions"),
              finish_reason="length"),
    ]
    result, server, _ = run(repo, script, "--model", MODEL, "--k", "2", "--rounds", "0", url_flag=True)
    assert purposes(server) == ["diagnose", "rerank", "plan", "generate"]  # repaired locally: no fix-json
    landed_llm_candidate(repo, result)
    body = git(repo, "log", "-1", "--format=%B", result["branch"])
    assert f"Plan: M003: {'; '.join(PLAN_STEPS)}" in body
    [note] = [n for n in result["notes"] if n.startswith("LLM generate")]
    assert "dropped 1 of 2 code block(s): block 2 has a syntax error" in note and "cut at max_tokens" in note


def test_budget_exhausted_mid_run_keeps_what_it_has(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "two", TWO_TARGETS)
    usage = {"usage": {"prompt_tokens": 9000, "completion_tokens": 1000}}
    script = [
        {**step, **usage} for step in [
            *planning_steps("count_inversions"), *planning_steps("keep_allowed"), GOOD,
            reply(candidate(FAST, ["O001"], "never asked"), GENERATE.format("keep_allowed")),
        ]
    ]
    result, server, _ = run(repo, script, "--model", MODEL, "--k", "1", "--rounds", "0", "--budget-tokens", "70000",
                            "--budget-usd", "100", "--function", "count_inversions", "--function", "keep_allowed")
    # Six planning requests and one generate spend 70000 tokens; keep_allowed's generate is never sent.
    assert sorted(purposes(server)) == sorted(["diagnose", "diagnose", "rerank", "plan", "rerank", "plan", "generate"])
    assert server.remaining == 1
    [note] = [n for n in result["notes"] if "budget" in n]
    assert note.startswith("LLM budget reached at generate of keep_allowed: token budget exhausted: 70000 of 70000")
    llm = result["llm"]
    assert llm["tokens"] == 70000 and llm["budget_stop"].startswith("token budget exhausted")
    assert (llm["budget_tokens"], llm["budget_usd"]) == (70000, 100) and 0 < llm["cost_usd"] < 100
    # The LLM's candidate for the first target and the deterministic rewrite for the second both land.
    by_fn = {c["function"]["qualname"]: c for c in result["commits"]}
    assert set(by_fn) == {"count_inversions", "keep_allowed"}
    origins = {c["id"]: c["origin"] for c in result["candidates"]}
    assert origins[by_fn["count_inversions"]["candidate_id"]] == "llm"
    assert origins[by_fn["keep_allowed"]["candidate_id"]] == "rewrite"
    assert "Budget stop: token budget exhausted" in Path(result["report"]).read_text()
