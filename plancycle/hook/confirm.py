"""After a commit (the post-commit hook): the stamps the pre-commit run wrote that are in
the commit now are committed. Only then does their version count as one the document had
(so an aborted or discarded commit uses up no version), and a later amend of this commit
knows the stamp for the hook's own."""

from __future__ import annotations

from pathlib import Path

from plancycle import git
from plancycle.config import load_config
from plancycle.documents import changelog
from plancycle.documents.document import Document
from plancycle.documents.versioning import parse_version
from plancycle.errors import DocumentError
from plancycle.git.store import STAMPS, highest_versions, record_highest


def confirm_commit(cwd: Path) -> list[str]:
    """Mark the pending stamps that HEAD carries as committed; the paths confirmed."""
    state = git.repo_state(cwd)
    store = state.store
    stamps = store.read(STAMPS)
    waiting = {
        path: record["pending"]
        for path, record in stamps.items()
        if isinstance(record, dict) and isinstance(record.get("pending"), dict)
    }
    if not waiting or state.head is None:
        return []
    heading = load_config(cwd, state.top).changelog_heading
    blobs = git.read_objects(state.top, [f"{state.head}:{path}" for path in waiting])
    highest = highest_versions(store, state.branch)
    confirmed = []
    for path, stamp in waiting.items():
        data = blobs.get(f"{state.head}:{path}")
        try:
            doc = Document.from_bytes(data, path) if data is not None else None
            written = doc.written("version") if doc is not None else None
            carried = (
                doc is not None
                and written is not None
                and parse_version(written) == parse_version(stamp["version"])
                and changelog.has_row(doc, str(stamp["row"]), heading)
            )
        except (DocumentError, KeyError):
            continue
        if not carried:
            continue  # not in this commit: still pending (a later commit may carry it)
        stamps[path] = {"committed": {**stamp, "commit": state.head}}
        known = highest.get(path)
        if known is None or parse_version(stamp["version"]) > parse_version(known):
            highest[path] = str(stamp["version"])
        confirmed.append(path)
    if confirmed:
        store.write(STAMPS, stamps)
        record_highest(store, state.branch, highest)
    return confirmed
