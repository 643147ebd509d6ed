"""Printing: rich on a terminal, plain text when piped, JSON on request.

rich is imported only when something is printed for a terminal: a command whose output
is piped (a hook, CI) prints plain lines and spares the import.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    stdout: Console
    stderr: Console

_consoles: dict[str, Console] = {}


def __getattr__(name: str) -> Any:
    # `output.stdout` and `output.stderr`: rich consoles, made the first time they are asked for.
    if name not in ("stdout", "stderr"):
        raise AttributeError(name)
    if name not in _consoles:
        from rich.console import Console

        _consoles[name] = Console(stderr=name == "stderr", highlight=False, soft_wrap=True, emoji=False)
    return _consoles[name]


def plain(stream: Any) -> bool:
    """Whether ``stream`` gets plain text for sure (no terminal, nothing forcing one), which
    rich would print as it is: then the text is written without it."""
    forced = any(os.environ.get(v) for v in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"))
    try:
        return not forced and not stream.isatty()
    except (AttributeError, ValueError):
        return False


def _line(stream: Any, message: str) -> None:
    stream.write(message + "\n")
    stream.flush()


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
    if plain(sys.stdout) or not __getattr__("stdout").is_terminal:
        # The csv module's tab dialect quotes a cell holding a tab, a quote or a line
        # break, so a title can never split a row.
        writer = csv.writer(sys.stdout, dialect="excel-tab", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(cells)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, title_justify="left", header_style="bold")
    for column in columns:
        if column in wrap:
            table.add_column(column, min_width=12, ratio=1)
        else:
            table.add_column(column, no_wrap=True)
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))  # people's text, never read as markup
    __getattr__("stdout").print(table)


def done(message: str) -> None:
    if plain(sys.stdout):
        _line(sys.stdout, message)
        return
    console = __getattr__("stdout")
    if console.is_terminal:
        from rich.text import Text

        console.print(Text.assemble(("✓", "green"), " ", message))
    else:
        console.print(message, markup=False)


def info(message: str) -> None:
    _say("stdout", message)


def error(message: str) -> None:
    """An error among other output (the one that ends a command goes through the guard)."""
    _say("stderr", f"plancycle: error: {message}", "red")


def warn(message: str) -> None:
    _say("stderr", f"plancycle: warning: {message}", "yellow")


def note(message: str) -> None:
    """A side remark on stderr, for commands whose stdout scripts read."""
    _say("stderr", message)


def _say(name: str, message: str, style: str | None = None) -> None:
    stream = sys.stdout if name == "stdout" else sys.stderr
    if plain(stream):
        _line(stream, message)
    else:
        __getattr__(name).print(message, markup=False, style=style)


def raw(text: str) -> None:
    """A document's text exactly as it is."""
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
