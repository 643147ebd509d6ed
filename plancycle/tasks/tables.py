"""Reading tables: a milestone table (a phase column beside a work column) gives a phase
per row, its work split into tasks; any other table gives a task per row, from its work
column or else its wordiest one, ticked when a status column says done.
"""

from __future__ import annotations

from typing import Any

from plancycle.documents.markdown import normalise_title, plain_text
from plancycle.tasks.collector import Collector
from plancycle.tasks.phrases import DONE

_PHASE_COLUMNS = ("milestone", "phase", "stage", "step", "sprint", "iteration")
_WORK_COLUMNS = (
    "deliverables",
    "deliverable",
    "tasks",
    "task",
    "work",
    "scope",
    "description",
    "action",
    "actions",
    "activities",
    "what",
    "item",
    "items",
    "step",
    "steps",
)
_CRITERIA_COLUMNS = ("success criteria", "exit criteria", "acceptance criteria", "criteria", "done when")


def read_table(found: Collector, toks: list[Any]) -> None:
    header, rows = _cells(toks)
    if not rows:
        return
    phase_col = _column(header, _PHASE_COLUMNS)
    work_col = _column(header, _WORK_COLUMNS)
    criteria_col = _column(header, _CRITERIA_COLUMNS)
    status_col = _column(header, ("status", "done", "state"))
    if phase_col is not None and work_col is not None and phase_col != work_col:
        for cells in rows:
            found.split_work(found.phase(_cell(cells, phase_col)), _cell(cells, work_col))
            if criteria_col is not None:
                found.criterion(_cell(cells, criteria_col))
        found.current = None
        return
    column = work_col if work_col is not None else _most_descriptive(rows)
    for cells in rows:
        text = _cell(cells, column)
        if (status_col is not None and DONE.match(_cell(cells, status_col) + " ")) or (
            status_col is not None and _cell(cells, status_col).lower() in ("done", "complete", "completed")
        ):
            text = "[x] " + text
        found.task(text)


def _cells(toks: list[Any]) -> tuple[list[str], list[list[str]]]:
    """The header (normalised titles) and the body rows of a table, as plain text."""
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
            row.append(plain_text(tok))
        elif tok.type == "tr_close":
            if in_head:
                header = [normalise_title(c) for c in row]
            else:
                rows.append(row)
    return header, rows


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _most_descriptive(rows: list[list[str]]) -> int:
    width = max(len(r) for r in rows)
    totals = [sum(len(_cell(r, i)) for r in rows) for i in range(width)]
    return totals.index(max(totals))
