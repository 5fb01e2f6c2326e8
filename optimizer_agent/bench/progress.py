"""The live progress bar of `bench run` on stderr: done/total, accepted, failed and ETA."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from optimizer_agent.bench.records import ProblemResult


class BatchProgress:
    """One bar for the batch, and one line per finished problem printed above it."""

    def __init__(self, console: Console, label: str = "problems") -> None:
        self.console = console
        self.accepted = 0
        self.failed = 0
        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("accepted [green]{task.fields[accepted]}[/green]"),
            TextColumn("failed [red]{task.fields[failed]}[/red]"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, transient=False,
        )
        self._task = None
        self._label = label

    def start(self, total: int) -> None:
        """Show the bar for `total` problems to run."""
        self._progress.start()
        self._task = self._progress.add_task(self._label, total=total, accepted=0, failed=0)

    def advance(self, result: ProblemResult) -> None:
        """Count one finished problem and print its line."""
        self.accepted += result.accepted > 0
        self.failed += result.status == "error"
        speed = ""
        if result.final is not None and result.final.speedup is not None:
            speed = f" private {result.final.speedup:.2f}x{'' if result.final.correct else ' (wrong)'}"
        mark = "[green]✓[/green]" if result.opt1 else ("[red]✗[/red]" if result.status == "error" else "·")
        detail = f": {result.error[:120]}" if result.error else ""
        self._progress.console.print(f"{mark} {result.id} [dim]{result.classification}{speed} "
                                     f"({result.wall_s:.0f}s){detail}[/dim]", soft_wrap=True)
        if self._task is not None:
            self._progress.update(self._task, advance=1, accepted=self.accepted, failed=self.failed)

    def stop(self) -> None:
        """Remove the live display (the final bar stays printed)."""
        self._progress.stop()
