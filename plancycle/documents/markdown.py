"""The structure of a markdown body, read with markdown-it-py: sections, lists, tables.

Line numbers are 0-based indexes into the body's lines (see `document.split_lines`);
markdown-it keeps line counts when it normalises CRLF, so its token maps line up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from plancycle.documents.lines import split_lines


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


# -- a line scan for the hot paths (the commit hook, thousands of documents) -----------

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
# `* * *` and `- - -` are thematic breaks, not list items: a break wins where both could be read.
_BREAK = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
CODE_SPAN = re.compile(r"(`+)[^`\r\n]{0,2000}?\1")  # inline code on one line (bounded: linear)
TABLE_SEPARATOR = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def prose_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of every line outside fenced code, fence lines left out: the one fence
    rule of every line scan. A fence closes only on the same character, at least as long,
    with nothing after it; a backtick fence's info string holds no backtick."""
    fence: str | None = None
    for index, line in enumerate(lines):
        first = line[:4].lstrip(" ")[:1]  # only lines starting so can open or close a fence
        if first == "`" or first == "~":
            match = _FENCE.match(line.rstrip("\r\n"))
            if match is not None:
                marker, rest = match.groups()
                if fence is None:
                    if marker[0] == "~" or "`" not in rest:
                        fence = marker
                        continue
                elif marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip():
                    fence = None
                    continue
        if fence is None:
            yield index, line


def scan_headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line index, level, title) of every heading outside fenced code blocks."""
    found = []
    count = len(lines)
    for index, line in prose_lines(lines):
        first = line[:4].lstrip(" ")[:1]
        if first == "#":
            atx = _ATX.match(line.rstrip("\r\n"))
            if atx:
                found.append((index, len(atx.group(1)), (atx.group(2) or "").strip()))
            continue
        if (
            index + 1 < count
            and lines[index + 1][:1] in ("=", "-")
            and line.strip()
            and first not in ("|", "-", "*", ">", "+")
        ):
            underline = SETEXT.match(lines[index + 1].rstrip("\r\n"))
            if underline:
                found.append((index, 1 if underline.group(1)[0] == "=" else 2, line.strip()))
    return found


def scan_outline(lines: list[str]) -> list[Section]:
    """Flat sections with list-item and table-row counts, by a line scan that knows
    headings and fenced code: what the bump rules need, without a markdown parser."""
    headings = scan_headings(lines)
    sections = [Section("", 0, 0, len(lines))]
    for index, level, title in headings:
        sections[-1].end = index
        sections.append(Section(title, level, index, len(lines)))
    if sections[0].end == 0 and len(sections) > 1:
        sections.pop(0)
    current = 0
    starts = [s.start for s in sections]
    for index, line in prose_lines(lines):
        while current + 1 < len(starts) and index >= starts[current + 1]:
            current += 1
        if _ITEM.match(line):
            if not _BREAK.match(line.rstrip("\r\n")):
                sections[current].items += 1
        elif line[:4].lstrip(" ")[:1] == "|" and not TABLE_SEPARATOR.match(line.rstrip("\r\n")):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if not TABLE_SEPARATOR.match(following.rstrip("\r\n")) or "|" not in following:
                sections[current].rows += 1  # a body row (a header row has a separator under it)
    return sections
