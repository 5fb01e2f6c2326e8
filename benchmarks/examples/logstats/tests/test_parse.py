from datetime import datetime, timezone

import pytest

from logstats import LogRecord, parse_line, parse_lines, parse_time

LINE = (
    '203.0.113.7 - - [10/Oct/2023:13:55:36 +0200] "GET /p/12?ref=mail HTTP/1.1" 200 2326 '
    '"https://shop.example.com/c/3" "Mozilla/5.0 (X11)" 0.012'
)


def test_parse_line_reads_every_field():
    assert parse_line(LINE) == LogRecord(
        ip="203.0.113.7",
        time=datetime(2023, 10, 10, 11, 55, 36, tzinfo=timezone.utc),
        method="GET",
        path="/p/12?ref=mail",
        status=200,
        size=2326,
        referrer="https://shop.example.com/c/3",
        agent="Mozilla/5.0 (X11)",
        duration=0.012,
    )


def test_parse_line_without_request_time_or_size():
    line = '192.0.2.4 - bob [01/Jan/2024:00:00:00 +0000] "HEAD /static/a.js HTTP/1.0" 304 - "-" "curl/8.5.0"'
    rec = parse_line(line)
    assert rec is not None
    assert (rec.method, rec.status, rec.size, rec.duration) == ("HEAD", 304, 0, None)
    assert rec.referrer == "-"


@pytest.mark.parametrize(
    "line", ["", "   \n", "# Software: nginx", "not a log line", LINE.replace(" 200 ", " OK ")]
)
def test_parse_line_rejects_blank_comment_and_garbage(line):
    assert parse_line(line) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/Oct/2023:13:55:36 +0000", datetime(2023, 10, 10, 13, 55, 36, tzinfo=timezone.utc)),
        ("01/Jan/2024:01:30:00 +0200", datetime(2023, 12, 31, 23, 30, tzinfo=timezone.utc)),
        ("28/Feb/2024:22:00:00 -0530", datetime(2024, 2, 29, 3, 30, tzinfo=timezone.utc)),
    ],
)
def test_parse_time_converts_to_utc(text, expected):
    parsed = parse_time(text)
    assert parsed == expected
    assert parsed.utcoffset().total_seconds() == 0


def test_parse_lines_keeps_order_and_skips_bad_lines():
    other = LINE.replace("203.0.113.7", "192.0.2.9").replace("/p/12?ref=mail", "/cart")
    lines = [LINE + "\n", "garbage", "", "# comment", "  " + other + "  "]
    records = parse_lines(lines)
    assert [(r.ip, r.path) for r in records] == [
        ("203.0.113.7", "/p/12?ref=mail"),
        ("192.0.2.9", "/cart"),
    ]
    assert parse_lines([]) == []
