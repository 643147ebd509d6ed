"""Compliance gates: a section such as "Principles Gate", "Constitution Compliance" or
"Constitution Check" whose rows (or checklist items) must each pass before a plan is
approved. A row passes when its verdict is ticked (`[x]`, ✅, yes, compliant, n/a), or is
unticked (`[ ]`, no, partial) but carries a justification in another cell; a verdict still
a placeholder (`{YES/NO/PARTIAL}`) is a gap."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plancycle.documents.changelog import split_row
from plancycle.documents.document import Document
from plancycle.documents.markdown import TABLE_SEPARATOR, prose_lines, scan_headings
from plancycle.documents.placeholders import is_placeholder

_GATE_TITLE = re.compile(r"complian|\bgates?\b|constitution", re.I)
_PASS = re.compile(r"^(?:\[[xX]\]|[☑☒✅✔✓]|yes\b|pass(?:es|ed)?\b|compliant\b|n/?a\b|holds\b)", re.I)
_OPEN = re.compile(r"^(?:\[ \]|[☐❌✗✘]|no\b|partial\b|fail(?:s|ed)?\b|non-compliant\b)", re.I)
_ITEM = re.compile(r"^[ \t]*[-*+][ \t]+\[( |x|X)\][ \t]+(.*)$")


@dataclass(frozen=True)
class Gap:
    line: int  # 1-based, in the document
    text: str


def _justified(cells: list[str], skip: set[int]) -> bool:
    return any(
        cell.strip() not in ("", "-", "—", "–") and not is_placeholder(cell)
        for index, cell in enumerate(cells)
        if index not in skip
    )


def _row_gap(cells: list[str]) -> str | None:
    for index, cell in enumerate(cells[1:], start=1):
        text = cell.strip()
        if is_placeholder(text) and "/" in text:  # {YES/NO/PARTIAL}: the verdict never given
            return f"{cells[0].strip()}: {text}"
        if _PASS.match(text):
            return None
        if _OPEN.match(text):
            return None if _justified(cells, {0, index}) else f"{cells[0].strip()}: {text}"
    return None


def compliance_gaps(doc: Document) -> list[Gap]:
    lines = doc.body_lines
    headings = scan_headings(lines)
    gaps: list[Gap] = []
    for position, (index, level, title) in enumerate(headings):
        if not _GATE_TITLE.search(title):
            continue
        stop = next((i for i, lvl, _t in headings[position + 1 :] if lvl <= level), len(lines))
        section = lines[index + 1 : stop]
        for offset, line in prose_lines(section):
            text = line.rstrip("\r\n")
            following = section[offset + 1].rstrip("\r\n") if offset + 1 < len(section) else ""
            where = doc.body_start_line + index + 1 + offset
            if text.lstrip().startswith("|"):
                if TABLE_SEPARATOR.match(text) or TABLE_SEPARATOR.match(following):
                    continue  # the separator, or the header row above it
                gap = _row_gap(split_row(text))
                if gap is not None:
                    gaps.append(Gap(where, gap))
            else:
                item = _ITEM.match(text)
                if item is not None and item.group(1) == " ":
                    gaps.append(Gap(where, f"[ ] {item.group(2).strip()}"))
    return gaps
