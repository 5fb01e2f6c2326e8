"""Aggregate parsed log records into counts, rates and per-route figures."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import timedelta

from logstats.parse import LogRecord


def status_counts(records: list[LogRecord]) -> Counter[int]:
    """Number of requests per HTTP status code."""
    return Counter(rec.status for rec in records)


def error_rate(records: list[LogRecord]) -> float:
    """Share of requests answered with a 5xx status; 0.0 when there are none."""
    if not records:
        return 0.0
    errors = 0
    for rec in records:
        if rec.status >= 500:
            errors += 1
    return errors / len(records)


def mean(values: list[float]) -> float:
    """Arithmetic mean; 0.0 for an empty list."""
    if not values:
        return 0.0
    total = 0
    for value in values:
        total += value
    return total / len(values)


def blocked_requests(records: list[LogRecord], blocklist: list[str]) -> Counter[str]:
    """Requests per client for the clients whose IP is on the blocklist."""
    hits: Counter[str] = Counter()
    for rec in records:
        if rec.ip in blocklist:
            hits[rec.ip] += 1
    return hits


def returning_clients(records: list[LogRecord], previous: list[LogRecord]) -> Counter[str]:
    """Requests per client for the clients that also appear in the previous period's log."""
    seen_before = [rec.ip for rec in previous]
    counts: Counter[str] = Counter()
    for rec in records:
        if rec.ip in seen_before:
            counts[rec.ip] += 1
    return counts


def not_found_paths(records: list[LogRecord]) -> list[str]:
    """Paths of the requests answered 404, in log order (repeats kept)."""
    paths = []
    for rec in records:
        if rec.status == 404:
            paths.append(rec.path)
    return paths


def route_counts(records: list[LogRecord]) -> Counter[str]:
    """Requests per route: the path without its query, numeric segments shown as ``<id>``."""
    counts: Counter[str] = Counter()
    for rec in records:
        path = rec.path.split("?", 1)[0]
        counts[re.sub(r"/\d+(?=/|$)", "/<id>", path)] += 1
    return counts


def latency_by_route(records: list[LogRecord]) -> dict[str, tuple[float, float, float]]:
    """(fastest, mean, slowest) request time per route, for records that carry one."""
    durations: dict[str, list[float]] = defaultdict(list)
    for rec in records:
        if rec.duration is None:
            continue
        path = rec.path.split("?", 1)[0]
        durations[re.sub(r"/\d+(?=/|$)", "/<id>", path)].append(rec.duration)
    summary = {}
    for route, values in durations.items():
        fastest = sorted(values)[0]
        slowest = sorted(values)[-1]
        summary[route] = (fastest, mean(values), slowest)
    return summary


def sessions_per_client(
    records: list[LogRecord], gap: timedelta = timedelta(minutes=30)
) -> dict[str, int]:
    """Number of visits per client, a new visit starting after `gap` without requests."""
    times: dict[str, list] = defaultdict(list)
    for rec in records:
        times[rec.ip].append(rec.time)
    sessions = {}
    for ip, stamps in times.items():
        stamps.sort()
        count = 1
        i = 1
        while i < len(stamps):
            if stamps[i] - stamps[i - 1] > gap:
                count += 1
            i += 1
        sessions[ip] = count
    return sessions
