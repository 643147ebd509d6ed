"""`plancycle merge-driver`: a git merge driver for managed documents, so the fields
plancycle owns never conflict.

The owned parts are merged by rule and taken out of git's way: `version` is one above the
highest either side had, at the level the combined change deserves; `updated` is the later;
`status` conflicts only when both sides moved it differently; the Change Log is the union of
both tables' rows in version order, plus a row for the merge; in tasks.md a tick on either
side wins. The rest of the file goes through `git merge-file`, conflicts left as standard
markers. Anything unexpected falls back to git's own merge of the three files, so neither
side is ever lost.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from plancycle.config import Config, Level
from plancycle.documents import changelog
from plancycle.documents.document import Document, is_managed, split_lines
from plancycle.documents.versioning import Rules, bump, compare, higher, parse_version, status_field, version_field
from plancycle.git.index import merge_file

_TICK = re.compile(r"^([ \t]*[-*+][ \t]+)\[([ xX])\]([ \t]+(T\d+)\b)")


@dataclass(frozen=True)
class Merged:
    data: bytes
    conflicts: int
    version: str | None = None


def _versions(doc: Document) -> str:
    found = version_field(doc)
    return found.text if found is not None else "0.0.0"


def _resolved_status(base: Document, ours: Document, theirs: Document) -> str | None:
    """The status both sides agree on, or None when they moved it differently."""
    o, a, b = status_field(base), status_field(ours), status_field(theirs)
    if a == b:
        return a
    if a == o:
        return b
    if b == o:
        return a
    return None


def _without_rows(doc: Document, heading: str) -> tuple[Document, list[str]]:
    """The document with its Change Log rows taken out (the header kept), and the rows."""
    table = changelog.find_table(doc, heading)
    if table is None or table.header is None:
        return doc, []
    lines = doc.body_lines
    rows = lines[table.header + 2 : table.end]
    trimmed = doc.copy()
    trimmed.replace_body("".join(lines[: table.header + 2] + lines[table.end :]))
    return trimmed, rows


def _ticks(doc: Document) -> set[str]:
    return {m.group(4) for line in split_lines(doc.body) if (m := _TICK.match(line)) and m.group(2) != " "}


def _tick(doc: Document, ids: set[str]) -> None:
    lines = doc.body_lines
    changed = False
    for index, line in enumerate(lines):
        match = _TICK.match(line)
        if match and match.group(2) == " " and match.group(4) in ids:
            lines[index] = f"{match.group(1)}[x]{line[match.end(2) + 1 :]}"
            changed = True
    if changed:
        doc.replace_body("".join(lines))


@dataclass(frozen=True)
class _Columns:
    """Where the Version and Changes cells are in the table's rows (read once)."""

    version: int | None
    changes: int | None

    @classmethod
    def of(cls, doc: Document, heading: str) -> _Columns:
        table = changelog.find_table(doc, heading)
        if table is None or table.header is None:
            return cls(None, None)
        return cls(table.column("Version"), table.column("Changes"))

    def cell(self, row: str, index: int | None) -> str:
        cells = changelog.split_row(row)
        return cells[index].strip("` ") if index is not None and index < len(cells) else ""


def _sort_key(version: str | None) -> tuple[int, object]:
    try:
        return (0, parse_version(version)) if version else (1, "")
    except Exception:  # a row someone wrote by hand: after the versions, in its order
        return (1, "")


