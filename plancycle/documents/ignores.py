"""`<!-- plancycle: ignore PC004 -->` comments: which lines of a document a rule is told to
leave alone. At the end of a line the comment covers that line; alone on a line, the next
one; for a finding about the whole file, a comment anywhere in it. Rules are named by id or
name (`PC002`, `placeholders`); what the names mean is the checker's business."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plancycle.documents.document import Document
from plancycle.documents.markdown import prose_lines

_IGNORE = re.compile(r"<!--\s*plancycle:\s*ignore\s+([A-Za-z0-9, -]+?)\s*-->")


@dataclass
class Ignores:
    lines: dict[int, set[str]] = field(default_factory=dict)  # 1-based line → keys, lower case
    anywhere: set[str] = field(default_factory=set)

    def covers(self, keys: set[str], line: int | None) -> bool:
        """Whether any of ``keys`` (a rule's id and name) is ignored at ``line``."""
        wanted = {k.lower() for k in keys}
        if line is None:
            return bool(wanted & self.anywhere)
        return bool(wanted & self.lines.get(line, set()))


def read_ignores(doc: Document) -> Ignores:
    found = Ignores()
    lines = doc.body_lines
    for index, line in prose_lines(lines):
        match = _IGNORE.search(line)
        if match is None:
            continue
        keys = {k.lower() for k in re.split(r"[\s,]+", match.group(1)) if k}
        number = doc.body_start_line + index
        alone = not line.replace(match.group(), "").strip()
        found.lines.setdefault(number + 1 if alone else number, set()).update(keys)
        found.anywhere |= keys
    return found
