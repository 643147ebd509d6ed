"""The rules about one document: its frontmatter (PC001), placeholders (PC002), links
(PC003), a stale tasks.md (PC004), an approved document's compliance gate (PC010), conflict
markers (PC012) and body metadata lines that say other than the frontmatter (PC013)."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from plancycle.adr.records import ALIASES, file_number
from plancycle.adr.records import STATES as DECISION_STATES
from plancycle.documents import mirrors
from plancycle.documents.document import Document
from plancycle.documents.links import find_links
from plancycle.documents.markdown import prose_lines
from plancycle.documents.placeholders import find_placeholders
from plancycle.documents.versioning import status_field, version_field
from plancycle.errors import DocumentError
from plancycle.lifecycle.compliance import compliance_gaps
from plancycle.lifecycle.states import KINDS, states

DATE_FIELDS = ("created", "updated", "approved", "date")
LINK_FIELDS = ("spec", "plan", "prd", "tasks")
LIST_LINK_FIELDS = ("supersedes", "superseded_by")
DRAFTS = ("draft", "proposed")
_ISO = re.compile(r"^\d{4}-\d\d-\d\d$")


@dataclass(frozen=True)
class Raw:
    """A finding before the configuration gives it its severity (None: the rule's default)."""

    rule: str
    line: int | None
    message: str
    severity: str | None = None


def kind_of(path: Path) -> str:
    if path.parent.name == "adr" and file_number(path.name) is not None:
        return "adr"
    stem = path.name[: -len(".md")] if path.name.endswith(".md") else path.name
    return stem if stem in KINDS else "other"


def known_states(kind: str, approved: str) -> tuple[str, ...]:
    if kind == "adr":
        return (*DECISION_STATES, *ALIASES)
    if kind in KINDS:
        return states(kind, approved)
    every = {s for k in KINDS for s in states(k, approved)} | set(DECISION_STATES)
    return tuple(sorted(every))


def schema(doc: Document, kind: str, approved: str) -> list[Raw]:
    found = []
    try:
        version = version_field(doc)
        if version is None and kind != "other":
            found.append(Raw("PC001", 2, "no `version:`; add `version: 0.1.0`"))
    except DocumentError as exc:
        found.append(Raw("PC001", exc.line, exc.message.split(": ", 1)[-1]))
    try:
        status = status_field(doc)
        if status is None and kind != "other":
            found.append(Raw("PC001", 2, f"no `status:`; add one of {', '.join(known_states(kind, approved))}"))
        elif status is not None and status not in known_states(kind, approved):
            found.append(
                Raw(
                    "PC001",
                    doc.line_of("status"),
                    f"status {status!r} is not one a {kind if kind != 'other' else 'document'} has "
                    f"({', '.join(known_states(kind, approved))})",
                )
            )
    except DocumentError as exc:
        found.append(Raw("PC001", exc.line, exc.message.split(": ", 1)[-1]))
    for key in DATE_FIELDS:
        value = doc.get(key)
        if value is None or isinstance(value, dt.date):
            continue
        text = str(value).strip()
        valid = bool(_ISO.match(text))
        if valid:
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                valid = False
        if not valid:
            found.append(Raw("PC001", doc.line_of(key), f"`{key}: {text}` is not an ISO date (YYYY-MM-DD)"))
    return found


def placeholders(doc: Document, status: str | None, changelog_heading: str = "Change Log") -> list[Raw]:
    severity = "warning" if status in (None, *DRAFTS) else "error"
    state = status or "without a status"
    return [
        Raw("PC002", doc.body_start_line + p.line - 1, f"unfilled placeholder {p.text} ({state})", severity)
        for p in find_placeholders(doc.body_lines, changelog_heading)
    ]


def _exists(base: Path, top: Path, target: str) -> bool:
    target = unquote(target)
    path = top / target.lstrip("/") if target.startswith("/") else base / target
    return os.path.exists(path)


def links(doc: Document, path: Path, top: Path) -> list[Raw]:
    found = []
    base = path.parent
    for key in LINK_FIELDS:
        value = doc.get(key)
        if isinstance(value, str) and value.strip() and not _exists(base, top, value.strip()):
            found.append(Raw("PC003", doc.line_of(key), f"`{key}: {value}` names a file that does not exist"))
    for key in LIST_LINK_FIELDS:
        value = doc.get(key)
        for item in value if isinstance(value, list) else []:
            text = str(item).strip()
            if text.lower().endswith(".md") and not _exists(base, top, text):
                found.append(Raw("PC003", doc.line_of(key), f"`{key}` names {text}, which does not exist"))
    for link in find_links(doc.body_lines):
        if not _exists(base, top, link.target):
            found.append(Raw("PC003", doc.body_start_line + link.line, f"link to {link.target}, which does not exist"))
    return found


def stale_tasks(doc: Document, plan_path: Path, sections: list[str]) -> list[Raw]:
    """tasks.md derived from another version of the plan's section: the hash it recorded
    against the plan's section now (a line scan: no markdown parse)."""
    from plancycle.tasks.breakdown import section_hash
    from plancycle.tasks.section import scan_section

    recorded = doc.get("plan_section_hash")
    if not recorded or not plan_path.is_file():
        return []
    try:
        plan = Document.read(plan_path, lazy=True)
    except DocumentError:
        return []  # the plan's own PC001 says what is wrong with it
    found = scan_section(plan, sections)
    if found is None:
        return [Raw("PC004", doc.line_of("plan_section_hash"), "the plan has no implementation section any more")]
    if section_hash(found[1]) == recorded:
        return []
    feature = plan_path.parent.name
    return [
        Raw(
            "PC004",
            doc.line_of("plan_section_hash"),
            f"derived from another version of the plan's {found[0]!r} section; run `plancycle tasks derive {feature}`",
        )
    ]


_CONFLICT = re.compile(r"^(?:<{7}(?: |$)|={7}$|>{7}(?: |$)|\|{7}(?: |$))")


def conflict_markers(doc: Document) -> list[Raw]:
    """`<<<<<<<`, `|||||||`, `=======` and `>>>>>>>` lines a merge left (and a commit took)."""
    found = []
    for index, line in prose_lines(doc.body_lines):
        if _CONFLICT.match(line.rstrip("\r\n")):
            found.append(Raw("PC012", doc.body_start_line + index, "a merge conflict marker; resolve the conflict"))
    return found


def mirrors_in_step(doc: Document, approved: str = "approved") -> list[Raw]:
    """A body line that says another version, status or day than the frontmatter: typed by
    hand, or from before plancycle kept it (the next time the field is set, it follows)."""
    found = []
    for mirror in mirrors.find(doc.body_lines):
        written = (doc.written(mirror.field) or "").strip()
        if not written:
            continue
        if mirror.field == "status":
            expected = mirrors.STATUS_WORDS.get(written.lower(), written.lower())
            if expected == approved:
                expected = "approved"
        elif mirror.field == "version":
            try:
                expected = mirrors.meaning("version", written)
            except ValueError:
                continue  # not a version: PC001 says so
        else:
            expected = written[:10]
        if not mirrors.same(mirror.field, mirror.value, expected):
            found.append(
                Raw(
                    "PC013",
                    doc.body_start_line + mirror.line,
                    f"`{mirror.label}: {mirror.text}` here, but `{mirror.field}: {written}` in the frontmatter; "
                    "make them agree (plancycle keeps them in step once they do)",
                )
            )
    return found


def compliance(doc: Document, status: str | None, approved: str) -> list[Raw]:
    if status not in (approved, "done"):
        return []
    return [Raw("PC010", gap.line, f"compliance gate not passed: {gap.text}") for gap in compliance_gaps(doc)]
