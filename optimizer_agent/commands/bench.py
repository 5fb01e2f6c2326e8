"""`optimizer-agent bench run|report`: batch runs over suites, and their reports."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from optimizer_agent.commands.output import emit_json, err_console, progress, warn

TERMINAL_PROBLEM_ROWS = 60
"""Longer batches show their per-problem table only in report.md / report.html."""
TERMINAL_PROBLEM_COLUMNS = ("id", "classification", "cand.", "acc.", "private speedup [CI]", "correct", "wall s")
"""The per-problem columns that fit a terminal; the report files have them all."""


def show(doc) -> None:
    """Print the report's tables on stderr."""
    console = err_console()
    console.print(f"[bold]{doc.title}[/bold]")
    for name, value in doc.facts:
        console.print(f"  {name}: {value}")
    for t in doc.tables:
        if t.title == "Problems" and len(t.rows) > TERMINAL_PROBLEM_ROWS:
            console.print(f"({len(t.rows)} problems: see report.md for the per-problem table)")
            continue
        keep = [i for i, h in enumerate(t.headers) if t.title != "Problems" or h in TERMINAL_PROBLEM_COLUMNS]
        table = Table(title=t.title, title_justify="left")
        for i in keep:
            table.add_column(t.headers[i], overflow="fold")
        for row in t.rows:
            table.add_row(*[row[i] for i in keep])
        console.print(table)


def run_bench(options: dict, as_json: bool) -> int:
    """Run (or resume) a batch, then write and print its report."""
    from optimizer_agent.bench.batch import BatchOptions, BatchPlan, run_batch
    from optimizer_agent.bench.progress import BatchProgress
    from optimizer_agent.bench.report import write_report
    from optimizer_agent.errors import BadInput

    try:
        opts = BatchOptions(**options)
    except ValueError as exc:
        first = exc.errors()[0] if hasattr(exc, "errors") else {"loc": ["?"], "msg": str(exc)}
        raise BadInput(f"bad option {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    bar = BatchProgress(err_console())

    def announce(batch: BatchPlan) -> None:
        mode = f"model {batch.settings.model}" if batch.settings.llm_enabled else "no LLM"
        done = f", {len(batch.skipped)} already done" if batch.skipped else ""
        progress(f"{batch.selected} problem(s) selected{done}; running {len(batch.jobs)} on the {opts.executor} "
                 f"executor with {opts.jobs} job(s), {mode}, sandbox {batch.settings.sandbox}; results in {opts.out}")
        if batch.settings.sandbox == "local":
            warn("problems run in the LOCAL sandbox (subprocesses with rlimits, weaker isolation than Docker)")
        bar.start(len(batch.jobs))

    try:
        run_batch(opts, announce, bar.advance)
    except KeyboardInterrupt:
        bar.stop()
        from optimizer_agent.commands.output import fail

        fail(f"interrupted; finished problems are kept in {opts.out}: run the same command again to resume")
        return 130
    finally:
        bar.stop()
    report, doc = write_report(opts.out)
    if as_json:
        emit_json(report.model_dump())
    else:
        show(doc)
        progress(f"report: {opts.out / 'report.md'} and {opts.out / 'report.html'}")
    return 0


def report_bench(folder: Path, other: Path | None, as_json: bool) -> int:
    """Write the report files of a results folder (optionally compared with another) and print them."""
    from optimizer_agent.bench.report import write_report

    report, doc = write_report(folder, other)
    if as_json:
        emit_json(report.model_dump())
    else:
        show(doc)
        progress(f"report: {folder / 'report.md'} and {folder / 'report.html'}")
    return 0


def default_out(suite: Path) -> Path:
    """bench-results/<suite name without .jsonl/.gz>."""
    name = Path(suite).name
    for suffix in (".gz", ".jsonl", ".json"):
        name = name.removesuffix(suffix)
    return Path("bench-results") / (name or "suite")
