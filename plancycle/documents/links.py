"""Markdown links between documents: found and rewritten by a line scan that knows fenced
code (a link shown in a code block is an example, not a link).

Inline links `[text](target "title")` and reference definitions `[id]: target` are read;
a target's `#fragment` stays with it. The patterns use only bounded character classes, so
a scan is linear in the text whatever it holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from plancycle.documents.markdown import CODE_SPAN, prose_lines

_INLINE = re.compile(r"(\[(?:[^\]\\\r\n]|\\.){0,1000}\]\()(<[^<>\r\n]*>|[^\s()<>]+)(?=[ \t]*(?:\)|[ \t]\"|[ \t]'))")
_DEFINITION = re.compile(r"^( {0,3}\[(?!\^)[^\]\r\n]{1,999}\]:[ \t]*)(<[^<>\r\n]*>|\S+)")  # not a [^footnote]:
_EXTERNAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|#)")


@dataclass(frozen=True)
class Link:
    line: int  # index into the lines
    target: str  # without angle brackets and fragment
    fragment: str  # '#…' or ''


def _split(raw: str) -> tuple[str, str]:
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    path, hash_, fragment = raw.partition("#")
    return path, hash_ + fragment


def is_local(target: str) -> bool:
    """A link to a file of the repository: not a URL, not an anchor in the same page."""
    return bool(target) and not _EXTERNAL.match(target)


def _matches(line: str) -> Iterator[re.Match[str]]:
    definition = _DEFINITION.match(line)
    if definition is not None:
        yield definition
        return
    if "](" in line:
        spans = [m.span() for m in CODE_SPAN.finditer(line)] if "`" in line else []
        for match in _INLINE.finditer(line):
            if not any(start <= match.start() < end for start, end in spans):  # `[shown](as code)`
                yield match


def find_links(lines: list[str]) -> Iterator[Link]:
    """Every local link outside fenced code, in order."""
    for index, line in prose_lines(lines):
        for match in _matches(line):
            target, fragment = _split(match.group(2))
            if is_local(target):
                yield Link(index, target, fragment)


def rewrite_links(
    lines: list[str],
    change: Callable[[str], str | None],
    retitle: Callable[[str], str] | None = None,
) -> int:
    """Give each local link the target ``change`` returns for it (None: leave it), and the
    text ``retitle`` makes of its text (an inline link's); edits ``lines`` in place and
    returns how many links changed."""
    changed = 0
    for index, line in list(prose_lines(lines)):
        pieces = []
        last = 0
        for match in _matches(line):
            raw = match.group(2)
            target, fragment = _split(raw)
            new = change(target) if is_local(target) else None
            if new is None or new == target:
                continue
            written = f"<{new}{fragment}>" if raw.startswith("<") else new + fragment
            opening = match.group(1)
            if retitle is not None and opening.endswith("]("):
                opening = "[" + retitle(opening[1:-2]) + "]("
            pieces.append(line[last : match.start(1)] + opening + written)
            last = match.end(2)
            changed += 1
        if pieces:
            lines[index] = "".join(pieces) + line[last:]
    return changed
