"""`plancycle feature …`: create numbered feature folders."""

from __future__ import annotations

from typing import Annotated

import typer

from plancycle.cli import output

app = typer.Typer(help="Create and manage numbered feature folders.", no_args_is_help=True)


@app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="`042-auth`, or `auth` to take the next free number.")],
    title: Annotated[str | None, typer.Option("--title", "-t", help="Human title of the feature.")] = None,
    branch: Annotated[
        bool, typer.Option("--branch", "-b", help="Also create and switch to a git branch named after it.")
    ] = False,
    allow_duplicate_slug: Annotated[
        bool, typer.Option("--allow-duplicate-slug", help="Accept a slug another feature already has.")
    ] = False,
) -> None:
    """Create a numbered feature folder with its spec.

    The number is one more than the highest used in the working tree and on every
    local and remote-tracking branch, so parallel branches do not collide.
    """
    from plancycle.project.features import create_feature
    from plancycle.project.project import Project

    project = Project.discover()
    created = create_feature(project, name, title=title, branch=branch, allow_duplicate_slug=allow_duplicate_slug)
    if created.branch:
        output.done(f"switched to new branch {created.branch}")
    for path in created.files:
        output.done(f"created {project.display(path)}")
    output.info(f"next: fill in the spec, then `plancycle plan new {created.feature.name}`")
