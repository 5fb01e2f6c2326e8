from logstats import format_table, render_report

SITE = "shop.example.com"
HOME = "https://shop.example.com"


def test_format_table_aligns_columns():
    text = format_table(["route", "requests", "mean"], [("/p/<id>", 12, 0.25), ("/", 3, 1.0)])
    assert text == (
        "route    requests   mean\n"
        "/p/<id>        12  0.250\n"
        "/               3  1.000\n"
    )


def test_format_table_without_rows():
    assert format_table(["page", "entries"], []) == "page  entries\n"


def test_render_report_empty():
    assert render_report([], site=SITE) == "No requests.\n"


def test_render_report_sections(make_record):
    records = [
        make_record(ip="10.0.0.2", path="/", minute=40),
        make_record(ip="10.0.0.1", path="/c/1", referrer=HOME + "/", minute=0),
        make_record(ip="10.0.0.1", path="/p/7", referrer=HOME + "/c/1", minute=1, duration=0.5),
        make_record(ip="10.0.0.3", path="/.env", status=404, minute=2),
        make_record(ip="10.0.0.2", path="/p/8", referrer=HOME + "/c/1", status=500, minute=90),
    ]
    previous = [make_record(ip="10.0.0.2")]
    report = render_report(records, site=SITE, previous=previous, blocklist=["10.0.0.3"])
    assert report == EXPECTED_REPORT


EXPECTED_REPORT = """\
Requests: 5 from 2024-05-02T08:00:00+00:00 to 2024-05-02T09:30:00+00:00
Clients: 3 in 4 visits
Server errors: 20.00%

## Status codes
status  requests
200            3
404            1
500            1

## Top routes
route    requests
/p/<id>         2
/               1
/c/<id>         1
/.env           1

## Slowest routes (seconds)
route    fastest   mean  slowest
/p/<id>    0.050  0.275    0.500
/          0.050  0.050    0.050
/.env      0.050  0.050    0.050
/c/<id>    0.050  0.050    0.050

## Not found
path   requests
/.env         1

## Returning clients: 1 of 3
client    requests
10.0.0.2         2

## Blocked clients: 1, 1 requests
client    requests
10.0.0.3         1

## Landing pages
page  entries  reachable  max depth
/           1          2          2
"""


def test_render_report_optional_sections(make_record):
    report = render_report([make_record()], site=SITE, top=1)
    assert "Returning clients" not in report
    assert "Blocked clients" not in report
    assert report.endswith("## Landing pages\npage  entries  reachable  max depth\n/           1          0          0\n")
