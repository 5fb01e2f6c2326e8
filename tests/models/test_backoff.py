"""Retry delays: the server's Retry-After in its three spellings, else jittered exponential backoff."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from optimizer_agent.models.backoff import backoff_delay, next_delay, retry_after_seconds


def test_retry_after_spellings():
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    later = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert retry_after_seconds({"retry-after": later}, now=now) == 7.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_backoff_grows_with_jitter_and_stops_at_the_cap():
    rng = random.Random(1)
    delays = [backoff_delay(attempt, 1.0, 5.0, rng) for attempt in range(6)]
    for attempt, delay in enumerate(delays):
        step = min(5.0, 2**attempt)
        assert step * 0.5 <= delay <= step
    assert delays[-1] <= 5.0


def test_next_delay_prefers_the_server_but_caps_it():
    rng = random.Random(0)
    assert next_delay(0, 1.0, 10.0, rng, {"retry-after": "2"}) == 2.0
    assert next_delay(0, 1.0, 10.0, rng, {"retry-after": "600"}) == 10.0
    assert 0.5 <= next_delay(0, 1.0, 10.0, rng, {}) <= 1.0
