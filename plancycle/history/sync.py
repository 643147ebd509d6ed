"""Making each document's Change Log table agree with git history.

Version, date and author of a row are facts and are corrected from history; the Changes
cell belongs to people: kept when filled, given the commit's subject when empty. Rows
history does not know (notes, work not committed yet, rows older than a shallow clone's
horizon) stay where they are. Rows that need no change keep their bytes.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from plancycle.config import Config
from plancycle.documents.changelog import Table, add_row, escape_cell, find_table, format_row, split_row
from plancycle.documents.document import Document, is_managed
from plancycle.errors import NotFoundError
from plancycle.git import RepoState, index_blobs, repo_state, worktree_changes
from plancycle.history.cache import differences
from plancycle.history.facts import DocHistory, Revision
from plancycle.history.findings import judge_versions, record_versions, unbumped_revisions
from plancycle.history.overlap import Overlap
from plancycle.history.revisions import History, read_history
from plancycle.history.verdicts import Verdict, Verdicts, blob_name
from plancycle.history.versions import (
    highest_version,
    version_introductions,
    version_key,
    version_order,
)
from plancycle.project.project import Project


@dataclass
class SyncResult:
    path: str
    old: bytes
    new: bytes
    added: list[str] = field(default_factory=list)  # versions given a row
    corrected: list[str] = field(default_factory=list)  # versions whose date/author/changes were set
    notes: list[str] = field(default_factory=list)
    # What --check fails for though syncing cannot repair it (each one is among the notes too).
    problems: list[str] = field(default_factory=list)
    unbumped: list[str] = field(default_factory=list)  # commits that changed content, not the version

    @classmethod
    def in_step(cls, path: str, verdict: Verdict) -> SyncResult:
        """A document the last run found in step, its file and its history unchanged since:
        its bytes were not read again (``old`` and ``new`` are empty)."""
        return cls(path, b"", b"", notes=verdict.notes, problems=verdict.problems, unbumped=verdict.unbumped)

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def diff(self) -> str:
        return Document.from_bytes(self.new, self.path).diff(self.old)

    def describe(self) -> str:
        parts = []
        if self.added:
            parts.append(f"{len(self.added)} row(s) added ({', '.join(self.added)})")
        if self.corrected:
            parts.append(f"{len(self.corrected)} corrected ({', '.join(self.corrected)})")
        return "; ".join(parts) or "rows reordered"


@dataclass
class _Row:
    line: str  # as written, with its ending
    cells: list[str]
    version: str | None


@dataclass
class Prepared:
    """A document's Change Log table read once, before history is known."""

    doc: Document
    table: Table | None
    columns: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    existing: list[_Row] = field(default_factory=list)  # oldest first
    final_ending: str = "\n"


def prepare(doc: Document, heading: str = "Change Log", newest_first: bool = False) -> Prepared:
    table = find_table(doc, heading)
    if table is None or table.header is None:
        return Prepared(doc, table)
    columns = [c.strip().lower() for c in table.columns]
    lines = doc.body_lines
    if "version" not in columns:
        return Prepared(doc, table, columns, lines)
    v_col = columns.index("version")
    row_lines = lines[table.header + 2 : table.end]
    existing = []
    for line in row_lines:
        cells = split_row(line)
        version = cells[v_col].strip("` ") if v_col < len(cells) else ""
        existing.append(_Row(line.rstrip("\r\n"), cells, version or None))
    if newest_first:
        existing.reverse()  # work oldest first, turn the result round at the end
    final_ending = row_lines[-1][len(row_lines[-1].rstrip("\r\n")) :] if row_lines else doc.newline
    return Prepared(doc, table, columns, lines, existing, final_ending)


