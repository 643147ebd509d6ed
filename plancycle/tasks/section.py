"""Finding a plan's implementation section by heading title (a configurable priority list,
highest first, wherever it stands), by a line scan for the commit hook or among the
headings of a markdown-it parse (see `planfile`). Light on purpose: the hook imports it.
"""

from __future__ import annotations

import re
from typing import Any

from plancycle.config import DEFAULT_SECTIONS
from plancycle.documents.document import Document
from plancycle.documents.markdown import normalise_title, scan_headings


def _title_key(title: str) -> str:
    text = normalise_title(title).replace(" and ", " & ")
    text = re.sub(r"^[^a-z]*", "", text)  # numbering and emoji in front: "7. ", "🚀 "
    return text.rstrip(" :")


def pick(
    headings: list[tuple[int, int, str]], titles: tuple[str, ...] | list[str], line_count: int
) -> tuple[int, int, str, int] | None:
    """(start line, level, title, end line) of the highest-priority titled section present;
    it ends at the next heading of the same or a higher level."""
    wanted = [_title_key(t) for t in titles]
    ranked = [(wanted.index(_title_key(t)), n) for n, (_, _, t) in enumerate(headings) if _title_key(t) in wanted]
    if not ranked:
        return None
    position = min(ranked)[1]
    start, level, title = headings[position]
    end = next((i for i, lvl, _ in headings[position + 1 :] if lvl <= level), line_count)
    return start, level, title, end


def scan_section(doc: Document, titles: tuple[str, ...] | list[str] = DEFAULT_SECTIONS) -> tuple[str, str] | None:
    """(heading text, section text) found by a line scan: for the commit hook, which only
    needs to know whether the section changed and must not pay for a markdown parser."""
    lines = doc.body_lines
    found = pick(scan_headings(lines), titles, len(lines))
    if found is None:
        return None
    start, _, title, end = found
    return title, "".join(lines[start + 1 : end])


def block_slice(toks: list[Any], start: int, end: int) -> list[Any]:
    """The top-level blocks that begin after the heading line ``start`` and before ``end``."""
    chosen: list[Any] = []
    depth = 0
    taking = False
    for tok in toks:
        if depth == 0:
            taking = tok.map is not None and start < tok.map[0] < end
        if taking:
            chosen.append(tok)
        depth += tok.nesting
    return chosen
