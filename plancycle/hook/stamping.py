"""The stamp a commit puts on a document: `updated`, a new `version`, a Change Log row.

A stamp is computed once from the staged text and its base revision, then applied to
the staged text and, separately, to the working-tree file, so both get the same edits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from plancycle.config import Config
from plancycle.documents import changelog
from plancycle.documents.document import Document, is_managed
from plancycle.documents.versioning import INITIAL_VERSION, Rules, bump, compare, is_newer, parse_version


def rules_for(config: Config) -> Rules:
    return Rules(
        structure=config.bump_on_structure,
        wording=config.bump_on_wording,
        approval=config.bump_on_approval,
        approved_status=config.approved_status,
        changelog_heading=config.changelog_heading,
    )


@dataclass
class Stamp:
    """Edits to make: owned fields to set and, maybe, one Change Log row."""

    old_version: str | None
    new_version: str
    level: str
    summary: str
    fields: dict[str, Any] = field(default_factory=dict)
    row: dict[str, str] | None = None

    def apply(self, doc: Document, config: Config) -> bool:
        """Make the edits on ``doc``; returns whether its text changed."""
        before = doc.text
        if self.fields:
            doc.update(self.fields)
        if self.row is not None and not changelog.has_version(doc, self.row["Version"], config.changelog_heading):
            changelog.add_row(
                doc,
                self.row,
                heading=config.changelog_heading,
                newest_first=config.changelog_order == "newest-first",
            )
        return doc.text != before


def plan_stamp(
    staged: Document,
    base: Document | None,
    *,
    config: Config,
    today: dt.date,
    authored: dt.date | None = None,
    author: str,
    base_version: str | None = None,
    level_override: str | None = None,
    replaying: bool = False,
) -> Stamp | None:
    """The stamp for ``staged`` against ``base`` (None for a new document), or None.

    ``base_version`` overrides the base's own version (a merge bumps from the higher
    parent). A staged version already past the base is the user's and is kept, which
    also makes a second run on the same index, or an amend, change nothing. While a
    rebase replays commits (``replaying``) such a document is left exactly as it is:
    it carries the stamp of the commit being replayed.
    """
    if not is_managed(staged):
        return None
    if base is not None and not is_managed(base):
        base = None
    if base_version is None and base is not None and base.get("version") is not None:
        base_version = str(base.get("version"))
    staged_version = staged.get("version")
    change = compare(base, staged, rules_for(config))
    level = level_override or change.level
    if level_override == "none":
        return None
    raised_by_hand = (
        base_version is not None
        and staged_version is not None
        and is_newer(parse_version(staged_version, staged), parse_version(base_version))
    )
    if raised_by_hand and replaying:
        return None
    if base_version is None:
        # A new document (or one plancycle starts keeping): keep or set its first version.
        target = str(staged_version) if staged_version is not None else INITIAL_VERSION
        if staged_version is not None:
            parse_version(staged_version, staged)
    elif raised_by_hand:
        target = str(staged_version)
    elif level == "none":
        return None
    else:
        target = bump(base_version, level)
    if change.summary:
        summary = change.summary
    elif raised_by_hand:
        summary = "Version set by hand"
    elif base_version is None:
        summary = "Created"
    else:
        summary = f"Version bumped ({level})"
    fields: dict[str, Any] = {"updated": today}
    if base is None and "created" not in staged.fields:
        fields["created"] = today
    if str(staged_version) != target or staged_version is None:
        fields["version"] = target
    # The row carries the commit's author date, as `git log` shows it and `changelog sync`
    # reads it back; unlike the committer date it survives amends and rebases.
    row = {"Version": target, "Date": (authored or today).isoformat(), "Author": author, "Changes": summary}
    return Stamp(
        old_version=base_version,
        new_version=target,
        level=level if base_version is not None and not raised_by_hand else "none",
        summary=summary,
        fields=fields,
        row=row,
    )
