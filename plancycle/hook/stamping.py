"""The stamp a commit puts on a document: `updated`, a new `version`, a Change Log row.

A stamp is computed once from the staged text and its base revision, then applied to
the staged text and, separately, to the working-tree file, so both get the same edits.

Two facts from outside the two texts keep versions honest:
- what the hook itself wrote last time (`Earlier`): a commit that was aborted after the
  hook ran, or the commit being amended, carries the hook's own stamp; it is taken back
  and the stamp computed again from the real base, so it is not mistaken for a version
  raised by hand;
- the highest version the document is known to have had (its Change Log rows and the
  clone's record): a document never gets a version it already had, even after `git revert`
  put an older one back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from plancycle.config import Config, Level
from plancycle.documents import changelog, mirrors
from plancycle.documents.document import Document, is_managed
from plancycle.documents.versioning import (
    INITIAL_VERSION,
    Rules,
    bump,
    compare,
    parse_version,
    version_field,
)
from plancycle.errors import DocumentError


@dataclass(frozen=True)
class Earlier:
    """A stamp the hook wrote before, as recorded: the version it chose and its row."""

    version: str
    row: str


@dataclass
class Stamp:
    """Edits to make: owned fields to set, rows to take back and, maybe, one new row."""

    old_version: str | None
    new_version: str
    level: Level
    summary: str
    fields: dict[str, Any] = field(default_factory=dict)
    row: dict[str, str] | None = None
    takes_back: list[str] = field(default_factory=list)  # rows of the hook's own earlier stamps, to remove
    chosen: bool = True  # whether the hook chose the version (not kept from the user)
    first: bool = False  # the document's first commit: a row for its version takes the commit's date and author
    notes: list[str] = field(default_factory=list)

    def row_line(self, doc: Document, config: Config) -> str | None:
        """The new row as it is written into ``doc``'s table."""
        if self.row is None:
            return None
        table = changelog.find_table(doc, config.changelog_heading)
        columns = table.columns if table is not None and table.header is not None else list(changelog.DEFAULT_COLUMNS)
        return changelog.format_row(columns, self.row)

    def apply(self, doc: Document, config: Config, *, keep: frozenset[str] = frozenset()) -> bool:
        """Make the edits on ``doc``, leaving the fields in ``keep`` alone; whether it changed."""
        before = doc.text
        for row in self.takes_back:
            changelog.remove_row(doc, row, config.changelog_heading)
        fields = {k: v for k, v in self.fields.items() if k not in keep}
        if fields:
            doc.update(fields, follow=False)
        # every owned field's body line follows the frontmatter: the ones just set, and one set by hand
        doc.follow_mirrors()
        if (
            self.row is not None
            and self.first
            and changelog.has_version(doc, self.row["Version"], config.changelog_heading)
        ):
            # The template wrote the row when the file was made; the commit is when it counts.
            changelog.restamp_row(
                doc,
                self.row["Version"],
                {"Date": self.row["Date"], "Author": self.row["Author"]},
                config.changelog_heading,
            )
        elif self.row is not None and not changelog.has_version(doc, self.row["Version"], config.changelog_heading):
            changelog.add_row(
                doc,
                self.row,
                heading=config.changelog_heading,
                newest_first=config.changelog_order == "newest-first",
            )
        return doc.text != before


def _own_stamps(
    staged: Document, staged_version: str | None, base_version: str, earlier: Sequence[Earlier], heading: str
) -> list[Earlier]:
    """The hook's own earlier stamps the staged text carries and its base does not have: an
    aborted commit's, the amended commit's, or both stacked. Taken back only when the staged
    version is the hook's too (the highest of them): a version typed after them is the user's.
    (A stamp the base has was committed: it is history now, never taken back.)"""
    if staged_version is None:
        return []
    base = parse_version(base_version)
    own = [e for e in earlier if parse_version(e.version) > base and changelog.has_row(staged, e.row, heading)]
    if not own or parse_version(staged_version) != max(parse_version(e.version) for e in own):
        return []
    return own


_RECORD_STATES = ("proposed", "accepted", "rejected", "deprecated", "superseded")


def mirror_edits(staged: Document, base: Document | None, approved: str) -> dict[str, str]:
    """The version or status the user set by editing its body line alone (`**Status**:
    Review` typed over `Draft`, the frontmatter left as it was): the value for the
    frontmatter, as if typed there. When both changed, the frontmatter wins."""
    if base is None or not is_managed(base):
        return {}
    now = mirrors.read(staged.body_lines)
    before = mirrors.read(base.body_lines)
    found: dict[str, str] = {}
    for key in ("version", "status"):
        said = now.get(key)
        written = staged.written(key)
        if said is None or said == before.get(key) or written is None or written != base.written(key):
            continue
        current = written.strip().lower() if key == "status" else written.strip()
        if key == "version":
            try:
                current = str(parse_version(current))
            except DocumentError:
                continue
        if mirrors.same(key, said, current) or (key == "status" and current == approved and said == "approved"):
            continue
        if key == "status":
            record = current in _RECORD_STATES
            said = {"approved": "accepted" if record else approved, "draft": "proposed" if record else "draft"}.get(
                said, said
            )
        found[key] = said
    return found


