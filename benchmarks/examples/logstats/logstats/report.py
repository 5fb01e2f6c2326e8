"""Render the log summary as a plain-text report."""

from __future__ import annotations

from collections import Counter

from logstats.graph import click_depths, landing_pages, referrer_graph
from logstats.parse import LogRecord
from logstats.stats import (
    blocked_requests,
    error_rate,
    latency_by_route,
    not_found_paths,
    returning_clients,
    route_counts,
    sessions_per_client,
    status_counts,
)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_table(headers: list[str], rows: list[tuple]) -> str:
    """A plain-text table: a header line, then one line per row.

    The first column is left-aligned and the others right-aligned; floats get three decimals.
    """
    table = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    text = ""
    for line in table:
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:])]
        text += "  ".join(cells).rstrip() + "\n"
    return text


def render_report(
    records: list[LogRecord],
    *,
    site: str,
    previous: list[LogRecord] | None = None,
    blocklist: list[str] | None = None,
    top: int = 10,
) -> str:
    """The full text report for one period's records.

    `previous` (the period before) adds the returning-clients section, `blocklist`
    the blocked-clients one; `top` caps every ranked table.
    """
    if not records:
        return "No requests.\n"
    times = [rec.time for rec in records]
    first = sorted(times)[0]
    last = sorted(times)[-1]
    sessions = sessions_per_client(records)
    parts = [
        f"Requests: {len(records)} from {first.isoformat()} to {last.isoformat()}\n",
        f"Clients: {len(sessions)} in {sum(sessions.values())} visits\n",
        f"Server errors: {error_rate(records):.2%}\n",
        "\n## Status codes\n",
        format_table(["status", "requests"], sorted(status_counts(records).items())),
        "\n## Top routes\n",
        format_table(["route", "requests"], route_counts(records).most_common(top)),
    ]

    latency = latency_by_route(records)
    slowest = sorted(latency.items(), key=lambda item: (-item[1][1], item[0]))[:top]
    parts += [
        "\n## Slowest routes (seconds)\n",
        format_table(["route", "fastest", "mean", "slowest"], [(r, *v) for r, v in slowest]),
        "\n## Not found\n",
        format_table(["path", "requests"], Counter(not_found_paths(records)).most_common(top)),
    ]

    if previous is not None:
        returning = returning_clients(records, previous)
        parts += [
            f"\n## Returning clients: {len(returning)} of {len(sessions)}\n",
            format_table(["client", "requests"], returning.most_common(top)),
        ]
    if blocklist is not None:
        blocked = blocked_requests(records, blocklist)
        parts += [
            f"\n## Blocked clients: {len(blocked)}, {sum(blocked.values())} requests\n",
            format_table(["client", "requests"], blocked.most_common(top)),
        ]

    graph = referrer_graph(records, site)
    reach = []
    for page, entries in landing_pages(records, site, top):
        depths = click_depths(graph, page)
        reach.append((page, entries, len(depths) - 1, max(depths.values())))
    parts += [
        "\n## Landing pages\n",
        format_table(["page", "entries", "reachable", "max depth"], reach),
    ]
    return "".join(parts)
