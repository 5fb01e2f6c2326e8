"""PNG plots of a batch (matplotlib, headless): buckets, classification, speedups, where the time went."""

from __future__ import annotations

from pathlib import Path

from optimizer_agent.bench.metrics import Metrics, clipped, final_speedup
from optimizer_agent.bench.records import ProblemResult
from optimizer_agent.bench.thresholds import OPT_SPEEDUP

DPI = 110
MAX_LABELLED = 30
"""With more problems than this, bars go unlabelled."""
PHASES = (("worker_start_s", "worker start"), ("setup_s", "repo set-up"), ("sandbox_start_s", "sandbox start"),
          ("calibrate_s", "calibration"),
          ("baseline_tests_s", "baseline tests"), ("profile_s", "profile"), ("gate_s", "gate (tests + timing)"),
          ("score_s", "private scoring"))


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _label(ax, results: list[ProblemResult]) -> None:
    """Problem ids under the bars when they fit, else no ticks."""
    if len(results) <= MAX_LABELLED:
        ax.set_xticks(range(len(results)), [r.id for r in results], rotation=60, ha="right", fontsize="x-small")
    else:
        ax.set_xticks([])


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    _pyplot().close(fig)


def buckets(metrics: Metrics, path: Path) -> None:
    """Bar chart of the speedup buckets."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.2))
    labels = list(metrics.buckets)
    ax.bar(labels, [metrics.buckets[b] for b in labels], color=["#bbb", "#9ecae1", "#4292c6", "#08519c"])
    ax.set_ylabel("problems")
    ax.set_xlabel("private speedup of the gate's choice (clipped at 1)")
    ax.set_title("Speedup buckets")
    _save(fig, path)


def classification(metrics: Metrics, path: Path) -> None:
    """Horizontal bars: where the problems stopped."""
    plt = _pyplot()
    items = list(metrics.classification.items())
    fig, ax = plt.subplots(figsize=(6, 0.4 * max(len(items), 3) + 1))
    ax.barh([k for k, _ in items][::-1], [v for _, v in items][::-1], color="#6a51a3")
    ax.set_xlabel("problems")
    ax.set_title("Where problems stop")
    _save(fig, path)


def speedups(results: list[ProblemResult], path: Path) -> None:
    """Every problem's private speedup, sorted, on a log scale, with the OPT threshold."""
    plt = _pyplot()
    ordered = sorted(results, key=final_speedup)
    values = [max(final_speedup(r), 1e-3) for r in ordered]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    colors = ["#2ca25f" if r.opt1 else ("#de2d26" if r.status == "error" else "#999") for r in ordered]
    # Bars grow from 1x, up for speedups and down for slowdowns.
    ax.bar(range(len(values)), [v - 1 for v in values], bottom=1, color=colors)
    ax.axhline(OPT_SPEEDUP, color="black", linestyle="--", linewidth=1, label=f"{OPT_SPEEDUP:.2f}x")
    ax.set_yscale("log")
    ax.set_ylim(min(values + [0.9]) * 0.9, max(values + [1.3]) * 1.15)
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}x"))
    ax.yaxis.set_minor_formatter(FuncFormatter(lambda y, _: ""))
    _label(ax, ordered)
    ax.set_ylabel("private speedup")
    ax.set_title("Per-problem speedup of the gate's choice (green: OPT@1)")
    ax.legend(loc="upper left")
    _save(fig, path)


def wall_time(results: list[ProblemResult], path: Path) -> None:
    """Stacked bars of where each problem's wall time went."""
    plt = _pyplot()
    ordered = sorted(results, key=lambda r: r.wall_s)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    bottom = [0.0] * len(ordered)
    x = range(len(ordered))
    for name, label in PHASES:
        vals = [getattr(r.phases, name) for r in ordered]
        ax.bar(x, vals, bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, vals)]
    other = [max(r.wall_s - b, 0.0) for r, b in zip(ordered, bottom)]
    ax.bar(x, other, bottom=bottom, label="other (graph, LLM, git)", color="#ddd")
    _label(ax, ordered)
    ax.set_ylabel("seconds")
    ax.set_title("Wall time per problem")
    ax.legend(fontsize="x-small", loc="upper left")
    _save(fig, path)


def paired(a: list[ProblemResult], b: list[ProblemResult], path: Path) -> None:
    """Scatter of the two runs' clipped speedups on their common problems."""
    plt = _pyplot()
    by_b = {r.id: r for r in b}
    pairs = [(clipped(r), clipped(by_b[r.id])) for r in a if r.id in by_b]
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.scatter([p[0] for p in pairs], [p[1] for p in pairs], alpha=0.7)
    top = max([1.5] + [max(p) for p in pairs]) * 1.1
    ax.plot([1, top], [1, top], color="#999", linewidth=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("A: clipped speedup")
    ax.set_ylabel("B: clipped speedup")
    ax.set_title("Paired speedups")
    _save(fig, path)


def write_plots(folder: Path, results: list[ProblemResult], metrics: Metrics,
                other: list[ProblemResult] | None = None) -> list[tuple[str, str]]:
    """Write every plot into `folder`; return (file name, caption) pairs."""
    made = [("speedup_buckets.png", "Speedup buckets"), ("classification.png", "Where problems stop"),
            ("speedups.png", "Per-problem private speedup"), ("wall_time.png", "Wall time per problem")]
    buckets(metrics, folder / made[0][0])
    classification(metrics, folder / made[1][0])
    speedups(results, folder / made[2][0])
    wall_time(results, folder / made[3][0])
    if other is not None:
        made.append(("compare.png", "Paired speedups, A vs B"))
        paired(results, other, folder / made[-1][0])
    return made