def _union(ours: list[str], theirs: list[str], columns: _Columns) -> list[str]:
    """Both tables' rows in version order, each once: a row both sides have is kept once, a
    row whose Changes cell one side left empty gives way to the filled one; two branches that
    each gave the same version its own row keep both (both are history)."""
    kept: list[tuple[str | None, str]] = []
    by_version: dict[str, list[int]] = {}
    for row in [*ours, *theirs]:
        version = columns.cell(row, columns.version) or None
        same = by_version.get(version, []) if version is not None else []
        if any(kept[i][1].strip() == row.strip() for i in same):
            continue
        filled = bool(columns.cell(row, columns.changes))
        empty = [i for i in same if not columns.cell(kept[i][1], columns.changes)]
        if empty and filled:
            kept[empty[0]] = (version, row)
            continue
        if same and not filled:
            continue
        if version is not None:
            by_version.setdefault(version, []).append(len(kept))
        kept.append((version, row))
    order = sorted(range(len(kept)), key=lambda i: (_sort_key(kept[i][0]), i))
    return [kept[i][1] for i in order]


def merge_documents(
    base_data: bytes,
    ours_data: bytes,
    theirs_data: bytes,
    path: str,
    config: Config,
    *,
    today: str,
    author: str,
    marker_size: int = 7,
    cwd: Path,
) -> Merged:
    """The merge of three revisions of a managed document; raises on anything unexpected
    (the caller falls back to git's own merge)."""
    base = Document.from_bytes(base_data, path)
    ours = Document.from_bytes(ours_data, path)
    theirs = Document.from_bytes(theirs_data, path)
    if not (is_managed(ours) and is_managed(theirs)):
        raise ValueError("not a managed document on both sides")
    heading = config.changelog_heading
    rules = Rules.from_config(config)
    level: Level = higher(compare(base, ours, rules).level, compare(base, theirs, rules).level)
    ours_version, theirs_version = _versions(ours), _versions(theirs)
    highest = max(parse_version(ours_version), parse_version(theirs_version))
    known = [parse_version(v) for d in (ours, theirs) for v in changelog.versions(d, heading) if _sort_key(v)[0] == 0]
    target = bump(str(highest), level if level != "none" else "patch")
    while known and parse_version(target) <= max(known):
        target = bump(target, "patch")
    dates = [d.get("updated") for d in (ours, theirs) if d.get("updated")]
    updated = max(dates, key=str) if dates else today
    status = _resolved_status(base, ours, theirs)
    fields: dict[str, object] = {"version": target, "updated": updated}
    if status is not None:
        fields["status"] = status
    ticks = _ticks(ours) | _ticks(theirs)
    prepared = []
    rows: list[list[str]] = []
    for doc in (base, ours, theirs):
        copy = doc.copy()
        present = {k: v for k, v in fields.items() if copy.written(k) is not None or k == "version"}
        copy.update(present)
        if ticks:
            _tick(copy, ticks)
        trimmed, taken = _without_rows(copy, heading)
        prepared.append(trimmed)
        rows.append(taken)
    with tempfile.TemporaryDirectory(prefix="plancycle-merge-") as folder:
        names = []
        for name, doc in zip(("base", "ours", "theirs"), prepared, strict=True):
            file = Path(folder) / name
            file.write_bytes(doc.to_bytes())
            names.append(file)
        data, conflicts = merge_file(cwd, names[1], names[0], names[2], marker_size=marker_size)
    if conflicts < 0:
        raise RuntimeError("git merge-file failed")
    merged = Document.from_bytes(data, path, lazy=True)
    union = _union(rows[1], rows[2], _Columns.of(prepared[1], heading))
    table = changelog.find_table(merged, heading)
    if table is None or table.header is None:
        return Merged(data, conflicts, target)
    nl = merged.newline
    columns = table.columns
    merge_row = changelog.format_row(
        columns,
        {"Version": target, "Date": today, "Author": author, "Changes": f"Merged {ours_version} and {theirs_version}"},
    )
    lines = merged.body_lines
    newest_first = config.changelog_order == "newest-first"
    body_rows = [r if r.endswith(("\n", "\r")) else r + nl for r in union]
    body_rows = [merge_row + nl, *reversed(body_rows)] if newest_first else [*body_rows, merge_row + nl]
    start = table.header + 2
    lines[start:start] = body_rows
    merged.replace_body("".join(lines))
    return Merged(merged.to_bytes(), conflicts, target)