def sync_document(
    doc: Document,
    history: DocHistory,
    *,
    heading: str = "Change Log",
    newest_first: bool = False,
    prepared: Prepared | None = None,
    unbumped: Sequence[Revision] = (),
) -> SyncResult:
    """``unbumped``: the revisions that changed content and kept the version (see
    `unbumped_revisions`), named in a warning."""
    result = SyncResult(str(doc.path), doc.to_bytes(), doc.to_bytes())
    if history.skipped:
        short = ", ".join(c[:7] for c in history.skipped[:3]) + (" …" if len(history.skipped) > 3 else "")
        result.notes.append(f"skipped {len(history.skipped)} revision(s) whose frontmatter did not parse ({short})")
    notes, problems = judge_versions(result.path, doc, history, unbumped)
    result.notes += notes
    result.problems += problems
    # A shallow clone's cut-off commit seems to add every file: its versions are no facts.
    candidates = [r for r in version_introductions(history) if not r.boundary]
    if not candidates:
        return result
    nl = doc.newline
    prepared = prepared or prepare(doc, heading, newest_first)
    table = prepared.table
    if table is None or table.header is None:
        target = doc.copy()
        chosen = _in_version_order(_one_per_version(candidates, [], []))
        for revision in chosen:
            add_row(target, _values(revision), heading=heading, newest_first=newest_first)
        result.added = [r.version for r in chosen if r.version]
        result.new = target.to_bytes()
        return result
    columns = prepared.columns
    if "version" not in columns:
        result.notes.append("the Change Log table has no Version column; left as it is")
        return result
    lines = prepared.lines
    existing = prepared.existing
    final_ending = prepared.final_ending
    chosen = _in_version_order(_one_per_version(candidates, existing, columns))
    if _written_in_step(existing, chosen, columns):
        return result
    claimed = _claim(existing, chosen, columns)  # existing row index -> position in chosen
    if len(claimed) == len(chosen) and _in_step(existing, chosen, claimed, columns):
        return result
    history_rows: list[str] = []
    row_of = {position: index for index, position in claimed.items()}
    for position, revision in enumerate(chosen):
        assert revision.version is not None
        match = row_of.get(position)
        if match is None:
            history_rows.append(format_row(table.columns, _values(revision)))
            result.added.append(revision.version)
            continue
        corrected = _correct(columns, existing[match], revision)
        if corrected != existing[match].line:
            result.corrected.append(revision.version)
        history_rows.append(corrected)
    # Rows history does not account for stay after the row they followed.
    extras_after: dict[int | None, list[str]] = {}
    anchor: int | None = None
    for index, row in enumerate(existing):
        if index in claimed:
            anchor = claimed[index]
        else:
            extras_after.setdefault(anchor, []).append(row.line)
    out = list(extras_after.get(None, []))
    for position, line in enumerate(history_rows):
        out.append(line)
        out += extras_after.get(position, [])
    if newest_first:
        out.reverse()
    ended = [line + nl for line in out[:-1]] + [out[-1] + final_ending]
    target = doc.copy()
    target.replace_body("".join(lines[: table.header + 2] + ended + lines[table.end :]))
    result.new = target.to_bytes()
    return result


def _one_per_version(candidates: list[Revision], existing: list[_Row], columns: list[str]) -> list[Revision]:
    """One revision per version, in history's order. Two branches may each have introduced
    the same version: the one a row of the table already describes wins, else the earliest."""
    groups: dict[str, list[Revision]] = {}
    for revision in candidates:
        assert revision.version is not None
        groups.setdefault(version_key(revision.version), []).append(revision)
    if len(groups) == len(candidates):
        return candidates
    chosen = []
    for key, group in groups.items():
        if len(group) > 1:
            rows = [row for row in existing if row.version and version_key(row.version) == key]
            described = [r for r in group if any(_facts_match(columns, row.cells, r) for row in rows)]
            group = described or sorted(group, key=lambda r: (r.date, -r.order))
        chosen.append(group[0])
    return chosen


def _in_version_order(revisions: list[Revision]) -> list[Revision]:
    """Rows in the order of their versions, which is how people read a change log and the one
    order two branches' rows have after a merge. A version that is no semantic version keeps
    its place in history's order."""
    orders = [version_order(r.version) for r in revisions]
    slots = [i for i, order in enumerate(orders) if order is not None]
    ordered = sorted(slots, key=lambda i: orders[i] or ())
    if ordered == slots:
        return revisions
    result = list(revisions)
    for slot, index in zip(slots, ordered, strict=True):
        result[slot] = revisions[index]
    return result


def _claim(existing: list[_Row], chosen: list[Revision], columns: list[str]) -> dict[int, int]:
    """Existing row index -> position in ``chosen`` for the row that stands for each revision:
    a row of the same version, the one whose date and author agree if several do."""
    by_key: dict[str, list[int]] = {}
    for index, row in enumerate(existing):
        if row.version:
            by_key.setdefault(version_key(row.version), []).append(index)
    claimed: dict[int, int] = {}
    for position, revision in enumerate(chosen):
        assert revision.version is not None
        free = [i for i in by_key.get(version_key(revision.version), ()) if i not in claimed]
        if len(free) > 1:
            free.sort(key=lambda i: not _facts_match(columns, existing[i].cells, revision))
        if free:
            claimed[free[0]] = position
    return claimed


