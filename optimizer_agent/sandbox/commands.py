"""`optimizer-agent sandbox ...`: build the offline base image, remove leftover containers."""

from __future__ import annotations

from typing import Optional

import typer

from optimizer_agent.errors import OptimizerError

app = typer.Typer(help="Manage sandbox images and leftover containers.", no_args_is_help=True)


def _fail(exc: OptimizerError) -> typer.Exit:
    """Print an OptimizerError as one line and turn it into its exit code."""
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(exc.exit_code)


@app.command("build-base")
def build_base(
    tag: Optional[str] = typer.Option(None, help="Image name (default optimizer-agent/base:bookworm)."),
    mirror: Optional[str] = typer.Option(None, help="Debian mirror (default: the one apt uses)."),
    suite: Optional[str] = typer.Option(None, help="Debian release (default bookworm)."),
    force: bool = typer.Option(False, "--force", help="Rebuild even if the image exists."),
) -> None:
    """Build the offline base image with debootstrap + docker import; print its tag."""
    # Deferred: the docker SDK is slow to import and `--help` must stay fast.
    from optimizer_agent.sandbox.base_image import BaseImageConfig, build_base_image
    from optimizer_agent.sandbox.daemon import connect

    overrides = {k: v for k, v in {"tag": tag, "mirror": mirror, "suite": suite}.items() if v}
    try:
        built = build_base_image(
            connect(), BaseImageConfig(**overrides), force=force, log=lambda m: typer.echo(m, err=True)
        )
    except OptimizerError as exc:
        raise _fail(exc) from exc
    typer.echo(built)


@app.command("prune")
def prune(
    all_: bool = typer.Option(False, "--all", help="Also remove containers of runs that are still alive."),
) -> None:
    """Remove containers left behind by runs that ended; print how many."""
    from optimizer_agent.sandbox.daemon import connect, prune_containers

    try:
        removed = prune_containers(connect(), include_live=all_)
    except OptimizerError as exc:
        raise _fail(exc) from exc
    typer.echo(f"removed {removed} container{'s' if removed != 1 else ''}")


if __name__ == "__main__":
    app()
