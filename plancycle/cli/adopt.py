"""`plancycle adopt`: bring the planning documents a repository already has under management."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plancycle.cli import output


def adopt(
    path: Annotated[
        Path | None, typer.Argument(help="Only the documents under this folder or file (default: all of them).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Print the changes as a diff; write nothing.")
    ] = False,
    move: Annotated[
        str | None,
        typer.Option(
            "--move",
            metavar="FEATURE",
            help="Move decision records found outside the root (doc/adr …) into this feature's adr/ folder, "
            "or `project` for <root>/adr/; links to them are rewritten.",
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print what was (or would be) adopted as JSON.")] = False,
) -> None:
    """Take over existing documents in place: Spec Kit layouts, body metadata, adr-tools and MADR records.

    Adds the frontmatter plancycle keeps (title, feature, status, version, created, updated),
    taking each value from the body where it says one (`**Version**: 1.0`, `**Status**: Draft`,
    `Date:`), else from history (first and last commit). The prose is not rewritten; the body's
    own version, status and date lines are kept in step with the frontmatter from then on.
    Running it again changes nothing.
    """
    from plancycle.adopt.run import adopt as run_adopt
    from plancycle.project.project import Project

    project = Project.discover()
    result = run_adopt(project, path, move=move)
    if json_:
        if not dry_run:
            result.changes.write()
        output.print_json({**result.as_json(project), "written": not dry_run})
        return
    if dry_run:
        output.raw(result.changes.diff())
    else:
        result.changes.write()
    verb = "would adopt" if dry_run else "adopted"
    say = output.note if dry_run else output.done  # a dry run's stdout is the diff alone
    tell = output.note if dry_run else output.info
    for entry in result.adopted:
        where = f" → {project.display(entry.moved_to)}" if entry.moved_to is not None else ""
        kept = f"; body lines kept in step: {', '.join(entry.mirrors)}" if entry.mirrors else ""
        say(
            f"{verb} {project.display(entry.path)}{where} ({entry.fields.get('status')} {entry.fields.get('version')}){kept}"
        )
        for note in entry.notes:
            output.note(f"{project.display(entry.path)}: {note}")
    if result.links:
        tell(f"{result.links} link(s) to moved records {'would be ' if dry_run else ''}rewritten")
    if result.listed:
        shown = ", ".join(project.display(p) for p in result.listed[:6]) + (", …" if len(result.listed) > 6 else "")
        tell(f"{len(result.listed)} other document(s) listed, not taken over ({shown}); the 'adopt' setting decides")
    if result.outside:
        output.warn(
            f"{len(result.outside)} decision record(s) outside {project.display(project.root)}/ "
            f"(in {project.display(result.outside[0].parent)}/) left as they are: the hook keeps the root only; "
            "`--move FEATURE` or `--move project` brings them in with their links rewritten"
        )
    if result.skipped:
        shown = ", ".join(project.display(p) for p in result.skipped[:6])
        output.note(f"{len(result.skipped)} symbolic link(s) skipped ({shown}): adopt the files they point to")
    for line in result.duplicates:
        output.warn(line)
    if not result.adopted:
        tell(f"nothing to adopt: {len(result.already)} document(s) already managed")
