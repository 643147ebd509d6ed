"""Printing: rich on a terminal, plain text when piped, JSON on request."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

stdout = Console(highlight=False, soft_wrap=True, emoji=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


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
        # The csv module's tab dialect quotes a cell holding a tab, a quote or a line
        # break, so a title can never split a row.
        writer = csv.writer(sys.stdout, dialect="excel-tab", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(cells)
        return
    table = Table(title=Text(title) if title else None, title_justify="left", header_style="bold")
    for column in columns:
        if column in wrap:
            table.add_column(column, min_width=12, ratio=1)
        else:
            table.add_column(column, no_wrap=True)
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))  # people's text, never read as markup
    stdout.print(table)


def done(message: str) -> None:
    if stdout.is_terminal:
        stdout.print(Text.assemble(("✓", "green"), " ", message))
    else:
        stdout.print(message, markup=False)


def info(message: str) -> None:
    stdout.print(message, markup=False)


def error(message: str) -> None:
    """An error among other output (the one that ends a command goes through the guard)."""
    stderr.print(f"plancycle: error: {message}", markup=False, style="red")


def warn(message: str) -> None:
    stderr.print(f"plancycle: warning: {message}", markup=False, style="yellow")


def note(message: str) -> None:
    """A side remark on stderr, for commands whose stdout scripts read."""
    stderr.print(message, markup=False)


def raw(text: str) -> None:
    """A document's text exactly as it is."""
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
