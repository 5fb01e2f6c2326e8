"""Retry delays: exponential backoff with jitter, and the server's Retry-After when it sends one."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

MS_PER_SECOND = 1000.0
JITTER_LOW = 0.5
"""Delays are drawn from [JITTER_LOW, 1] x the exponential step, so parallel clients spread out."""


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait before retry number `attempt` (0 for the first retry)."""
    step = min(cap, base * (2**attempt))
    return step * rng.uniform(JITTER_LOW, 1.0)


def retry_after_seconds(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """The wait the server asked for via `retry-after-ms` or `retry-after` (seconds or HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / MS_PER_SECOND)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())


def next_delay(
    attempt: int, base: float, cap: float, rng: random.Random, headers: Mapping[str, str] | None = None
) -> float:
    """Retry-After when given (capped at `cap`), else the jittered exponential backoff."""
    asked = retry_after_seconds(headers) if headers is not None else None
    if asked is not None:
        return min(cap, asked)
    return backoff_delay(attempt, base, cap, rng)
