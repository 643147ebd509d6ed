"""`plancycle adr renumber`: give a record another number (after two branches both added
`003`), with every link to it rewritten and the old number noted in the record."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from plancycle.adr.changes import Changes
from plancycle.adr.create import used_numbers
from plancycle.adr.lifecycle import names
from plancycle.adr.records import Record, Scope, all_scopes, duplicates, read_records, resolve
from plancycle.documents.document import Document
from plancycle.documents.links import rewrite_links
from plancycle.errors import ConflictError, DocumentError, UsageError
from plancycle.git import tracked_files
from plancycle.project.project import Project

NOTE_FIELD = "renumbered_from"


@dataclass(frozen=True)
class Renumbered:
    old: Path
    new: Path
    links: int  # links rewritten in other documents
    written: list[Path]


def _heading(doc: Document, old_label: str, new_label: str) -> None:
    """A title heading that carries the number (`# 3. Use Redis`, `# ADR 003: …`) follows it."""
    lines = doc.body_lines
    pattern = re.compile(rf"^(#[ \t]+(?:ADR[- ]?)?)0*{int(old_label)}(?=[.:\s])", re.I)
    for index, line in enumerate(lines):
        if line.startswith("# "):
            lines[index] = pattern.sub(lambda m: m.group(1) + new_label, line, count=1)
            break
    doc.replace_body("".join(lines))


def renumber(project: Project, scope: Scope, ref: str, to: int | None) -> Renumbered:
    with project.git.store.lock("features", "renumbering a decision record"):
        return _renumber(project, scope, ref, to)


def _renumber(project: Project, scope: Scope, ref: str, to: int | None) -> Renumbered:
    records = read_records(project, scope)
    record = resolve(project, records, ref, scope)
    if record.error is not None or record.doc is None:
        raise DocumentError(record.error or project.display(record.path), "fix the record first")
    taken = used_numbers(project, scope, records)
    twins = duplicates(records).get(record.number, [])
    if to is None:
        to = max(taken, default=0) + 1
    if to < 1:
        raise UsageError("a decision number is 1 or more")
    if to == record.number:
        raise UsageError(f"{record.name} already has number {record.label}")
    if to in taken:
        raise ConflictError(
            f"decision number {to} is already used in {project.display(scope.folder)}/ or on a branch; "
            f"leave out --to to take the next free one ({max(taken) + 1})"
        )
    width = max(len(record.label), project.config.number_width)
    new_label = f"{to:0{width}d}"
    new_path = record.path.with_name(f"{new_label}-{record.name.split('-', 1)[1]}")
    changes = Changes(project)
    doc = changes.document(record.path)
    notes = doc.get(NOTE_FIELD)
    earlier = [str(n) for n in notes] if isinstance(notes, list) else ([str(notes)] if notes else [])
    doc.update({NOTE_FIELD: [*earlier, record.label] if earlier else record.label})
    _heading(doc, record.label, new_label)
    changes.move(record.path, new_path, doc)
    ambiguous = len(twins) > 1  # a bare number names neither of two records that share it
    links = _rewrite_everywhere(project, changes, record, new_path, ambiguous)
    for other in all_scopes(project):
        changes.refresh_plan(other)  # a plan may link to a record of another feature
    return Renumbered(record.path, new_path, links, changes.write())


def _rewrite_everywhere(project: Project, changes: Changes, record: Record, new_path: Path, ambiguous: bool) -> int:
    old = os.path.normpath(record.path)
    count = 0
    number = re.compile(rf"\b(ADR[- ]?)0*{record.number}\b", re.I)
    new_label = new_path.name.split("-", 1)[0]

    def retitle(text: str) -> str:
        return number.sub(lambda m: m.group(1) + new_label, text)

    top = project.git.root
    for relative in tracked_files(top, "*.md", untracked=True):
        path = top / relative
        if path == record.path or path.is_symlink() or not path.is_file():
            continue  # a link's target is scanned in its own place
        pending = changes.texts.get(path)
        data = pending if pending is not None else path.read_bytes()
        if record.name.encode() not in data and str(record.number).encode() not in data:
            continue  # nothing here can name the record: not even read as a document
        try:
            doc = changes.document(path)
        except DocumentError:
            continue  # a document that cannot be read is not rewritten (check reports it)
        lines = doc.body_lines

        def change(target: str, base: Path = path.parent) -> str | None:
            if os.path.normpath(base / target) != old:
                return None
            new = Path(os.path.relpath(new_path, base)).as_posix()
            return "./" + new if target.startswith("./") else new

        found = rewrite_links(lines, change, retitle)
        if found:
            doc.replace_body("".join(lines))
        if path.parent == record.path.parent:
            found += _rewrite_fields(doc, record, new_path.name, ambiguous)
        if found:
            count += found
            changes.put(path, doc)
    return count


def _rewrite_fields(doc: Document, record: Record, new_name: str, ambiguous: bool) -> int:
    count = 0
    for key in ("supersedes", "superseded_by"):
        value = doc.get(key)
        items = [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])
        updated = [
            new_name if names(item, record) and (not item.isdigit() or not ambiguous) else item for item in items
        ]
        if updated != items:
            count += sum(a != b for a, b in zip(items, updated, strict=True))
            doc.update({key: updated})
    return count
