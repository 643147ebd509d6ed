"""`plancycle check`: the rules for CI, as a table, plain lines, JSON, GitHub annotations or SARIF."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plancycle.cli import output
from plancycle.cli.changelog import NO_CACHE

if TYPE_CHECKING:
    from plancycle.check.finding import Finding


def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Documents or folders (default: everything under the root).")
    ] = None,
    format_: Annotated[
        str | None,
        typer.Option("--format", "-f", help="table (a terminal's default), plain (when piped), json, github or sarif."),
    ] = None,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Skip the rules that read git history (PC008, PC009).")
    ] = False,
    no_cache: Annotated[bool, NO_CACHE] = False,
) -> None:
    """Check the planning documents for CI (rules PC001-PC013).

    Frontmatter, placeholders, links, stale tasks, numbers, supersede links, decision
    indexes, Change Logs against history. Exit 1 when there is an error, 0 with warnings
    only. Rules can be turned off or set to warning or error in the tool.plancycle.check
    table; one line with an HTML comment "plancycle: ignore PC003".
    """
    from plancycle.check import formats
    from plancycle.check.run import check as run_check
    from plancycle.errors import EXIT_CHECK_FAILED, UsageError
    from plancycle.project.project import Project

    chosen = format_ or ("table" if output.stdout.is_terminal else "plain")
    if chosen not in formats.FORMATS:
        raise UsageError(f"--format {chosen!r} is not one of {', '.join(formats.FORMATS)}")
    project = Project.discover()
    report = run_check(project, paths, history=not no_history, cache=not no_cache)
    for note in report.notes:
        output.warn(note)
    if paths and not report.documents:
        output.warn("no managed documents there (plancycle keeps documents under the root with its frontmatter)")
    findings = report.findings
    if chosen == "table":
        _table(findings)
    elif chosen == "plain":
        output.raw(formats.plain(findings)) if findings else None
    elif chosen == "json":
        output.raw(formats.as_json(findings, report.documents))
    elif chosen == "github":
        output.raw(formats.github(findings)) if findings else None
    else:
        output.raw(formats.sarif(findings))
    summary = f"{report.errors} error(s), {report.warnings} warning(s) in {report.documents} document(s)"
    if chosen in ("table", "plain"):
        output.note(summary)
    if report.errors:
        raise typer.Exit(EXIT_CHECK_FAILED)


def _table(findings: list[Finding]) -> None:
    from rich.table import Table
    from rich.text import Text

    if not findings:
        return
    if output.stdout.width < 110:  # too narrow for five columns: the file as a heading, then its findings
        previous = None
        for f in findings:
            if f.path != previous:
                output.stdout.print(Text(f.path, style="bold"))
                previous = f.path
            style = "red" if f.severity == "error" else "yellow"
            output.stdout.print(
                Text.assemble(f"  {f.line or '-':>4}  ", (f"{f.severity:<7}", style), f" {f.rule.id}  ", f.message)
            )
        return
    table = Table(header_style="bold", show_lines=False)
    for name in ("file", "line", "severity", "rule", "message"):
        table.add_column(name, no_wrap=name != "message", ratio=1 if name == "message" else None)
    previous = None
    for position, f in enumerate(findings):
        last = position + 1 == len(findings) or findings[position + 1].path != f.path
        style = "red" if f.severity == "error" else "yellow"
        table.add_row(
            Text(f.path if f.path != previous else ""),
            Text(str(f.line or "")),
            Text(f.severity, style=style),
            Text(f"{f.rule.id} {f.rule.name}"),
            Text(f.message),
            end_section=last,
        )
        previous = f.path
    output.stdout.print(table)
