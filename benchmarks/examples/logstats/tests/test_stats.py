from collections import Counter
from datetime import timedelta

import pytest

from logstats import (
    blocked_requests,
    error_rate,
    latency_by_route,
    mean,
    not_found_paths,
    returning_clients,
    route_counts,
    sessions_per_client,
    status_counts,
)


def test_status_counts_and_error_rate(make_record):
    records = [make_record(status=s) for s in (200, 200, 404, 500, 503)]
    assert status_counts(records) == Counter({200: 2, 404: 1, 500: 1, 503: 1})
    assert error_rate(records) == pytest.approx(0.4)
    assert error_rate([]) == 0.0
    assert status_counts([]) == Counter()


def test_mean():
    assert mean([1, 2, 3, 4]) == 2.5
    assert mean([0.1, 0.2, 0.3]) == pytest.approx(0.2)
    assert mean([]) == 0.0


def test_blocked_requests_counts_only_listed_clients(make_record):
    records = [make_record(ip=ip) for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3")]
    blocklist = ["10.0.0.9", "10.0.0.1", "10.0.0.3", "10.0.0.1"]
    assert blocked_requests(records, blocklist) == Counter({"10.0.0.1": 2, "10.0.0.3": 1})
    assert blocked_requests(records, []) == Counter()
    assert blocked_requests([], blocklist) == Counter()


def test_blocked_requests_leaves_the_blocklist_alone(make_record):
    blocklist = ["10.0.0.1", "10.0.0.2"]
    blocked_requests([make_record(ip="10.0.0.1")], blocklist)
    assert blocklist == ["10.0.0.1", "10.0.0.2"]


def test_returning_clients(make_record):
    previous = [make_record(ip=ip) for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.1")]
    records = [make_record(ip=ip) for ip in ("10.0.0.2", "10.0.0.3", "10.0.0.2", "10.0.0.1")]
    assert returning_clients(records, previous) == Counter({"10.0.0.2": 2, "10.0.0.1": 1})
    assert returning_clients(records, []) == Counter()


def test_not_found_paths_keeps_order_and_repeats(make_record):
    records = [
        make_record(path="/a", status=404),
        make_record(path="/b", status=200),
        make_record(path="/c", status=404),
        make_record(path="/a", status=404),
        make_record(path="/d", status=410),
    ]
    assert not_found_paths(records) == ["/a", "/c", "/a"]
    assert not_found_paths([]) == []


def test_route_counts_groups_numeric_segments(make_record):
    paths = ["/p/12", "/p/7?ref=x", "/p/7/reviews", "/c/3", "/static/v2/app.js", "/2024x", "/"]
    assert route_counts([make_record(path=p) for p in paths]) == Counter(
        {
            "/p/<id>": 2,
            "/p/<id>/reviews": 1,
            "/c/<id>": 1,
            "/static/v2/app.js": 1,
            "/2024x": 1,
            "/": 1,
        }
    )


def test_latency_by_route(make_record):
    records = [
        make_record(path="/p/1", duration=0.3),
        make_record(path="/p/2?x=1", duration=0.1),
        make_record(path="/p/3", duration=0.2),
        make_record(path="/cart", duration=0.05),
        make_record(path="/cart", duration=None),
        make_record(path="/old", duration=None),
    ]
    summary = latency_by_route(records)
    assert set(summary) == {"/p/<id>", "/cart"}
    assert summary["/p/<id>"] == pytest.approx((0.1, 0.2, 0.3))
    assert summary["/cart"] == pytest.approx((0.05, 0.05, 0.05))
    assert latency_by_route([]) == {}


def test_sessions_per_client_splits_on_gaps(make_record):
    records = [
        make_record(ip="a", minute=0),
        make_record(ip="a", minute=95),  # out of order on purpose
        make_record(ip="a", minute=20),
        make_record(ip="a", minute=50),  # exactly 30 minutes after the last: same visit
        make_record(ip="b", minute=5),
    ]
    assert sessions_per_client(records) == {"a": 2, "b": 1}
    assert sessions_per_client(records, gap=timedelta(minutes=25)) == {"a": 3, "b": 1}
    assert sessions_per_client([]) == {}
