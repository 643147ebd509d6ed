"""Regions of a document that plancycle writes: the lines between two HTML comments,

    <!-- plancycle:decisions -->
    …
    <!-- /plancycle:decisions -->

Everything outside the markers is the user's; inside, plancycle replaces the lines
whole. HTML comments render as nothing on GitHub and in every markdown viewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plancycle.documents.markdown import prose_lines
from plancycle.errors import DocumentError


def start_marker(name: str) -> str:
    return f"<!-- plancycle:{name} -->"


def end_marker(name: str) -> str:
    return f"<!-- /plancycle:{name} -->"


@dataclass(frozen=True)
class Region:
    start: int  # index of the start marker's line
    end: int  # index of the end marker's line


def find_region(lines: list[str], name: str, path: object = "<document>", first_line: int = 1) -> Region | None:
    """The region called ``name`` (outside fenced code), or None; a start marker with no end,
    or a region written twice, is refused with its line (``first_line``: that of lines[0])."""
    opening, closing = start_marker(name), end_marker(name)
    pattern = re.compile(rf"^<!--\s*(/?)plancycle:{re.escape(name)}\s*-->$")
    starts: list[int] = []
    ends: list[int] = []
    for index, line in prose_lines(lines):
        match = pattern.match(line.strip())
        if match is not None:
            (ends if match.group(1) else starts).append(index)
    if not starts and not ends:
        return None
    if len(starts) > 1 or len(ends) > 1:
        where = (starts if len(starts) > 1 else ends)[1]
        raise DocumentError(path, f"`{opening}` region appears twice; keep one", first_line + where)
    if not starts or not ends or ends[0] < starts[0]:
        where = (starts or ends)[0]
        raise DocumentError(
            path,
            f"`{opening}` and `{closing}` must both be there, in that order; fix or remove them",
            first_line + where,
        )
    return Region(starts[0], ends[0])


def region_lines(name: str, content: list[str], newline: str) -> list[str]:
    """The whole region (markers included) as lines with endings."""
    return [line + newline for line in (start_marker(name), *content, end_marker(name))]


def region_content(lines: list[str], region: Region) -> list[str]:
    """The lines between the markers, endings taken off."""
    return [line.rstrip("\r\n") for line in lines[region.start + 1 : region.end]]