def _same(a: str, b: str) -> bool:
    return parse_version(a) == parse_version(b)


def plan_stamp(
    staged: Document,
    base: Document | None,
    *,
    config: Config,
    today: dt.date,
    authored: dt.date | None = None,
    author: str,
    base_version: str | None = None,
    level_override: Level | None = None,
    replaying: bool = False,
    earlier: Sequence[Earlier] = (),
    highest_known: str | None = None,
) -> Stamp | None:
    """The stamp for ``staged`` against ``base`` (None for a new document), or None.

    ``base_version`` overrides the base's own version (a merge bumps from the higher
    parent). A staged version already past the base is the user's and is kept, which
    also makes a second run on the same index change nothing, unless it is the hook's own
    ``earlier`` stamp. While a rebase replays commits (``replaying``) such a document is
    left exactly as it is: it carries the stamp of the commit being replayed.
    """
    if not is_managed(staged):
        return None
    pulled = mirror_edits(staged, base, config.approved_status)
    original = staged
    if pulled:
        staged = staged.copy()
        staged.update(pulled)
    # A document plancycle starts keeping: it has history, but no version before this commit.
    adopted = base is not None and (not is_managed(base) or base.written("version") is None)
    if base is not None and not is_managed(base):
        base = None
    written = version_field(staged)
    if base_version is None and base is not None:
        found = version_field(base) if base.written("version") is not None else None
        base_version = found.text if found is not None else None
    staged_version = written.text if written is not None else None
    takes_back: list[str] = []
    known = staged
    if base_version is not None and not replaying:
        own = _own_stamps(staged, staged_version, base_version, earlier, config.changelog_heading)
        if own:
            takes_back = [e.row for e in own]
            staged_version = base_version  # what the user staged was the base, plus the hook's stamps
            # The versions taken back were never had: not by an aborted commit, nor by the one amended.
            known = staged.copy()
            for stamp in own:
                changelog.remove_row(known, stamp.row, config.changelog_heading)
                if highest_known is not None and _same(highest_known, stamp.version):
                    highest_known = None
    change = compare(base, staged, Rules.from_config(config))
    level = level_override or change.level
    if level_override == "none":
        return None
    raised_by_hand = (
        base_version is not None
        and staged_version is not None
        and parse_version(staged_version, staged) > parse_version(base_version)
    )
    if raised_by_hand and replaying:
        return None
    chosen = True
    if base_version is None:
        # A new document (or one plancycle starts keeping): keep or set its first version.
        target = staged_version if staged_version is not None else INITIAL_VERSION
        chosen = staged_version is None
    elif raised_by_hand:
        assert staged_version is not None
        target = staged_version
        chosen = False
    elif level == "none" and not takes_back:
        return None
    elif level == "none":
        target = base_version
    else:
        target = _above(bump(base_version, level), level, _highest(known, config, base_version, highest_known))
    notes = []
    if written is not None and written.normalised and target == written.text:
        notes.append(f"version {written.written} read as {written.text}")
    if change.summary:
        summary = change.summary
    elif raised_by_hand:
        summary = "Version set by hand"
    elif base_version is None:
        summary = "Created"
    else:
        summary = f"Version bumped ({level})"
    if adopted and base_version is None:
        summary = "Adopted"  # the document is older than its first row
    fields: dict[str, Any] = {"updated": today}
    if base is None and "created" not in staged.field_names():
        fields["created"] = today
    if written is None or written.written != target:
        fields["version"] = target
    # The row carries the commit's author date, as `git log` shows it and `changelog sync`
    # reads it back; unlike the committer date it survives amends and rebases.
    fields.update({k: v for k, v in pulled.items() if k != "version"})
    if original.written("version") != target:
        fields["version"] = target  # a version typed in the body: the staged frontmatter has the old one
    row = {"Version": target, "Date": (authored or today).isoformat(), "Author": author, "Changes": summary}
    return Stamp(
        old_version=base_version,
        new_version=target,
        level=level if base_version is not None and not raised_by_hand else "none",
        summary=summary,
        fields=fields,
        row=row,
        takes_back=takes_back,
        chosen=chosen,
        notes=notes,
        first=base is None,  # new in this commit (not one plancycle starts keeping: its rows are history)
    )


def _highest(staged: Document, config: Config, base_version: str, recorded: str | None) -> str:
    """The highest version the document is known to have had: its base, the versions in
    its Change Log table, and what this clone has recorded."""
    known = [base_version, *changelog.versions(staged, config.changelog_heading)]
    if recorded:
        known.append(recorded)
    best = parse_version(base_version)
    for text in known:
        try:
            candidate = parse_version(text)
        except DocumentError:  # a row someone wrote by hand, not a version: not a fact
            continue
        best = max(best, candidate)
    return str(best)


def _above(target: str, level: Level, highest: str) -> str:
    """``target``, or the next version above ``highest`` when target was already used."""
    if parse_version(target) > parse_version(highest):
        return target
    return bump(highest, level if level != "none" else "patch")
