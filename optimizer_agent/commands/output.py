"""Terminal output: progress and errors go to stderr, machine-readable results to stdout."""

from __future__ import annotations

import json
import sys
from functools import cache

from rich.console import Console


@cache
def err_console() -> Console:
    """The stderr console every human-facing line goes to."""
    return Console(stderr=True, highlight=False)


def progress(message: str) -> None:
    """One progress line on stderr."""
    err_console().print(f"[dim]·[/dim] {message}", markup=True, soft_wrap=True)


def warn(message: str) -> None:
    """A visible warning on stderr."""
    err_console().print(f"[bold yellow]warning:[/bold yellow] {message}", soft_wrap=True)


def node_done(node: str) -> None:
    """Mark a finished graph node."""
    err_console().print(f"[bold cyan]✓ {node}[/bold cyan]")


def fail(message: str) -> None:
    """The one error line the user sees (plain text, never wrapped, so scripts can grep it)."""
    sys.stderr.write("error: " + " ".join(message.split()) + "\n")
    sys.stderr.flush()


def emit_json(document: object) -> None:
    """Write exactly one JSON document to stdout."""
    sys.stdout.write(json.dumps(document, indent=2, default=str) + "\n")
    sys.stdout.flush()
