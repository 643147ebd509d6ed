"""`plancycle plan …`: create a feature's technical plan from a template."""

from __future__ import annotations

from typing import Annotated

import typer

from plancycle.cli import output
from plancycle.cli.completion import feature_names

app = typer.Typer(help="Create a feature's technical plan.", no_args_is_help=True)


@app.command("new")
def new(
    feature: Annotated[str, typer.Argument(help="Feature folder, number or slug.", autocompletion=feature_names)],
    template: Annotated[
        str | None,
        typer.Option("--template", "-T", help="Plan style, e.g. standard, fastapi, comprehensive, sdd, compact."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing plan.md, keeping a .bak copy.")] = False,
) -> None:
    """Create plan.md for a feature, linked to its spec."""
    from plancycle.project.features import create_plan
    from plancycle.project.project import Project

    project = Project.discover()
    created = create_plan(project, feature, template=template, force=force)
    if created.backup:
        output.done(f"kept the old plan as {project.display(created.backup)}")
    for path in created.files:
        output.done(f"created {project.display(path)}")