def _written_in_step(existing: list[_Row], chosen: list[Revision], columns: list[str]) -> bool:
    """The common case in CI, seen cheaply: each version's row written as history has it,
    in order, with its facts right."""
    versions = [r.version for r in chosen]
    wanted = set(versions)
    rows = [row for row in existing if row.version in wanted]
    if [row.version for row in rows] != versions:
        return False
    return not any(_fixes(columns, row.cells, revision) for row, revision in zip(rows, chosen, strict=True))


def _in_step(existing: list[_Row], chosen: list[Revision], claimed: dict[int, int], columns: list[str]) -> bool:
    """The common case in CI: every history row present, in order, with its facts right."""
    positions = [claimed[i] for i in sorted(claimed)]
    if positions != sorted(positions):
        return False
    return not any(_fixes(columns, existing[i].cells, chosen[p]) for i, p in claimed.items())


def _facts_match(columns: list[str], cells: list[str], revision: Revision) -> bool:
    for name, value in (("date", revision.date), ("author", escape_cell(revision.author))):
        if name in columns:
            index = columns.index(name)
            if index >= len(cells) or cells[index] != value:
                return False
    return True


def _fixes(columns: list[str], cells: list[str], revision: Revision) -> dict[int, str]:
    """Cell index -> value for what history corrects in a row: date and author, and the
    commit's subject in an empty Changes cell. Empty when the row is right."""
    fixes = {}
    for name, value in (("date", revision.date), ("author", escape_cell(revision.author))):
        if name in columns:
            index = columns.index(name)
            if index >= len(cells) or cells[index] != value:
                fixes[index] = value
    if "changes" in columns:
        index = columns.index("changes")
        if index >= len(cells) or not cells[index].strip():
            fixes[index] = escape_cell(revision.subject)
    return fixes


def _values(revision: Revision) -> dict[str, str]:
    return {
        "Version": revision.version or "",
        "Date": revision.date,
        "Author": revision.author,
        "Changes": revision.subject,
    }


def _correct(columns: list[str], row: _Row, revision: Revision) -> str:
    """The row with history's corrections applied (its own bytes when there are none)."""
    fixes = _fixes(columns, row.cells, revision)
    if not fixes:
        return row.line
    cells = list(row.cells) + [""] * (len(columns) - len(row.cells))
    for index, value in fixes.items():
        cells[index] = value
    return "| " + " | ".join(cells) + " |"


@dataclass
class ProjectSync:
    results: list[SyncResult]
    shallow: bool
    notes: list[str]
    # With verify: what the history cache said that a whole read of history does not, one
    # line per document (empty when they agree; None when not verified).
    disagreements: list[str] | None = None


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
    state = repo_state(project.git.root)
    root = project.display(project.root)
    prefix = "" if root in (".", "") else root.rstrip("/") + "/"
    # Which files differ from the index, asked while the index is listed (two git processes
    # at once): a file that does not is the blob staged for it, for the verdicts.
    edited = Overlap(lambda: worktree_changes(state.top, root or ".")) if cache else None
    # Only committed documents have history to agree with: ask the index, not the disk.
    staged, unwatched = index_blobs(state.top, root or ".")
    tracked = [p for p in staged if p.startswith(prefix) and project.config.manages(p[len(prefix) :])]
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
    # collector would walk them again and again (about a tenth of the run) for nothing.
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
    for path, verdict in kept.items():
        if verdict.managed:
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
        for path in candidates:
            # Only bytes that are the blob staged (no line-ending conversion between them, no
            # save since the index was listed) make a verdict the next run can recognise.
            blob = read_blobs.get(path, "")
            blob = blob if blob == staged.get(path) else ""
            verdicts.put(path, kept.get(path) or _verdict(path, blob, documents, by_path, history))
        if complete:
            verdicts.keep_only(set(candidates))
        unsaved = verdicts.save()
        if unsaved is not None:
            notes.append(unsaved)
    return ProjectSync(results, history.shallow, notes, disagreements)


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
        return Verdict.new(blob, fingerprint, False, highest)
    result = results.get(str(ready.doc.path))
    if result is None or result.changed:
        return None
    return Verdict.new(blob, fingerprint, True, highest, result.notes, result.problems, result.unbumped)


def _settings(config: Config) -> str:
    """Everything in the settings a verdict depends on, as one string."""
    return repr([(f.name, getattr(config, f.name)) for f in fields(config) if f.compare])
