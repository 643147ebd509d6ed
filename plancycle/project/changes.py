"""A set of edits to several files (texts, new files, moves), all worked out before the
first is written, so a refused command leaves every file as it was; or shown as one diff."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from plancycle.documents.document import Document
from plancycle.errors import ConflictError, DocumentError
from plancycle.fsutil import atomic_write, refuse_link
from plancycle.project.project import Project


@dataclass
class Changes:
    project: Project
    texts: dict[Path, bytes | None] = field(default_factory=dict)  # None: the file goes
    moves: list[tuple[Path, Path]] = field(default_factory=list)
    before: dict[Path, bytes | None] = field(default_factory=dict)

    def put(self, path: Path, doc: Document) -> None:
        if path not in self.before:
            self.before[path] = path.read_bytes() if path.is_file() else None
        self.texts[path] = doc.to_bytes()

    def move(self, old: Path, new: Path, doc: Document | bytes) -> None:
        """Give a file a new name (and its new text ``doc``)."""
        if new.exists() or new in self.texts:
            raise ConflictError(f"{self.project.display(new)} already exists")
        self.before.setdefault(old, old.read_bytes())
        self.texts[old] = None
        self.before[new] = None
        self.texts[new] = doc if isinstance(doc, bytes) else doc.to_bytes()
        self.moves.append((old, new))

    def document(self, path: Path) -> Document:
        """A document as these changes leave it (the disk when they do not touch it)."""
        data = self.texts.get(path)
        doc = Document.from_bytes(data, path) if data is not None else Document.read(path)
        doc.path = self.project.display(path)
        return doc

    @property
    def changed(self) -> list[Path]:
        """The paths whose bytes change, in the order they are written."""
        return [p for p, data in self.texts.items() if data != self.before.get(p)]

    def diff(self) -> str:
        parts = []
        for path in self.changed:
            data = self.texts[path]
            label = self.project.display(path)
            if data is None:
                parts.append(f"--- a/{label}\n+++ /dev/null\n")
                continue
            before = self.before.get(path)
            if b"\0" in data[:8192]:  # a file that is not text moves as it is
                parts.append(f"Binary files a/{label} and b/{label} differ\n")
                continue
            doc = Document.from_bytes(data, path)
            text = doc.diff(before, label)
            if before is None:  # a new file, as git shows one
                text = text.replace(f"--- a/{label}\n", "--- /dev/null\n", 1)
            parts.append(text)
        return "".join(parts)

    def write(self) -> list[Path]:
        """Write every change (each file atomically); the paths written, new ones first."""
        changed = self.changed
        for path in changed:
            refuse_link(path)
            folder = path.parent
            while not folder.exists() and folder != folder.parent:
                folder = folder.parent
            if not os.access(folder, os.W_OK):
                raise DocumentError(
                    self.project.display(path), "cannot write: its folder is not writable; nothing was written"
                )
        for path in changed:
            data = self.texts[path]
            if data is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(path, data)
        for path in changed:
            if self.texts[path] is None:
                os.unlink(path)  # only after its new name is written: never neither
        for old, _new in self.moves:
            folder = old.parent
            while folder != self.project.git.root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()  # a folder emptied by the moves goes with them
                folder = folder.parent
        return [p for p in changed if self.texts[p] is not None]
