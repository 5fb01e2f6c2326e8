"""Detectors for numpy arrays handled element by element: each fires on realistic code, not on look-alikes."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


CASES = {
    C.NUMPY_ELEMENT_LOOP: (
        [
            """
            import numpy as np

            def normalise(samples):
                arr = np.array(samples, dtype=float)
                out = np.zeros(len(arr))
                for i in range(len(arr)):
                    out[i] = (arr[i] - 3.0) / 2.0
                return out
            """,
            """
            import numpy

            def positives(n):
                data = numpy.random.default_rng(0).integers(-5, 5, n)
                kept = []
                for value in data:
                    if value > 0:
                        kept.append(int(value))
                return kept
            """,
            """
            from numpy import linspace

            def table(n):
                xs = linspace(0.0, 1.0, n)
                rows = []
                for i, x in enumerate(xs):
                    rows.append((i, x * x))
                return rows
            """,
        ],
        [
            """
            def normalise(samples):
                out = []
                for s in samples:
                    out.append((s - 3.0) / 2.0)
                return out
            """,
            """
            import numpy as np

            def normalise(samples):
                arr = np.asarray(samples, dtype=float)
                return (arr - 3.0) / 2.0
            """,
        ],
    ),
    C.BUILTIN_ON_NDARRAY: (
        [
            """
            import numpy as np

            def stats(values):
                arr = np.asarray(values)
                return sum(arr), max(arr)
            """,
            """
            import numpy as np

            def hot_days(temps):
                t = np.array(temps)
                return sum(t > 30)
            """,
        ],
        [
            """
            import numpy as np

            def stats(values):
                arr = np.asarray(values)
                return arr.sum(), arr.max()
            """,
            """
            import numpy as np

            def stats(values):
                return sum(values), max(values)
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
