"""Reading the pull_request event payload."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimizer_agent.action.event import load_event
from optimizer_agent.errors import BadInput
from tests.action.conftest import FIXTURES

PAYLOAD = json.loads((FIXTURES / "pull_request.json").read_text())


def write(tmp_path: Path, payload: object) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(path)}


def test_the_recorded_payload_gives_the_pull_request(tmp_path: Path) -> None:
    name, pr = load_event(write(tmp_path, PAYLOAD))
    assert name == "pull_request" and pr is not None
    assert (pr.number, pr.title, pr.state, pr.draft, pr.labels) == (7, "Count blocked items in stock", "open", False, [])
    assert (pr.head_ref, pr.head_repo, pr.base_ref, pr.base_repo) == ("feature/blocked-count", "acme/shop", "main", "acme/shop")
    assert pr.head_sha == PAYLOAD["pull_request"]["head"]["sha"] and pr.base_sha == PAYLOAD["pull_request"]["base"]["sha"]
    assert not pr.is_fork and pr.html_url == "https://github.com/acme/shop/pull/7"


def test_forks_and_deleted_forks_are_detected(tmp_path: Path) -> None:
    payload = json.loads(json.dumps(PAYLOAD))
    payload["pull_request"]["labels"] = [{"name": "perf"}, {"name": "optimizer-agent:skip"}]
    payload["pull_request"]["head"]["repo"]["full_name"] = "someone/shop"
    _, pr = load_event(write(tmp_path, payload))
    assert pr.is_fork and pr.head_repo == "someone/shop" and pr.labels == ["perf", "optimizer-agent:skip"]
    payload["pull_request"]["head"]["repo"] = None
    _, pr = load_event(write(tmp_path, payload))
    assert pr.is_fork and pr.head_repo is None


def test_other_events_give_no_pull_request(tmp_path: Path) -> None:
    assert load_event({"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": "/nonexistent"}) == ("push", None)
    assert load_event({}) == ("", None)


@pytest.mark.parametrize("payload, message", [
    ("not json", "cannot read the event payload"),
    ({"action": "opened"}, "has no pull_request object"),
    ({"pull_request": {"number": 1, "head": {"ref": "x"}}}, "lacks a field"),
])
def test_bad_payloads_are_bad_input(tmp_path: Path, payload: object, message: str) -> None:
    env = write(tmp_path, payload)
    if payload == "not json":
        Path(env["GITHUB_EVENT_PATH"]).write_text("{")
    with pytest.raises(BadInput, match=message):
        load_event(env)
    with pytest.raises(BadInput, match="GITHUB_EVENT_PATH is not set"):
        load_event({"GITHUB_EVENT_NAME": "pull_request"})
