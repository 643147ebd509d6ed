"""`plancycle adr new`: number, write and link a new decision record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancycle.adr.changes import Changes
from plancycle.adr.lifecycle import supersede_edits
from plancycle.adr.records import Record, Scope, file_number, read_records, resolve
from plancycle.dates import today
from plancycle.documents.document import Document
from plancycle.documents.versioning import ACCEPTED, INITIAL_VERSION
from plancycle.errors import DocumentError, UsageError
from plancycle.names import control_character, short_slug
from plancycle.project.project import Project

TEMPLATE = "adr"
NEW_STATES = ("proposed", ACCEPTED)
APPROVED_VERSION = "1.0.0"  # an accepted record starts where an approved plan gets to
SLUG_LENGTH = 50


@dataclass(frozen=True)
class NewRecord:
    path: Path
    number: int
    written: list[Path]  # the new record first, then the records and plan it changed


def check_title(title: str) -> str:
    text = title.strip()
    if not text:
        raise UsageError('the decision needs a title, such as "Use PostgreSQL"')
    control = control_character(text)
    if control is not None:
        raise UsageError(f"decision title {title!r} holds a control character ({control!r}); give it on one line")
    return text


def used_numbers(project: Project, scope: Scope, records: list[Record]) -> set[int]:
    """Numbers taken in the folder and in the same folder on every local and remote branch."""
    used = {r.number for r in records}
    for name in project.git.entries_on_branches(scope.folder, "blob"):
        number = file_number(name)
        if number is not None:
            used.add(number)
    return used


def record_context(project: Project, scope: Scope, number: int, title: str, **values: Any) -> dict[str, Any]:
    date = today().isoformat()
    status = values.get("status", "proposed")
    context: dict[str, Any] = {
        "title": title,
        "number": f"{number:0{project.config.number_width}d}",
        "feature": scope.feature.name if scope.feature else None,
        "status": status,
        "version": APPROVED_VERSION if status == ACCEPTED else INITIAL_VERSION,
        "date": date,
        "created": date,
        "updated": date,
        "author": project.git.user_name() or "unknown",
        "decision_makers": [],
        "supersedes": [],
        "superseded_by": [],
        "body": None,
        "template": TEMPLATE,
    }
    context.update(values)
    return context


def render_record(project: Project, context: dict[str, Any], path: Path) -> Document:
    info = project.templates.find(TEMPLATE)
    text = project.templates.render(info, context)
    try:
        doc = Document(text, project.display(path))
    except DocumentError as exc:
        raise UsageError(f"template {info.path} renders an invalid document: {exc}") from None
    return doc


def record_path(project: Project, scope: Scope, number: int, title: str) -> Path:
    slug = short_slug(title, SLUG_LENGTH) or "decision"
    return scope.folder / f"{number:0{project.config.number_width}d}-{slug}.md"


def new_record(
    project: Project,
    scope: Scope,
    title: str,
    *,
    status: str = "proposed",
    supersedes: list[str] | None = None,
    deciders: list[str] | None = None,
) -> NewRecord:
    title = check_title(title)
    if status not in NEW_STATES:
        raise UsageError(f"a new decision is proposed or accepted, not {status!r}")
    for name in deciders or []:
        if control_character(name):
            raise UsageError(f"decision-maker {name!r} holds a control character; give names on one line")
    # Numbering and writing are one step under the lock feature numbers use.
    with project.git.store.lock("features", "creating a decision record"):
        records = read_records(project, scope)
        olds = list({r.path: r for r in (resolve(project, records, ref, scope) for ref in supersedes or [])}.values())
        number = max(used_numbers(project, scope, records), default=0) + 1
        path = record_path(project, scope, number, title)
        context = record_context(
            project,
            scope,
            number,
            title,
            status=status,
            decision_makers=list(deciders or []),
            supersedes=[old.name for old in olds],
        )
        changes = Changes(project)
        changes.put(path, render_record(project, context, path))
        for old in olds:
            supersede_edits(changes, project, old, changes.records(scope), path.name)
        changes.refresh_plan(scope)
        written = changes.write()
    return NewRecord(path, number, written)
