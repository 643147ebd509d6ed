"""`plancycle status`: a table of every feature and where it stands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from plancycle.cli import output
from plancycle.cli.completion import feature_names

if TYPE_CHECKING:
    from plancycle.project.project import Project


def status(
    feature: Annotated[
        str | None,
        typer.Argument(help="Only this feature (folder, number or slug).", autocompletion=feature_names),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON with stable keys.")] = False,
    format_: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table (a rich table on a terminal, tab-separated when piped), json, or markdown "
            "(the table of `plancycle index`, for pasting into a pull request).",
        ),
    ] = "table",
) -> None:
    """Show every feature: stage reached, each document's status and version, last update."""
    from plancycle.errors import EXIT_INVALID_DOCUMENT, UsageError
    from plancycle.overview.status import document_errors, project_status
    from plancycle.project.project import Project

    if format_ not in ("table", "json", "markdown"):
        raise UsageError(f"--format {format_!r} is not one of table, json, markdown")
    if json_ and format_ not in ("table", "json"):
        raise UsageError(f"--json and --format {format_} ask for two outputs; give one")
    from plancycle.publish.table import decisions_cell

    project = Project.discover()
    found = project_status(project, feature)
    if json_ or format_ == "json":
        output.print_json(found)
    elif format_ == "markdown":
        from plancycle.publish.table import features_table

        lines = features_table(found["features"]) if found["features"] else ["No features yet."]
        if found["decisions"]["records"]:
            lines += ["", f"Project-wide decisions: {decisions_cell(found['decisions'])}"]
        output.raw("\n".join(lines))
    else:
        print_status(project, found["features"])
        if found["decisions"]["records"]:
            output.info(f"project-wide decisions: {decisions_cell(found['decisions'])}")
        if found["unmanaged"]:
            output.note(
                f"{len(found['unmanaged'])} document(s) have no plancycle frontmatter yet; "
                "`plancycle adopt --dry-run` shows what adopting them would add"
            )
    errors = document_errors(found)
    for message in errors:
        output.error(message)
    if errors:
        raise typer.Exit(EXIT_INVALID_DOCUMENT)


def print_status(project: Project, features: list[dict[str, Any]]) -> None:
    from plancycle.publish.table import decisions_cell, document_cell  # the cells the index writes too

    if not features:
        output.info(f"no features under {project.display(project.root)}/ yet; try `plancycle feature new NAME`")
        return
    rows = [
        (
            f["name"],
            f["title"],
            f["stage"] or "-",
            document_cell(f["documents"]["spec"]),
            document_cell(f["documents"]["plan"]),
            document_cell(f["documents"]["tasks"])
            + (f" ({f['progress']['done']}/{f['progress']['total']})" if f["progress"] else ""),
            decisions_cell(f["decisions"]),
            f["updated"] or "-",
        )
        for f in features
    ]
    output.print_table(
        "Features",
        ["feature", "title", "stage", "spec", "plan", "tasks", "decisions", "updated"],
        rows,
        wrap=("title", "decisions"),
    )
