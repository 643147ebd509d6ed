"""A plan as read for its tasks: one markdown-it parse, the implementation section found
among its headings, and the section's tokens walked by the reader into a breakdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plancycle.config import DEFAULT_SECTIONS, load_config
from plancycle.documents.document import Document, split_lines
from plancycle.documents.markdown import outline, tokens
from plancycle.errors import NotFoundError
from plancycle.git import find_repo_root
from plancycle.tasks.breakdown import Breakdown, preview
from plancycle.tasks.reader import read_tokens
from plancycle.tasks.section import block_slice, pick


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
    found = pick(headings, titles, len(lines))
    if found is None:
        if not required:
            return Breakdown(None, [], [f"no implementation section found in {doc.path}"])
        raise NotFoundError(
            f"{doc.path}: no implementation section; looked for a heading titled "
            + ", ".join(repr(t) for t in titles)
            + "; add one, or list your heading in the 'tasks_sections' setting"
        )
    start, level, title, end, rule = found
    breakdown = read_tokens(block_slice(toks, start, end), level)
    if rule:
        breakdown.warnings.insert(0, rule)
    breakdown.section = title
    breakdown.section_text = "".join(lines[start + 1 : end])
    breakdown.level = level
    return breakdown
