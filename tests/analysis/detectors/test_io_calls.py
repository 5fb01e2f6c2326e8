"""Detectors for per-iteration I/O: each fires on realistic code and stays quiet on look-alikes."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


CASES = {
    C.PRINT_IN_LOOP: (
        [
            """
            def dump(rows):
                for row in rows:
                    print(*row, sep=",")
            """,
            """
            def answer(queries, table):
                for q in queries:
                    print(table.get(q, -1))
            """,
        ],
        [
            """
            def progress(steps):
                for i in range(steps):
                    print(f"step {i}", flush=True)
            """,
            """
            def show(rows):
                print("\\n".join(map(str, rows)))
            """,
            """
            def emit(lines, print):
                for line in lines:
                    print(line)
            """,
        ],
    ),
    C.INPUT_IN_LOOP: (
        [
            """
            def main():
                n = int(input())
                rows = [list(map(int, input().split())) for _ in range(n)]
                return rows
            """,
            """
            def read_edges(m):
                edges = []
                while len(edges) < m:
                    a, b = input().split()
                    edges.append((a, b))
                return edges
            """,
        ],
        [
            """
            def ask():
                name = input("name? ")
                return name.strip()
            """,
            """
            class Form:
                def fill(self, fields):
                    return {f: self.input(f) for f in fields}
            """,
        ],
    ),
    C.OPEN_IN_LOOP: (
        [
            """
            def log_all(messages, path):
                for m in messages:
                    with open(path, "a") as fh:
                        fh.write(m + "\\n")
            """,
            """
            def known(words):
                hits = []
                for w in words:
                    if w in open("dictionary.txt").read().split():
                        hits.append(w)
                return hits
            """,
        ],
        [
            """
            def read_all(paths):
                out = []
                for p in paths:
                    with open(p) as fh:
                        out.append(fh.read())
                return out
            """,
            """
            def save(rows, path):
                with open(path, "w") as fh:
                    for r in rows:
                        fh.write(r)
            """,
        ],
    ),
    C.BLOCKING_CALL_IN_LOOP: (
        [
            """
            import requests

            def statuses(urls):
                return [requests.get(u, timeout=5).status_code for u in urls]
            """,
            """
            import subprocess

            def versions(tools):
                out = {}
                for t in tools:
                    out[t] = subprocess.run([t, "--version"], capture_output=True).stdout
                return out
            """,
            """
            from urllib.request import urlopen

            def pages(urls):
                bodies = []
                for u in urls:
                    bodies.append(urlopen(u).read())
                return bodies
            """,
        ],
        [
            """
            import requests

            def status(url):
                return requests.get(url).status_code
            """,
            """
            import asyncio

            async def poll(n):
                for _ in range(n):
                    await asyncio.sleep(1)
            """,
            """
            def parse_all(texts, parser):
                return [parser.get(t) for t in texts]
            """,
        ],
    ),
}


@pytest.mark.parametrize(("detector", "source"), [(d, s) for d, (hits, _) in CASES.items() for s in hits])
def test_fires(detector: str, source: str) -> None:
    assert fired(source, detector)


@pytest.mark.parametrize(("detector", "source"), [(d, s) for d, (_, quiet) in CASES.items() for s in quiet])
def test_quiet(detector: str, source: str) -> None:
    assert fired(source, detector) == []
