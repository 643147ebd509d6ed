"""`plancycle adr …`: record decisions, move them through their lifecycle, keep the plan's index."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from plancycle.cli import output
from plancycle.cli.completion import feature_names

if TYPE_CHECKING:
    from plancycle.adr.records import Scope
    from plancycle.project.project import Project

app = typer.Typer(
    help="Architecture decision records: new, list, accept, supersede, extract from the plan, renumber.",
    no_args_is_help=True,
)

FeatureArg = Annotated[
    str,
    typer.Argument(
        help="Feature folder, number or slug (left out with --global).",
        autocompletion=feature_names,
        metavar="FEATURE",
    ),
]
NumberArg = Annotated[str | None, typer.Argument(help="Decision number (3 or 003) or file name.", metavar="N")]
GlobalOpt = Annotated[
    bool, typer.Option("--global", "-g", help="The project-wide records in <root>/adr/, not a feature's.")
]


def _scope(project: Project, feature: str | None, global_: bool) -> Scope:
    from plancycle.adr.records import scope_of

    return scope_of(project, None if global_ else feature)


def _shift(global_: bool, *values: str | None) -> list[str | None]:
    """With --global the FEATURE argument is left out: the others move up one place."""
    from plancycle.errors import UsageError

    if not global_:
        return list(values)
    if values[-1] is not None:
        raise UsageError("with --global, leave out FEATURE (the records are the project's, in <root>/adr/)")
    return [None, *values[:-1]]


def _require(value: str | None, what: str, usage: str) -> str:
    from plancycle.errors import UsageError

    if value is None:
        raise UsageError(f"missing {what}; usage: plancycle adr {usage}")
    return value


def _relative(path: Any) -> str:
    """A path as a script in the current folder can use it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def _report(project: Project, written: list[Any], skip: Any = None) -> None:
    for path in written:
        if path != skip:
            output.note(f"updated {project.display(path)}")


@app.command("new")
def new(
    feature: FeatureArg,
    title: Annotated[
        str | None,
        typer.Argument(
            help='The decision, e.g. "Use PostgreSQL" (put -- before one that starts with -).', metavar="TITLE"
        ),
    ] = None,
    status: Annotated[str, typer.Option("--status", "-s", help="proposed or accepted.")] = "proposed",
    supersedes: Annotated[
        list[str] | None, typer.Option("--supersedes", help="A decision this one replaces (repeatable).", metavar="N")
    ] = None,
    deciders: Annotated[
        str | None, typer.Option("--deciders", help='Who decides, comma-separated: "Ada, Grace".')
    ] = None,
    global_: GlobalOpt = False,
    edit: Annotated[bool, typer.Option("--edit", "-e", help="Open the new record in $VISUAL or $EDITOR.")] = False,
) -> None:
    """Record a new decision as adr/NNN-slug.md and print its path.

    The number is one more than the highest in the folder and on every local and
    remote-tracking branch. --supersedes marks the old decision superseded by this one.
    The feature plan's decision index is brought up to date.
    """
    from plancycle.adr.create import new_record
    from plancycle.project.project import Project

    scope_ref, title = _shift(global_, feature, title)
    title = _require(title, "the title", "new FEATURE TITLE (or new --global TITLE)")
    editor = _editor() if edit else None  # before anything is written
    project = Project.discover()
    scope = _scope(project, scope_ref, global_)
    names = [n.strip() for n in (deciders or "").split(",") if n.strip()]
    created = new_record(project, scope, title, status=status.lower(), supersedes=supersedes or [], deciders=names)
    output.info(_relative(created.path))
    _report(project, created.written, skip=created.path)
    if editor is not None:
        _open_editor(editor, created.path)


def _editor() -> list[str]:
    import shlex
    import shutil

    from plancycle.errors import UsageError

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor or not editor.strip():
        raise UsageError("--edit needs an editor: set $VISUAL or $EDITOR (nothing was written)")
    words = shlex.split(editor)
    if shutil.which(words[0]) is None:
        raise UsageError(f"editor {words[0]!r} (from $VISUAL or $EDITOR) cannot be run; nothing was written")
    return words


