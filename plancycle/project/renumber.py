"""`plancycle feature renumber`: give a feature another number (after two branches both
made `001`): the folder moved, every link into it rewritten, the folder name its own
documents mention (`**Branch**: `001-auth``, `feature: 001-auth`) replaced, and the old
number noted in their frontmatter as `renumbered_from`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from plancycle.documents.document import Document, is_managed
from plancycle.documents.markdown import prose_lines
from plancycle.errors import ConflictError, UsageError
from plancycle.names import format_folder
from plancycle.project.changes import Changes
from plancycle.project.moves import move_folder, relink
from plancycle.project.project import Feature, Project

NOTE_FIELD = "renumbered_from"


@dataclass(frozen=True)
class Renumbered:
    old: Feature
    new: Path
    links: int
    mentions: int
    changes: Changes


def renumber_feature(project: Project, ref: str, to: int | None, *, dry_run: bool = False) -> Renumbered:
    with project.git.store.lock("features", "renumbering a feature"):
        result = plan_renumber(project, ref, to)
        if not dry_run:
            result.changes.write()
        return result


def plan_renumber(project: Project, ref: str, to: int | None) -> Renumbered:
    """Everything the renumbering changes, worked out; nothing written."""
    feature = project.feature(ref)
    used = project.used_numbers()
    if to is None:
        to = project.next_number(used)
    if to < 1:
        raise UsageError("a feature number is 1 or more")
    if to == feature.number:
        raise UsageError(f"{feature.name} already has number {to}")
    if to in used:
        raise ConflictError(
            f"feature number {to} is already used ({used[to][0]}); leave out the number to take the next free one "
            f"({project.next_number(used)})"
        )
    width = max(len(feature.name.split("-", 1)[0]), project.config.number_width)
    new_name = format_folder(to, feature.slug, width)
    new_path = feature.path.with_name(new_name)
    if new_path.exists():
        raise ConflictError(f"{project.display(new_path)} already exists")
    changes = Changes(project)
    mentions = 0
    old_label = feature.name.split("-", 1)[0]
    for path in sorted(feature.path.rglob("*.md")):
        if not path.is_file() or path.is_symlink():
            continue
        doc = changes.document(path)
        mentions += _mentions(doc, feature.name, new_name)
        if doc.get("feature") == feature.name:
            doc.update({"feature": new_name})
        if is_managed(doc) or path == feature.doc_path("spec"):
            notes = doc.get(NOTE_FIELD)
            earlier = [str(n) for n in notes] if isinstance(notes, list) else ([str(notes)] if notes else [])
            doc.update({NOTE_FIELD: [*earlier, old_label] if earlier else old_label})
        changes.put(path, doc)
    move_folder(changes, feature.path, new_path)
    links = relink(project, changes, {feature.path: new_path})
    return Renumbered(feature, new_path, links, mentions, changes)


def _mentions(doc: Document, old: str, new: str) -> int:
    """The folder's name where its documents say it (a branch, a path), outside fenced code."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])")
    lines = doc.body_lines
    count = 0
    for index, line in list(prose_lines(lines)):
        if old in line:
            lines[index], found = pattern.subn(new, line)
            count += found
    if count:
        doc.replace_body("".join(lines))
    return count
