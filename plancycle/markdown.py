"""The structure of a markdown body, read with markdown-it-py: sections, lists, tables.

Line numbers are 0-based indexes into the body's lines (see `document.split_lines`);
markdown-it keeps line counts when it normalises CRLF, so its token maps line up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def tokens(text: str) -> list[Any]:
    return _parser().parse(text)


def plain_text(inline: Any) -> str:
    """Text of an inline token without markup (emphasis markers, backticks, link syntax)."""
    if not getattr(inline, "children", None):
        return inline.content.strip()
    parts = []
    for child in inline.children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


@dataclass
class Section:
    """A heading and the lines up to the next heading of any level (level 0: text before any)."""

    title: str
    level: int
    start: int  # first line (the heading's own line)
    end: int  # one past the last line
    items: int = 0  # list items anywhere in the section
    rows: int = 0  # table body rows in the section
    tables: list[tuple[int, int]] = field(default_factory=list)  # line spans of tables


def outline(body: str, toks: list[Any] | None = None) -> list[Section]:
    """The body cut into flat sections at every heading (``toks``: its tokens, if parsed)."""
    from plancycle.document import split_lines

    toks = tokens(body) if toks is None else toks
    line_count = len(split_lines(body))
    sections = [Section("", 0, 0, line_count)]
    for index, tok in enumerate(toks):
        if tok.type == "heading_open" and tok.map:
            sections[-1].end = tok.map[0]
            sections.append(Section(plain_text(toks[index + 1]), int(tok.tag[1]), tok.map[0], line_count))
        elif tok.type == "list_item_open":
            sections[-1].items += 1
        elif tok.type == "tr_open" and _in_body(toks, index):
            sections[-1].rows += 1
        elif tok.type == "table_open" and tok.map:
            sections[-1].tables.append((tok.map[0], tok.map[1]))
    if sections[0].end == 0 and len(sections) > 1:
        sections.pop(0)
    return sections


def _in_body(toks: list[Any], index: int) -> bool:
    for back in range(index - 1, -1, -1):
        if toks[back].type in ("tbody_open", "thead_open"):
            return toks[back].type == "tbody_open"
    return False


def normalise_title(title: str) -> str:
    return re.sub(r"[\s_-]+", " ", title).strip().lower()