def _open_editor(editor: list[str], path: Any) -> None:
    import subprocess

    try:
        code = subprocess.run([*editor, str(path)], check=False).returncode
    except OSError as exc:
        output.warn(f"could not start {editor[0]}: {exc.strerror}; the record is at {_relative(path)}")
        return
    if code:
        output.warn(f"{editor[0]} exited {code}; the record is at {_relative(path)}")


def _rows(summaries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            s["feature"] or "project",
            s["id"],
            s["title"],
            "unreadable" if s["error"] else s["status"] or "-",
            s["version"] or "-",
            ", ".join(f"{n:03d}" for n in s["supersedes"]) or "-",
            ", ".join(f"{n:03d}" for n in s["superseded_by"]) or "-",
        )
        for s in summaries
    ]


@app.command("list")
def list_(
    feature: Annotated[
        str | None,
        typer.Argument(help="Only this feature's decisions (folder, number or slug).", autocompletion=feature_names),
    ] = None,
    status: Annotated[str | None, typer.Option("--status", "-s", help="Only decisions in this status.")] = None,
    global_: GlobalOpt = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON with stable keys.")] = False,
) -> None:
    """List decisions across every feature and the project, with status and links.

    Two records with one number (two branches each added one) are reported.
    """
    from plancycle.adr.listing import listing
    from plancycle.errors import EXIT_INVALID_DOCUMENT
    from plancycle.project.project import Project

    if global_ and feature is not None:
        from plancycle.errors import UsageError

        raise UsageError("with --global, leave out FEATURE (the records are the project's, in <root>/adr/)")
    project = Project.discover()
    found = listing(project, feature, only_project=global_, status=status)
    if json_:
        output.print_json({"decisions": found.decisions, "duplicates": found.duplicates})
    elif found.decisions:
        output.print_table(
            "Decisions",
            ["feature", "adr", "title", "status", "version", "supersedes", "superseded by"],
            _rows(found.decisions),
            wrap=("title",),
        )
    else:
        output.info("no decisions recorded yet; record one with `plancycle adr new FEATURE TITLE`")
    for problem in found.duplicates:
        output.warn(problem["message"])
    errors = [d["error"] for d in found.decisions if d["error"]]
    for message in errors:
        output.error(message)
    if errors:
        raise typer.Exit(EXIT_INVALID_DOCUMENT)


@app.command("show")
def show(
    feature: FeatureArg,
    number: Annotated[str | None, typer.Argument(help="Decision number or file name.", metavar="N")] = None,
    global_: GlobalOpt = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the record's facts as JSON.")] = False,
) -> None:
    """Print one decision record (its facts with --json)."""
    from plancycle.adr.records import read_records, resolve, summary
    from plancycle.errors import DocumentError
    from plancycle.project.project import Project

    scope_ref, number = _shift(global_, feature, number)
    ref = _require(number, "the decision number", "show FEATURE N")
    project = Project.discover()
    scope = _scope(project, scope_ref, global_)
    records = read_records(project, scope)
    record = resolve(project, records, ref, scope)
    if json_:
        output.print_json(summary(project, record, records))
        return
    if record.error or record.doc is None:
        raise DocumentError(record.error or project.display(record.path), "cannot be read")
    output.raw(record.doc.text)


def _move(to: str, feature: str, number: str | None, global_: bool) -> None:
    from plancycle.adr.lifecycle import move
    from plancycle.project.project import Project

    scope_ref, number = _shift(global_, feature, number)
    verb = {"accepted": "accept", "rejected": "reject", "deprecated": "deprecate"}[to]
    ref = _require(number, "the decision number", f"{verb} FEATURE N")
    project = Project.discover()
    moved = move(project, _scope(project, scope_ref, global_), ref, to)
    shown = project.display(moved.record.path)
    if not moved.changed:
        output.info(f"{shown} is already {to}")
        return
    output.done(f"{shown}: {moved.record.state} → {to}")
    _report(project, moved.written, skip=moved.record.path)


@app.command("accept")
def accept(feature: FeatureArg, number: NumberArg = None, global_: GlobalOpt = False) -> None:
    """Accept a proposed decision (the next commit moves its version to the next major)."""
    _move("accepted", feature, number, global_)


@app.command("reject")
def reject(feature: FeatureArg, number: NumberArg = None, global_: GlobalOpt = False) -> None:
    """Reject a proposed decision."""
    _move("rejected", feature, number, global_)


