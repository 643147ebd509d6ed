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


def _boxes(doc: Document) -> dict[tuple[str, str], bool]:
    """Each task's box, by its ID and its text (two branches may each derive a T005)."""
    found = {}
    for line in split_lines(doc.body):
        match = _TICK.match(line)
        if match:
            found[(match.group(4), line[match.end() :].strip())] = match.group(2) != " "
    return found


def _decided_boxes(base: Document, ours: Document, theirs: Document) -> dict[tuple[str, str], bool]:
    """A three-way merge of the boxes: a side that changed a task's box decides it (a tick
    or a reopening); when both did, a tick wins."""
    old, mine, other = _boxes(base), _boxes(ours), _boxes(theirs)
    decided = {}
    for key in set(mine) | set(other):
        was = old.get(key)
        a, b = mine.get(key, was), other.get(key, was)
        if a == b:
            decided[key] = bool(a)
        elif a != was and b != was:
            decided[key] = bool(a or b)
        else:
            decided[key] = bool(a if a != was else b)
    return decided


def _set_boxes(doc: Document, decided: dict[tuple[str, str], bool]) -> None:
    lines = doc.body_lines
    changed = False
    for index, line in enumerate(lines):
        match = _TICK.match(line)
        if not match:
            continue
        want = decided.get((match.group(4), line[match.end() :].strip()))
        if want is None or want == (match.group(2) != " "):
            continue
        lines[index] = f"{match.group(1)}[{'x' if want else ' '}]{line[match.end(2) + 1 :]}"
        changed = True
    if changed:
        doc.replace_body("".join(lines))


def _sort_key(version: str | None) -> tuple[int, object]:
    try:
        return (0, parse_version(version)) if version else (1, "")
    except Exception:  # a row someone wrote by hand: after the versions, in its order
        return (1, "")


_FACTS = ("Version", "Date", "Author", "Changes")


def _fact_columns(doc: Document, heading: str) -> list[int | None]:
    """Where a table's Version, Date, Author and Changes cells are (read once per side)."""
    table = changelog.find_table(doc, heading)
    return [table.column(name) if table is not None else None for name in _FACTS]


def _facts(row: str, columns: list[int | None]) -> tuple[str, ...]:
    """A row by what it says, not how it is spaced: its Version, Date, Author and Changes."""
    cells = changelog.split_row(row)
    return tuple(cells[i].strip("` ") if i is not None and i < len(cells) else "" for i in columns)


def _rows_merged(rows: list[list[str]], docs: list[Document], heading: str) -> list[str]:
    """A three-way merge of the tables' rows, each row taken as a whole: a row either side
    added is kept, a row either side removed or rewrote (since the base) goes, a row both
    kept stays once; written as ours wrote it, in version order."""
    facts: list[list[tuple[str, ...]]] = []
    for written, doc in zip(rows, docs, strict=True):
        columns = _fact_columns(doc, heading)
        facts.append([_facts(r, columns) for r in written])
    base, ours, theirs = (set(f) for f in facts)
    wanted = (ours & theirs) | (ours - base) | (theirs - base)
    chosen: list[tuple[tuple[str, ...], str]] = []
    seen: set[tuple[str, ...]] = set()
    for side in (1, 2):
        for key, row in zip(facts[side], rows[side], strict=True):
            if key in wanted and key not in seen:
                seen.add(key)
                chosen.append((key, row))
    order = sorted(range(len(chosen)), key=lambda i: (_sort_key(chosen[i][0][0] or None), i))
    return [chosen[i][1] for i in order]


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
    ours_version, theirs_version = _versions(ours), _versions(theirs)
    mine, other = parse_version(ours_version), parse_version(theirs_version)
    highest = max(mine, other)
    # The merge adds to the higher side what the other side changed: that change's level (an
    # approval on one side is not approved again by merging a patch from the other).
    level: Level
    if mine > other:
        level = compare(base, theirs, rules).level
    elif other > mine:
        level = compare(base, ours, rules).level
    else:
        level = higher(compare(base, ours, rules).level, compare(base, theirs, rules).level)
    known = [parse_version(v) for d in (ours, theirs) for v in changelog.versions(d, heading) if _sort_key(v)[0] == 0]
    target = bump(str(highest), level if level != "none" else "patch")
    while known and parse_version(target) <= max(known):
        target = bump(target, "patch")
    import datetime as dt

    # The merge is a new version, so it is stamped as the hook stamps one: `updated` is today.
    fields: dict[str, object] = {"version": target, "updated": dt.date.fromisoformat(today)}
    if ours.written("status") != theirs.written("status"):
        status = _resolved_status(base, ours, theirs)
        if status is not None:  # as the side that moved it wrote it
            side = ours if status_field(ours) == status else theirs
            fields["status"] = side.written("status")
    decided = _decided_boxes(base, ours, theirs)
    prepared = []
    rows: list[list[str]] = []
    for doc in (base, ours, theirs):
        copy = doc.copy()
        present = {k: v for k, v in fields.items() if copy.written(k) is not None or k == "version"}
        copy.update(present)
        if decided:
            _set_boxes(copy, decided)
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
    union = _rows_merged(rows, prepared, heading)
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
