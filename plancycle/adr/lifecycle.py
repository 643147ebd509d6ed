"""Moving a decision through its lifecycle:

    proposed ──► accepted | rejected
    accepted ──► deprecated | superseded

Accepting is a decision's approval: the hook moves its version to the next major, as it
does for an approved plan. A superseded decision may gain more successors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plancycle.adr.changes import Changes
from plancycle.adr.records import STATES, Record, Scope, parse_ref, read_records, resolve
from plancycle.documents.versioning import ACCEPTED, parse_version
from plancycle.errors import EXIT_INVALID_DOCUMENT, ConflictError, PlancycleError
from plancycle.project.project import Project

MOVES: dict[str, tuple[str, ...]] = {
    "proposed": (ACCEPTED, "rejected"),
    ACCEPTED: ("deprecated", "superseded"),
}


@dataclass(frozen=True)
class Moved:
    record: Record
    to: str
    written: list[Path]  # empty: it was already there
    successor: Record | None = None  # the record superseding it

    @property
    def changed(self) -> bool:
        return bool(self.written)


def _usable(record: Record) -> None:
    if record.error is not None:
        raise PlancycleError(record.error, EXIT_INVALID_DOCUMENT)


def check_move(project: Project, record: Record, to: str) -> None:
    """Refuse a move the lifecycle does not have, naming the moves there are."""
    _usable(record)
    state = record.state
    shown = project.display(record.path)
    if state not in STATES:
        known = ", ".join(STATES)
        raise ConflictError(
            f"{shown}: status {record.status or '(none)'!r} is not a decision's ({known}); fix it first"
        )
    allowed = MOVES.get(state, ())
    if to in allowed:
        return
    if not allowed:
        raise ConflictError(f"{shown} is {state}, which is final; record a new decision instead")
    if to == "superseded":
        raise ConflictError(f"{shown} is {state}; only an accepted decision can be superseded (accept it first)")
    raise ConflictError(f"{shown} is {state}; it can move to {' or '.join(allowed)}, not {to}")


def move(project: Project, scope: Scope, ref: str, to: str) -> Moved:
    """Accept, reject or deprecate a record (superseding goes through `supersede`)."""
    records = read_records(project, scope)
    record = resolve(project, records, ref, scope)
    if record.state == to:
        _usable(record)
        return Moved(record, to, [])
    check_move(project, record, to)
    changes = Changes(project)
    doc = changes.document(record.path)
    fields: dict[str, object] = {"status": to}
    # The hook sees a record new in this commit as created and keeps its version: give
    # it the version acceptance gives, as `adr new --status accepted` does.
    below_one = record.version is None or parse_version(record.version) < parse_version("1.0.0")
    if to == ACCEPTED and below_one and not project.git.is_committed(record.path):
        fields["version"] = "1.0.0"
    doc.update(fields)
    changes.put(record.path, doc)
    if to == "rejected":
        _withdraw_succession(changes, project, record, records)
    changes.refresh_plan(scope)
    return Moved(record, to, changes.write())


def _withdraw_succession(changes: Changes, project: Project, record: Record, records: list[Record]) -> None:
    """A rejected decision replaces nothing: the records it would have superseded lose it as a
    successor, and one left with no successor is accepted again."""
    for old in records:
        if old.path == record.path or not any(names(s, record) for s in old.superseded_by):
            continue
        _usable(old)
        doc = changes.document(old.path)
        successors = [s for s in old.superseded_by if not names(s, record)]
        fields: dict[str, object] = {"superseded_by": successors}
        if not successors and old.state == "superseded":
            fields["status"] = ACCEPTED
        doc.update(fields)
        changes.put(old.path, doc)


def names(value: str, record: Record) -> bool:
    """Whether a `supersedes` / `superseded_by` entry (a file name or a number) is ``record``."""
    number, name = parse_ref(value)
    return name.lower() == record.name.lower() if name is not None else number == record.number


def supersede_edits(changes: Changes, project: Project, old: Record, records: list[Record], new_name: str) -> None:
    """Mark ``old`` superseded by the record named ``new_name`` (idempotent)."""
    if old.name == new_name:
        raise ConflictError(f"{project.display(old.path)} cannot supersede itself")
    if old.state != "superseded":
        check_move(project, old, "superseded")
    _usable(old)
    doc = changes.document(old.path)
    successors = [s for s in old.superseded_by if (parse_ref(s)[1] or "").lower() != new_name.lower()]
    doc.update({"status": "superseded", "superseded_by": [*successors, new_name]})
    if doc.to_bytes() != (changes.texts.get(old.path) or old.path.read_bytes()):
        changes.put(old.path, doc)


def supersede(project: Project, scope: Scope, old_ref: str, new_ref: str) -> Moved:
    """`adr supersede OLD NEW`: OLD → superseded, superseded_by NEW; NEW supersedes OLD."""
    records = read_records(project, scope)
    old = resolve(project, records, old_ref, scope)
    new = resolve(project, records, new_ref, scope)
    _usable(new)
    if new.state not in ("proposed", ACCEPTED):
        raise ConflictError(
            f"{project.display(new.path)} is {new.state}; only a proposed or accepted decision can supersede another"
        )
    already = any(names(s, old) for s in new.supersedes) and any(names(s, new) for s in old.superseded_by)
    if already and old.state == "superseded":
        return Moved(old, "superseded", [], new)
    if any(names(s, new) for s in old.supersedes):
        raise ConflictError(f"{project.display(old.path)} supersedes {new.name}; the two cannot supersede each other")
    changes = Changes(project)
    supersede_edits(changes, project, old, records, new.name)
    doc = changes.document(new.path)
    predecessors = [s for s in new.supersedes if not names(s, old)]
    doc.update({"supersedes": [*predecessors, old.name]})
    changes.put(new.path, doc)
    changes.refresh_plan(scope)
    return Moved(old, "superseded", changes.write(), new)
