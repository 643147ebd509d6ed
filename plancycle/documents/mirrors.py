"""Metadata people write in a document's body, kept in step with the frontmatter.

Documents written before plancycle (Spec Kit, the seed styles, adr-tools, MADR 2) say their
version, status and dates in the body: `**Version**: 1.0`, `> **Status**: Draft`, several
fields on one line (`**Branch**: `011-x` | **Date**: 2025-12-30`), `* Status: accepted`, a
footer `*Last updated: 2025-01-02*`, adr-tools' `Date: 2016-02-12` and its `## Status`
section. Adoption reads them (`read`); from then on each is a mirror: whenever the
frontmatter field is set, the value on that line is rewritten (`follow`) and nothing else on
the line changes. A value the line already says in other words (`1.0` for 1.0.0, `Final`
for approved) is left as written.

Where they are looked for: the header (the lines before the first heading after the title,
thirty at most), the first line of a `## Status` section, and footers (whole-line italics
after the closing `---`, as seed documents end). A value is the whole of what follows its
label, but for a remark in brackets or after a dash: `**Version**: 2 of the API ships in Q3`
is a sentence, not a version.
A `**Status**:` further down (inside a decision block, a phase) is the text's own. Every
scan is one pass over the lines with patterns anchored on bounded pieces: linear.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plancycle.documents.markdown import prose_lines

# Body labels (lower case) and the frontmatter field each one says.
LABELS = {
    "version": "version",
    "doc version": "version",
    "document version": "version",
    "status": "status",
    "document status": "status",
    "last updated": "updated",
    "updated": "updated",
    "last modified": "updated",
    "last revised": "updated",
    "created": "created",
    "created on": "created",
    "date created": "created",
    "creation date": "created",
    "date": "created",
}
# The fields a mirror follows after adoption (created never moves once set).
FOLLOWED = ("version", "status", "updated", "created")

# Status words as people write them, and the state each one is.
STATUS_WORDS = {
    "draft": "draft",
    "in review": "review",
    "under review": "review",
    "in-review": "review",
    "review": "review",
    "approved": "approved",
    "final": "approved",
    "accepted": "accepted",
    "proposed": "proposed",
    "rejected": "rejected",
    "deprecated": "deprecated",
    "superseded": "superseded",
    "withdrawn": "withdrawn",
    "done": "done",
    "complete": "done",
    "completed": "done",
    "implemented": "done",
}
_STATUS = re.compile(
    r"(?i)(?:[^\w\[\s]{1,4}\s?)?\b("
    + "|".join(sorted((re.escape(w) for w in STATUS_WORDS), key=len, reverse=True))
    + r")\b"
)
_VERSION = re.compile(r"[vV]?\d{1,9}(?:\.\d{1,9}){0,2}(?:-[0-9A-Za-z.-]{1,40})?(?![\w.])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")

_PREFIX = re.compile(r"[ \t]{0,3}(?:>[ \t]?){0,3}(?:[-*+][ \t]+)?")
# `**Label**:` / `**Label:**` / `__Label__:`, and a bare `Label:` (known labels only).
_BOLD_LABEL = re.compile(r"(\*\*|__)([A-Za-z][A-Za-z /-]{0,30}?)(?:\1[ \t]*:|:[ \t]*\1)[ \t]*")
_PLAIN_LABEL = re.compile(r"([A-Za-z][A-Za-z ]{0,20}?):[ \t]+")
_NEXT_FIELD = re.compile(r"[ \t]*\|[ \t]*(?=(?:\*\*|__)[A-Za-z])")
_FOOTER = re.compile(r"[ \t]*([*_])([A-Za-z][A-Za-z ]{0,30}?):[ \t]*([^*_\r\n]{1,80}?)[ \t]*\1[ \t]*")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
HEADER_LINES = 30  # a header longer than this is a document without one


@dataclass(frozen=True)
class Mirror:
    """One value in the body: where it sits (line index, columns) and what it says."""

    line: int
    start: int
    end: int
    field: str
    label: str
    text: str  # the value as written (the recognised part only)

    @property
    def value(self) -> str:
        """What the text means as the field's value: a state, an ISO date, a version."""
        return meaning(self.field, self.text)


def meaning(field: str, text: str) -> str:
    if field == "status":
        return STATUS_WORDS[text.lower()]
    if field == "version":
        return _full_version(text)
    return text


def _full_version(text: str) -> str:
    core, dash, pre = text.lstrip("vV").partition("-")
    parts = [*core.split("."), "0", "0"]
    return ".".join(str(int(p)) for p in parts[:3]) + (dash + pre if dash else "")


def _recognise(field: str, value: str, column: int) -> tuple[int, int, str] | None:
    """The span of ``value`` (starting at ``column``) that is the field's value, if any.
    A choice list (`Draft | Review | Approved`) or a placeholder is not a value."""
    if "|" in value or value.startswith(("[", "{", "<")):
        return None
    if field == "status":
        match = _STATUS.match(value)
        group = 1
    else:
        match = (_VERSION if field == "version" else _DATE).match(value)
        group = 0
    if match is None or not _ends_value(value[match.end() :]):
        return None
    if field not in ("status", "version"):
        try:
            dt.date.fromisoformat(match.group())
        except ValueError:  # 2025-13-45 is not a day
            return None
    return column + match.start(group), column + match.end(group), match.group(group)


