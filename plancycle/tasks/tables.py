"""Reading tables. A table of risks, dependencies, decisions or metrics is not work and is
skipped. A milestone table (a phase column beside a work column) gives a phase per value
of the phase column, its work split into tasks; any other table is one phase of a task per
row, ticked when a status column says done. The task text is the column that describes the
work: one named so (`Work item`, `Task`, `Change`, `Description` …), else the wordiest
column that is not a number, an estimate, an owner, a date or a dependency; a warning says
which column was read.
"""

from __future__ import annotations

import re
from typing import Any

from plancycle.documents.markdown import normalise_title, plain_text
from plancycle.tasks.collector import Collector
from plancycle.tasks.phrases import DONE, work_text

_PHASE_COLUMNS = ("milestone", "phase", "stage", "sprint", "iteration")
_WORK_COLUMNS = (
    "deliverables",
    "deliverable",
    "tasks",
    "task",
    "work item",
    "work items",
    "work",
    "change",
    "changes",
    "scope",
    "description",
    "action",
    "actions",
    "activities",
    "activity",
    "what",
    "item",
    "items",
    "todo",
    "step",
    "steps",
)
# Words in a header that name a column of something other than the work.
_NOT_WORK_COLUMN = re.compile(
    r"^(?:#|no\.?|n°|id|ref|number|estimate|estimated|effort|size|points|story points|owner|owners|assignee|"
    r"who|status|state|done|depends on|dependencies|dependency|blocked by|blocks|enables|needed by|unblocks|team|"
    r"target|date|due|due date|eta|when|week|duration|priority|notes|comments|link|links|issue|ticket|pr)$"
)
# A table whose first column is one of these lists something that is not work.
_NOT_WORK_TABLES = (
    "risk",
    "risks",
    "dependency",
    "dependencies",
    "assumption",
    "assumptions",
    "question",
    "open question",
    "decision",
    "option",
    "options",
    "alternative",
    "metric",
    "metrics",
    "kpi",
    "stakeholder",
    "role",
    "violation",
    "term",
)
_CRITERIA_COLUMNS = ("success criteria", "exit criteria", "acceptance criteria", "criteria", "done when")
_NUMERIC = re.compile(r"^\W{0,2}[A-Za-z]{0,4}[-#]?\d+(?:\.\d+)*\W{0,2}$|^$")


def read_table(found: Collector, toks: list[Any]) -> None:
    written, rows = _cells(toks)
    header = [normalise_title(c) for c in written]
    if not rows or (header and header[0] in _NOT_WORK_TABLES):
        return
    phase_col = _column(header, _PHASE_COLUMNS)
    work_col = _column(header, _WORK_COLUMNS, rows)
    criteria_col = _column(header, _CRITERIA_COLUMNS)
    status_col = _column(header, ("status", "done", "state"))
    if phase_col is not None and work_col is not None and phase_col != work_col:
        last: str | None = None
        for cells in rows:
            title = _cell(cells, phase_col)
            phase = found.current if title == last and found.current is not None else found.phase(title)
            last = title
            found.split_work(phase, _ticked(cells, _cell(cells, work_col), status_col))
            if criteria_col is not None:
                found.criterion(_cell(cells, criteria_col))
        found.current = None
        return
    column = work_col if work_col is not None else _most_descriptive(header, rows)
    if header and column < len(header):
        found.notes.append(f"tasks read from the table's {written[column]!r} column")
    for cells in rows:
        found.task(_ticked(cells, _cell(cells, column), status_col))


def _ticked(cells: list[str], text: str, status_col: int | None) -> str:
    if status_col is None:
        return text
    status = _cell(cells, status_col)
    if DONE.match(status + " ") or status.strip().lower() in ("done", "complete", "completed", "shipped"):
        return "[x] " + text
    return text


def _cells(toks: list[Any]) -> tuple[list[str], list[list[str]]]:
    """The header and the body rows of a table, as plain text."""
    rows: list[list[str]] = []
    header: list[str] = []
    row: list[str] = []
    in_head = False
    for tok in toks:
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline":
            row.append(plain_text(tok) if in_head else work_text(tok))
        elif tok.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(row)
    return header, rows


def _numeric(rows: list[list[str]], index: int) -> bool:
    """A column of numbers or IDs (`1`, `#2`, `WB-3`): never the work."""
    return all(_NUMERIC.match(_cell(r, index).strip()) for r in rows)


def _column(header: list[str], names: tuple[str, ...], rows: list[list[str]] | None = None) -> int | None:
    for name in names:
        if name in header:
            index = header.index(name)
            if rows is None or not _numeric(rows, index):
                return index
    return None


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _most_descriptive(header: list[str], rows: list[list[str]]) -> int:
    width = max(len(r) for r in rows)
    allowed = [
        i for i in range(width) if not (i < len(header) and _NOT_WORK_COLUMN.match(header[i])) and not _numeric(rows, i)
    ] or list(range(width))
    totals = {i: sum(len(_cell(r, i)) for r in rows) for i in allowed}
    return max(allowed, key=lambda i: (totals[i], -i))
