"""Reading decision records: where they live, their numbers, titles, status and links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from plancycle.documents.document import Document
from plancycle.documents.markdown import scan_headings
from plancycle.documents.versioning import status_field, version_field
from plancycle.errors import ConflictError, DocumentError, NotFoundError, UsageError
from plancycle.project.project import Feature, Project

FOLDER = "adr"
STATES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
# Words other tools use for a state of ours (log4brains drafts, adr-tools' spelling).
ALIASES = {"draft": "proposed", "superceded": "superseded"}
_FILE = re.compile(r"^([0-9]+)-(.+)\.md$", re.I)
_NUMBERED_TITLE = re.compile(r"^(?:ADR[- ]?\d+\s*[:.\-–—]\s*|\d+\.\s+)", re.I)


@dataclass(frozen=True)
class Scope:
    """Where a set of records lives: a feature's `adr/` folder, or the project's."""

    folder: Path
    feature: Feature | None

    @property
    def name(self) -> str:
        return self.feature.name if self.feature is not None else "project"


def scope_of(project: Project, feature_ref: str | None) -> Scope:
    """A feature's records (by folder, number or slug), or the project's when None."""
    if feature_ref is None:
        return Scope(project.root / FOLDER, None)
    feature = project.feature(feature_ref)
    return Scope(feature.path / FOLDER, feature)


def all_scopes(project: Project) -> list[Scope]:
    """Every feature's records, then the project's."""
    return [Scope(f.path / FOLDER, f) for f in project.features()] + [scope_of(project, None)]


def file_number(name: str) -> int | None:
    """The number a record's file name starts with (`003-use-redis.md` is 3), or None."""
    match = _FILE.match(name)
    return int(match.group(1)) if match else None


@dataclass
class Record:
    number: int
    path: Path
    scope: Scope
    title: str
    status: str | None = None
    version: str | None = None
    supersedes: list[str] = field(default_factory=list)  # as written: file names (or numbers)
    superseded_by: list[str] = field(default_factory=list)
    doc: Document | None = None
    error: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        """The number as its file name writes it: `003`, or `0003` in an adr-tools folder."""
        return self.path.name.split("-", 1)[0]

    @property
    def state(self) -> str | None:
        """The status as one of ours (`draft` read as proposed), or as written."""
        return ALIASES.get(self.status, self.status) if self.status else None


def _list(doc: Document, key: str) -> list[str]:
    value: Any = doc.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value if item is not None and str(item).strip()]
    if isinstance(value, dict):
        raise DocumentError(
            doc.path, f"`{key}` must be a list of records, such as [001-use-mysql.md]", doc.line_of(key)
        )
    return [str(value)]


def _heading_title(doc: Document) -> str | None:
    for _index, level, title in scan_headings(doc.body_lines):
        if level == 1 and title:
            return _NUMBERED_TITLE.sub("", title).strip() or title
    return None


def _status_section(doc: Document) -> str | None:
    """adr-tools keeps the status as the first word of a `## Status` section."""
    lines = doc.body_lines
    headings = scan_headings(lines)
    for position, (index, _level, title) in enumerate(headings):
        if title.strip().lower() != "status":
            continue
        stop = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        for line in lines[index + 1 : stop]:
            words = line.strip().strip("*_").split()
            if words:
                return words[0].strip("*_.,:").lower()
    return None


def read_record(project: Project, scope: Scope, path: Path, data: bytes | None = None) -> Record:
    """One record (from ``data`` when given: its text about to be written); a file that
    cannot be read is a record with an error (it keeps its number)."""
    number = file_number(path.name)
    assert number is not None
    shown = project.display(path)
    fallback = path.name.split("-", 1)[1][: -len(".md")].replace("-", " ").capitalize()
    record = Record(number, path, scope, fallback)
    try:
        if data is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise DocumentError(shown, f"cannot read: {exc.strerror}; check its permissions") from None
        doc = Document.from_bytes(data, shown)
        record.doc = doc
        record.title = str(doc.get("title") or "").strip() or _heading_title(doc) or fallback
        record.status = status_field(doc) or _status_section(doc)
        version = version_field(doc)
        record.version = version.text if version is not None else None
        record.supersedes = _list(doc, "supersedes")
        record.superseded_by = _list(doc, "superseded_by")
    except DocumentError as exc:
        record.error = exc.message
    return record


