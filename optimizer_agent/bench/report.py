"""`bench report`: metrics from a results folder, written as report.md, report.html, metrics.json and plots."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from optimizer_agent.bench.compare import Comparison, compare
from optimizer_agent.bench.metrics import Metrics, compute
from optimizer_agent.bench.records import ProblemResult
from optimizer_agent.bench.report_doc import Doc, build
from optimizer_agent.bench.report_html import render_html
from optimizer_agent.bench.report_md import render_markdown
from optimizer_agent.bench.store import ResultStore
from optimizer_agent.bench.thresholds import DEFAULT_K
from optimizer_agent.errors import BadInput

REPORT_MD = "report.md"
REPORT_HTML = "report.html"
METRICS_JSON = "metrics.json"


class Report(BaseModel):
    """What `bench report` produced."""

    folder: str
    metrics: Metrics
    comparison: Comparison | None = None
    files: list[str]


def load(folder: Path) -> tuple[dict, list[ProblemResult]]:
    """The stored settings and results of a batch folder."""
    with ResultStore(folder, create=False) as store:
        config, results = store.config() or {}, store.results()
    if not results:
        raise BadInput(f"{folder}: no finished problems yet")
    return config, results


def write_report(folder: Path, other: Path | None = None) -> tuple[Report, Doc]:
    """Compute the metrics (and the comparison with `other`), write every report file into `folder`."""
    folder = Path(folder)
    config, results = load(folder)
    metrics = compute(results, int(config.get("k") or DEFAULT_K))
    comparison = None
    other_results = None
    if other is not None:
        _, other_results = load(Path(other))
        comparison = compare(results, other_results)
    from optimizer_agent.bench.plots import write_plots

    images = write_plots(folder, results, metrics, other_results)
    title = f"optimizer-agent batch: {Path(str(config.get('suite', folder))).name}"
    names = (folder.name, Path(other).name if other else "B")
    doc = build(title, config, results, metrics, comparison, names, images)
    (folder / REPORT_MD).write_text(render_markdown(doc), encoding="utf-8")
    (folder / REPORT_HTML).write_text(render_html(doc), encoding="utf-8")
    payload = {"metrics": metrics.model_dump(), "comparison": comparison.model_dump() if comparison else None,
               "config": config}
    (folder / METRICS_JSON).write_text(json.dumps(payload, indent=2), encoding="utf-8")
    files = [str(folder / n) for n in (REPORT_MD, REPORT_HTML, METRICS_JSON)] + [str(folder / n) for n, _ in images]
    return Report(folder=str(folder), metrics=metrics, comparison=comparison, files=files), doc
