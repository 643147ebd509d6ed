"""Recording an approval where a document keeps it: `approved_by` and `approved` in the
frontmatter always; a row of its review-and-approval table (seed style: a Status cell of
`☐ Pending ☐ Approved ☐ Changes Requested`) and its `*Approved: [ ] Pending*` footer when it
has them. Only those cells and that line change."""

from __future__ import annotations

import re

from plancycle.documents.changelog import escape_cell, replace_cells, split_row
from plancycle.documents.document import Document
from plancycle.documents.markdown import TABLE_SEPARATOR, prose_lines, scan_headings
from plancycle.documents.placeholders import is_placeholder

_TABLE_TITLE = re.compile(r"approv|sign[- ]?off", re.I)
_BOX = re.compile(r"(?:☐|\[ \])(\s*)approved", re.I)
_FOOTER = re.compile(r"^(\s*\*Approved:\s*)\[ \][^*\r\n]*(\*\s*)$")


def _approval_row(lines: list[str], who: str, date: str) -> bool:
    headings = scan_headings(lines)
    for position, (index, level, title) in enumerate(headings):
        if not _TABLE_TITLE.search(title):
            continue
        stop = next((i for i, lvl, _t in headings[position + 1 :] if lvl <= level), len(lines))
        header: list[str] | None = None
        candidates: list[int] = []
        for offset, line in prose_lines(lines[index + 1 : stop]):
            at = index + 1 + offset
            text = line.rstrip("\r\n")
            if not text.lstrip().startswith("|"):
                continue
            if header is None:
                header = [c.lower() for c in split_row(text)]
                continue
            if TABLE_SEPARATOR.match(text):
                continue
            if _BOX.search(text):
                candidates.append(at)
        if header is None or not candidates:
            continue
        # The approver's own row, else the first row nobody has filled in.
        mine = [i for i in candidates if split_row(lines[i])[0].strip().lower() == who.lower()]
        free = [i for i in candidates if is_placeholder(split_row(lines[i])[0]) or not split_row(lines[i])[0].strip()]
        if not (mine or free):
            continue
        at = (mine or free)[0]
        cells = split_row(lines[at])
        values = {0: escape_cell(who)}
        values.update({i: _BOX.sub(_tick, c) for i, c in enumerate(cells) if _BOX.search(c)})
        date_column = next((i for i, name in enumerate(header) if "date" in name), None)
        if date_column is not None and date_column < len(cells):
            values[date_column] = date
        lines[at] = replace_cells(lines[at], values)
        return True
    return False


def _tick(match: re.Match[str]) -> str:
    text = match.group()
    return "[x]" + text[3:] if text.startswith("[") else "☑" + text[1:]


def _footer(lines: list[str], who: str, date: str) -> bool:
    for index, line in prose_lines(lines):
        match = _FOOTER.match(line.rstrip("\r\n"))
        if match:
            eol = line[len(line.rstrip("\r\n")) :]
            lines[index] = f"{match.group(1)}[x] {date} by {who}{match.group(2)}{eol}"
            return True
    return False


def record_approval(doc: Document, who: str, date: str) -> list[str]:
    """Write who approved and when into ``doc``; the places written, for the report."""
    import datetime as dt

    earlier = doc.get("approved_by")
    approvers: object = who
    if isinstance(earlier, list):  # several approvers: this one joins them
        approvers = [*earlier, who] if who not in earlier else earlier
    doc.update({"approved_by": approvers, "approved": dt.date.fromisoformat(date)})
    places = ["frontmatter"]
    lines = doc.body_lines
    if _approval_row(lines, who, date):
        places.append("approval table")
    if _footer(lines, who, date):
        places.append("footer")
    if len(places) > 1:
        doc.replace_body("".join(lines))
    return places
