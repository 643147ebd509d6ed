"""What changed between two revisions of a document, how far its version moves, and semver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plancycle.config import LEVELS, Config, Level
from plancycle.documents import mirrors
from plancycle.documents.changelog import is_changelog_title
from plancycle.documents.document import Document
from plancycle.documents.markdown import Section, scan_outline
from plancycle.errors import DocumentError

OWNED_FIELDS = ("version", "updated", "created", "status", "approved", "approved_by")
INITIAL_VERSION = "0.1.0"  # of every new document, and of one plancycle starts keeping
INITIAL_STATUS = "draft"
ACCEPTED = "accepted"  # the approved state of a decision record


def higher(a: Level, b: Level) -> Level:
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


@dataclass(frozen=True)
class VersionField:
    """A document's `version` as written and as plancycle reads it (full semver)."""

    written: str
    text: str

    @property
    def normalised(self) -> bool:
        return self.written != self.text


def version_field(doc: Document) -> VersionField | None:
    """The one validation of `version` for every command. Short forms are read as full
    semver (`1.0`, `1` and `v1.2.3` as 1.0.0, 1.0.0 and 1.2.3); an empty value, a duplicate
    key or anything else is refused with the file and line. None when there is none."""
    written = doc.written("version")
    if written is None:
        return None
    if not written.strip():
        raise DocumentError(
            doc.path, "`version:` is empty; set it (for example 0.1.0) or remove the line", doc.line_of("version")
        )
    return VersionField(written, str(parse_version(written, doc)))


def status_field(doc: Document) -> str | None:
    """The document's status, one word in lower case; a list or a block is refused."""
    written = doc.written("status")
    if written is None or not written.strip():
        return None
    if written[:1] in "[{|>&*!" or (" " in written.strip() and written.strip().startswith("-")):
        raise DocumentError(
            doc.path, f"`status: {written}` must be one word, such as draft or approved", doc.line_of("status")
        )
    return written.strip().lower()


def parse_version(value: Any, doc: Document | None = None) -> Any:
    """A semver.Version; '1.0' and '2' are read as 1.0.0 and 2.0.0."""
    import semver  # a few ms to import; a commit that bumps nothing never needs it

    text = str(value).strip()
    if text[:1] in ("v", "V"):
        text = text[1:]
    try:
        return semver.Version.parse(text, optional_minor_and_patch=True)
    except ValueError:
        where = doc.path if doc is not None else "version"
        raise DocumentError(
            where,
            f"version {value!r} is not a semantic version (like 1.2.3); fix the frontmatter",
            doc.line_of("version") if doc is not None else None,
        ) from None


def bump(version: Any, level: Level) -> str:
    """The next version: major from 0.x gives 1.0.0; 'none' keeps the version."""
    current = parse_version(version)
    if level == "major":
        return str(current.bump_major())
    if level == "minor":
        return str(current.bump_minor())
    if level == "patch":
        return str(current.bump_patch())
    return str(current)


@dataclass(frozen=True)
class Change:
    level: Level  # the bump the change calls for; "none" when no content changed
    summary: str  # e.g. "Updated: API Design; Added: Rate Limiting"
    status_from: str | None = None
    status_to: str | None = None


@dataclass(frozen=True)
class Rules:
    """The settings that decide a bump, built once from the configuration and passed on."""

    structure: Level = "minor"  # a heading added/removed/renamed, list items or table rows added/removed
    wording: Level = "patch"  # anything else in the content
    approval: Level = "major"  # the status moved into an approved state
    status_move: Level = "minor"  # any other move of the status: what the document means changed
    approved_status: str = "approved"
    changelog_heading: str = "Change Log"

    @classmethod
    def from_config(cls, config: Config) -> Rules:
        return cls(
            structure=config.bump_on_structure,
            wording=config.bump_on_wording,
            approval=config.bump_on_approval,
            status_move=config.bump_on_status,
            approved_status=config.approved_status,
            changelog_heading=config.changelog_heading,
        )


