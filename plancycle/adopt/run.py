"""`plancycle adopt`: every candidate read and given its frontmatter, records outside the
root moved in on request, duplicate numbers reported with the command that fixes each;
all worked out as one set of `Changes` before anything is written (or shown as a diff)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plancycle.adopt.fields import adopted_fields
from plancycle.adopt.found import Candidate, candidates
from plancycle.adr.records import all_scopes, read_records, scope_of
from plancycle.dates import today
from plancycle.documents import mirrors
from plancycle.documents.document import Document
from plancycle.errors import DocumentError, UsageError
from plancycle.history.dates import first_and_last
from plancycle.project.changes import Changes
from plancycle.project.moves import relink
from plancycle.project.project import Project


@dataclass
class Adopted:
    path: Path
    kind: str
    fields: dict[str, Any]
    mirrors: list[str]  # the body lines now kept in step, as `label: value`
    moved_to: Path | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Adoption:
    changes: Changes
    adopted: list[Adopted] = field(default_factory=list)
    already: list[Path] = field(default_factory=list)  # managed before: left alone
    listed: list[Path] = field(default_factory=list)  # other documents, not taken over
    outside: list[Path] = field(default_factory=list)  # records outside the root, not moved
    skipped: list[Path] = field(default_factory=list)  # symbolic links: their targets are adopted in place
    duplicates: list[str] = field(default_factory=list)  # one line each, with the command
    links: int = 0

    def as_json(self, project: Project) -> dict[str, Any]:
        def shown(path: Path | None) -> str | None:
            return project.display(path) if path is not None else None

        return {
            "adopted": [
                {
                    "path": shown(a.path),
                    "kind": a.kind,
                    "fields": {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in a.fields.items()},
                    "mirrors": a.mirrors,
                    "moved_to": shown(a.moved_to),
                    "notes": a.notes,
                }
                for a in self.adopted
            ],
            "already_managed": [shown(p) for p in self.already],
            "listed": [shown(p) for p in self.listed],
            "outside_root": [shown(p) for p in self.outside],
            "skipped_links": [shown(p) for p in self.skipped],
            "duplicates": self.duplicates,
            "links_rewritten": self.links,
        }


def _within(path: Path, limit: Path | None) -> bool:
    if limit is None:
        return True
    resolved = path.resolve()
    return resolved == limit or limit in resolved.parents


def _history(project: Project, found: list[Candidate]) -> dict[Path, tuple[str, str]]:
    """First and last commit day of every candidate, from one `git log` pass."""
    top = project.git.root
    folders = sorted({project.display(c.path.parent if c.outside else project.root) for c in found})
    if not found:
        return {}
    dates = first_and_last(top, folders)
    return {top / path: days for path, days in dates.items()}


def _read(project: Project, candidate: Candidate) -> Document:
    shown = project.display(candidate.path)
    try:
        data = candidate.path.read_bytes()
    except OSError as exc:
        raise DocumentError(shown, f"cannot read: {exc.strerror}; check its permissions") from None
    return Document.from_bytes(data, shown)


def _kept(doc: Document) -> bool:
    """Already under management: it has the version and the status plancycle keeps."""
    return doc.written("version") is not None and doc.written("status") is not None


def adopt(project: Project, path: Path | None = None, *, move: str | None = None) -> Adoption:
    """Work out the adoption of everything under ``path`` (the whole project when None);
    records outside the root are moved into ``move`` (a feature, or `project`)."""
    limit = project.require_inside(path) if path is not None else None
    found = [c for c in candidates(project) if _within(c.path, limit)]
    day = today()
    approved = project.config.approved_status
    result = Adoption(Changes(project))
    target = scope_of(project, None if move == "project" else move) if move is not None else None
    moves: dict[Path, Path] = {}
    chosen = []
    for candidate in found:
        if candidate.link:
            result.skipped.append(candidate.path)  # adopted where it really is, not through a link
        elif not candidate.managed:
            result.listed.append(candidate.path)
        elif candidate.outside and target is None:
            result.outside.append(candidate.path)
        else:
            chosen.append(candidate)
    history = _history(project, chosen)
    arriving: dict[Path, Path] = {}  # where each moved record goes -> where it comes from
    for candidate in chosen:
        doc = _read(project, candidate)
        if _kept(doc):
            result.already.append(candidate.path)
            continue
        feature = candidate.feature.name if candidate.feature is not None else None
        if candidate.outside and target is not None and target.feature is not None:
            feature = target.feature.name
        fields, notes = adopted_fields(
            doc,
            candidate.kind,
            feature=feature,
            history=history.get(candidate.path),
            today=day,
            approved=approved,
        )
        said = [f"{m.label}: {m.text}" for m in mirrors.find(doc.body_lines)]
        doc.update(fields, follow=False)  # the values are the body's own: it stays as written
        entry = Adopted(candidate.path, candidate.kind, fields, said, notes=notes)
        if candidate.outside and target is not None:
            new = target.folder / candidate.path.name
            if new in arriving:
                raise UsageError(
                    f"{project.display(arriving[new])} and {project.display(candidate.path)} would both move to "
                    f"{project.display(new)}; rename one of them first"
                )
            if new.exists():
                raise UsageError(
                    f"cannot move {project.display(candidate.path)}: {project.display(new)} already exists; "
                    "rename one of them first"
                )
            arriving[new] = candidate.path
            result.changes.move(candidate.path, new, doc)
            moves[candidate.path] = new
            entry.moved_to = new
        else:
            result.changes.put(candidate.path, doc)
        result.adopted.append(entry)
    if moves and target is not None:
        _moved_folders(project, result.changes, moves, target.folder)
        result.links = relink(project, result.changes, moves)
    result.duplicates = _duplicates(project, result.changes)
    return result


def _moved_folders(project: Project, changes: Changes, moves: dict[Path, Path], to: Path) -> None:
    """A decision folder the moves empty is moved too (links to it follow), and adr-tools'
    `.adr-dir`, when it names that folder, names the new one."""
    for folder in sorted({old.parent for old in moves}):
        left = [p for p in folder.iterdir() if p not in moves]
        if left:
            continue
        moves[folder] = to
        named = project.git.root / ".adr-dir"
        if named.is_file():
            written = named.read_text(encoding="utf-8", errors="replace").strip()
            if (project.git.root / written).resolve() == folder.resolve():
                new = Path(os.path.relpath(to, project.git.root)).as_posix()
                changes.put(named, Document(new + "\n", project.display(named)))


def _duplicates(project: Project, changes: Changes) -> list[str]:
    """Each number two features (or two records of one folder, moved ones included) share,
    with the command that gives all but the first of them a free number."""
    lines = []
    by_number: dict[int, list[str]] = {}
    for feature in project.features():
        by_number.setdefault(feature.number, []).append(feature.name)
    free = project.next_number()  # free on every branch too
    for number, names in sorted(by_number.items()):
        if len(names) < 2:
            continue
        fixes = []
        for name in names[1:]:
            fixes.append(f"plancycle feature renumber {name} {free}")
            free += 1
        lines.append(f"feature number {number} is used by {', '.join(names)}; run: " + "; ".join(fixes))
    pending: dict[Path, dict[Path, bytes | None]] = {}
    for path, data in changes.texts.items():
        pending.setdefault(path.parent, {})[path] = data
    for scope in all_scopes(project):
        if not scope.folder.is_dir() and scope.folder not in pending:
            continue
        records = read_records(project, scope, pending.get(scope.folder, {}))
        taken: dict[int, list[str]] = {}
        for record in records:
            taken.setdefault(record.number, []).append(record.name)
        where = scope.feature.name if scope.feature is not None else "--global"
        for number, names in sorted(taken.items()):
            if len(names) > 1:
                fixes = [f"plancycle adr renumber {where} {name}" for name in names[1:]]
                lines.append(
                    f"decision number {number} in {project.display(scope.folder)}/ is used by "
                    f"{', '.join(names)}; run: " + "; ".join(fixes)
                )
    return lines
