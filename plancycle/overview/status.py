"""Where each feature stands: the documents it has, their status, version and dates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plancycle.adr import records as adr
from plancycle.documents.document import Document
from plancycle.documents.versioning import status_field, version_field
from plancycle.errors import DocumentError
from plancycle.project.project import STAGES, Feature, Project
from plancycle.tasks.progress import counts
from plancycle.tasks.tasksfile import list_tasks


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


# Texts to read instead of the files (path -> bytes, None for a file that is not there): the
# commit hook gives the staged ones, so the index it writes is the commit's.
Texts = dict[Path, bytes | None]


def _read(project: Project, feature: Feature, kind: str, texts: Texts | None = None) -> Document | DocumentError | None:
    path = feature.doc_path(kind)
    if texts is not None and path in texts:
        data = texts[path]
        if data is None:
            return None
        try:
            doc = Document.from_bytes(data, project.display(path))
        except DocumentError as exc:
            return DocumentError(project.display(path), exc.message.split(": ", 1)[-1], exc.line)
        return doc
    if not path.is_file():
        return None
    try:
        doc = Document.read(path)
    except DocumentError as exc:
        return DocumentError(project.display(path), exc.message.split(": ", 1)[-1], exc.line)
    doc.path = project.display(path)
    return doc


def document_summary(doc: Document | DocumentError) -> dict[str, Any]:
    """A document's status, version and dates, read by the same rules as the hook; a
    document those rules refuse is listed with its error (and without the refused facts)."""
    if isinstance(doc, DocumentError):
        return {
            "path": str(doc.path),
            "status": None,
            "version": None,
            "updated": None,
            "title": None,
            "error": doc.message,
        }
    summary: dict[str, Any] = {
        "path": str(doc.path),
        "status": None,
        "version": None,
        "updated": _text(doc.get("updated")),
        "title": _text(doc.get("title") or doc.get("name")),
        "error": None,
    }
    try:
        version = version_field(doc)
        summary["version"] = version.text if version is not None else None
        summary["status"] = status_field(doc)
    except DocumentError as exc:
        summary["error"] = exc.message
    return summary


def decisions_summary(project: Project, scope: adr.Scope, texts: Texts | None = None) -> dict[str, Any]:
    """A scope's decision records: how many in each state, and each one."""
    pending = {p: data for p, data in (texts or {}).items() if p.parent == scope.folder}
    records = adr.read_records(project, scope, pending)
    return {"counts": adr.counts(records), "records": [adr.summary(project, r, records) for r in records]}


def feature_summary(project: Project, feature: Feature, texts: Texts | None = None) -> dict[str, Any]:
    read = {kind: _read(project, feature, kind, texts) for kind in STAGES}
    documents = {kind: document_summary(doc) if doc is not None else None for kind, doc in read.items()}
    present = [kind for kind in STAGES if documents[kind] is not None]
    titles = [d["title"] for d in documents.values() if d and d["title"]]
    updated = [d["updated"] for d in documents.values() if d and d["updated"]]
    for summary in documents.values():
        if summary is not None:
            del summary["title"]
    progress = None
    tasks = read["tasks"]
    if isinstance(tasks, Document):
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
        "decisions": decisions_summary(project, adr.Scope(feature.path / adr.FOLDER, feature), texts),
    }


def document_errors(status: dict[str, Any]) -> list[str]:
    """The documents the status could not read, one line each (file, line, what to do)."""
    found = [d["error"] for f in status["features"] for d in f["documents"].values() if d is not None and d["error"]]
    scopes = [f["decisions"] for f in status["features"]] + [status["decisions"]]
    return found + [r["error"] for scope in scopes for r in scope["records"] if r["error"]]


def unmanaged(status: dict[str, Any]) -> list[str]:
    """The documents plancycle does not keep yet (readable, no version): what `adopt` takes over."""
    found = [d["path"] for f in status["features"] for d in f["documents"].values() if d and _unkept(d)]
    scopes = [f["decisions"] for f in status["features"]] + [status["decisions"]]
    return found + [r["path"] for scope in scopes for r in scope["records"] if _unkept(r)]


def _unkept(summary: dict[str, Any]) -> bool:
    return summary["version"] is None and summary["error"] is None


def project_status(project: Project, feature_ref: str | None = None) -> dict[str, Any]:
    """Every feature (or one) and the project-wide decisions: the one model `status` prints."""
    features = [project.feature(feature_ref)] if feature_ref else project.features()
    found = {
        "features": [feature_summary(project, feature) for feature in features],
        "decisions": decisions_summary(project, adr.scope_of(project, None))
        if not feature_ref
        else {"counts": {}, "records": []},
    }
    found["unmanaged"] = unmanaged(found)
    return found
