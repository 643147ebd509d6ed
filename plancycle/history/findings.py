"""What history says about the versions themselves, beyond the rows of a table: a version
that went back below one the document had, content committed without a bump, and the
clone's record of the highest version each document had."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from plancycle.config import Config
from plancycle.documents.document import Document
from plancycle.documents.versioning import Rules, compare
from plancycle.errors import DocumentError, PlancycleError
from plancycle.git import RepoState, read_objects
from plancycle.git.store import VERSIONS, highest_versions, record_highest
from plancycle.history.facts import DocHistory, Revision
from plancycle.history.versions import kept_version, step_back, version_order


def judge_versions(
    path: str, doc: Document, history: DocHistory, unbumped: Sequence[Revision]
) -> tuple[list[str], list[str]]:
    """What history says about the versions themselves: one that went back below a version
    the document already had (a revert, which runs no hook) fails a check; content changed
    under an unchanged version (a commit the hook did not see) is worth a warning."""
    notes: list[str] = []
    problems: list[str] = []
    back = step_back(history)
    if back is not None:
        written = _written_version(doc)
        if written is not None:
            back = step_back(history, written)  # a bump not committed yet already answers it
    if back is not None:
        if back.revision is not None:
            where = f"went back to {back.revision.version} in {_commit(back.revision)}, below {back.above}"
        else:
            where = f"is {back.version}, below {back.above}"
        message = (
            f"version {where}, which it had in {_commit(back.had_in)}; a document never gets a version it already "
            f"had: run `plancycle bump {path}`"
        )
        notes.append(message)
        problems.append(message)
    if unbumped:
        notes.append(_unbumped_note(path, unbumped))
    return notes, problems


def _unbumped_note(path: str, unbumped: Sequence[Revision]) -> str:
    names = ", ".join(_commit(r) for r in unbumped[:3]) + (" …" if len(unbumped) > 3 else "")
    return (
        f"content changed without a version bump (committed with --no-verify?) in {names}; "
        f"run `plancycle bump {path} --patch` (or --minor, --major)"
    )


def unbumped_revisions(top: Path, histories: dict[str, DocHistory], config: Config) -> dict[str, list[Revision]]:
    """Per document, the commits since its version was last set that changed its content and
    kept the version: what the hook would have bumped, judged by the hook's own comparison
    (the fields plancycle owns and the Change Log are no content; a status change alone is
    none either). Only those few revisions are read again, in one `cat-file`."""
    pairs = {path: kept_version(history) for path, history in histories.items()}
    names = list(dict.fromkeys(r.blob for found in pairs.values() for pair in found for r in pair))
    if not names:
        return {}
    blobs = read_objects(top, names)
    rules = replace(Rules.from_config(config), approval="none", status_move="none")  # a status move alone is no content
    found: dict[str, list[Revision]] = {}
    for path, kept in pairs.items():
        for revision, base in kept:
            try:
                before = Document.from_bytes(blobs.get(base.blob) or b"", base.path)
                after = Document.from_bytes(blobs.get(revision.blob) or b"", revision.path)
                changed = compare(before, after, rules).level != "none"
            except DocumentError:
                continue
            if changed:
                found.setdefault(path, []).append(revision)
    return found


def _commit(revision: Revision) -> str:
    return f"{revision.commit[:7]} ({revision.subject})"


def _written_version(doc: Document) -> str | None:
    """The working tree's `version`, as written; None when there is none or it cannot be read."""
    try:
        return doc.written("version")
    except DocumentError:
        return None


def record_versions(state: RepoState, highest: dict[str, str]) -> str | None:
    """Add to the clone's record of versions (this branch's part) ``highest``, the highest
    version each document (by repository path) had in history, so the hook never hands out
    a version a document already had, even in a fresh clone or after a revert, which runs
    no hook. A recorded version is never lowered. Returns a note when the record could not
    be written; it only adds knowledge, so work goes on."""
    if not highest:
        return None
    store = state.store
    try:
        with store.lock(VERSIONS, "recording the versions documents had"):
            known = highest_versions(store, state.branch)
            merged = dict(known)
            for path, version in highest.items():
                if known.get(path) == version:
                    continue  # most of them, run after run
                had = version_order(known[path]) if path in known else None
                if had is None or (version_order(version) or had) > had:
                    merged[path] = version
            if merged != known:
                record_highest(store, state.branch, merged)
    except (OSError, PlancycleError) as exc:
        return f"could not record the versions documents had under {store.folder} ({exc})"
    return None
