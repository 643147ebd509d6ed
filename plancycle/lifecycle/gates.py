"""What blocks a move, each gate by name with file:line:

- `placeholders`: template placeholders left (into review or approved);
- `compliance`: an unticked compliance gate (into approved);
- `spec-approved`: a plan approved before its spec (into approved);
- `tasks-stale`: a tasks.md derived from another version of the plan (tasks into review or
  approved, and a plan or its tasks into done);
- `open-tasks`: tasks left open (into done).
"""

from __future__ import annotations

from dataclasses import dataclass

from plancycle.documents.document import Document
from plancycle.documents.ignores import read_ignores
from plancycle.documents.placeholders import find_placeholders
from plancycle.documents.versioning import status_field
from plancycle.errors import DocumentError, PlancycleError
from plancycle.lifecycle.compliance import compliance_gaps
from plancycle.project.project import Feature, Project

GATES = ("placeholders", "compliance", "spec-approved", "tasks-stale", "open-tasks")
PLACEHOLDERS_SHOWN = 50


@dataclass(frozen=True)
class Blocker:
    gate: str
    where: str  # path:line, or path
    message: str

    def line(self) -> str:
        return f"{self.where}: [{self.gate}] {self.message}"


def placeholder_blockers(doc: Document, shown: str, changelog_heading: str = "Change Log") -> list[Blocker]:
    ignores = read_ignores(doc)  # the lines `check` is told to leave alone pass the gate too
    found = [
        p
        for p in find_placeholders(doc.body_lines, changelog_heading)
        if not ignores.covers({"PC002", "placeholders"}, doc.body_start_line + p.line - 1)
    ]
    blockers = [
        Blocker("placeholders", f"{shown}:{doc.body_start_line + p.line - 1}", f"unfilled placeholder {p.text}")
        for p in found[:PLACEHOLDERS_SHOWN]
    ]
    if len(found) > PLACEHOLDERS_SHOWN:
        blockers.append(Blocker("placeholders", shown, f"… and {len(found) - PLACEHOLDERS_SHOWN} more"))
    return blockers


def compliance_blockers(doc: Document, shown: str) -> list[Blocker]:
    return [
        Blocker("compliance", f"{shown}:{gap.line}", f"compliance gate not passed: {gap.text}")
        for gap in compliance_gaps(doc)
    ]


def _status_of(path_exists: bool, doc: Document | None) -> str | None:
    return status_field(doc) if path_exists and doc is not None else None


def spec_blockers(project: Project, feature: Feature, approved: str) -> list[Blocker]:
    spec = feature.doc_path("spec")
    shown = project.display(spec)
    if not spec.is_file():
        return [Blocker("spec-approved", shown, "the plan's spec is missing")]
    status = status_field(Document.read(spec))
    if status in (approved, "done"):
        return []
    return [
        Blocker(
            "spec-approved",
            shown,
            f"the spec is {status or 'without a status'}; approve it first (`plancycle approve {feature.name} spec`)",
        )
    ]


def tasks_blockers(project: Project, feature: Feature) -> list[Blocker]:
    from plancycle.tasks.derive import derive, is_stale

    tasks = feature.doc_path("tasks")
    shown = project.display(tasks)
    if not tasks.is_file():
        return [Blocker("tasks-stale", shown, f"there is no tasks.md; run `plancycle tasks derive {feature.name}`")]
    try:
        result = derive(project, feature.name)
    except PlancycleError as exc:
        return [Blocker("tasks-stale", shown, f"cannot be derived from the plan: {exc.message}")]
    if is_stale(result):
        return [
            Blocker(
                "tasks-stale",
                shown,
                f"is stale against the plan ({result.summary.line()}); run `plancycle tasks derive {feature.name}`",
            )
        ]
    return []


def open_task_blockers(project: Project, feature: Feature) -> list[Blocker]:
    from plancycle.tasks.tasksfile import list_tasks

    tasks = feature.doc_path("tasks")
    shown = project.display(tasks)
    if not tasks.is_file():
        return [Blocker("open-tasks", shown, "there is no tasks.md to finish")]
    doc = Document.read(tasks)
    open_ = [t for t in list_tasks(doc, project.config.changelog_heading) if not t.done and not t.removed]
    return [Blocker("open-tasks", shown, f"{t.id or '-'} is open: {t.text}") for t in open_]


def blockers(project: Project, feature: Feature, kind: str, doc: Document, to: str) -> list[Blocker]:
    """Everything that blocks moving ``doc`` (a ``kind`` document of ``feature``) to ``to``."""
    approved = project.config.approved_status
    shown = str(doc.path)
    found: list[Blocker] = []
    try:
        if to in ("review", approved):
            found += placeholder_blockers(doc, shown, project.config.changelog_heading)
        if to == approved:
            found += compliance_blockers(doc, shown)
        if kind == "plan" and to == approved:
            found += spec_blockers(project, feature, approved)
        if kind == "tasks" and to in ("review", approved, "done"):
            found += tasks_blockers(project, feature)
        if to == "done" and kind in ("plan", "tasks"):
            if kind == "plan":
                found += tasks_blockers(project, feature)
            found += open_task_blockers(project, feature)
    except DocumentError as exc:
        found.append(Blocker("unreadable", str(exc.path), exc.message))
    return found
