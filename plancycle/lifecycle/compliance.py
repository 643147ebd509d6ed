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

# "Principles Gate", "Constitution Compliance", "Constitution Check", "Compliance Gate", a
# bare "Gates": not "Security and Compliance" (a topic) nor a phase's "Exit gate" (criteria).
_GATE_TITLE = re.compile(
    r"^(?:.*\bconstitution\b.*|.*\bprinciples?\b.*\b(?:gate|compliance|check)\b.*"
    r"|.*\bcompliance\s+(?:gate|check)s?\b.*|gates?)$",
    re.I,
)
_PASS = re.compile(r"^(?:\[[xX]\]|[☑☒✅✔✓]|yes\b|pass(?:es|ed)?\b|compliant\b|n/?a\b|holds\b|ok\b)", re.I)
_VERDICT_COLUMN = re.compile(r"complian|holds|status|verdict|pass|result|check|met\b|ok\b", re.I)
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[( |x|X)\](?:[ \t]+(.*))?$")


@dataclass(frozen=True)
class Gap:
    line: int  # 1-based, in the document
    text: str


def is_gate_title(title: str) -> bool:
    return bool(_GATE_TITLE.match(title.strip()))


def _justified(cells: list[str], skip: set[int]) -> bool:
    return any(
        cell.strip() not in ("", "-", "—", "–") and not is_placeholder(cell)
        for index, cell in enumerate(cells)
        if index not in skip
    )


def _row_gap(cells: list[str], verdict: int | None) -> str | None:
    """The row's gap, or None when it passes. ``verdict``: the column the header names as
    the verdict; without one, the first cell that reads as a verdict."""
    name = cells[0].strip() or "(unnamed row)"
    if verdict is None:
        verdict = next(
            (i for i, c in enumerate(cells[1:], start=1) if _PASS.match(c.strip()) or _OPEN.match(c.strip())), None
        )
        if verdict is None:
            unfilled = next((c.strip() for c in cells[1:] if is_placeholder(c) and "/" in c), None)
            return f"{name}: {unfilled}" if unfilled else None
    text = cells[verdict].strip() if verdict < len(cells) else ""
    if _PASS.match(text) and not text.lower().startswith(("not ", "no ")):
        return None
    if not text or (is_placeholder(text) and not _OPEN.match(text)):
        return f"{name}: {text or 'no verdict'}"
    # Unticked, no, partial, a violation: it passes only with a justification beside it.
    return None if _justified(cells, {0, verdict}) else f"{name}: {text}"


_OPEN = re.compile(r"^(?:\[ \]|[☐❌✗✘]|no\b|not\b|partial\b|fail(?:s|ed)?\b|non-compliant\b|violat)", re.I)


def compliance_gaps(doc: Document) -> list[Gap]:
    lines = doc.body_lines
    headings = scan_headings(lines)
    gaps: dict[int, Gap] = {}
    for position, (index, level, title) in enumerate(headings):
        if not is_gate_title(title):
            continue
        stop = next((i for i, lvl, _t in headings[position + 1 :] if lvl <= level), len(lines))
        section = lines[index + 1 : stop]
        verdict: int | None = None
        for offset, line in prose_lines(section):
            text = line.rstrip("\r\n")
            following = section[offset + 1].rstrip("\r\n") if offset + 1 < len(section) else ""
            where = doc.body_start_line + index + 1 + offset
            if text.lstrip().startswith("|"):
                if TABLE_SEPARATOR.match(text):
                    continue
                if TABLE_SEPARATOR.match(following):  # a header row: which column holds the verdict
                    header = split_row(text)
                    verdict = next((i for i, c in enumerate(header) if i and _VERDICT_COLUMN.search(c)), None)
                    continue
                gap = _row_gap(split_row(text), verdict)
                if gap is not None:
                    gaps.setdefault(where, Gap(where, gap))
            else:
                verdict = None if not text.strip() else verdict
                item = _ITEM.match(text)
                if item is not None and item.group(1) == " ":
                    gaps.setdefault(where, Gap(where, f"[ ] {(item.group(2) or '').strip() or '(empty item)'}"))
    return sorted(gaps.values(), key=lambda g: g.line)
