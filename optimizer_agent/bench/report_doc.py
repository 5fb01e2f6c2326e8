"""The batch report as plain data (facts, tables, images), rendered by the Markdown, HTML and terminal writers."""

from __future__ import annotations

from dataclasses import dataclass, field

from optimizer_agent.bench.compare import Comparison
from optimizer_agent.bench.metrics import Metrics
from optimizer_agent.bench.records import ProblemResult
from optimizer_agent.bench.thresholds import OPT_SPEEDUP


@dataclass
class Table:
    """A titled table with a one-line explanation."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Doc:
    """Everything a report shows, in order."""

    title: str
    facts: list[tuple[str, str]]
    tables: list[Table] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)
    """(file name, caption) of the PNG plots beside the report."""


def pct(share: float) -> str:
    """A share as a percentage."""
    return f"{share:.1%}"


def speed(value: float | None, low: float | None = None, high: float | None = None) -> str:
    """A speedup with its interval when known."""
    if value is None:
        return "-"
    return f"{value:.2f}x [{low:.2f}, {high:.2f}]" if low is not None and high is not None else f"{value:.2f}x"


def _settings_line(config: dict) -> str:
    llm = f"model {config.get('model')}" if config.get("model") else "no LLM (offline rewrites)"
    return (f"{llm}; k={config.get('k')}; sandbox {config.get('sandbox')}; "
            f"budget {config.get('budget_s', 0):.0f}s per problem; min speedup {config.get('min_speedup')}")


def headline(m: Metrics) -> Table:
    """The metrics EffiSkill reports."""
    rows = [
        ["OPT@1", f"{pct(m.opt1)} ({m.opt1_count}/{m.problems})"],
        [f"OPT@{m.k}", f"{pct(m.optk)} ({m.optk_count}/{m.problems})"],
        ["mean clipped speedup", f"{m.mean_clipped_speedup:.3f}x"],
        ["pass rate (private tests)", pct(m.pass_rate)],
        ["problems with an accepted candidate", f"{m.accepted_problems}/{m.problems}"],
        ["errors", str(m.errors)],
        ["LLM tokens / cost / requests", f"{m.tokens:,} / ${m.cost_usd:.4f} / {m.llm_requests}"],
        ["wall time per problem (mean / median / max)",
         f"{m.wall_mean_s:.1f}s / {m.wall_median_s:.1f}s / {m.wall_max_s:.1f}s"],
        ["wall time, all problems summed", f"{m.wall_total_s:.0f}s"],
    ]
    note = (f"OPT counts a problem when its candidate is correct on the private tests and at least {OPT_SPEEDUP:.2f}x "
            f"faster there; OPT@1 scores the gate's choice (the run branch's final code), OPT@k the best of it and "
            f"up to k candidates the gate accepted.")
    return Table("Headline", ["metric", "value"], rows, note)


def problem_rows(results: list[ProblemResult]) -> list[list[str]]:
    """One row per problem."""
    rows = []
    for r in results:
        final = r.final
        private = speed(final.speedup, final.ci_low, final.ci_high) if final else "-"
        correct = "-" if final is None else ("yes" if final.correct else "NO")
        why = r.error or r.rejection or (final.error if final and final.error else "")
        rows.append([r.id, r.kind, r.classification, str(r.candidates), str(r.accepted),
                     speed(r.public_speedup, r.public_ci_low, r.public_ci_high), private, correct,
                     ", ".join(r.skills_landed) or "-", f"{r.wall_s:.1f}", why[:160]])
    return rows


PHASE_LABELS = (("worker_start_s", "worker start + imports"), ("setup_s", "repo set-up"),
                ("sandbox_start_s", "sandbox start"), ("calibrate_s", "workload calibration"),
                ("baseline_tests_s", "baseline tests"), ("profile_s", "profile"),
                ("gate_s", "gate: tests, behaviour, timing"), ("score_s", "private scoring"))


def time_table(results: list[ProblemResult]) -> Table:
    """Mean seconds per problem in each phase, and the rest (graph, git, skills, LLM)."""
    n = max(len(results), 1)
    rows = [[label, f"{sum(getattr(r.phases, name) for r in results) / n:.2f}"] for name, label in PHASE_LABELS]
    known = sum(float(v) for _, v in rows)
    wall = sum(r.wall_s for r in results) / n
    rows.append(["other (graph, git, skills, LLM)", f"{max(wall - known, 0.0):.2f}"])
    rows.append(["wall time", f"{wall:.2f}"])
    return Table("Time per problem", ["phase", "mean seconds"], rows)


def comparison_table(c: Comparison, name_a: str, name_b: str) -> Table:
    """The paired-bootstrap comparison of OPT@1."""
    rows = [
        ["common problems", f"{c.common} (only in A: {c.only_a}, only in B: {c.only_b})"],
        [f"OPT@1 A ({name_a})", pct(c.opt_a)],
        [f"OPT@1 B ({name_b})", pct(c.opt_b)],
        ["B - A", f"{c.difference:+.3f} [{c.ci_low:+.3f}, {c.ci_high:+.3f}] (95% CI)"],
        ["p (two-sided)", f"{c.p_value:.4f}"],
        ["problems only B optimized / only A", f"{c.b_only_wins} / {c.a_only_wins}"],
    ]
    return Table("Comparison", ["", "value"], rows, f"Paired bootstrap over problems, {c.resamples:,} resamples.")


def build(title: str, config: dict, results: list[ProblemResult], metrics: Metrics,
          comparison: Comparison | None = None, compare_names: tuple[str, str] = ("A", "B"),
          images: list[tuple[str, str]] | None = None) -> Doc:
    """Assemble the report."""
    facts = [("suite", str(config.get("suite", "?"))), ("settings", _settings_line(config)),
             ("problems", f"{metrics.problems} ({metrics.errors} errors)")]
    doc = Doc(title=title, facts=facts, images=images or [])
    doc.tables.append(headline(metrics))
    doc.tables.append(Table("Speedup buckets", ["private speedup of the gate's choice", "problems"],
                            [[k, str(v)] for k, v in metrics.buckets.items()],
                            "Clipped below at 1; a problem with nothing correct landed counts as 1.00x."))
    doc.tables.append(Table("Where problems stop", ["classification", "problems"],
                            [[k, str(v)] for k, v in metrics.classification.items()],
                            "The furthest point any candidate reached."))
    if comparison is not None:
        doc.tables.append(comparison_table(comparison, *compare_names))
    doc.tables.append(time_table(results))
    if metrics.skills:
        doc.tables.append(Table("Per-skill credit", ["skill", "proposed", "accepted", "landed", "optimized"],
                                [[s.skill, str(s.proposed), str(s.accepted), str(s.landed), str(s.optimized)]
                                 for s in metrics.skills], "Counts of problems."))
    doc.tables.append(Table("Problems", ["id", "kind", "classification", "cand.", "acc.", "public speedup [CI]",
                                         "private speedup [CI]", "correct", "skills landed", "wall s", "error"],
                            problem_rows(results)))
    return doc
