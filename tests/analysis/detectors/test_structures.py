"""Detectors for containers used the slow way in loops: each fires on realistic code and stays quiet on look-alikes."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


CASES = {
    C.MANUAL_GROUPING: (
        [
            """
            def by_domain(emails):
                buckets = {}
                for e in emails:
                    domain = e.split("@")[1]
                    if domain not in buckets:
                        buckets[domain] = []
                    buckets[domain].append(e)
                return buckets
            """,
            """
            def tally(events):
                seen = {}
                for ev in events:
                    if ev.kind in seen:
                        seen[ev.kind] += 1
                    else:
                        seen[ev.kind] = 1
                return seen
            """,
            """
            class Index:
                def build(self, docs):
                    for doc_id, words in docs:
                        for w in words:
                            self.postings[w] = self.postings.get(w, 0) + 1
            """,
        ],
        [
            """
            def fib_cache(keys, cache):
                for k in keys:
                    if k not in cache:
                        cache[k] = expensive(k)
                return cache
            """,
            """
            def first_index(words):
                first = {}
                for i, w in enumerate(words):
                    if w not in first:
                        first[w] = i
                return first
            """,
            """
            def setup(config):
                if "paths" not in config:
                    config["paths"] = []
                return config
            """,
        ],
    ),
    C.MIN_REMOVE_IN_LOOP: (
        [
            """
            def schedule(jobs):
                pending = list(jobs)
                order = []
                while pending:
                    job = min(pending)
                    pending.remove(job)
                    order.append(job)
                return order
            """,
            """
            def huffman_cost(freqs):
                nodes = sorted(freqs)
                cost = 0
                for _ in range(len(freqs) - 1):
                    a = min(nodes); nodes.remove(a)
                    b = min(nodes); nodes.remove(b)
                    cost += a + b
                    nodes.append(a + b)
                return cost
            """,
        ],
        [
            """
            def smallest(values):
                return min(values)
            """,
            """
            def drop_bad(items, bad):
                for b in bad:
                    items.remove(b)
                return min(items)
            """,
        ],
    ),
    C.SORT_IN_LOOP: (
        [
            """
            def leaderboard(stream):
                board = []
                snapshots = []
                for score in stream:
                    board.append(score)
                    board.sort(reverse=True)
                    snapshots.append(board[:3])
                return snapshots
            """,
            """
            def ranks(values):
                seen = []
                out = []
                for v in values:
                    seen.append(v)
                    out.append(sorted(seen).index(v))
                return out
            """,
        ],
        [
            """
            def sort_rows(rows):
                for row in rows:
                    row.sort()
                return rows
            """,
            """
            def collect(values):
                out = []
                for v in values:
                    out.append(v)
                out.sort()
                return out
            """,
        ],
    ),
    C.BYTES_CONCAT: (
        [
            """
            def pack(values):
                blob = b""
                for v in values:
                    blob += v.to_bytes(2, "big")
                return blob
            """,
            """
            def frame(chunks):
                payload = bytes()
                for c in chunks:
                    payload = payload + len(c).to_bytes(4, "little") + c
                return payload
            """,
        ],
        [
            """
            def pack(values):
                blob = bytearray()
                for v in values:
                    blob += v.to_bytes(2, "big")
                return bytes(blob)
            """,
            """
            def render(parts):
                text = ""
                for p in parts:
                    text += p
                return text.encode()
            """,
        ],
    ),
    C.SLICE_CONSUME: (
        [
            """
            def tokens(text):
                out = []
                while text:
                    if text[0].isdigit():
                        out.append(text[0])
                    text = text[1:]
                return out
            """,
            """
            def chunks(data, size):
                parts = []
                while len(data) > 0:
                    parts.append(data[:size])
                    data = data[size:]
                return parts
            """,
        ],
        [
            """
            def tail(items):
                items = items[1:]
                return items
            """,
            """
            def windows(xs, k):
                out = []
                for i in range(len(xs)):
                    part = xs[i:]
                    out.append(part[:k])
                return out
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
