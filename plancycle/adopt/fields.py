"""The frontmatter one document gets when plancycle starts keeping it: what its body says
(`**Version**: 1.0`, `**Status**: Draft`, `Date:`, a `## Status` section), else what
history says (first and last commit), else today; only the fields it does not have."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from plancycle.adr.records import ALIASES, STATES
from plancycle.documents import mirrors
from plancycle.documents.document import Document
from plancycle.documents.links import find_links
from plancycle.documents.markdown import scan_headings
from plancycle.documents.versioning import parse_version
from plancycle.errors import DocumentError
from plancycle.lifecycle.states import states

# A version of 1.0.0 says the document was approved once.
_SETTLED = ("approved", "accepted", "done", "superseded", "deprecated")
# `# Feature Specification: Offline sync` is titled "Offline sync".
_KIND_PREFIX = re.compile(
    r"^(?:feature specification|specification|spec|implementation plan|technical plan|technical design|"
    r"plan|tasks|task list)\s*[:—–-]\s*",
    re.I,
)
_NUMBERED = re.compile(r"^(?:ADR[- ]?\d+\s*[:.\-–—]\s*|\d+\.\s+)", re.I)
# adr-tools' status section links: `Supersedes [1. …](0001-….md)`, either spelling.
_LINK_WORD = re.compile(r"^\s*(supersedes|supercedes|superseded by|superceded by)\b", re.I)


# `# FEAT-014: Technical Design` names the kind of document, not the feature.
_TRACKER_ID = re.compile(r"^[A-Z][A-Z0-9]*-[A-Z0-9]+\s*[:—–-]\s*")
_KIND_ONLY = re.compile(r"^(?:technical design|technical plan|design|plan|specification|spec|tasks)$", re.I)


def title_of(doc: Document, record: bool) -> str | None:
    """The document's title from its `#` heading, without the kind (`Implementation Plan:`),
    a tracker ID or a record's number; None when that leaves only the kind."""
    for _index, level, title in scan_headings(doc.body_lines):
        if level == 1 and title:
            if record:
                return _NUMBERED.sub("", title).strip() or title
            text = _KIND_PREFIX.sub("", _TRACKER_ID.sub("", title)).strip()
            return None if not text or _KIND_ONLY.match(text) else text
    return None


def _state(kind: str, said: str | None, approved: str) -> str | None:
    """A status the body says, as one of the kind's states (None: it says none we know)."""
    if said is None:
        return None
    if kind == "adr":
        state = ALIASES.get(said, said)
        state = {"approved": "accepted", "done": "accepted", "review": "proposed"}.get(state, state)
        return state if state in STATES else None
    state = {"accepted": approved, "proposed": "draft", "approved": approved}.get(said, said)
    if state in ("in progress", "in-progress", "wip", "active", "started"):
        state = approved if kind != "spec" else "review"  # a plan being worked on was approved
    if kind == "spec" and state == "done":
        state = approved
    return state if state in states("plan" if kind == "other" else kind, approved) else None


def _record_links(doc: Document) -> dict[str, list[str]]:
    """`supersedes` / `superseded_by` from adr-tools lines such as `Superseded by [3. …](0003-….md)`."""
    found: dict[str, list[str]] = {}
    lines = doc.body_lines
    for link in find_links(lines):
        word = _LINK_WORD.match(lines[link.line])
        if word is None or "/" in link.target.strip("./"):
            continue
        key = "superseded_by" if "by" in word.group(1).lower() else "supersedes"
        name = link.target.removeprefix("./")
        if name not in found.setdefault(key, []):
            found[key].append(name)
    return found


def _day(value: object) -> dt.date | None:
    """An ISO day from a frontmatter value or a body date (a datetime's day); None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def adopted_fields(
    doc: Document,
    kind: str,
    *,
    feature: str | None,
    history: tuple[str, str] | None,
    today: dt.date,
    approved: str = "approved",
) -> tuple[dict[str, Any], list[str]]:
    """(fields to add or correct, notes) for ``doc`` of ``kind`` (spec, plan, tasks, adr or
    other). Each value is what the body says where it says one, so the body needs no change."""
    have = doc.field_names()
    said = mirrors.read(doc.body_lines)
    notes: list[str] = []
    fields: dict[str, Any] = {}
    record = kind == "adr"
    if "title" not in have:
        title = title_of(doc, record)
        if title is None and feature is not None and "-" in feature:
            title = feature.split("-", 1)[1].replace("-", " ").capitalize()
        if title:
            fields["title"] = title
    if feature is not None and "feature" not in have and kind != "other":
        fields["feature"] = feature
    written = str(doc.get("status")).strip().lower() if "status" in have else None
    if written is not None:
        written = mirrors.STATUS_WORDS.get(written.replace("-", " "), written)
    status = _state(kind, written if written is not None else said.get("status"), approved)
    if "status" in have and status is not None and status != doc.get("status"):
        fields["status"] = status  # `in-review` in a seed's frontmatter, read as review
    elif "status" in have and status is None:
        notes.append(
            f"its status {doc.get('status')!r} is none of {kind}'s states; set one (`plancycle check` lists them)"
        )
    if "status" not in have:
        if status is None and said.get("status"):
            notes.append(f"its status {said['status']!r} is none of {kind}'s states: starts as draft")
        fields["status"] = status or ("proposed" if record else "draft")
        status = fields["status"]
    if "version" not in have:
        version = said.get("version")
        if version is not None:
            try:
                version = str(parse_version(version))
            except DocumentError:
                version = None
        fields["version"] = version or ("1.0.0" if status in _SETTLED or status == approved else "0.1.0")
    first, last = history if history is not None else (None, None)
    # Days: what the body says first, then history, then today; `created` never after `updated`.
    created = _day(said.get("created") or "") or (_day(doc.get("date")) if record else None)
    updated = _day(said.get("updated") or "")
    if created is None:
        created = _day(first or "") or today
        if updated is not None and updated < created:
            created = updated  # written before its first commit
    if updated is None:
        updated = max(_day(last or "") or created, created)
    for key, day in (("created", created), ("updated", updated)):
        if key not in have:
            fields[key] = day
        elif _day(doc.get(key)) is None:
            notes.append(f"`{key}: {doc.get(key)}` is not a day: set to {day.isoformat()}")
            fields[key] = day
    if record:
        for key, names in _record_links(doc).items():
            if key not in have:
                fields[key] = names
    return fields, notes
