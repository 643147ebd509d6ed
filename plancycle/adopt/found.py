"""What there is to adopt: each feature's stage documents and records, its other files
(research.md, data-model.md, contracts/ …), the project's records, and decision folders
elsewhere in the repository (adr-tools' `.adr-dir`, or the usual places)."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from plancycle.adr.records import FOLDER, file_number
from plancycle.project.project import STAGES, Feature, Project

# Where decision folders usually are, when adr-tools' `.adr-dir` does not say.
ADR_FOLDERS = ("doc/adr", "docs/adr", "doc/decisions", "docs/decisions", "docs/architecture/decisions", "adr")


@dataclass(frozen=True)
class Candidate:
    path: Path
    kind: str  # spec, plan, tasks, adr or other
    feature: Feature | None
    managed: bool  # the settings say plancycle keeps it (else it is listed only)
    outside: bool = False  # a record outside the features root
    link: bool = False  # a symbolic link: its target is adopted where it is, not through it


def _kind(relative: str) -> str:
    parts = relative.split("/")
    if len(parts) == 2 and parts[0] == FOLDER and file_number(parts[1]) is not None:
        return "adr"
    if len(parts) == 1 and parts[0][: -len(".md")] in STAGES:
        return parts[0][: -len(".md")]
    return "other"


def adr_folders(project: Project) -> list[Path]:
    """Decision folders outside the root: the one `.adr-dir` names, else the usual ones."""
    top = project.git.root
    named = top / ".adr-dir"
    choices: tuple[str, ...] = ADR_FOLDERS
    if named.is_file():
        written = named.read_text(encoding="utf-8", errors="replace").strip()
        if written:
            choices = (written,)
    root = project.root.resolve()
    found = []
    for choice in choices:
        folder = (top / choice).resolve()
        if folder.is_dir() and folder != root and root not in folder.parents and folder not in found:
            found.append(folder)
    return found


def candidates(project: Project) -> list[Candidate]:
    globs = project.config.adopt
    found = []
    for feature in project.features():
        for path in sorted(feature.path.rglob("*.md")):
            if not (path.is_file() or path.is_symlink()):
                continue
            relative = path.relative_to(feature.path).as_posix()
            kind = _kind(relative)
            # in adr/, only numbered files are records (not its README or a template)
            managed = any(fnmatch.fnmatch(relative, g) for g in globs) and not (
                relative.startswith(f"{FOLDER}/") and kind != "adr"
            )
            found.append(Candidate(path, kind, feature, managed, link=path.is_symlink()))
    project_records = project.root / FOLDER
    for folder, outside in [(project_records, False)] + [(f, True) for f in adr_folders(project)]:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() == ".md" and file_number(path.name) is not None and path.is_file():
                    found.append(Candidate(path, "adr", None, True, outside, link=path.is_symlink()))
    return found
