"""The plan's decision index: a list of links to the feature's records, kept by plancycle
between two markers in the plan's "Architecture Decisions" section.

    - [ADR 001: Use PostgreSQL](adr/001-use-postgresql.md) — accepted
    - [ADR 002: Sessions in Redis](adr/002-sessions-in-redis.md) — superseded by ADR 004

Only the lines between the markers are plancycle's; the rest of the section is the user's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from plancycle.adr.records import Record, linked
from plancycle.documents.changelog import is_changelog_title
from plancycle.documents.document import Document
from plancycle.documents.markdown import normalise_title, scan_headings
from plancycle.documents.markers import find_region, region_lines

REGION = "decisions"
SECTION = "Architecture Decisions"
# Section titles that already hold a plan's decisions (the seeds and common variants).
SECTION_TITLES = {
    "architecture decisions",
    "architecture decision records",
    "architectural decisions",
    "decisions",
    "decision log",
    "decision records",
    "adrs",
    "key decisions",
    "technical decisions",
}
EMPTY = "_No decisions recorded yet._"


def escape_text(text: str) -> str:
    """Link text that shows as written: brackets, backslashes and HTML openers escaped
    (emphasis marks stay as they are: the raw plan should read as the title)."""
    return re.sub(r"([\\\[\]<>])", r"\\\1", text)


def index_lines(records: list[Record], plan_path: Path) -> list[str]:
    lines = []
    for record in records:
        target = Path(os.path.relpath(record.path, plan_path.parent)).as_posix()
        state = "unreadable" if record.error else record.state or "no status"
        successors = linked(records, record.superseded_by)
        if successors:
            state += " by " + ", ".join(f"ADR {r.label}" for r in successors)
        lines.append(f"- [ADR {record.label}: {escape_text(record.title)}]({target}) — {state}")
    return lines or [EMPTY]


def refresh_index(doc: Document, records: list[Record], plan_path: Path, changelog_heading: str) -> bool:
    """Write the index into ``doc``; whether its text changed. A plan with no records and
    no index yet is left alone (no empty section in every plan)."""
    nl = doc.newline
    lines = doc.body_lines
    content = index_lines(records, plan_path)
    region = find_region(lines, REGION, doc.path, doc.body_start_line)
    if region is not None:
        new = lines[: region.start] + region_lines(REGION, content, nl) + lines[region.end + 1 :]
    elif not records:
        return False
    else:
        new = _insert(lines, region_lines(REGION, content, nl), nl, changelog_heading)
    if new == lines:
        return False
    doc.replace_body("".join(new))
    return True


def _insert(lines: list[str], block: list[str], nl: str, changelog_heading: str) -> list[str]:
    """The block at the end of the decisions section's own text, or in a new section of its own
    before the Change Log (or at the end of the plan)."""
    headings = scan_headings(lines)
    for position, (index, _level, title) in enumerate(headings):
        if normalise_title(title) not in SECTION_TITLES:
            continue
        # At the end of the section's own text, before any sub-heading: inside a sub-section
        # the index would read as part of it.
        stop = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        end = stop
        while end > index + 1 and not lines[end - 1].strip():
            end -= 1
        after = lines[end:stop] or ([nl] if stop < len(lines) else [])
        return [*lines[:end], nl, *block, *after, *lines[stop:]]
    section = [f"## {SECTION}{nl}", nl, *block]
    changelog = next((i for i, lvl, t in headings if lvl <= 2 and is_changelog_title(t, changelog_heading)), None)
    if changelog is not None:
        return lines[:changelog] + section + [nl] + lines[changelog:]
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines = [*lines[:-1], lines[-1] + nl]
    gap = [nl] if lines and lines[-1].strip() else []
    return lines + gap + section
