"""`plancycle changelog …`, `history` and `log`: change logs and timelines from git history."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from plancycle.cli import output
from plancycle.cli.completion import feature_names
from plancycle.errors import EXIT_CHECK_FAILED, UsageError

app = typer.Typer(help="Keep Change Log tables in step with git history.", no_args_is_help=True)
NO_CACHE = typer.Option("--no-cache", help="Read the whole history; neither read nor write the history cache.")


def _progress_callback(project, use_cache: bool):  # type: ignore[no-untyped-def]
    """A rich progress bar on a terminal for long histories; nothing when piped (asked first:
    no console, no git process), nor when the history cache will answer for most of history
    (counting the commits would cost more)."""
    if output.plain(sys.stderr) or not output.stderr.is_terminal or (use_cache and _has_cache(project)):
        return None, None
    top = project.git.root
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from plancycle.git import commit_count

    total = commit_count(top)
    if total < 2000:
        return None, None
    bar = Progress(
        TextColumn("reading history"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=output.stderr,
        transient=True,
    )
    task = bar.add_task("history", total=total)
    return bar, lambda done: bar.update(task, completed=done)


@app.command("sync")
def sync(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Documents or folders (default: every managed document).")
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 and list what would change; write nothing.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the diff; write nothing.")] = False,
    no_cache: Annotated[bool, NO_CACHE] = False,
    verify: Annotated[
        bool,
        typer.Option("--verify", help="Also read the whole history, exit 1 where the cache disagrees, and rebuild it."),
    ] = False,
) -> None:
    """Make each document's Change Log table agree with git history (renames followed).

    Version, date and author are corrected from history; a filled Changes cell is kept, an
    empty one gets the commit's subject; rows history does not know are kept. What a run
    learns from history is kept under the git folder, so the next run reads only the commits
    made since.
    """
    from plancycle.fsutil import atomic_write
    from plancycle.history.projectsync import sync_project
    from plancycle.project.project import Project

    if no_cache and verify:
        raise UsageError("--verify checks the history cache against a whole read; --no-cache keeps no cache to check")
    project = Project.discover()
    bar, progress = _progress_callback(project, not no_cache and not verify)
    if bar is not None:
        with bar:
            outcome = sync_project(project, paths, progress, cache=not no_cache, verify=verify)
    else:
        outcome = sync_project(project, paths, cache=not no_cache, verify=verify)
    for note in outcome.notes:
        output.warn(note)
    if outcome.disagreements:
        for line in outcome.disagreements:
            output.error(f"history cache: {line}")
        output.error(
            f"the history cache disagreed with git history for {len(outcome.disagreements)} document(s); "
            "it was made anew from the whole history, and the documents judged from it"
        )
    elif outcome.disagreements is not None:
        output.note("the history cache agrees with git history")
    changed = [r for r in outcome.results if r.changed]
    for result in outcome.results:
        for note in result.notes:
            # What fails a check is said as an error; the rest are warnings.
            (output.error if note in result.problems else output.warn)(f"{result.path}: {note}")
    if check:
        for result in changed:
            output.info(f"{result.path}: {result.describe()}")
        if changed:
            output.info(f"{len(changed)} document(s) out of step with history; run `plancycle changelog sync`")
        if changed or any(r.problems for r in outcome.results) or outcome.disagreements:
            raise typer.Exit(EXIT_CHECK_FAILED)
        output.info(f"{outcome.documents} document(s) in step with history")
        return
    if dry_run:
        for result in changed:
            output.info(result.diff())
        output.info(f"{len(changed)} document(s) would change")
        if outcome.disagreements:
            raise typer.Exit(EXIT_CHECK_FAILED)
        return
    for result in changed:
        atomic_write(project.git.root / result.path, result.new)
        output.done(f"{result.path}: {result.describe()}")
    if not changed:
        output.info(f"{outcome.documents} document(s) already in step with history")
    if outcome.disagreements:
        raise typer.Exit(EXIT_CHECK_FAILED)


def _has_cache(project) -> bool:  # type: ignore[no-untyped-def]
    from plancycle.history.cache import NAME

    return (project.git.state.common_dir / "plancycle" / NAME).exists()


def _print_timeline(title: str, line, json_: bool, with_document: bool) -> None:  # type: ignore[no-untyped-def]
    if json_:
        output.print_json(
            {
                **_title_json(title, with_document),
                "shallow": line.shallow,
                "revisions": [e.as_json() for e in line.events],
                "notes": line.notes,
            }
        )
        return
    for note in line.notes:
        output.warn(note)
    if not line.events:
        output.info("no history yet")
        return
    columns = (["document"] if with_document else []) + ["version", "date", "author", "commit", "status", "changes"]
    rows = [
        ([e.document] if with_document else [])
        + [
            e.version or "-",
            e.date,
            e.author,
            e.commit[:8],
            f"{e.status_from} → {e.status}" if e.status_from else (e.status or "-"),
            e.changes,
        ]
        for e in line.events
    ]
    output.print_table(title, columns, rows, wrap=("changes",))


def _title_json(title: str, with_document: bool) -> dict[str, str]:
    return {"feature": title} if with_document else {"document": title}


def history(
    document: Annotated[Path, typer.Argument(help="A document.")],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    no_cache: Annotated[bool, NO_CACHE] = False,
) -> None:
    """A document's timeline: version, date, author, commit, status changes, sections touched."""
    from plancycle.history.timeline import timeline
    from plancycle.project.project import Project

    project = Project.discover()
    line = timeline(project, [document], cache=not no_cache)
    _print_timeline(project.display(document.resolve()), line, json_, with_document=False)


def log(
    feature: Annotated[str, typer.Argument(help="Feature folder, number or slug.", autocompletion=feature_names)],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    no_cache: Annotated[bool, NO_CACHE] = False,
) -> None:
    """The timelines of all of a feature's documents, interleaved."""
    from plancycle.history.timeline import timeline
    from plancycle.project.project import Project

    project = Project.discover()
    found = project.feature(feature)
    documents = project.managed_documents(found)
    line = timeline(project, documents, cache=not no_cache)
    _print_timeline(found.name, line, json_, with_document=True)
