"""Finding a plan's implementation section by heading title (a configurable priority list,
highest first, wherever it stands): by a line scan for the commit hook, or from one
markdown-it parse whose tokens the reader then walks (see `reader`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from plancycle.config import DEFAULT_SECTIONS, load_config
from plancycle.documents.document import Document, split_lines
from plancycle.documents.markdown import normalise_title, outline, scan_headings, tokens
from plancycle.errors import NotFoundError
from plancycle.git import find_repo_root
from plancycle.tasks.breakdown import Breakdown, preview
from plancycle.tasks.reader import read_tokens


def _title_key(title: str) -> str:
    text = normalise_title(title).replace(" and ", " & ")
    text = re.sub(r"^[^a-z]*", "", text)  # numbering and emoji in front: "7. ", "🚀 "
    return text.rstrip(" :")


def _pick(
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
    found = _pick(scan_headings(lines), titles, len(lines))
    if found is None:
        return None
    start, _, title, end = found
    return title, "".join(lines[start + 1 : end])


def preview_file(path: Path, start: Path) -> dict[str, Any]:
    """`plancycle tasks preview`: the breakdown of any plan file, with the settings found
    from ``start`` (in or out of a repository)."""
    config = load_config(start, find_repo_root(start))
    return preview(read_plan(Document.read(path), config.tasks_sections, required=False))


def read_plan(
    doc: Document, titles: tuple[str, ...] | list[str] = DEFAULT_SECTIONS, *, required: bool = True
) -> Breakdown:
    body = doc.body
    toks = tokens(body)  # parsed once: the section is read from a slice of these tokens
    lines = split_lines(body)
    headings = [(h.start, h.level, h.title) for h in outline(body, toks) if h.level]
    found = _pick(headings, titles, len(lines))
    if found is None:
        if not required:
            return Breakdown(None, [], [f"no implementation section found in {doc.path}"])
        raise NotFoundError(
            f"{doc.path}: no implementation section; looked for a heading titled "
            + ", ".join(repr(t) for t in titles)
            + "; add one, or list your heading in the 'tasks_sections' setting"
        )
    start, level, title, end = found
    breakdown = read_tokens(_block_slice(toks, start, end), level)
    breakdown.section = title
    breakdown.section_text = "".join(lines[start + 1 : end])
    breakdown.level = level
    return breakdown


def _block_slice(toks: list[Any], start: int, end: int) -> list[Any]:
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
