"""The GitHub REST client against the scripted API on loopback: retries, pagination, Enterprise URLs, errors."""

from __future__ import annotations

import socket

import pytest

from optimizer_agent.action.github import GitHub, GitHubError
from tests.action.github_server import Scripted, ScriptedGitHub

REPO = "acme/shop"
COMMENTS = f"/repos/{REPO}/issues/3/comments"


@pytest.fixture
def api():
    with ScriptedGitHub(repo=REPO, token="tok") as server:
        yield server


def client(api: ScriptedGitHub, token: str = "tok", sleeps: list | None = None) -> GitHub:
    """A client with recorded, instant sleeps so retries cost no wall time."""
    log = sleeps if sleeps is not None else []
    return GitHub(api.url, token, REPO, retries=3, backoff=0.5, sleep=log.append)


def test_calls_carry_the_token_and_api_version_under_an_enterprise_prefix(api: ScriptedGitHub) -> None:
    gh = client(api)
    created = gh.create_comment(3, "hello")
    assert created["body"] == "hello"
    assert gh.update_comment(created["id"], "bye")["body"] == "bye"
    assert api.url.endswith("/api/v3")
    assert [(r.method, r.path, r.body) for r in api.requests] == [
        ("POST", COMMENTS, {"body": "hello"}), ("PATCH", f"/repos/{REPO}/issues/comments/{created['id']}", {"body": "bye"})]
    assert all(r.authorization == "Bearer tok" for r in api.requests)


def test_5xx_429_and_secondary_rate_limits_are_retried_with_backoff(api: ScriptedGitHub) -> None:
    api.scripted += [Scripted("POST", COMMENTS, 502), Scripted("POST", COMMENTS, 429, {"Retry-After": "7"}),
                     Scripted("POST", COMMENTS, 403, {"Retry-After": "2"}, "secondary rate limit")]
    sleeps: list[float] = []
    assert client(api, sleeps=sleeps).create_comment(3, "x")["body"] == "x"
    assert len(api.calls("POST", COMMENTS)) == 4
    assert sleeps == [0.5, 7.0, 2.0]  # backoff, then what Retry-After asked for


def test_retries_give_up_with_the_last_status(api: ScriptedGitHub) -> None:
    api.scripted.append(Scripted("GET", f"/repos/{REPO}/pulls/3", 503, message="unavailable", times=10))
    sleeps: list[float] = []
    with pytest.raises(GitHubError) as info:
        client(api, sleeps=sleeps).get_pull(3)
    assert info.value.status == 503 and "unavailable" in str(info.value)
    assert sleeps == [0.5, 1.0, 2.0] and len(api.requests) == 4


@pytest.mark.parametrize("status", [401, 403, 404, 422])
def test_client_errors_are_not_retried(api: ScriptedGitHub, status: int) -> None:
    api.scripted.append(Scripted("POST", f"/repos/{REPO}/pulls", status, message="Validation Failed"))
    with pytest.raises(GitHubError) as info:
        client(api).create_pull("a", "b", "t", "body")
    assert info.value.status == status and len(api.requests) == 1


def test_a_wrong_token_is_refused_and_never_printed(api: ScriptedGitHub) -> None:
    gh = client(api, token="ghp_wrong_secret")
    with pytest.raises(GitHubError) as info:
        gh.list_comments(3)
    assert info.value.status == 401 and "Bad credentials" in str(info.value)
    assert "ghp_wrong_secret" not in str(info.value) + repr(gh)


def test_connection_errors_are_retried_then_reported() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket closes
    sleeps: list[float] = []
    gh = GitHub(f"http://127.0.0.1:{port}", "tok", REPO, retries=2, backoff=0.1, sleep=sleeps.append)
    with pytest.raises(GitHubError) as info:
        gh.get_pull(1)
    assert info.value.status == 0 and sleeps == [0.1, 0.2]


def test_list_endpoints_follow_every_page(api: ScriptedGitHub) -> None:
    api.comments[3] = [{"id": i, "body": str(i)} for i in range(250)]
    assert [c["id"] for c in client(api).list_comments(3)] == list(range(250))
    assert [r.query.get("page") for r in api.requests] == [None, "2", "3"]
    assert all(r.query["per_page"] == "100" for r in api.requests)


def test_pull_endpoints(api: ScriptedGitHub) -> None:
    gh = client(api)
    opened = gh.create_pull("optimizer-agent/pr-3-x", "feature", "perf: 1 verified speedup for #3", "body")
    assert opened["number"] == 1 and api.requests[0].body["maintainer_can_modify"] is True
    assert [p["number"] for p in gh.list_pulls("feature")] == [1] and gh.list_pulls("main") == []
    assert gh.close_pull(1)["state"] == "closed" and gh.list_pulls("feature") == []
    assert gh.get_pull(1)["head"]["ref"] == "optimizer-agent/pr-3-x"


def test_from_env_needs_a_token_and_honours_github_api_url() -> None:
    assert GitHub.from_env({"GITHUB_API_URL": "https://ghe.example/api/v3"}, REPO) is None
    gh = GitHub.from_env({"GITHUB_TOKEN": "t", "GITHUB_API_URL": "https://ghe.example/api/v3/"}, REPO)
    assert gh is not None and gh.api_url == "https://ghe.example/api/v3"
    assert GitHub.from_env({"GITHUB_TOKEN": "t"}, REPO).api_url == "https://api.github.com"
