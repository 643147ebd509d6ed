"""`plancycle bump`: move a working-tree document's version now; the next commit keeps it."""

from __future__ import annotations

from pathlib import Path

from plancycle import git
from plancycle.config import Config, Level, load_config
from plancycle.dates import today
from plancycle.documents.document import Document
from plancycle.documents.versioning import parse_version, version_field
from plancycle.errors import UsageError
from plancycle.fsutil import refuse_link
from plancycle.git.store import highest_versions
from plancycle.hook.precommit import base_document
from plancycle.hook.stamping import Stamp, plan_stamp


def bump_by_hand(
    cwd: Path, path: Path, level: Level | None, *, edited: Document | None = None, note: str | None = None
) -> Stamp | None:
    """`plancycle bump`: move a working-tree document's version now; the hook keeps it.

    ``edited``: the document's new text, not yet written (a status move), stamped and
    written in one go; ``note`` is added to the Change Log row (who approved, and why a
    gate was overridden). With ``edited`` the file is written even when no stamp is due."""
    state = git.repo_state(cwd)
    config = load_config(cwd, state.top)
    refuse_link(path)  # resolving it would write through the link
    path = path.resolve()
    try:
        relative = path.relative_to(state.top.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{path} is not inside the repository at {state.top}") from None
    doc = Document.read(path) if edited is None else edited
    doc.path = relative
    if not doc.has_frontmatter:
        raise UsageError(f"{relative} has no frontmatter; plancycle keeps only documents with one")
    committed = None
    if state.head is not None:
        committed = base_document(
            git.read_objects(state.top, [f"{state.head}:{relative}"]).get(f"{state.head}:{relative}"), relative
        )
    current = version_field(doc)
    if current is None:
        raise UsageError(f"{relative} has no version field to bump; add `version: 0.1.0`")
    # Bump from the version in the file now, by the level asked for or the one the
    # change since the last commit calls for.
    base = Document(doc.text, relative, bom=doc.bom)
    if committed is not None:
        base = committed
    recorded = highest_versions(state.store, state.branch).get(relative)
    stamp = _stamp(doc, base, config, state, current.text, level, recorded)
    if stamp is None and level is None and recorded and parse_version(current.text) < parse_version(recorded):
        # Below a version it already had (a revert): the bump `changelog sync --check` asks for.
        stamp = _stamp(doc, base, config, state, current.text, "patch", recorded)
    if stamp is None:
        if edited is not None:
            doc.write(path)
        return None
    if note and stamp.row is not None:
        stamp.row["Changes"] = f"{stamp.row['Changes']}; {note}" if stamp.row["Changes"] else note
    stamp.apply(doc, config)
    doc.write(path)
    return stamp


def _stamp(
    doc: Document,
    base: Document,
    config: Config,
    state: git.RepoState,
    version: str,
    level: Level | None,
    recorded: str | None,
) -> Stamp | None:
    return plan_stamp(
        doc,
        base,
        config=config,
        today=today(),
        author=git.author_name(state.top),
        base_version=version,
        level_override=level,
        highest_known=recorded,
    )
