"""Shared fixtures: a factory for log records with sensible defaults."""

from datetime import datetime, timedelta, timezone

import pytest

from logstats import LogRecord

T0 = datetime(2024, 5, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def make_record():
    """Build a LogRecord; `minute` offsets the time from 08:00 UTC."""

    def make(
        ip="198.51.100.1",
        path="/",
        status=200,
        referrer="-",
        duration=0.05,
        minute=0,
        size=100,
    ):
        return LogRecord(
            ip=ip,
            time=T0 + timedelta(minutes=minute),
            method="GET",
            path=path,
            status=status,
            size=size,
            referrer=referrer,
            agent="pytest",
            duration=duration,
        )

    return make
