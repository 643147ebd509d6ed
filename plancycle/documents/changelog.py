"""The `## Change Log` table inside a document: find it, read its rows, add one.

Rows are added by inserting lines, so the rest of the table (alignment, extra columns,
hand-written notes) stays exactly as the user left it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plancycle.documents.document import Document
from plancycle.documents.markdown import SETEXT, TABLE_SEPARATOR, normalise_title, scan_headings
from plancycle.errors import DocumentError

DEFAULT_COLUMNS = ("Version", "Date", "Author", "Changes")
_SPLIT = re.compile(r"(?<!\\)\|")


def is_changelog_title(title: str, configured: str = "Change Log") -> bool:
    lowered = title.lower()
    if "log" not in lowered and "history" not in lowered and configured.lower() not in lowered:
        return False  # the cheap answer for nearly every heading
    wanted = {normalise_title(configured), "change log", "changelog", "revision history"}
    return normalise_title(title).replace("changelog", "change log") in wanted


def split_row(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip() for cell in _SPLIT.split(text)]


def escape_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


@dataclass
class Table:
    heading: int  # line index of the Change Log heading in the body
    header: int | None  # line index of the table's header row, None when there is no table
    end: int  # one past the table's last line (or the heading line + 1)
    columns: list[str]

    def column(self, name: str) -> int | None:
        lowered = [c.lower() for c in self.columns]
        return lowered.index(name.lower()) if name.lower() in lowered else None


def find_table(doc: Document, heading: str = "Change Log") -> Table | None:
    """The Change Log table, by a line scan that knows headings and fenced code blocks.

    (A scan, not a full markdown parse: it runs for every document on every commit and
    for thousands of documents in `changelog sync`.)
    """
    lines = doc.body_lines
    headings = scan_headings(lines)
    for position, (start, _level, title) in enumerate(headings):
        if not is_changelog_title(title, heading):
            continue
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        index = start + 1
        # a setext heading's underline belongs to the heading
        if index < end and SETEXT.match(lines[index].rstrip("\r\n")) and not lines[start].lstrip().startswith("#"):
            index += 1
        while index < end:
            content = lines[index].rstrip("\r\n")
            if content.lstrip().startswith("|"):
                if (
                    index + 1 < end
                    and TABLE_SEPARATOR.match(lines[index + 1].rstrip("\r\n"))
                    and "-" in lines[index + 1]
                ):
                    last = index + 2
                    while last < end and lines[last].strip().startswith("|"):
                        last += 1
                    return Table(start, index, last, split_row(content))
                raise DocumentError(
                    doc.path,
                    "the Change Log section has '|' lines that do not form a markdown table "
                    "(a header, a '|---|' separator, then rows); fix the table",
                    doc.body_start_line + index,
                )
            index += 1
        return Table(start, None, start + 1, list(DEFAULT_COLUMNS))
    return None


def table_text(doc: Document, heading: str = "Change Log") -> str:
    """The Change Log table as written (empty when the document has none)."""
    table = find_table(doc, heading)
    if table is None or table.header is None:
        return ""
    return "".join(doc.body_lines[table.header : table.end])


def rows(doc: Document, heading: str = "Change Log") -> list[dict[str, str]]:
    table = find_table(doc, heading)
    if table is None or table.header is None:
        return []
    lines = doc.body_lines
    found = []
    for line in lines[table.header + 2 : table.end]:
        cells = split_row(line)
        found.append(
            {name: cells[i].replace("\\|", "|") if i < len(cells) else "" for i, name in enumerate(table.columns)}
        )
    return found


def versions(doc: Document, heading: str = "Change Log") -> list[str]:
    """The Version cells of the table, in the order written."""
    table = find_table(doc, heading)
    if table is None or table.header is None:
        return []
    index = table.column("Version")
    if index is None:
        return []
    found = []
    for line in doc.body_lines[table.header + 2 : table.end]:
        cells = split_row(line)
        if index < len(cells) and cells[index].strip("` "):
            found.append(cells[index].strip("` "))
    return found


_PIPE = re.compile(r"(?<!\\)\|")


def replace_cells(line: str, values: dict[int, str]) -> str:
    """``line`` (a table row) with the cells numbered in ``values`` rewritten, every other
    byte (spacing, the other cells, the line ending) as it was."""
    pipes = [m.start() for m in _PIPE.finditer(line)]
    text = line.rstrip("\r\n")
    starts = pipes if text.lstrip().startswith("|") else [-1, *pipes]
    out, last = [], 0
    for number, begin in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(text)
        if number in values and end > begin + 1:
            cell = line[begin + 1 : end]
            lead = cell[: len(cell) - len(cell.lstrip())] or " "
            trail = cell[len(cell.rstrip()) :] or " "
            out.append(line[last : begin + 1] + lead + values[number] + trail)
            last = end
    return "".join(out) + line[last:]


def restamp_row(doc: Document, version: str, values: dict[str, str], heading: str = "Change Log") -> bool:
    """Rewrite the named cells of the row for ``version`` (the first one), every other byte
    kept; whether the text changed."""
    table = find_table(doc, heading)
    if table is None or table.header is None or table.column("Version") is None:
        return False
    column = table.column("Version")
    lines = doc.body_lines
    for index in range(table.header + 2, table.end):
        cells = split_row(lines[index])
        if column is not None and column < len(cells) and cells[column].strip("` ") == version:
            wanted = {table.column(k): escape_cell(v) for k, v in values.items() if table.column(k) is not None}
            new = replace_cells(lines[index], {k: v for k, v in wanted.items() if k is not None and k < len(cells)})
            if new == lines[index]:
                return False
            lines[index] = new
            doc.replace_body("".join(lines))
            return True
    return False


def has_version(doc: Document, version: str, heading: str = "Change Log") -> bool:
    return version in versions(doc, heading)


def _row_index(doc: Document, row: str, heading: str) -> int | None:
    table = find_table(doc, heading)
    if table is None or table.header is None:
        return None
    lines = doc.body_lines
    wanted = row.strip()
    for index in range(table.header + 2, table.end):
        if lines[index].strip() == wanted:
            return index
    return None


def has_row(doc: Document, row: str, heading: str = "Change Log") -> bool:
    """Whether the table holds exactly this row (as plancycle formatted it)."""
    return _row_index(doc, row, heading) is not None


def remove_row(doc: Document, row: str, heading: str = "Change Log") -> bool:
    """Take one row out of the table, exactly as it was written; whether it was there."""
    index = _row_index(doc, row, heading)
    if index is None:
        return False
    lines = doc.body_lines
    del lines[index]
    doc.replace_body("".join(lines))
    return True


def add_row(
    doc: Document,
    values: dict[str, str],
    *,
    heading: str = "Change Log",
    newest_first: bool = False,
) -> None:
    """Add one row (by column name); create the table, or the whole section, when missing."""
    nl = doc.newline
    table = find_table(doc, heading)
    lines = doc.body_lines
    if table is None or table.header is None:
        columns = list(DEFAULT_COLUMNS)
        block = [
            "| " + " | ".join(columns) + " |" + nl,
            "|" + "|".join("-" * (len(c) + 2) for c in columns) + "|" + nl,
            format_row(columns, values) + nl,
        ]
        if table is None:
            if lines and not lines[-1].endswith(("\n", "\r")):
                lines[-1] += nl
            if lines and lines[-1].strip():
                lines.append(nl)
            lines += [f"## {heading}{nl}", nl, *block]
        else:
            lines[table.heading + 1 : table.heading + 1] = [nl, *block]
            after = table.heading + 1 + 1 + len(block)
            if after < len(lines) and lines[after].strip():
                lines.insert(after, nl)
        doc.replace_body("".join(lines))
        return
    row = format_row(table.columns, values)
    if newest_first:
        lines.insert(table.header + 2, row + nl)
    else:
        last = table.end - 1
        if not lines[last].endswith(("\n", "\r")):
            lines[last] += nl  # the table ended the file without a final newline
            row_line = row
        else:
            row_line = row + nl
        lines.insert(table.end, row_line)
    doc.replace_body("".join(lines))


def format_row(columns: list[str], values: dict[str, str]) -> str:
    lookup = {k.lower(): v for k, v in values.items()}
    cells = [escape_cell(lookup.get(c.lower(), "")) for c in columns]
    return "| " + " | ".join(cells) + " |"
