"""Decisions across the project: the listing `adr list` and `status` print, duplicate
numbers, and every plan's decision index at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancycle.adr.changes import Changes
from plancycle.adr.records import ALIASES, STATES, Scope, all_scopes, duplicates, read_records, scope_of, summary
from plancycle.errors import UsageError
from plancycle.project.project import Project


@dataclass(frozen=True)
class Listing:
    decisions: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]


def _scopes(project: Project, feature: str | None, only_project: bool) -> list[Scope]:
    if only_project:
        return [scope_of(project, None)]
    if feature is not None:
        return [scope_of(project, feature)]
    return all_scopes(project)


def listing(
    project: Project, feature: str | None = None, *, only_project: bool = False, status: str | None = None
) -> Listing:
    decisions: list[dict[str, Any]] = []
    twins: list[dict[str, Any]] = []
    wanted = ALIASES.get(status.lower(), status.lower()) if status else None
    if wanted is not None and wanted not in STATES:
        raise UsageError(f"--status {status!r} is not a decision's status; give one of {', '.join(STATES)}")
    for scope in _scopes(project, feature, only_project):
        records = read_records(project, scope)
        for number, found in sorted(duplicates(records).items()):
            paths = [project.display(r.path) for r in found]
            twins.append(
                {
                    "scope": scope.name,
                    "number": number,
                    "paths": paths,
                    "message": (
                        f"decision number {found[0].label} is used {len(found)} times in "
                        f"{project.display(scope.folder)}/ ({', '.join(r.name for r in found)}); give the one not "
                        f"yet shared a new number: `plancycle adr renumber "
                        f"{scope.feature.name + ' ' if scope.feature else '--global '}FILE`, FILE one of "
                        f"{', '.join(r.name[:-3] for r in found)}"
                    ),
                }
            )
        decisions.extend(
            summary(project, record, records) for record in records if wanted is None or record.state == wanted
        )
    return Listing(decisions, twins)


def refresh_indexes(project: Project, feature: str | None, *, write: bool) -> list[Path]:
    """The plans whose decision index is stale, brought up to date when ``write``."""
    scopes = [scope_of(project, feature)] if feature else [s for s in all_scopes(project) if s.feature]
    changes = Changes(project)
    for scope in scopes:
        changes.refresh_plan(scope)
    stale = changes.changed
    if write:
        changes.write()
    return stale
