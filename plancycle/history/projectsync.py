"""`changelog sync` over a project: which documents, read once (or answered by what the
last run found), judged against one read of history; the clone's records kept up."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from plancycle.config import Config
from plancycle.documents.document import Document, is_managed
from plancycle.errors import NotFoundError
from plancycle.git import RepoState, index_blobs, worktree_changes
from plancycle.history.cache import differences
from plancycle.history.findings import record_versions, unbumped_revisions
from plancycle.history.overlap import Overlap
from plancycle.history.revisions import History, read_history
from plancycle.history.sync import Prepared, SyncResult, prepare, sync_document
from plancycle.history.verdicts import Verdict, Verdicts, blob_name
from plancycle.history.versions import highest_version
from plancycle.project.project import Project


@dataclass
class ProjectSync:
    # A result per document read, or found in step before with something to say.
    results: list[SyncResult]
    shallow: bool
    notes: list[str]
    # With verify: what the history cache said that a whole read of history does not, one
    # line per document (empty when they agree; None when not verified).
    disagreements: list[str] | None = None
    # Documents an earlier run found in step, with nothing to say, and nothing has changed
    # for since (no result is made for them: a run finds thousands).
    quiet: int = 0

    @property
    def documents(self) -> int:
        """How many managed documents were synced."""
        return len(self.results) + self.quiet


def sync_project(
    project: Project,
    targets: Sequence[Path] | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    cache: bool = True,
    verify: bool = False,
) -> ProjectSync:
    """Sync every committed managed document (or those under ``targets``); no document is
    written here. ``cache``: read and keep the history cache (see `history.cache`) and what
    the last run found (`history.verdicts`); ``verify``: also read the whole history, say
    where the cache disagrees with it, and make the cache anew from it."""
    state = project.git.state
    root = project.display(project.root)
    prefix = "" if root in (".", "") else root.rstrip("/") + "/"
    # Which files differ from the index, asked while the index is listed (two git processes
    # at once): a file that does not is the blob staged for it, for the verdicts.
    edited = Overlap(lambda: worktree_changes(state.top, root or ".")) if cache else None
    # Only committed documents have history to agree with: ask the index, not the disk.
    staged, unwatched = index_blobs(state.top, root or ".")
    manages, skip = project.config.manager(), len(prefix)
    tracked = [p for p in staged if p.startswith(prefix) and manages(p[skip:])]
    top = str(state.top)
    candidates = {path: f"{top}/{path}" for path in tracked}  # repository path -> its file
    if targets:
        wanted = [project.require_inside(Path(t)) for t in targets]
        for target in wanted:
            if not target.exists():
                raise NotFoundError(f"{target}: no such file or folder")
        candidates = {k: f for k, f in candidates.items() if any(Path(f) == t or t in Path(f).parents for t in wanted)}
    if state.head is None or not candidates:
        return ProjectSync([], False, [])
    # Reading history allocates hundreds of thousands of small acyclic objects; the cyclic
    # collector would walk them again and again (about a tenth of the run) for nothing. What
    # is left of them lives as long as the command: frozen out of the collector's sight, or
    # its next full pass walks them all once more (a twentieth of a first run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _sync_documents(
            project,
            state,
            candidates,
            staged,
            (edited.result() if edited is not None else set()) | unwatched,
            progress,
            cache=cache,
            verify=verify and cache,
            complete=not targets,
            root=prefix.rstrip("/") or None,
        )
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def _sync_documents(
    project: Project,
    state: RepoState,
    candidates: dict[str, str],
    staged: dict[str, str],
    edited: set[str],
    progress: Callable[[int], None] | None,
    *,
    cache: bool,
    verify: bool,
    complete: bool,
    root: str | None,
) -> ProjectSync:
    config = project.config
    newest_first = config.changelog_order == "newest-first"
    # What the last run found (about contents: shared by worktrees, like the history cache).
    verdicts = Verdicts.load(state.store, _settings(config)) if cache else None
    if verify and verdicts is not None:
        verdicts = verdicts.emptied()  # judged again, every one, from the whole history
    kept: dict[str, Verdict] = {}  # by repository path, as everything below
    # The blob of the bytes each document was judged from (a verdict names what was read,
    # not what the index said before: the file may be saved meanwhile); none for a file
    # missing from the worktree (deleted, or left out of a sparse checkout).
    read_blobs: dict[str, str] = {}
    sha256 = any(len(b) == 64 for b in staged.values())

    def read(key: str) -> Prepared | None:
        path = candidates[key]
        if not os.path.isfile(path):
            return None  # deleted in the worktree: nothing to judge
        doc = Document.read(path, lazy=True)  # YAML only if a line scan cannot judge it
        read_blobs[key] = blob_name(doc.to_bytes(), sha256)
        doc.path = key
        return prepare(doc, config.changelog_heading, newest_first) if is_managed(doc) else None

    def read_documents() -> dict[str, Prepared | None]:
        found = {}
        for key in candidates:
            verdict = verdicts.get(key) if verdicts is not None else None
            if verdict is not None and key not in edited and verdict.blob == staged[key]:
                kept[key] = verdict  # the file is as it was: history decides
                continue
            found[key] = read(key)
        return found

    # Read the working tree while git streams history: the two overlap.
    reading = Overlap(read_documents)

    def history_of(rebuild: bool = False) -> History:
        return read_history(
            state.top,
            state.common_dir,
            list(candidates),
            head=state.head,
            progress=progress,
            cache=cache,
            complete=complete,
            root=root,
            rebuild=rebuild,
        )

    history = history_of()
    disagreements = None
    if verify:
        whole = history_of(rebuild=True)
        disagreements = differences(history.documents, whole.documents)
        history = whole
    documents = reading.result()
    for key, verdict in list(kept.items()):
        if history.documents.fingerprint(key) != verdict.history:
            del kept[key]  # history moved on for it
            documents[key] = read(key)
    judged = {p: ready for p, ready in documents.items() if ready is not None}
    unbumped = unbumped_revisions(state.top, {p: history.documents[p] for p in judged}, config)
    results = []
    for path, ready in judged.items():
        result = sync_document(
            ready.doc,
            history.documents[path],
            heading=config.changelog_heading,
            newest_first=newest_first,
            prepared=ready,
            unbumped=unbumped.get(path, ()),
        )
        result.path = str(ready.doc.path)
        result.unbumped = [f"{r.commit[:7]} ({r.subject})" for r in unbumped.get(path, ())]
        results.append(result)
    quiet = 0
    for path, verdict in kept.items():
        if verdict.managed:
            if verdict.quiet:
                quiet += 1
            else:
                results.append(SyncResult.in_step(path, verdict))
    results.sort(key=lambda r: r.path)  # in the order of the files, however they were judged
    notes = []
    if history.shallow:
        notes.append(
            "this is a shallow clone: history is incomplete (how many commits are missing is unknown), "
            "so rows older than its horizon were left as they are"
        )
    highest = {p: v.highest for p, v in kept.items() if v.highest is not None}
    for path in documents:
        version = highest_version(history.documents[path])
        if version is not None:
            highest[path] = version
    unrecorded = record_versions(state, highest)
    if unrecorded is not None:
        notes.append(unrecorded)
    if verdicts is not None:
        by_path = {r.path: r for r in results}
        for path in documents:
            # Only bytes that are the blob staged (no line-ending conversion between them, no
            # save since the index was listed) make a verdict the next run can recognise.
            blob = read_blobs.get(path, "")
            blob = blob if blob == staged.get(path) else ""
            verdicts.put(path, _verdict(path, blob, documents, by_path, history))
        if complete:
            verdicts.keep_only(set(candidates))
        unsaved = verdicts.save()
        if unsaved is not None:
            notes.append(unsaved)
    return ProjectSync(results, history.shallow, notes, disagreements, quiet)


def _verdict(
    path: str,
    blob: str,
    documents: dict[str, Prepared | None],
    results: dict[str, SyncResult],
    history: History,
) -> Verdict | None:
    """What to keep of this run's finding for ``path``, judged from ``blob`` (empty when the
    file was not read): a document in step (or not managed) whose content and history can
    be recognised next time; nothing for one out of step, or missing from the worktree."""
    fingerprint = history.documents.fingerprint(path)
    if not blob or fingerprint is None or path not in documents:
        return None
    ready = documents[path]
    highest = highest_version(history.documents[path])
    if ready is None:
        return Verdict(blob, fingerprint, False, highest)
    result = results.get(str(ready.doc.path))
    if result is None or result.changed:
        return None
    return Verdict(blob, fingerprint, True, highest, result.notes, result.problems, result.unbumped)


def _settings(config: Config) -> str:
    """Everything in the settings a verdict depends on, as one string."""
    return repr([(f.name, getattr(config, f.name)) for f in fields(config) if f.compare])
