"""Making each document's Change Log table agree with git history.

Version, date and author of a row are facts and are corrected from history; the Changes
cell belongs to people: kept when filled, given the commit's subject when empty. Rows
history does not know (notes, work not committed yet, rows older than a shallow clone's
horizon) stay where they are. Rows that need no change keep their bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from plancycle.documents.changelog import Table, add_row, escape_cell, find_table, format_row, split_row
from plancycle.documents.document import Document
from plancycle.history.facts import DocHistory, Revision
from plancycle.history.findings import judge_versions
from plancycle.history.verdicts import Verdict
from plancycle.history.versions import (
    version_introductions,
    version_key,
    version_order,
)


@dataclass
class SyncResult:
    path: str
    old: bytes
    new: bytes
    added: list[str] = field(default_factory=list)  # versions given a row
    corrected: list[str] = field(default_factory=list)  # versions whose date/author/changes were set
    notes: list[str] = field(default_factory=list)
    # What --check fails for though syncing cannot repair it (each one is among the notes too).
    problems: list[str] = field(default_factory=list)
    unbumped: list[str] = field(default_factory=list)  # commits that changed content, not the version

    @classmethod
    def in_step(cls, path: str, verdict: Verdict) -> SyncResult:
        """A document the last run found in step, its file and its history unchanged since:
        its bytes were not read again (``old`` and ``new`` are empty)."""
        return cls(path, b"", b"", notes=verdict.notes, problems=verdict.problems, unbumped=verdict.unbumped)

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def diff(self) -> str:
        return Document.from_bytes(self.new, self.path).diff(self.old)

    def describe(self) -> str:
        parts = []
        if self.added:
            parts.append(f"{len(self.added)} row(s) added ({', '.join(self.added)})")
        if self.corrected:
            parts.append(f"{len(self.corrected)} corrected ({', '.join(self.corrected)})")
        return "; ".join(parts) or "rows reordered"


@dataclass
class _Row:
    line: str  # as written, with its ending
    cells: list[str]
    version: str | None


@dataclass
class Prepared:
    """A document's Change Log table read once, before history is known."""

    doc: Document
    table: Table | None
    columns: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    existing: list[_Row] = field(default_factory=list)  # oldest first
    final_ending: str = "\n"


def prepare(doc: Document, heading: str = "Change Log", newest_first: bool = False) -> Prepared:
    table = find_table(doc, heading)
    if table is None or table.header is None:
        return Prepared(doc, table)
    columns = [c.strip().lower() for c in table.columns]
    lines = doc.body_lines
    if "version" not in columns:
        return Prepared(doc, table, columns, lines)
    v_col = columns.index("version")
    row_lines = lines[table.header + 2 : table.end]
    existing = []
    for line in row_lines:
        cells = split_row(line)
        version = cells[v_col].strip("` ") if v_col < len(cells) else ""
        existing.append(_Row(line.rstrip("\r\n"), cells, version or None))
    if newest_first:
        existing.reverse()  # work oldest first, turn the result round at the end
    final_ending = row_lines[-1][len(row_lines[-1].rstrip("\r\n")) :] if row_lines else doc.newline
    return Prepared(doc, table, columns, lines, existing, final_ending)


def sync_document(
    doc: Document,
    history: DocHistory,
    *,
    heading: str = "Change Log",
    newest_first: bool = False,
    prepared: Prepared | None = None,
    unbumped: Sequence[Revision] = (),
) -> SyncResult:
    """``unbumped``: the revisions that changed content and kept the version (see
    `unbumped_revisions`), named in a warning."""
    result = SyncResult(str(doc.path), doc.to_bytes(), doc.to_bytes())
    if history.skipped:
        short = ", ".join(c[:7] for c in history.skipped[:3]) + (" …" if len(history.skipped) > 3 else "")
        result.notes.append(f"skipped {len(history.skipped)} revision(s) whose frontmatter did not parse ({short})")
    notes, problems = judge_versions(result.path, doc, history, unbumped)
    result.notes += notes
    result.problems += problems
    # A shallow clone's cut-off commit seems to add every file: its versions are no facts.
    candidates = [r for r in version_introductions(history) if not r.boundary]
    if not candidates:
        return result
    nl = doc.newline
    prepared = prepared or prepare(doc, heading, newest_first)
    table = prepared.table
    if table is None or table.header is None:
        target = doc.copy()
        chosen = _in_version_order(_one_per_version(candidates, [], []))
        for revision in chosen:
            add_row(target, _values(revision), heading=heading, newest_first=newest_first)
        result.added = [r.version for r in chosen if r.version]
        result.new = target.to_bytes()
        return result
    columns = prepared.columns
    if "version" not in columns:
        result.notes.append("the Change Log table has no Version column; left as it is")
        return result
    lines = prepared.lines
    existing = prepared.existing
    final_ending = prepared.final_ending
    chosen = _in_version_order(_one_per_version(candidates, existing, columns))
    if _written_in_step(existing, chosen, columns):
        return result
    claimed = _claim(existing, chosen, columns)  # existing row index -> position in chosen
    if len(claimed) == len(chosen) and _in_step(existing, chosen, claimed, columns):
        return result
    history_rows: list[str] = []
    row_of = {position: index for index, position in claimed.items()}
    for position, revision in enumerate(chosen):
        assert revision.version is not None
        match = row_of.get(position)
        if match is None:
            history_rows.append(format_row(table.columns, _values(revision)))
            result.added.append(revision.version)
            continue
        corrected = _correct(columns, existing[match], revision)
        if corrected != existing[match].line:
            result.corrected.append(revision.version)
        history_rows.append(corrected)
    # Rows history does not account for stay after the row they followed.
    extras_after: dict[int | None, list[str]] = {}
    anchor: int | None = None
    for index, row in enumerate(existing):
        if index in claimed:
            anchor = claimed[index]
        else:
            extras_after.setdefault(anchor, []).append(row.line)
    out = list(extras_after.get(None, []))
    for position, line in enumerate(history_rows):
        out.append(line)
        out += extras_after.get(position, [])
    if newest_first:
        out.reverse()
    ended = [line + nl for line in out[:-1]] + [out[-1] + final_ending]
    target = doc.copy()
    target.replace_body("".join(lines[: table.header + 2] + ended + lines[table.end :]))
    result.new = target.to_bytes()
    return result


