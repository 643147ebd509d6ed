"""`plancycle index` and `plancycle board`: the features as a page on GitHub and as one HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plancycle.cli import output
from plancycle.cli.changelog import NO_CACHE


def index(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when the index is not current (for CI); write nothing.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Print the change as a diff; write nothing.")
    ] = False,
) -> None:
    """Write the features index (`<root>/README.md`): a table of every feature and mermaid diagrams.

    The index stands between `<!-- plancycle:index -->` and `<!-- /plancycle:index -->`;
    text above and below the markers is yours and stays. Set `index_on_commit = true` to have
    the commit hook keep it current.
    """
    from plancycle.documents.document import Document
    from plancycle.project.project import Project
    from plancycle.publish.index import build_index

    project = Project.discover()
    result = build_index(project)
    shown = project.display(result.path)
    if check:
        if result.changed:
            output.error(f"{shown} is not current; run `plancycle index`")
            raise typer.Exit(1)
        output.info(f"{shown} is current")
        return
    if dry_run:
        output.raw(Document.from_bytes(result.new, shown).diff(result.old, shown))
        return
    if not result.changed:
        output.info(f"{shown}: up to date")
        return
    from plancycle.fsutil import atomic_write

    result.path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(result.path, result.new)
    output.done(f"wrote {shown}")


def board(
    out: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Where to write the page (default: plancycle-board.html at the top; - for stdout)."
        ),
    ] = None,
    no_cache: Annotated[bool, NO_CACHE] = False,
) -> None:
    """Draw the project as one HTML file: features in stage columns, versions over time, decisions.

    The page is self-contained (inline CSS and SVG, no script, no network), follows the
    system's light or dark scheme and reads on a phone. Open it from disk.
    """
    from plancycle.fsutil import atomic_write
    from plancycle.project.project import Project
    from plancycle.publish.board import default_output, render_board

    project = Project.discover()
    page = render_board(project, cache=not no_cache)
    if out is not None and str(out) == "-":
        output.raw(page)
        return
    target = out if out is not None else default_output(project)
    atomic_write(target, page.encode("utf-8"))
    output.done(f"wrote {target} ({len(page.encode('utf-8')) // 1024} KiB); open it in a browser")
