"""The site's link graph, as seen through the Referer header of page views."""

from __future__ import annotations

from collections import Counter

from logstats.parse import LogRecord


def _site_path(referrer: str, site: str) -> str | None:
    """The path part of a referrer URL on `site`, without its query; None when off-site."""
    for scheme in ("https://", "http://"):
        prefix = scheme + site
        if referrer.startswith(prefix):
            rest = referrer[len(prefix):]
            if rest and rest[0] not in "/?":
                return None  # another host that merely starts with the same name
            path = rest.split("?", 1)[0]
            return path or "/"
    return None


def referrer_graph(records: list[LogRecord], site: str) -> dict[str, list[str]]:
    """Links followed on `site`: referring page -> pages requested from it, first seen first.

    Only successful requests with a referrer on `site` count; query strings are dropped.
    """
    links: dict[str, dict[str, None]] = {}
    for rec in records:
        if rec.status >= 400:
            continue
        source = _site_path(rec.referrer, site)
        if source is None:
            continue
        target = rec.path.split("?", 1)[0]
        links.setdefault(source, {})[target] = None
    return {source: list(targets) for source, targets in links.items()}


def landing_pages(records: list[LogRecord], site: str, n: int = 5) -> list[tuple[str, int]]:
    """The `n` pages most often entered from outside `site`, with their entry counts."""
    entries: Counter[str] = Counter()
    for rec in records:
        if rec.status < 400 and _site_path(rec.referrer, site) is None:
            entries[rec.path.split("?", 1)[0]] += 1
    return entries.most_common(n)


def click_depths(graph: dict[str, list[str]], start: str) -> dict[str, int]:
    """Fewest clicks from `start` to every page reachable from it (breadth-first)."""
    depths = {start: 0}
    queue = [start]
    while queue:
        page = queue.pop(0)
        for target in graph.get(page, ()):
            if target not in depths:
                depths[target] = depths[page] + 1
                queue.append(target)
    return depths