def _sections(doc: Document, rules: Rules) -> list[tuple[Section, str]]:
    """Sections with their text, the Change Log section and the values of body mirrors left
    out (they are plancycle's)."""
    lines = doc.body_lines
    # The body's copies of owned fields are owned too; right to left on a line, so the
    # columns of the others stay where they were found.
    for mirror in sorted(mirrors.find(lines), key=lambda m: (m.line, -m.start)):
        line = lines[mirror.line]
        lines[mirror.line] = line[: mirror.start] + "\0" + line[mirror.end :]
    found = []
    for section in scan_outline(lines):
        if section.level and is_changelog_title(section.title, rules.changelog_heading):
            continue
        text = "".join(lines[section.start : section.end]).replace("\r\n", "\n").replace("\r", "\n")
        found.append((section, text.strip()))
    return found


def _keyed(sections: list[tuple[Section, str]]) -> list[tuple[tuple[str, int], Section, str]]:
    """Each section keyed by its title and which occurrence of that title it is."""
    seen: dict[str, int] = {}
    keyed = []
    for section, text in sections:
        seen[section.title] = seen.get(section.title, -1) + 1
        keyed.append(((section.title, seen[section.title]), section, text))
    return keyed


def _user_fields(doc: Document) -> dict[str, Any]:
    return {k: v for k, v in doc.fields.items() if k not in OWNED_FIELDS}


def _name(section: Section) -> str:
    return section.title or "introduction"


SUMMARY_NAMES = 8  # section names a Change Log cell lists per kind of change


def _listed(names: list[str]) -> str:
    """Names joined for a table cell, the long tail counted, not listed: a commit that adds
    eleven thousand headings must not write a cell of a hundred kilobytes."""
    shown = [name if len(name) <= 60 else name[:59] + "…" for name in names[:SUMMARY_NAMES]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" … and {more} more" if more else "")


def compare(base: Document | None, new: Document, rules: Rules = Rules()) -> Change:
    """The level and summary of the change from ``base`` to ``new``."""
    status_to = _status(new)
    if base is None:
        return Change("none", "Created", None, status_to)
    status_from = _status(base)
    old_sections = _keyed(_sections(base, rules))
    new_sections = _keyed(_sections(new, rules))
    old_keys = [key for key, _, _ in old_sections]
    new_keys = [key for key, _, _ in new_sections]
    added = [s for key, s, _ in new_sections if key not in old_keys]
    removed = [s for key, s, _ in old_sections if key not in new_keys]
    renamed = []
    # A heading removed and one added at the same position and level is a rename.
    for position, (_key, old, _) in enumerate(old_sections):
        if old in removed and position < len(new_sections):
            candidate = new_sections[position][1]
            if candidate in added and candidate.level == old.level:
                renamed.append((old, candidate))
                removed.remove(old)
                added.remove(candidate)
    old_by_key = {key: (s, text) for key, s, text in old_sections}
    updated = []
    structural = bool(added or removed or renamed)
    for key, section, text in new_sections:
        before = old_by_key.get(key)
        if before is None:
            continue
        old_section, old_text = before
        if old_text != text:
            updated.append(section)
            if (old_section.items, old_section.rows) != (section.items, section.rows):
                structural = True
    fields_changed = _user_fields(base) != _user_fields(new)
    parts = []
    if updated or fields_changed:
        names = [_name(s) for s in updated] + (["frontmatter"] if fields_changed else [])
        parts.append("Updated: " + _listed(names))
    if added:
        parts.append("Added: " + _listed([_name(s) for s in added]))
    if removed:
        parts.append("Removed: " + _listed([_name(s) for s in removed]))
    if renamed:
        parts.append("Renamed: " + _listed([f"{_name(a)} → {_name(b)}" for a, b in renamed]))
    level: Level = "none"
    if updated or fields_changed:
        level = rules.wording
    if structural:
        level = higher(level, rules.structure)
    if status_from != status_to:
        parts.append(f"Status: {status_from or 'none'} → {status_to or 'none'}")
        # A decision record's `accepted` is its approval, as `approved` is a plan's.
        if status_to in (rules.approved_status, ACCEPTED):
            level = higher(level, rules.approval)
        else:
            level = higher(level, rules.status_move)
    return Change(level, "; ".join(parts), status_from, status_to)


def _status(doc: Document) -> str | None:
    return status_field(doc)
