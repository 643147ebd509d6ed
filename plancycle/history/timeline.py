"""Timelines for people: each commit that touched a document, with its version, status
change and the sections it touched; for one document or interleaved across a feature."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plancycle import git
from plancycle.documents.document import Document
from plancycle.documents.versioning import compare
from plancycle.errors import DocumentError, NotFoundError
from plancycle.history.revisions import read_history
from plancycle.project.project import Project


@dataclass(frozen=True)
class Event:
    document: str  # the document's path now
    path: str  # its path in that commit
    commit: str
    date: str
    author: str
    subject: str
    version: str | None
    status: str | None
    status_from: str | None
    changes: str

    def as_json(self) -> dict[str, object]:
        return {
            "document": self.document,
            "path": self.path,
            "commit": self.commit,
            "date": self.date,
            "author": self.author,
            "subject": self.subject,
            "version": self.version,
            "status": self.status,
            "status_from": self.status_from,
            "changes": self.changes,
        }


@dataclass
class Timeline:
    events: list[Event]  # oldest first
    shallow: bool
    notes: list[str]


def timeline(project: Project, paths: list[Path]) -> Timeline:
    state = git.repo_state(project.git.root)
    keys = {}
    for path in paths:
        if not path.exists():
            raise NotFoundError(f"{path}: no such document")
        keys[path] = project.display(path)
    if state.head is None:
        return Timeline([], False, ["no commits yet"])
    history = read_history(state.top, state.git_dir, keys.values())
    blobs = git.read_objects(state.top, [r.blob for d in history.documents.values() for r in d.revisions])
    events: list[tuple[int, Event]] = []
    notes = []
    for key in keys.values():
        doc_history = history.documents[key]
        if doc_history.skipped:
            notes.append(f"{key}: skipped {len(doc_history.skipped)} revision(s) whose frontmatter did not parse")
        if not doc_history.revisions:
            notes.append(f"{key}: never committed")
        previous: Document | None = None
        previous_status = None
        for revision in doc_history.revisions:
            try:
                current = Document.from_bytes(blobs.get(revision.blob) or b"", revision.path)
                summary = compare(previous, current).summary if previous is not None else "Created"
            except DocumentError:
                current, summary = None, "(unreadable revision)"
            status_from = previous_status if previous_status != revision.status else None
            events.append(
                (
                    revision.order,
                    Event(
                        key,
                        revision.path,
                        revision.commit,
                        revision.date,
                        revision.author,
                        revision.subject,
                        revision.version,
                        revision.status,
                        status_from,
                        summary or "(no content change)",
                    ),
                )
            )
            previous, previous_status = current or previous, revision.status
    if history.shallow:
        notes.append("shallow clone: history is incomplete; the oldest entries may not be where documents began")
    events.sort(key=lambda item: -item[0])
    return Timeline([e for _, e in events], history.shallow, notes)
