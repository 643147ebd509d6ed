"""Unfilled template placeholders, in every style the shipped templates and the seeds use:
`[Task description]`, `_[fill in]_`, `[YYYY-MM-DD]`, `{name}`, `{{TOKEN}}`, `TBD`, `TODO`.

`is_placeholder` judges one piece of text (a task, a cell); `find_placeholders` scans a
document for every one left, with its line, for the gates and `check`. What markdown gives
brackets for is not a placeholder: links (`[text](url)`, `[text][ref]`, `[ref]` with its
definition), images, task boxes (`[ ]`, `[x]`), footnotes (`[^1]`), alerts (`[!NOTE]`),
numeric citations (`[3]`), a term a legend defines (`- **[Story]**: the user story`); nor is anything in code (fenced or inline) or in an HTML
comment. The patterns use bounded classes only: the scan is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from plancycle.documents.markdown import CODE_SPAN, prose_lines, scan_headings

_PLACEHOLDER = re.compile(r"^(?:_?\[[^\]]*\]_?|\{\{[^}]*\}\}|\{[^}]*\}|<[^>]*>|TBD|TODO|\.\.\.|…)$", re.I)
_COMMENT = re.compile(r"<!--.*?-->")
_FOUND = re.compile(
    r"\{\{[^{}\r\n]{1,120}\}\}"  # {{TOKEN}}
    r"|(?<![{$\\])\{[^{}\r\n]{1,120}\}(?!\})"  # {name}
    r"|_\[[^\[\]\r\n]{1,300}\]_"  # _[fill in]_
    r"|(?<![\]!\\\w\[])\[[^\[\]\r\n]{1,300}\](?![(\[:\]])"  # [Task description]: not a link, List[int], [[wiki]]
    r"|\b(?:TBD|TODO)\b"
)
# Brackets that mean something: task boxes, footnotes, alerts, citations ([3], [@smith2020]),
# and the short codes of task lists (Spec Kit's [P], [US1]; [FR-001], [T014]).
_NOT_PLACEHOLDER = re.compile(r"^\[(?: |x|X|\^[^\]]*|![A-Z]+|@[^\]]*|\d+(?:[,\s-]+\d+)*|P|[A-Z]{1,5}-?\d+[a-z]?)\]$")
# Braces that mean something: heading attributes ({#id}, {.class}), counts and sets ({3}, {1, 2}).
_NOT_A_NAME = re.compile(r"^\{(?:[#.][^}]*|[\d\s,.:-]*)\}$")
# In code, only a `{{TOKEN}}` is a placeholder: the shipped templates put them in code blocks,
# and no program is written so.
_CODE_TOKEN = re.compile(r"\{\{[A-Z][A-Z0-9_]{0,80}\}\}")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]\r\n]{1,300})\]:")
# A term defined in a legend (Spec Kit's `- **[Story]**: which user story …`) is a term.
_LEGEND = re.compile(r"\*\*\[([^\[\]\r\n]{1,60})\]\*\*[ \t]*:")


def is_placeholder(text: str) -> bool:
    """Whether ``text`` (stripped) is one placeholder and nothing else."""
    return bool(_PLACEHOLDER.match(text.strip()))


@dataclass(frozen=True)
class Placeholder:
    line: int  # 1-based, counted in the lines given (add the body's first line for a file)
    text: str


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _outside_changelog(lines: list[str], heading: str) -> set[int]:
    """Indexes of the Change Log section's lines: plancycle writes it, and its cells quote
    old headings (`Renamed: [Task] → Login`), which are history, not placeholders."""
    from plancycle.documents.changelog import is_changelog_title

    skipped: set[int] = set()
    headings = scan_headings(lines)
    for position, (index, level, title) in enumerate(headings):
        if is_changelog_title(title, heading):
            stop = next((i for i, lvl, _t in headings[position + 1 :] if lvl <= level), len(lines))
            skipped.update(range(index, stop))
    return skipped


def find_placeholders(lines: list[str], changelog_heading: str = "Change Log") -> Iterator[Placeholder]:
    """Every placeholder outside code, comments and the Change Log, in order."""
    if not any(_FOUND.search(line) for line in lines):
        return  # the common case for a filled document: one pass, no heading scan
    skipped = _outside_changelog(lines, changelog_heading)
    prose = [(i, line) for i, line in prose_lines(lines) if i not in skipped]
    in_prose = {i for i, _line in prose_lines(lines)}
    code = {i for i in range(len(lines)) if i not in in_prose and i not in skipped}
    labels = {m.group(1).lower() for _i, line in prose if (m := _DEFINITION.match(line))}
    labels |= {m.group(1).lower() for _i, line in prose if "**[" in line for m in _LEGEND.finditer(line)}
    in_comment = False
    for index, line in sorted([*prose, *((i, lines[i]) for i in code)]):
        if index in code:
            for match in _CODE_TOKEN.finditer(lines[index]):
                yield Placeholder(index + 1, match.group())
            continue
        text = line.rstrip("\r\n")
        if in_comment:
            end = text.find("-->")
            if end < 0:
                continue
            text = " " * (end + 3) + text[end + 3 :]
            in_comment = False
        text = _COMMENT.sub(_blank, text)
        start = text.find("<!--")
        if start >= 0:
            text = text[:start]
            in_comment = True
        if _DEFINITION.match(text):
            continue
        text = CODE_SPAN.sub(_blank, text)
        for match in _FOUND.finditer(text):
            found = match.group()
            if found.startswith("[") and (_NOT_PLACEHOLDER.match(found) or found[1:-1].lower() in labels):
                continue
            if found.startswith("{") and not found.startswith("{{") and _NOT_A_NAME.match(found):
                continue
            yield Placeholder(index + 1, found)
