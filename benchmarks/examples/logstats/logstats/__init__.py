"""logstats: summaries and a text report from web-server access logs."""

from logstats.graph import click_depths, landing_pages, referrer_graph
from logstats.parse import LogRecord, parse_line, parse_lines, parse_time
from logstats.report import format_table, render_report
from logstats.stats import (
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

__all__ = [
    "LogRecord",
    "blocked_requests",
    "click_depths",
    "error_rate",
    "format_table",
    "landing_pages",
    "latency_by_route",
    "mean",
    "not_found_paths",
    "parse_line",
    "parse_lines",
    "parse_time",
    "referrer_graph",
    "render_report",
    "returning_clients",
    "route_counts",
    "sessions_per_client",
    "status_counts",
]