@app.command("deprecate")
def deprecate(feature: FeatureArg, number: NumberArg = None, global_: GlobalOpt = False) -> None:
    """Deprecate an accepted decision that nothing replaces."""
    _move("deprecated", feature, number, global_)


@app.command("supersede")
def supersede(
    feature: FeatureArg,
    old: Annotated[str | None, typer.Argument(help="The decision replaced.", metavar="OLD")] = None,
    new: Annotated[str | None, typer.Argument(help="The decision replacing it.", metavar="NEW")] = None,
    global_: GlobalOpt = False,
) -> None:
    """Mark OLD superseded by NEW, on both records (running it again changes nothing)."""
    from plancycle.adr.lifecycle import supersede as do_supersede
    from plancycle.project.project import Project

    scope_ref, old, new = _shift(global_, feature, old, new)
    old_ref = _require(old, "OLD", "supersede FEATURE OLD NEW")
    new_ref = _require(new, "NEW", "supersede FEATURE OLD NEW")
    project = Project.discover()
    moved = do_supersede(project, _scope(project, scope_ref, global_), old_ref, new_ref)
    shown = project.display(moved.record.path)
    successor = moved.successor.name if moved.successor else new_ref
    if not moved.changed:
        output.info(f"{shown} is already superseded by {successor}")
        return
    output.done(f"{shown}: superseded by {successor}")
    _report(project, moved.written, skip=moved.record.path)


@app.command("index")
def index(
    feature: Annotated[
        str | None, typer.Argument(help="Only this feature (default: every feature).", autocompletion=feature_names)
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when a plan's index is stale; write nothing.")] = False,
) -> None:
    """Bring each plan's decision index (the links between its markers) up to date."""
    from plancycle.adr.listing import refresh_indexes
    from plancycle.errors import EXIT_CHECK_FAILED
    from plancycle.project.project import Project

    project = Project.discover()
    stale = refresh_indexes(project, feature, write=not check)
    for path in stale:
        shown = project.display(path)
        output.info(f"{shown}: decision index is stale; run `plancycle adr index`" if check else f"updated {shown}")
    if check and stale:
        raise typer.Exit(EXIT_CHECK_FAILED)
    if not stale:
        output.info("every decision index is up to date")


@app.command("extract")
def extract(
    feature: Annotated[str, typer.Argument(help="Feature folder, number or slug.", autocompletion=feature_names)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the diff of every file; write nothing.")] = False,
) -> None:
    """Turn the plan's inline decisions (### AD-001: … blocks) into records.

    Each block's fields (bold labels or sub-headings) become the record's sections and
    its Status the record's status; the block gives way to its link in the plan.
    """
    from plancycle.adr.extract import extract as do_extract
    from plancycle.adr.records import scope_of
    from plancycle.project.project import Project

    project = Project.discover()
    scope = scope_of(project, feature)
    found = do_extract(project, scope, dry_run=dry_run)
    for message in found.skipped:
        output.warn(message)
    if not found.records:
        output.info("no inline decisions to extract (headings such as `### AD-001: Title`)")
        return
    if dry_run:
        output.raw(found.changes.diff())
        return
    for heading, path in found.records:
        output.done(f"{heading} → {project.display(path)}")
    output.done(f"updated {project.display(scope.feature.doc_path('plan'))}")  # type: ignore[union-attr]


@app.command("renumber")
def renumber(
    feature: FeatureArg,
    number: Annotated[
        str | None, typer.Argument(help="The record: its number, or its file name when two share it.", metavar="N")
    ] = None,
    to: Annotated[int | None, typer.Option("--to", help="The new number (default: the next free one).")] = None,
    global_: GlobalOpt = False,
) -> None:
    """Give a decision another number, rewriting every link to it.

    For two records that share a number after a merge: name one by its file.
    """
    from plancycle.adr.renumber import renumber as do_renumber
    from plancycle.project.project import Project

    scope_ref, number = _shift(global_, feature, number)
    ref = _require(number, "the decision number", "renumber FEATURE N [--to M]")
    project = Project.discover()
    moved = do_renumber(project, _scope(project, scope_ref, global_), ref, to)
    output.done(f"{project.display(moved.old)} → {project.display(moved.new)} ({moved.links} link(s) rewritten)")
    _report(project, moved.written, skip=moved.new)
