"""Turn a py-spy speedscope profile into ranked hot functions of the repo."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from optimizer_agent.analysis.extents import FunctionExtent, function_extents, innermost_function
from optimizer_agent.state import FunctionRef, Hotspot


class _Locator:
    """Maps (file, line) frames to repo functions, parsing each file once."""

    def __init__(self, tree_root: str, read: Callable[[str], str | None]) -> None:
        self.prefix = tree_root.rstrip("/") + "/"
        self.read = read
        self._extents: dict[str, list[FunctionExtent]] = {}

    def relative(self, path: str) -> str | None:
        """Repo-relative path of a frame's file, or None for library and stdlib frames."""
        if not path.startswith("/"):
            # py-spy reports a script run as `python bench.py` by the path it was given.
            rel = path[2:] if path.startswith("./") else path
        elif path.startswith(self.prefix):
            rel = path[len(self.prefix):]
        else:
            return None
        return None if "site-packages/" in rel else rel

    def function(self, rel: str, line: int) -> FunctionRef | None:
        """The innermost function containing `line`, or None at module level."""
        if rel not in self._extents:
            text = self.read(rel)
            self._extents[rel] = function_extents(text) if text is not None else []
        ext = innermost_function(self._extents[rel], line)
        if ext is None:
            return None
        return FunctionRef(file=rel, qualname=ext.qualname, start_line=ext.start_line, end_line=ext.end_line)


def rank_hotspots(
    profile: dict,
    tree_root: str,
    read: Callable[[str], str | None],
    is_target: Callable[[str], bool],
) -> tuple[list[Hotspot], int]:
    """Rank target functions by own samples (library callees charged to them), then by inclusive samples.

    `read` returns a repo file's text by relative path; `is_target` says which files may be optimized.
    Returns the ranking and the total number of samples seen.
    """
    frames = profile.get("shared", {}).get("frames", [])
    locator = _Locator(tree_root, read)
    frame_fn: dict[int, FunctionRef | None] = {}
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    refs: dict[str, FunctionRef] = {}
    all_samples = 0
    for prof in profile.get("profiles", []):
        weights = prof.get("weights") or [1] * len(prof.get("samples", []))
        for stack, weight in zip(prof.get("samples", []), weights):
            weight = int(weight) or 1
            all_samples += weight
            chain = [_resolve(i, frames, locator, frame_fn) for i in stack]
            repo_frames = [(fn, rel) for fn, rel in chain if rel is not None]
            if not repo_frames:
                continue
            leaf_fn, leaf_rel = repo_frames[-1]
            if leaf_fn is not None and is_target(leaf_rel):
                own[leaf_fn.key] += weight
            for key in {fn.key for fn, rel in repo_frames if fn is not None and is_target(rel)}:
                total[key] += weight
            for fn, _ in repo_frames:
                if fn is not None:
                    refs.setdefault(fn.key, fn)
    if all_samples == 0:
        return [], 0
    ranked = sorted(total, key=lambda k: (own[k], total[k]), reverse=True)
    hotspots = [
        Hotspot(
            function=refs[k],
            own_samples=own[k],
            total_samples=total[k],
            own_share=own[k] / all_samples,
            total_share=total[k] / all_samples,
        )
        for k in ranked
    ]
    return hotspots, all_samples


def _resolve(index: int, frames: list[dict], locator: _Locator,
             cache: dict[int, FunctionRef | None]) -> tuple[FunctionRef | None, str | None]:
    frame = frames[index]
    rel = locator.relative(frame.get("file") or "")
    if rel is None:
        return None, None
    if index not in cache:
        cache[index] = locator.function(rel, int(frame.get("line") or 0))
    return cache[index], rel
