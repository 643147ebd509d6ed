"""`plancycle advance` and `plancycle approve`: move a document through its lifecycle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from plancycle.cli import output
from plancycle.cli.completion import feature_names

if TYPE_CHECKING:
    from plancycle.lifecycle.advance import Advanced
    from plancycle.project.project import Project

FeatureArg = Annotated[str, typer.Argument(help="Feature folder, number or slug.", autocompletion=feature_names)]
DocArg = Annotated[
    str | None,
    typer.Argument(
        help="spec, plan, tasks, or a decision number (default: the first not yet approved).", metavar="[DOC]"
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Move past the gates that block it (needs --reason).")]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", help="Why the gates are overridden; goes into the Change Log.")
]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who approves (default: git's user.name).")]


def _move(feature: str, doc: str | None, to: str, by: str | None, force: bool, reason: str | None) -> None:
    from plancycle.lifecycle.advance import BlockedError, advance
    from plancycle.project.project import Project

    project = Project.discover()
    try:
        moved = advance(project, feature, doc, to.lower(), by=by, force=force, reason=reason)
    except BlockedError as exc:
        for blocker in exc.blockers:
            output.error(blocker.line())
        raise
    _report(project, moved)


def _report(project: Project, moved: Advanced) -> None:
    shown = project.display(moved.path)
    if not moved.changed:
        output.info(f"{shown} is already {moved.new}")
        return
    for blocker in moved.forced:
        output.warn(f"overridden: {blocker.line()}")
    version = f", version {moved.version}" if moved.version else ""
    output.done(f"{shown}: {moved.old or 'no status'} → {moved.new}{version}")
    if moved.approved_in:
        output.info(f"approval recorded in: {', '.join(moved.approved_in)}")


def advance(
    feature: FeatureArg,
    doc: DocArg = None,
    to: Annotated[
        str, typer.Option("--to", help="review, approved, done, superseded, withdrawn (or draft, from review).")
    ] = "review",
    by: ByOpt = None,
    force: ForceOpt = False,
    reason: ReasonOpt = None,
) -> None:
    """Move a document to another status, if its gates pass.

    Gates: placeholders left (into review or approved), an unticked compliance gate and an
    unapproved spec (a plan into approved), a stale tasks.md, open tasks (into done).
    The version moves now, as the commit hook would move it.
    """
    _move(feature, doc, to, by, force, reason)


def approve(
    feature: FeatureArg,
    doc: DocArg = None,
    by: ByOpt = None,
    force: ForceOpt = False,
    reason: ReasonOpt = None,
) -> None:
    """Approve a document (advance --to approved), recording who and when.

    Written into the frontmatter (approved_by, approved), and into the document's
    review-and-approval table and `*Approved: [ ]*` footer where it has them.
    """
    from plancycle.project.project import Project

    _move(feature, doc, Project.discover().config.approved_status, by, force, reason)
