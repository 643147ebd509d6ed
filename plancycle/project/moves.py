"""Moving files and folders with every link kept working: links to them from any markdown
file of the repository (tracked, or one git would add), and the relative links inside the
moved documents themselves, worked out as `Changes` before anything is written."""

from __future__ import annotations

import os
from pathlib import Path

from plancycle.documents.document import Document
from plancycle.documents.links import rewrite_links
from plancycle.errors import DocumentError
from plancycle.git import tracked_files
from plancycle.project.changes import Changes
from plancycle.project.project import Project


def _moved(target: Path, moves: dict[Path, Path]) -> Path | None:
    """Where ``target`` (normalised) is after ``moves`` (files, or folders and all in them)."""
    if target in moves:
        return moves[target]
    for parent in target.parents:
        if parent in moves:
            return moves[parent] / target.relative_to(parent)
    return None


def _relative(path: Path, base: Path, like: str) -> str:
    """``path`` from ``base``, written the way ``like`` was (`./` in front, `/` behind)."""
    new = Path(os.path.relpath(path, base)).as_posix()
    if like.endswith("/") and not new.endswith("/"):
        new += "/"
    return "./" + new if like.startswith("./") and not new.startswith("../") else new


def relink(project: Project, changes: Changes, moves: dict[Path, Path]) -> int:
    """Rewrite links for ``moves`` (old -> new absolute paths, files or folders) in every
    markdown file, the moved ones included (their pending texts); how many links changed."""
    norm = {Path(os.path.normpath(old)): Path(os.path.normpath(new)) for old, new in moves.items()}
    top = project.git.root
    # Each document: where it is read from, and the folder its links are written against.
    places: dict[Path, tuple[Path, Path]] = {}
    for relative in tracked_files(top, "*.md", untracked=True):
        path = top / relative
        if path.is_file() and not path.is_symlink():
            places[path] = (path, path.parent)
    for old, new in changes.moves:
        if old.suffix.lower() == ".md":
            places.pop(old, None)
            places[new] = (old, new.parent)
    count = 0
    for path, (origin, folder) in places.items():
        pending = changes.texts.get(path)
        try:
            doc = Document.from_bytes(pending, path) if pending is not None else Document.read(path)
        except DocumentError:
            continue  # a document that cannot be read is not rewritten (check reports it)
        lines = doc.body_lines
        old_folder = origin.parent

        def change(target: str, old_folder: Path = old_folder, folder: Path = folder) -> str | None:
            if target.startswith("/"):  # from the repository's top: only a moved target changes
                pointed = Path(os.path.normpath(top / target.lstrip("/")))
                after = _moved(pointed, norm)
                if after is None:
                    return None
                return "/" + _relative(after, top, target.lstrip("/"))
            pointed = Path(os.path.normpath(old_folder / target))
            after = _moved(pointed, norm) or pointed
            if after == pointed and folder == old_folder:
                return None
            return _relative(after, folder, target)

        found = rewrite_links(lines, change)
        if found:
            doc.replace_body("".join(lines))
            doc.path = project.display(path)
            changes.put(path, doc)
            count += found
    return count


def move_folder(changes: Changes, old: Path, new: Path) -> list[tuple[Path, Path]]:
    """Every file under ``old`` moved to the same place under ``new`` (bytes as they are,
    or as ``changes`` already has them); the moves made."""
    made = []
    for path in sorted(p for p in old.rglob("*") if p.is_file() or p.is_symlink()):
        target = new / path.relative_to(old)
        pending = changes.texts.get(path)
        changes.move(path, target, pending if pending is not None else path.read_bytes())
        made.append((path, target))
    return made
