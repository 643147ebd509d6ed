"""Printing: rich on a terminal, plain text when piped, JSON on request."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    wrap: Sequence[str] = (),
) -> None:
    """A rich table on a terminal; tab-separated lines with a header row when piped.

    Only the columns named in ``wrap`` may wrap; the others hold identifiers and dates.
    """
    cells = [["" if c is None else str(c) for c in row] for row in rows]
    if not stdout.is_terminal:
        sys.stdout.write("\t".join(columns) + "\n")
        for row in cells:
            sys.stdout.write("\t".join(row) + "\n")
        return
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        if column in wrap:
            table.add_column(column, min_width=12, ratio=1)
        else:
            table.add_column(column, no_wrap=True)
    for row in cells:
        table.add_row(*row)
    stdout.print(table)


def done(message: str) -> None:
    stdout.print(f"[green]✓[/green] {message}" if stdout.is_terminal else message, markup=True)


def info(message: str) -> None:
    stdout.print(message, markup=False)


def warn(message: str) -> None:
    stderr.print(f"plancycle: warning: {message}", markup=False, style="yellow")


def error(message: str) -> None:
    stderr.print(f"plancycle: error: {message}", markup=False, style="red")