# What may follow a value on its line: nothing, a remark in brackets, or a separator
# (`Draft (awaiting review)`, `1.2 — signed off`); not more words (`2 of the API ships`).
_AFTER_VALUE = re.compile(r"[ \t]*(?:$|[(\[]|[—–·;,]|-[ \t]|\*|_)")


def _ends_value(rest: str) -> bool:
    return bool(_AFTER_VALUE.match(rest))


def _fields_on(content: str, index: int) -> list[Mirror]:
    """The labelled fields of one header line, several when `|` separates them."""
    prefix = _PREFIX.match(content)
    at = prefix.end() if prefix else 0
    found: list[Mirror] = []
    bold = _BOLD_LABEL.match(content, at)
    if bold is None:
        plain = _PLAIN_LABEL.match(content, at)
        if plain is None or plain.group(1).lower() not in LABELS:
            return []
        field = LABELS[plain.group(1).lower()]
        value = content[plain.end() :].rstrip(" \t")
        span = _recognise(field, value, plain.end())
        return [Mirror(index, *span[:2], field, plain.group(1), span[2])] if span else []
    while bold is not None:
        label = bold.group(2).strip()
        start = bold.end()
        separator = _NEXT_FIELD.search(content, start)
        stop = separator.start() if separator else len(content)
        named = LABELS.get(label.lower())
        if named is not None:
            span = _recognise(named, content[start:stop].rstrip(" \t"), start)
            if span is not None:
                found.append(Mirror(index, *span[:2], named, label, span[2]))
        bold = _BOLD_LABEL.match(content, separator.end()) if separator else None
    return found


_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def find(lines: list[str]) -> list[Mirror]:
    """Every mirror in a document's body lines (endings kept), in line order: in the header
    (before the first heading after the title), in a `## Status` section's first line, and
    in footers (whole-line italics after a closing `---`, with no heading between)."""
    found: list[Mirror] = []
    in_header = True
    titled = False  # the `#` title has been seen: the next heading ends the header
    in_footer = False
    status_section: int | None = None  # the line of a `## Status` heading, until its first text
    for index, line in prose_lines(lines):
        content = line.rstrip("\r\n")
        heading = _ATX.match(content)
        if heading is not None:
            level = len(heading.group(1))
            if level >= 2 or titled:
                in_header = False
            titled = True
            in_footer = False
            title = content[heading.end() :].strip().strip("#").strip().lower()
            status_section = index if level == 2 and title == "status" else None
            continue
        if in_header and index >= HEADER_LINES:
            in_header = False
        if in_header and content.strip():
            found += _fields_on(content, index)
            continue
        if _RULE.match(content):
            in_footer = True
            continue
        if status_section is not None and content.strip():
            status_section = None
            match = _STATUS.match(content)
            rest = content[match.end() :].strip(" \t.").lower() if match is not None else ""
            # the whole line is the state, or adr-tools' `Superseded by [3. …](…)`
            if match is not None and (not rest or rest.startswith("by ")):
                found.append(Mirror(index, match.start(1), match.end(1), "status", "Status", match.group(1)))
            continue
        first = content.lstrip(" \t")[:1]
        if in_footer and first in ("*", "_"):
            footer = _FOOTER.fullmatch(content)
            if footer is not None and footer.group(2).lower() in LABELS:
                field = LABELS[footer.group(2).lower()]
                span = _recognise(field, footer.group(3), footer.start(3))
                if span is not None:
                    found.append(Mirror(index, *span[:2], field, footer.group(2), span[2]))
    return found


def read(lines: list[str]) -> dict[str, str]:
    """What the body says of each field (the first mirror of each), as field values."""
    values: dict[str, str] = {}
    for mirror in find(lines):
        values.setdefault(mirror.field, mirror.value)
    return values


# States that are one state in other words: a record's `accepted` is a plan's `approved`.
_SAME_STATE = {"accepted": "approved", "final": "approved", "proposed": "draft"}


def same(field: str, said: str, value: str) -> bool:
    """Whether a mirror that means ``said`` already says the field's ``value``."""
    if field == "status":
        return _SAME_STATE.get(said, said) == _SAME_STATE.get(value, value)
    return said == value


def render(field: str, value: Any, written: str) -> str:
    """``value`` written the way the old text was (`v` prefix, Title or UPPER case)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = str(value)
    if field == "version" and written[:1] in ("v", "V"):
        return written[0] + text
    if field == "status":
        words = text.replace("-", " ")
        if written.isupper():
            return words.upper()
        if written[:1].isupper():
            return words.title()
    return text


def follow(lines: list[str], values: Mapping[str, Any]) -> bool:
    """Rewrite the mirrors of ``values``' fields in place; whether any line changed."""
    wanted = {k: v for k, v in values.items() if k in FOLLOWED and v is not None}
    if not wanted:
        return False
    changed = False
    # Right to left on each line, so earlier columns stay where they were found.
    for mirror in sorted(find(lines), key=lambda m: (m.line, -m.start)):
        if mirror.field not in wanted:
            continue
        value = wanted[mirror.field]
        new = render(mirror.field, value, mirror.text)
        try:
            if same(mirror.field, mirror.value, meaning(mirror.field, new)):
                continue
        except (KeyError, ValueError):
            continue  # a state no status word names (`signed-off`): the line keeps its word
        line = lines[mirror.line]
        lines[mirror.line] = line[: mirror.start] + new + line[mirror.end :]
        changed = True
    return changed
