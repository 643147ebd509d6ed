"""Where each feature stands: the documents it has, their status, version and dates."""

from __future__ import annotations

from typing import Any

from plancycle.documents.document import Document
from plancycle.project.project import STAGES, Feature, Project
from plancycle.tasks.progress import counts
from plancycle.tasks.tasksfile import list_tasks


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _read(project: Project, feature: Feature, kind: str) -> Document | None:
    path = feature.doc_path(kind)
    if not path.is_file():
        return None
    doc = Document.read(path)
    doc.path = project.display(path)
    return doc


def document_summary(doc: Document) -> dict[str, Any]:
    return {
        "path": str(doc.path),
        "status": _text(doc.get("status")),
        "version": _text(doc.get("version")),
        "updated": _text(doc.get("updated")),
        "title": _text(doc.get("title") or doc.get("name")),
    }


def feature_summary(project: Project, feature: Feature) -> dict[str, Any]:
    read = {kind: _read(project, feature, kind) for kind in STAGES}
    documents = {kind: document_summary(doc) if doc is not None else None for kind, doc in read.items()}
    present = [kind for kind in STAGES if documents[kind] is not None]
    titles = [d["title"] for d in documents.values() if d and d["title"]]
    updated = [d["updated"] for d in documents.values() if d and d["updated"]]
    for summary in documents.values():
        if summary is not None:
            del summary["title"]
    progress = None
    tasks = read["tasks"]
    if tasks is not None:
        progress = counts(list_tasks(tasks, project.config.changelog_heading))
    return {
        "number": feature.number,
        "name": feature.name,
        "title": titles[0] if titles else feature.slug.replace("-", " ").capitalize(),
        "path": project.display(feature.path),
        "stage": present[-1] if present else None,
        "updated": max(updated) if updated else None,
        "documents": documents,
        "progress": progress,
    }


def project_status(project: Project, feature_ref: str | None = None) -> list[dict[str, Any]]:
    features = [project.feature(feature_ref)] if feature_ref else project.features()
    return [feature_summary(project, feature) for feature in features]
