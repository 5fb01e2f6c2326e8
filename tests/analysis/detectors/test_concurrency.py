"""Detectors for concurrency done one item at a time: each fires on realistic code, not on look-alikes."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


CASES = {
    C.LOCK_IN_LOOP: (
        [
            """
            import threading

            counter_guard = threading.Lock()
            hits = {}

            def record(paths):
                for p in paths:
                    with counter_guard:
                        hits[p] = hits.get(p, 0) + 1
            """,
            """
            class Stats:
                def add_all(self, samples):
                    for s in samples:
                        self._lock.acquire()
                        try:
                            self.values.append(s)
                        finally:
                            self._lock.release()
            """,
        ],
        [
            """
            class Stats:
                def add_all(self, samples):
                    with self._lock:
                        for s in samples:
                            self.values.append(s)
            """,
            """
            def copy_all(paths):
                for p in paths:
                    with open(p) as fh:
                        fh.read()
            """,
        ],
    ),
    C.AWAIT_IN_LOOP: (
        [
            """
            async def download(session, urls):
                pages = []
                for url in urls:
                    pages.append(await session.get(url))
                return pages
            """,
            """
            async def lookup_all(db, keys):
                return [await db.fetch(k) for k in keys]
            """,
        ],
        [
            """
            import asyncio

            async def download(session, urls):
                return await asyncio.gather(*(session.get(u) for u in urls))
            """,
            """
            import asyncio

            async def heartbeat(conn, n):
                for _ in range(n):
                    await conn.ping()
                    await asyncio.sleep(1.0)
            """,
            """
            async def consume(stream):
                async for chunk in stream:
                    await chunk.ack()
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
