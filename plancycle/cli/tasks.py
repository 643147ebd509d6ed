"""`plancycle tasks …`: derive tasks.md from the plan, list tasks, tick them off."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plancycle.cli import output
from plancycle.cli.completion import feature_names
from plancycle.errors import EXIT_CHECK_FAILED

app = typer.Typer(help="Derive tasks.md from the plan and track progress.", no_args_is_help=True)

FeatureArg = Annotated[str, typer.Argument(help="Feature folder, number or slug.", autocompletion=feature_names)]


@app.command("derive")
def derive(
    feature: FeatureArg,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the diff; write nothing.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when tasks.md is stale against the plan.")] = False,
) -> None:
    """Write or re-derive tasks.md from the plan's implementation section.

    IDs, ticked boxes, notes under tasks and tasks added by hand are kept.
    """
    from plancycle.fsutil import atomic_write
    from plancycle.project.project import Project
    from plancycle.tasks.derive import derive as do_derive
    from plancycle.tasks.derive import is_stale

    project = Project.discover()
    result = do_derive(project, feature)
    shown = project.display(result.path)
    for warning in result.breakdown.warnings:
        output.warn(f"{project.display(project.feature(feature).doc_path('plan'))}: {warning}")
    if check:
        if is_stale(result):
            output.info(
                f"{shown} is stale against the plan ({result.summary.line()}); run `plancycle tasks derive {feature}`"
            )
            raise typer.Exit(EXIT_CHECK_FAILED)
        output.info(f"{shown} is up to date")
        return
    if dry_run:
        diff = result.diff(shown)
        output.info(diff if diff else f"{shown}: nothing to change")
        output.info(result.summary.line())
        return
    if not result.changed:
        output.info(f"{shown}: up to date ({result.summary.line()})")
        return
    atomic_write(result.path, result.new)
    output.done(f"{'wrote' if result.old is None else 'updated'} {shown}: {result.summary.line()}")


@app.command("preview")
def preview(
    plan: Annotated[Path, typer.Argument(help="A plan document.")],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the breakdown plancycle reads from a plan, writing nothing."""
    from plancycle.tasks.planfile import preview_file

    data = preview_file(plan, Path.cwd())
    if json_:
        output.print_json(data)
        return
    output.info(f"section: {data['section'] or '(none found)'}")
    for phase in data["phases"]:
        output.info(f"\n{phase['title'] or '(untitled phase)'}")
        for task in phase["tasks"]:
            output.info(f"  [{'x' if task['done'] else ' '}] {task['id']} {task['text']}")
        for criterion in phase["criteria"]:
            output.info(f"  criterion: {criterion}")
    for warning in data["warnings"]:
        output.warn(warning)


@app.command("list")
def list_(
    feature: Annotated[str | None, typer.Argument(help="Only this feature.", autocompletion=feature_names)] = None,
    open_: Annotated[bool, typer.Option("--open", help="Only tasks not done yet.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List tasks of one feature or of all."""
    from plancycle.project.project import Project
    from plancycle.tasks.progress import project_tasks

    found = project_tasks(Project.discover(), feature, open_only=open_)
    if json_:
        output.print_json({"tasks": [t.as_json() for t in found]})
        return
    if not found:
        output.info("no tasks" + (" open" if open_ else "") + "; derive them with `plancycle tasks derive FEATURE`")
        return
    rows = [(t.feature, t.task.id or "-", "x" if t.task.done else " ", t.task.text, t.task.phase) for t in found]
    output.print_table("Tasks", ["feature", "id", "done", "task", "phase"], rows, wrap=("task", "phase"))


def _tick(feature: str, ids: list[str], done: bool) -> None:
    from plancycle.project.project import Project
    from plancycle.tasks.progress import tick

    changed = tick(Project.discover(), feature, ids, done).changed
    word = "done" if done else "open"
    output.done(f"{', '.join(changed)} marked {word}" if changed else f"already {word}: {', '.join(ids)}")


@app.command("done")
def done(
    feature: FeatureArg,
    ids: Annotated[list[str], typer.Argument(help="Task IDs, e.g. T003 T004.")],
) -> None:
    """Tick tasks off."""
    _tick(feature, ids, True)


@app.command("reopen")
def reopen(
    feature: FeatureArg,
    ids: Annotated[list[str], typer.Argument(help="Task IDs, e.g. T003.")],
) -> None:
    """Untick tasks."""
    _tick(feature, ids, False)
