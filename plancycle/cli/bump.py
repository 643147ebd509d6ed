"""`plancycle bump DOC`: raise a document's version by hand; the commit hook keeps it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plancycle.cli import output

if TYPE_CHECKING:
    from plancycle.config import Level


def bump(
    document: Annotated[Path, typer.Argument(help="The document to bump.", exists=False)],
    major: Annotated[bool, typer.Option("--major", help="Bump the major version.")] = False,
    minor: Annotated[bool, typer.Option("--minor", help="Bump the minor version.")] = False,
    patch: Annotated[bool, typer.Option("--patch", help="Bump the patch version.")] = False,
) -> None:
    """Bump a document's version now (by the level given, or the one its changes call for),
    stamp `updated` and add a Change Log row. The next commit keeps this version."""
    from plancycle.errors import UsageError
    from plancycle.hook.bump import bump_by_hand

    levels: tuple[tuple[Level, bool], ...] = (("major", major), ("minor", minor), ("patch", patch))
    chosen = [name for name, flag in levels if flag]
    if len(chosen) > 1:
        raise UsageError("give at most one of --major, --minor, --patch")
    stamp = bump_by_hand(Path.cwd(), document, chosen[0] if chosen else None)
    if stamp is None:
        output.info(f"{document}: no change since the last commit calls for a bump; give --patch, --minor or --major")
        return
    output.done(f"{document}: {stamp.old_version} → {stamp.new_version}: {stamp.summary}")
