"""Timelines for people: each commit that touched a document, with its version, status
change and the sections it touched; for one document or interleaved across a feature."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plancycle import git
from plancycle.documents.document import Document
from plancycle.documents.versioning import Rules, compare
from plancycle.errors import DocumentError, NotFoundError, UsageError
from plancycle.history.facts import DocHistory, Revision
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


def timeline(project: Project, paths: list[Path], *, cache: bool = True) -> Timeline:
    state = project.git.state
    keys = {}
    for path in paths:
        project.require_inside(path)
        if not path.exists():
            raise NotFoundError(f"{path}: no such document")
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give a document, or see a feature's with `plancycle log FEATURE`")
        keys[path] = project.display(path)
    if state.head is None:
        return Timeline([], False, ["no commits yet"])
    history = read_history(
        state.top, state.common_dir, keys.values(), head=state.head, root=project.display(project.root), cache=cache
    )
    rules = Rules.from_config(project.config)
    blobs = git.read_objects(state.top, [r.blob for d in history.documents.values() for r in d.revisions])
    events: list[tuple[int, Event]] = []
    notes = []
    for key in keys.values():
        doc_history = history.documents[key]
        if doc_history.skipped:
            notes.append(f"{key}: skipped {len(doc_history.skipped)} revision(s) whose frontmatter did not parse")
        if not doc_history.revisions:
            notes.append(f"{key}: never committed")
        # Each revision is compared with the one it was made from on the commit graph (the
        # first parent's, for a merge), not with whatever the log listed before it.
        readable: dict[str, Document | None] = {}
        for revision in doc_history.revisions:  # parents first: a base is read before its children
            try:
                current: Document | None = Document.from_bytes(blobs.get(revision.blob) or b"", revision.path)
            except DocumentError:
                current = None
            base = doc_history.base(revision)
            before = _readable(doc_history, base, readable)
            if current is None:
                summary = "(unreadable revision)"
            elif base is None:
                summary = "Created"
            elif before is None:
                summary = "(no readable revision before it)"
            else:
                try:
                    summary = compare(before, current, rules).summary
                except DocumentError:
                    summary = "(unreadable revision)"
            readable[revision.commit] = current
            status_from = base.status if base is not None and base.status != revision.status else None
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
    if history.shallow:
        notes.append("shallow clone: history is incomplete; the oldest entries may not be where documents began")
    events.sort(key=lambda item: -item[0])
    return Timeline([e for _, e in events], history.shallow, notes)


def _readable(history: DocHistory, revision: Revision | None, readable: dict[str, Document | None]) -> Document | None:
    """The document as ``revision`` had it, or as its nearest readable ancestor on the graph had it."""
    while revision is not None:
        found = readable.get(revision.commit)
        if found is not None:
            return found
        revision = history.base(revision)
    return None
