"""Progress across a project's task lists: listing tasks, ticking them off, counting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plancycle.documents.document import Document
from plancycle.errors import NotFoundError
from plancycle.project.project import Feature, Project
from plancycle.tasks.tasksfile import TaskItem, list_tasks, set_done


@dataclass(frozen=True)
class ListedTask:
    feature: str
    task: TaskItem

    def as_json(self) -> dict[str, object]:
        t = self.task
        return {
            "feature": self.feature,
            "id": t.id,
            "text": t.text,
            "done": t.done,
            "phase": t.phase,
            "removed_from_plan": t.removed,
        }


def read_tasks(project: Project, feature: Feature) -> list[TaskItem] | None:
    """The tasks of a feature's tasks.md, or None when it has none."""
    path = feature.doc_path("tasks")
    if not path.is_file():
        return None
    doc = Document.read(path)
    doc.path = project.display(path)
    return list_tasks(doc, project.config.changelog_heading)


def project_tasks(project: Project, feature_ref: str | None = None, *, open_only: bool = False) -> list[ListedTask]:
    features = [project.feature(feature_ref)] if feature_ref else project.features()
    found = []
    for feature in features:
        for task in read_tasks(project, feature) or []:
            if not (open_only and task.done):
                found.append(ListedTask(feature.name, task))
    return found


def counts(tasks: list[TaskItem]) -> dict[str, int]:
    """{"done", "total"} of the tasks still in the plan."""
    current = [t for t in tasks if not t.removed]
    return {"done": sum(t.done for t in current), "total": len(current)}


@dataclass(frozen=True)
class Ticked:
    path: Path
    changed: list[str]  # the IDs whose box changed


def tick(project: Project, feature_ref: str, task_ids: list[str], done: bool) -> Ticked:
    """Tick (or untick) tasks by ID; only their checkboxes change."""
    feature = project.feature(feature_ref)
    path = feature.doc_path("tasks")
    if not path.is_file():
        raise NotFoundError(
            f"{project.display(path)} is missing; derive it with `plancycle tasks derive {feature.name}`"
        )
    doc = Document.read(path)
    doc.path = project.display(path)
    changed = set_done(doc, task_ids, done)
    if changed:
        doc.write(path)
    return Ticked(path, changed)
