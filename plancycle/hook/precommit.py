"""The pre-commit hook: stamp every staged managed document, in the index and the working tree.

Order matters for "nothing lost": every new text (staged and working-tree) is computed
first; only when all of them are ready are blobs written, the index entries repointed
with plumbing, and the working-tree files replaced atomically.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from plancycle import git
from plancycle.config import Config
from plancycle.dates import authored_day, today
from plancycle.documents import changelog
from plancycle.documents.document import Document
from plancycle.documents.versioning import parse_version, version_field
from plancycle.errors import DocumentError, PlancycleError
from plancycle.fsutil import atomic_write, refuse_link
from plancycle.git.store import STAMPS, Store, highest_versions, record_highest
from plancycle.hook import framework
from plancycle.hook.scope import BYPASS, Scope, staged_scope
from plancycle.hook.stamping import Earlier, Stamp, plan_stamp


@dataclass(frozen=True)
class Stamped:
    path: str
    stamp: Stamp


@dataclass
class HookReport:
    stamped: list[Stamped]
    warnings: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass
class _Pending:
    change: git.StagedChange
    stamp: Stamp
    staged: bytes
    worktree: bytes | None  # None: leave the working-tree file alone
    row: str | None  # the Change Log row as written into the staged text


def _document(data: bytes | None, path: str) -> Document | None:
    return None if data is None else Document.from_bytes(data, path)


def base_document(data: bytes | None, path: str) -> Document | None:
    """An old revision that no longer parses is treated as absent: the staged text decides."""
    try:
        return _document(data, path)
    except DocumentError:
        return None


def _higher_version(a: object, b: object) -> str | None:
    if a is None or b is None:
        return None if a is None and b is None else str(a if b is None else b)
    try:
        return str(a) if parse_version(a) >= parse_version(b) else str(b)
    except DocumentError:
        return str(a)


def run_pre_commit(cwd: Path, *, amend: bool | None = None) -> HookReport:
    """Stamp the staged managed documents; returns what was stamped and any warnings."""
    scope = staged_scope(cwd, amend=amend)
    return stamp_scope(scope) if scope is not None and scope.changes else HookReport([], [])


def stamp_scope(scope: Scope) -> HookReport:
    """Stamp what ``scope`` found staged, in the index and in the working tree."""
    state, config, override, changes = scope.state, scope.config, scope.override, scope.changes
    merge_head = state.merge_head()
    replaying = state.rebasing()
    plans = [c for c in changes if PurePosixPath(c.path).name == "plan.md"]
    names = [c.new_sha for c in changes] + [c.old_sha for c in changes if c.old_sha]
    names += [_staged_tasks(c) for c in plans]
    fork = None
    if merge_head:
        names += [f"{merge_head}:{c.old_path or c.path}" for c in changes]
        fork = git.merge_base(state.top, "HEAD", merge_head)
        if fork is not None:
            names += [f"{fork}:{c.old_path or c.path}" for c in changes]
    store = state.store
    earlier = store.read(STAMPS)
    waiting = _waiting(earlier, {p for c in changes for p in (c.path, c.old_path) if p}, state.branch)
    recent = state.recent_commits() if waiting else []
    names += [f"{commit}:{path}" for commit in recent for path in waiting]
    blobs = git.read_objects(state.top, names)
    warnings = [w for c in plans if (w := _stale_tasks_warning(c, blobs, config)) is not None]
    highest = highest_versions(store, state.branch)
    promoted = _promote(earlier, waiting, recent, blobs, highest, config.changelog_heading)
    date = today()
    authored = authored_day()
    author = git.author_name(state.top)
    pending = []
    notes: list[str] = []
    for change in changes:
        staged_bytes = blobs[change.new_sha] or b""
        staged = _document(staged_bytes, change.path)
        assert staged is not None
        known_as = change.old_path or change.path
        base_doc = base_document(blobs.get(change.old_sha or ""), known_as)
        base_version = None
        if merge_head:
            theirs = base_document(blobs.get(f"{merge_head}:{known_as}"), change.path)
            base_version = _higher_version(_version_of(base_doc), _version_of(theirs))
            if fork is not None and change.old_sha and blobs.get(f"{fork}:{known_as}") == blobs.get(change.old_sha):
                # This branch never changed the document since the fork: what the merge brings
                # is the other branch's, stamped there already; only a change beyond it counts.
                base_doc = theirs
        stamp = plan_stamp(
            staged,
            base_doc,
            config=config,
            today=date,
            authored=authored,
            author=author,
            base_version=base_version,
            level_override=override,
            replaying=replaying,
            earlier=_earlier(earlier.get(change.path) or earlier.get(known_as)),
            highest_known=highest.get(change.path) or highest.get(known_as),
        )
        if stamp is None:
            continue
        before = staged.copy()  # the staged text as the user staged it, for the working-tree comparison
        if not stamp.apply(staged, config):
            continue
        notes += [f"{change.path}: {note}" for note in stamp.notes]
        worktree, kept = _stamp_worktree(state.top / change.path, stamp, config, before, staged)
        notes += kept
        pending.append(_Pending(change, stamp, staged.to_bytes(), worktree, stamp.row_line(staged, config)))
    if framework.running_under_framework():
        framework.check_unstaged_survive({p.change.path: p.worktree for p in pending if p.worktree is not None})
    _write(state, pending)
    _remember(store, pending, earlier, state.branch)
    if promoted:
        with suppress(PlancycleError):
            record_highest(store, state.branch, highest)
    return HookReport([Stamped(p.change.path, p.stamp) for p in pending], warnings, notes)


def _version_of(doc: Document | None) -> str | None:
    try:
        found = version_field(doc) if doc is not None else None
    except DocumentError:
        return None  # an old revision that no longer parses: the staged text decides
    return found.text if found is not None else None


def _stamp(record: object, key: str) -> Earlier | None:
    stamp = record.get(key) if isinstance(record, dict) else None
    if isinstance(stamp, dict) and isinstance(stamp.get("version"), str) and isinstance(stamp.get("row"), str):
        return Earlier(stamp["version"], stamp["row"])
    return None


def _earlier(record: object) -> list[Earlier]:
    """The hook's own stamps the staged text may still carry: the one it wrote last, and the
    last one found committed (an amend replaces that commit). Which of them the staged text
    carries beyond its base is decided against the base (see stamping)."""
    return [s for key in ("pending", "committed") if (s := _stamp(record, key)) is not None]


def _waiting(records: dict[str, Any], paths: set[str], branch: str) -> dict[str, Earlier]:
    """The pending stamps of the documents this commit stages, written on this branch (a
    version counts as had on the branch it was committed on)."""
    found = {}
    for path in paths:
        stamp = _stamp(records.get(path), "pending")
        if stamp is not None and records[path]["pending"].get("branch") == branch:
            found[path] = stamp
    return found


def _promote(
    records: dict[str, Any],
    waiting: dict[str, Earlier],
    recent: list[str],
    blobs: dict[str, bytes | None],
    highest: dict[str, str],
    heading: str,
) -> bool:
    """Pending stamps found in a commit made since (the reflog's): committed now, and only
    now their versions count as ones the documents had. An aborted commit's stamp stays
    pending: a discarded one uses up no version. Returns whether any version was added."""
    added = False
    for path, stamp in waiting.items():
        found = any(_carries(blobs.get(f"{commit}:{path}"), path, stamp, heading) for commit in recent)
        if not found:
            continue
        records[path] = {"committed": {"version": stamp.version, "row": stamp.row}}
        known = highest.get(path)
        if known is None or parse_version(stamp.version) > parse_version(known):
            highest[path] = stamp.version
            added = True
    return added


def _carries(data: bytes | None, path: str, stamp: Earlier, heading: str) -> bool:
    if data is None or stamp.row.encode("utf-8") not in data:
        return False  # the cheap answer for nearly every commit of the reflog
    try:
        doc = Document.from_bytes(data, path)
        written = doc.written("version")
        return (
            written is not None
            and parse_version(written) == parse_version(stamp.version)
            and changelog.has_row(doc, stamp.row, heading)
        )
    except DocumentError:
        return False


def _remember(store: Store, pending: list[_Pending], earlier: dict[str, Any], branch: str) -> None:
    """Record the stamps this run chose, as pending: a later run that finds one in a commit
    marks it committed; an aborted commit leaves it pending, to be recognised and taken back."""
    if not pending:
        return
    for p in pending:
        record = earlier.get(p.change.path)
        record = dict(record) if isinstance(record, dict) else {}
        if p.stamp.chosen and p.row is not None:
            record["pending"] = {"version": p.stamp.new_version, "row": p.row, "branch": branch}
        else:
            record.pop("pending", None)  # the user's own version: never taken back
        earlier[p.change.path] = record
    with suppress(PlancycleError):  # the commit is stamped; a lost record only knows less next time
        store.write(STAMPS, earlier)


def _staged_tasks(plan: git.StagedChange) -> str:
    return ":" + (PurePosixPath(plan.path).parent / "tasks.md").as_posix()


def _stale_tasks_warning(plan: git.StagedChange, blobs: dict[str, bytes | None], config: Config) -> str | None:
    """A warning when this commit changes the plan's implementation section and tasks.md
    (as staged) was derived from another version of it."""
    # Imported here: the plan reader's modules are loaded only when a plan is staged.
    from plancycle.tasks.breakdown import section_hash
    from plancycle.tasks.section import scan_section

    tasks_data = blobs.get(_staged_tasks(plan))
    if tasks_data is None:
        return None
    try:
        derived_from = Document.from_bytes(tasks_data, lazy=True).get("plan_section_hash")
        if not derived_from:
            return None  # a tasks.md plancycle did not derive: nothing to compare with
        staged = scan_section(
            Document.from_bytes(blobs[plan.new_sha] or b"", plan.path, lazy=True), config.tasks_sections
        )
        if staged is None or section_hash(staged[1]) == derived_from:
            return None
        base_data = blobs.get(plan.old_sha or "")
        if base_data is not None:
            base = scan_section(Document.from_bytes(base_data, plan.path, lazy=True), config.tasks_sections)
            if base is not None and base[1] == staged[1]:
                return None  # this commit did not touch the section
    except DocumentError:
        return None  # a broken document is reported by the stamping itself
    folder = PurePosixPath(plan.path).parent
    return (
        f"{plan.path} changed its {staged[0]} section and {folder / 'tasks.md'} is now stale; "
        f"run `plancycle tasks derive {folder.name}`"
    )


def _stamp_worktree(
    path: Path, stamp: Stamp, config: Config, staged_before: Document, staged_after: Document
) -> tuple[bytes | None, list[str]]:
    """The working-tree file with the same edits, so unstaged hunks survive the commit.

    A field the user changed in the working tree and did not stage is theirs: it stays as
    it is there (the commit has the stamp), and a note says so."""
    refuse_link(path)  # before anything is written: the index too stays as it was
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        return None, []  # deleted after staging: nothing to keep in step
    if current == staged_before.to_bytes():
        return staged_after.to_bytes(), []
    try:
        doc = Document.from_bytes(current, path)
        keep = frozenset(k for k in stamp.fields if doc.written(k) != staged_before.written(k))
        stamp.apply(doc, config, keep=keep)
    except PlancycleError as exc:
        raise DocumentError(path, f"cannot stamp the unstaged copy too ({exc}); stage or fix it, or {BYPASS}") from None
    notes = [
        f"{staged_before.path}: kept your unstaged `{key}: {doc.written(key)}` in the working tree; "
        f"the commit has `{key}: {staged_after.written(key)}`"
        for key in sorted(keep)
    ]
    return doc.to_bytes(), notes


def _write(state: git.RepoState, pending: list[_Pending]) -> None:
    if not pending:
        return
    shas = git.write_blobs(state.top, [p.staged for p in pending])
    entries = [(p.change.mode, sha, p.change.path) for p, sha in zip(pending, shas, strict=True)]
    git.update_index(state.top, entries)
    index_file = os.environ.get("GIT_INDEX_FILE", "")
    if os.path.basename(index_file).startswith("next-index"):
        # `git commit <path>` commits a temporary index, then rebuilds the real one from the
        # old index: give the real index (held under index.lock now) the same entries.
        git.update_index(state.top, entries, index_file=str(state.path("index.lock")))
    for p in pending:
        if p.worktree is not None:
            atomic_write(state.top / p.change.path, p.worktree)