def read_records(
    project: Project,
    scope: Scope,
    pending: dict[Path, bytes | None] | None = None,
    cache: dict[Path, bytes | None] | None = None,
) -> list[Record]:
    """The scope's records in number order (two with one number: by file name). ``pending``:
    texts about to be written over (or, None, files about to go), read instead of the disk;
    ``cache``: files already read, by path."""
    pending = pending or {}
    paths = set()
    try:
        if scope.folder.is_dir():
            paths = {p for p in scope.folder.iterdir() if file_number(p.name) is not None and p.is_file()}
    except OSError as exc:
        raise DocumentError(
            project.display(scope.folder), f"cannot read the folder: {exc.strerror}; check permissions"
        ) from None
    paths |= {p for p in pending if p.parent == scope.folder and file_number(p.name) is not None}
    paths -= {p for p, data in pending.items() if data is None}
    cache = cache or {}
    records = [read_record(project, scope, path, pending.get(path) or cache.get(path)) for path in paths]
    return sorted(records, key=lambda r: (r.number, r.name))


def duplicates(records: list[Record]) -> dict[int, list[Record]]:
    """Numbers held by more than one record (two branches each added one), with the records."""
    by_number: dict[int, list[Record]] = {}
    for record in records:
        by_number.setdefault(record.number, []).append(record)
    return {number: found for number, found in by_number.items() if len(found) > 1}


def parse_ref(ref: str) -> tuple[int | None, str | None]:
    """(number, file name) of what a user or a `supersedes` list names: `3`, `003`,
    `003-use-redis`, `003-use-redis.md`, or a link such as `./adr/003-use-redis.md`."""
    text = PurePosixPath(str(ref).strip()).name
    if re.fullmatch(r"[0-9]+", text):
        return int(text), None
    number = file_number(text if text.lower().endswith(".md") else text + ".md")
    if number is None:
        return None, None
    return number, text if text.lower().endswith(".md") else text + ".md"


def resolve(project: Project, records: list[Record], ref: str, scope: Scope) -> Record:
    """The one record ``ref`` names: a number matches that number exactly (2 is never
    `0001-use-http2.md`), a file name matches that file."""
    number, name = parse_ref(ref)
    folder = project.display(scope.folder)
    if number is None:
        raise UsageError(f"{ref!r} is not a decision number; give one such as 3, 003 or 003-use-redis")
    if name is not None:
        found = [r for r in records if r.name.lower() == name.lower()]
    else:
        found = [r for r in records if r.number == number]
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(r.name for r in found)
        raise ConflictError(
            f"decision {ref} is ambiguous: {names} share the number in {folder}/; "
            f"name one by its file, or give one a new number with `plancycle adr renumber`"
        )
    known = ", ".join(r.label for r in records[:12]) + (", …" if len(records) > 12 else "") if records else "none yet"
    raise NotFoundError(f"no decision {ref} in {folder}/ (there: {known}); see `plancycle adr list`")


def linked(records: list[Record], values: list[str]) -> list[Record]:
    """The records a `supersedes` / `superseded_by` list names (unknown names left out)."""
    found = []
    for value in values:
        number, name = parse_ref(value)
        if number is None:
            continue
        if name is not None:
            matches = [r for r in records if r.name.lower() == name.lower()]
        else:
            matches = [r for r in records if r.number == number]
        if len(matches) == 1:
            found.append(matches[0])
    return found


def summary(project: Project, record: Record, records: list[Record]) -> dict[str, Any]:
    """A record for `adr list --json` and `status --json`."""
    return {
        "number": record.number,
        "id": record.label,
        "title": record.title,
        "status": record.state,
        "version": record.version,
        "path": project.display(record.path),
        "feature": record.scope.feature.name if record.scope.feature else None,
        "supersedes": [r.number for r in linked(records, record.supersedes)],
        "superseded_by": [r.number for r in linked(records, record.superseded_by)],
        "error": record.error,
    }


def counts(records: list[Record]) -> dict[str, int]:
    """How many records are in each state, in lifecycle order (others after)."""
    found: dict[str, int] = {}
    for record in records:
        state = "unreadable" if record.error else record.state or "no status"
        found[state] = found.get(state, 0) + 1
    order = {state: index for index, state in enumerate(STATES)}
    return dict(sorted(found.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
