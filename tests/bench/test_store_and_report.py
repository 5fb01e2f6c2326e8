"""The results store (resumable, one row per problem) and the report files written from it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from optimizer_agent.bench.report import write_report
from optimizer_agent.bench.store import ResultStore
from optimizer_agent.errors import BadInput

from tests.bench.test_metrics import result

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def fill(folder: Path, results, k: int = 2) -> None:
    with ResultStore(folder) as store:
        store.set_config({"suite": "suites/demo<1>.jsonl", "k": k, "model": None, "sandbox": "local",
                          "budget_s": 60.0, "min_speedup": 1.05})
        for r in results:
            store.put(r)


def test_store_keeps_one_row_per_problem_in_suite_order(tmp_path: Path) -> None:
    with ResultStore(tmp_path) as store:
        assert store.config() is None and store.finished() == {}
        store.put(result("b", position=1, problem_hash="h-b"))
        store.put(result("a", position=0, problem_hash="h-a"))
        store.put(result("b", position=1, problem_hash="h-b2", speedup=2.0))
        store.set_config({"k": 3})
    with ResultStore(tmp_path, create=False) as store:
        assert [r.id for r in store.results()] == ["a", "b"]
        assert store.finished() == {"a": "h-a", "b": "h-b2"} and store.results()[1].opt1
        assert store.config() == {"k": 3}


def test_store_errors_are_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no batch results here"):
        ResultStore(tmp_path / "empty", create=False)
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "results.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(BadInput, match="not a results store"):
        ResultStore(tmp_path / "junk")
    with ResultStore(tmp_path / "old"):
        pass
    with sqlite3.connect(tmp_path / "old" / "results.db") as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    with pytest.raises(BadInput, match="schema 0"):
        ResultStore(tmp_path / "old")


def test_report_writes_markdown_html_metrics_and_plots(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    fill(a, [result("p1", speedup=2.0, cls="optimized", wall_s=3), result("p2", cls="no skill matched", skills=()),
             result("p3", status="error", error="baseline <tests> fail", cls="error", skills=())])
    fill(b, [result("p1", speedup=2.0, cls="optimized"), result("p2", speedup=1.3, cls="optimized")])
    report, doc = write_report(a, b)
    assert report.metrics.opt1_count == 1 and report.comparison.common == 2 and report.comparison.b_only_wins == 1
    md = (a / "report.md").read_text()
    assert "| OPT@1 | 33.3% (1/3) |" in md and "| OPT@2 |" in md and "## Comparison" in md
    assert "| p3 | function | error |" in md and "baseline <tests> fail" in md and "![Speedup buckets](speedup_buckets.png)" in md
    html = (a / "report.html").read_text()
    assert "baseline &lt;tests&gt; fail" in html and "demo&lt;1&gt;.jsonl" in html and "<img src='compare.png'" in html
    for name in ("speedup_buckets.png", "classification.png", "speedups.png", "wall_time.png", "compare.png"):
        assert (a / name).read_bytes()[:8] == PNG_MAGIC, name
    saved = json.loads((a / "metrics.json").read_text())
    assert saved["metrics"]["classification"] == {"optimized": 1, "no skill matched": 1, "error": 1}
    assert saved["comparison"]["opt_b"] == 1.0
    assert [t.title for t in doc.tables][:3] == ["Headline", "Speedup buckets", "Where problems stop"]


def test_report_of_an_empty_folder_is_bad_input(tmp_path: Path) -> None:
    fill(tmp_path, [])
    with pytest.raises(BadInput, match="no finished problems"):
        write_report(tmp_path)