def _one_per_version(candidates: list[Revision], existing: list[_Row], columns: list[str]) -> list[Revision]:
    """One revision per version, in history's order. Two branches may each have introduced
    the same version: the one a row of the table already describes wins, else the earliest."""
    groups: dict[str, list[Revision]] = {}
    for revision in candidates:
        assert revision.version is not None
        groups.setdefault(version_key(revision.version), []).append(revision)
    if len(groups) == len(candidates):
        return candidates
    chosen = []
    for key, group in groups.items():
        if len(group) > 1:
            rows = [row for row in existing if row.version and version_key(row.version) == key]
            described = [r for r in group if any(_facts_match(columns, row.cells, r) for row in rows)]
            group = described or sorted(group, key=lambda r: (r.date, -r.order))
        chosen.append(group[0])
    return chosen


def _in_version_order(revisions: list[Revision]) -> list[Revision]:
    """Rows in the order of their versions, which is how people read a change log and the one
    order two branches' rows have after a merge. A version that is no semantic version keeps
    its place in history's order."""
    orders = [version_order(r.version) for r in revisions]
    slots = [i for i, order in enumerate(orders) if order is not None]
    ordered = sorted(slots, key=lambda i: orders[i] or ())
    if ordered == slots:
        return revisions
    result = list(revisions)
    for slot, index in zip(slots, ordered, strict=True):
        result[slot] = revisions[index]
    return result


def _claim(existing: list[_Row], chosen: list[Revision], columns: list[str]) -> dict[int, int]:
    """Existing row index -> position in ``chosen`` for the row that stands for each revision:
    a row of the same version, the one whose date and author agree if several do."""
    by_key: dict[str, list[int]] = {}
    for index, row in enumerate(existing):
        if row.version:
            by_key.setdefault(version_key(row.version), []).append(index)
    claimed: dict[int, int] = {}
    for position, revision in enumerate(chosen):
        assert revision.version is not None
        free = [i for i in by_key.get(version_key(revision.version), ()) if i not in claimed]
        if len(free) > 1:
            free.sort(key=lambda i: not _facts_match(columns, existing[i].cells, revision))
        if free:
            claimed[free[0]] = position
    return claimed


def _written_in_step(existing: list[_Row], chosen: list[Revision], columns: list[str]) -> bool:
    """The common case in CI, seen cheaply: each version's row written as history has it,
    in order, with its facts right."""
    versions = [r.version for r in chosen]
    wanted = set(versions)
    rows = [row for row in existing if row.version in wanted]
    if [row.version for row in rows] != versions:
        return False
    return not any(_fixes(columns, row.cells, revision) for row, revision in zip(rows, chosen, strict=True))


def _in_step(existing: list[_Row], chosen: list[Revision], claimed: dict[int, int], columns: list[str]) -> bool:
    """The common case in CI: every history row present, in order, with its facts right."""
    positions = [claimed[i] for i in sorted(claimed)]
    if positions != sorted(positions):
        return False
    return not any(_fixes(columns, existing[i].cells, chosen[p]) for i, p in claimed.items())


def _facts_match(columns: list[str], cells: list[str], revision: Revision) -> bool:
    for name, value in (("date", revision.date), ("author", escape_cell(revision.author))):
        if name in columns:
            index = columns.index(name)
            if index >= len(cells) or cells[index] != value:
                return False
    return True


def _fixes(columns: list[str], cells: list[str], revision: Revision) -> dict[int, str]:
    """Cell index -> value for what history corrects in a row: date and author, and the
    commit's subject in an empty Changes cell. Empty when the row is right."""
    fixes = {}
    for name, value in (("date", revision.date), ("author", escape_cell(revision.author))):
        if name in columns:
            index = columns.index(name)
            if index >= len(cells) or cells[index] != value:
                fixes[index] = value
    if "changes" in columns:
        index = columns.index("changes")
        if index >= len(cells) or not cells[index].strip():
            fixes[index] = escape_cell(revision.subject)
    return fixes


def _values(revision: Revision) -> dict[str, str]:
    return {
        "Version": revision.version or "",
        "Date": revision.date,
        "Author": revision.author,
        "Changes": revision.subject,
    }


def _correct(columns: list[str], row: _Row, revision: Revision) -> str:
    """The row with history's corrections applied (its own bytes when there are none)."""
    fixes = _fixes(columns, row.cells, revision)
    if not fixes:
        return row.line
    cells = list(row.cells) + [""] * (len(columns) - len(row.cells))
    for index, value in fixes.items():
        cells[index] = value
    return "| " + " | ".join(cells) + " |"
