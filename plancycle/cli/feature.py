"""`plancycle feature …`: create and renumber numbered feature folders."""

from __future__ import annotations

from typing import Annotated

import typer

from plancycle.cli import output
from plancycle.cli.completion import feature_names

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


@app.command("renumber")
def renumber(
    feature: Annotated[
        str,
        typer.Argument(
            help="The feature: its folder name (needed when two share a number).", autocompletion=feature_names
        ),
    ],
    number: Annotated[int | None, typer.Argument(help="The new number (default: the next free one).")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Print the changes as a diff; write nothing.")
    ] = False,
) -> None:
    """Give a feature another number: the folder moves, every link into it is rewritten.

    For two features that share a number (two branches each made `001`). The documents'
    own mentions of the folder name (`**Branch**: `001-auth``, `feature:`) follow, and the
    old number is noted as `renumbered_from`. The git branch itself is not renamed.
    """
    from plancycle.project.project import Project
    from plancycle.project.renumber import renumber_feature

    project = Project.discover()
    result = renumber_feature(project, feature, number, dry_run=dry_run)
    if dry_run:
        output.raw(result.changes.diff())
    verb = "would move" if dry_run else "moved"
    output.done(f"{verb} {project.display(result.old.path)} to {project.display(result.new)}")
    output.info(f"{result.links} link(s) and {result.mentions} mention(s) of {result.old.name} rewritten")
