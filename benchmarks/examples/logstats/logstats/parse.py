"""Parse access-log lines in the combined format, with an optional request time.

A line looks like::

    203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET /p/12 HTTP/1.1" 200 2326 "https://shop.example.com/c/3" "Mozilla/5.0" 0.012

The trailing request time (seconds) is what nginx writes with ``$request_time``;
Apache's plain combined format has no such field, so it is optional.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

MONTHS = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6,
    "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}


class LogRecord(NamedTuple):
    """One request from an access log."""

    ip: str
    time: datetime
    method: str
    path: str
    status: int
    size: int
    referrer: str
    agent: str
    duration: float | None


def parse_time(text: str) -> datetime:
    """Parse a log timestamp such as ``10/Oct/2023:13:55:36 +0200`` into aware UTC."""
    stamp, zone = text.split(" ")
    day, month, rest = stamp.split("/")
    year, hour, minute, second = rest.split(":")
    local = datetime(
        int(year), MONTHS[month], int(day), int(hour), int(minute), int(second),
        tzinfo=timezone.utc,
    )
    sign = -1 if zone[0] == "-" else 1
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    return local - sign * offset


def parse_lines(lines: list[str]) -> list[LogRecord]:
    """Parse log lines, skipping blank lines, comments and lines in another format."""
    records = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r'(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+)[^"]*" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"(?: (\d+\.\d+))?$', line)
        if m is None:
            continue
        ip, stamp, method, path, status, size, referrer, agent, duration = m.groups()
        records.append(
            LogRecord(
                ip=ip,
                time=parse_time(stamp),
                method=method,
                path=path,
                status=int(status),
                size=0 if size == "-" else int(size),
                referrer=referrer,
                agent=agent,
                duration=None if duration is None else float(duration),
            )
        )
    return records


def parse_line(line: str) -> LogRecord | None:
    """Parse one log line; None if it is blank, a comment or not in the log format."""
    records = parse_lines([line])
    return records[0] if records else None
