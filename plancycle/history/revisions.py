"""What git history says about each document: the revisions that touched it, with the
version and status its frontmatter had in each, on the commit graph, renames followed.

One `git log --topo-order` stream and one `git cat-file --batch` stream serve every
document at once. Each line of history carries its own map of the paths its commits know
the documents by, so a rename or an addition on one branch never hides what another
branch did to the same document. Frontmatter of old revisions is read with a fast line
scan; only blocks that a plain scan cannot vouch for go through the YAML parser, so a
revision whose frontmatter was broken is recognised (and skipped) without parsing
thousands of healthy ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plancycle.dates import parse_git_date
from plancycle.documents.document import Document, frontmatter_bytes, scalar_text
from plancycle.documents.plainyaml import plain_fields
from plancycle.errors import DocumentError
from plancycle.git import log as gitlog


@dataclass(frozen=True)
class Revision:
    commit: str
    date: str  # YYYY-MM-DD of the commit's author date, in the author's own offset
    author: str
    subject: str
    path: str
    blob: str
    version: str | None
    status: str | None
    boundary: bool = False  # the commit a shallow clone is cut at: its "addition" is not a fact
    order: int = 0  # position in the topological log stream: larger is older
    # The revisions this one was made from (their commits), first parent's line first: the
    # first is the one a change is measured against. Empty for the revision that created it.
    parents: tuple[str, ...] = ()
    merge: bool = False  # made by a merge commit


@dataclass
class DocHistory:
    path: str  # the document's path now
    revisions: list[Revision] = field(default_factory=list)  # parents before children (oldest first)
    skipped: list[str] = field(default_factory=list)  # commits whose frontmatter did not parse
    head: str | None = None  # commit of the revision HEAD has

    def __post_init__(self) -> None:
        self._by_commit: dict[str, Revision] | None = None
        self._highest: tuple[int, Revision | None] | None = None

    def revision(self, commit: str | None) -> Revision | None:
        if commit is None:
            return None
        if self._by_commit is None or len(self._by_commit) != len(self.revisions):
            # Most questions are about the newest revisions: spare building the index.
            for revision in self.revisions[-1:-3:-1]:
                if revision.commit == commit:
                    return revision
            self._by_commit = {r.commit: r for r in self.revisions}
        return self._by_commit.get(commit)

    def base(self, revision: Revision) -> Revision | None:
        """The revision this one is measured against (its first parent's, on the graph)."""
        return self.revision(revision.parents[0]) if revision.parents else None


@dataclass
class History:
    documents: dict[str, DocHistory]
    shallow: bool
    commits_read: int


class _Broken(Exception):
    pass


Facts = tuple[str | None, str | None]

# The lines of the two facts (a superset: scalar_text decides).
_FACT_LINE = re.compile(rb"^[\"']?(?:version|status)[\"']?[ \t]*:[^\r\n]*", re.M)


def frontmatter_facts(data: bytes) -> Facts:
    """(version, status) of a revision; raises _Broken when its frontmatter does not parse or
    names `version` or `status` twice.

    Only the frontmatter block is decoded, plain blocks are checked by a line scan, and the
    two facts are read as written (`1.10` stays "1.10") by `scalar_text`, like every command."""
    try:
        block = frontmatter_bytes(data)
    except ValueError:
        raise _Broken() from None
    if block is None:
        return None, None
    if b"\r" in block:
        block = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if plain_fields(block.decode("utf-8", "replace")) is None:
        # Something a line scan cannot vouch for: let the YAML parser decide it parses.
        try:
            Document.from_bytes(data).fields  # noqa: B018
        except DocumentError:
            raise _Broken() from None
    version, status = _facts(tuple(_FACT_LINE.findall(block)))
    return (version or "").strip() or None, (status or "").strip() or None


_READ: dict[tuple[bytes, ...], tuple[str | None, str | None] | None] = {}


def _facts(lines: tuple[bytes, ...]) -> tuple[str | None, str | None]:
    """Version and status from the lines that hold them, by scalar_text (cached: thousands of
    revisions share the same few lines)."""
    try:
        known = _READ[lines]
    except KeyError:
        text = "\n".join(line.decode("utf-8", "replace") for line in lines)
        try:
            known = (scalar_text(text, "version"), scalar_text(text, "status"))
        except DocumentError:  # a key written twice
            known = None
        _READ[lines] = known
    if known is None:
        raise _Broken()
    return known


class _Line:
    """The paths the commits of one line of history know the documents by."""

    __slots__ = ("holders", "paths")

    def __init__(self, paths: dict[str, str]) -> None:
        self.paths = paths  # path in the commit -> document (its path now)
        self.holders = 0  # pending commits that will read this map


class _Touch:
    __slots__ = ("commit", "document", "entry", "facts", "parents", "sequence", "shown")

    def __init__(self, document: str, commit: gitlog.LogCommit, entry: gitlog.LogEntry, sequence: int) -> None:
        self.document = document
        self.commit = commit
        self.entry = entry
        self.sequence = sequence
        # The touch each parent's line reached first (None: not reached, or no such document).
        self.parents: list[_Touch | None] = [None] * max(1, len(commit.parents))
        self.facts: Facts | None = None
        # The revision that stands for this touch: itself, or for a merge that made nothing
        # new or a revision that cannot be read, the nearest one it was made from.
        self.shown: _Touch | None = self


# For each document, who waits to learn the revision a line reaches first: (touch, parent
# index), or (None, 0) for HEAD itself.
_Waiting = dict[str, list[tuple[_Touch | None, int]]]


def read_history(
    top: Path,
    common_dir: Path,
    paths: Iterable[str],
    *,
    progress: Callable[[int], None] | None = None,
) -> History:
    """The history of each document in ``paths`` (repository-relative, as they are now)."""
    wanted = list(dict.fromkeys(paths))
    boundary = gitlog.shallow_boundary(common_dir)
    facts: dict[str, Facts | None] = {}

    def remember(sha: str, data: bytes | None) -> None:
        try:
            facts[sha] = frontmatter_facts(data or b"")
        except _Broken:
            facts[sha] = None

    touches: list[_Touch] = []
    heads: dict[str, _Touch] = {}
    pending: dict[str, tuple[_Line, _Waiting]] = {}  # commit not read yet -> what its children hand down
    requested: set[str] = set()
    count = 0
    with gitlog.ObjectPipeline(top, remember) as blobs, gitlog.log_stream(top, "") as commits:
        for commit in commits:
            count += 1
            if progress is not None and count % 500 == 0:
                progress(count)
            if count == 1:  # HEAD: the topological order puts it first
                line = _Line({p: p for p in wanted})
                waiting: _Waiting = {p: [(None, 0)] for p in wanted}
            else:
                held = pending.pop(commit.sha, None)
                if held is None:
                    continue  # on no line that leads to a document
                line, waiting = held
                line.holders -= 1
            known = line.paths
            parents = commit.parents
            moves: list[tuple[str, str | None, str]] = []  # (path, path in the first parent, document)
            mine: dict[str, _Touch] = {}
            for entry in commit.entries:
                document = known.get(entry.path)
                if document is None or entry.status == "D" or document in mine:
                    continue
                touch = _Touch(document, commit, entry, count)
                mine[document] = touch
                touches.append(touch)
                if entry.blob not in requested:
                    requested.add(entry.blob)
                    blobs.request(entry.blob)
                for waiter, index in waiting.pop(document, ()):
                    if waiter is None:
                        heads[document] = touch
                    else:
                        waiter.parents[index] = touch
                if entry.status == "A":
                    moves.append((entry.path, None, document))  # the first parent has no such document
                    continue
                waiting[document] = [(touch, 0)]
                if entry.status == "R" and entry.old_path:
                    moves.append((entry.path, entry.old_path, document))  # known there by its old name
            if not parents:
                continue
            first = line
            if moves:
                if line.holders or len(parents) > 1:
                    first = _Line(dict(known))  # others read the map as it is: change a copy
                for path, old, document in moves:
                    first.paths.pop(path, None)
                    if old is not None:
                        first.paths[old] = document
            parent = parents[0]
            if parent not in pending and first.paths:
                pending[parent] = (first, waiting)  # the common case: a line goes on
                first.holders += 1
            else:
                _hand_down(pending, parent, first, waiting)
            # A second parent knows the documents by the paths the merge knows; only the
            # documents the merge touched wait for what that line did (the others are as the
            # first parent has them), but every document is followed there.
            for index, parent in enumerate(parents[1:], 1):
                _hand_down(pending, parent, line, {d: [(t, index)] for d, t in mine.items()})
    if progress is not None:
        progress(count)
    return History(_documents(wanted, touches, heads, facts, boundary), bool(boundary), count)


def _hand_down(pending: dict[str, tuple[_Line, _Waiting]], parent: str, line: _Line, waiting: _Waiting) -> None:
    if not line.paths:
        return
    held = pending.get(parent)
    if held is None:
        pending[parent] = (line, waiting)
        line.holders += 1
        return
    joined, theirs = held
    if joined is not line:
        # Where two lines meet, the parent is known by what either of them knew.
        big, small = (joined, line) if len(joined.paths) >= len(line.paths) else (line, joined)
        if big is not joined or joined.holders > 1:
            joined.holders -= 1
            joined = _Line(dict(big.paths))
            joined.holders += 1
        for path, document in small.paths.items():
            joined.paths.setdefault(path, document)
    if len(theirs) < len(waiting):
        theirs, waiting = waiting, theirs
    for document, waiters in waiting.items():
        if document in theirs:
            theirs[document] += waiters
        else:
            theirs[document] = waiters
    pending[parent] = (joined, theirs)


def _documents(
    wanted: list[str],
    touches: list[_Touch],
    heads: dict[str, _Touch],
    facts: dict[str, Facts | None],
    boundary: set[str],
) -> dict[str, DocHistory]:
    documents = {p: DocHistory(p) for p in wanted}
    for touch in reversed(touches):  # parents before children: theirs are settled first
        history = documents[touch.document]
        commit = touch.commit
        found = touch.facts = facts.get(touch.entry.blob)
        parents = touch.parents
        if len(parents) > 1:
            # A merge whose document is exactly another parent's made no revision of its own
            # (`git log` shows no such merge): that parent's revision stands for it.
            same = next((p for p in parents[1:] if p is not None and p.entry.blob == touch.entry.blob), None)
            if same is not None:
                touch.shown = same.shown
                continue
        if found is None:
            touch.shown = next((p.shown for p in parents if p is not None), None)
            history.skipped.append(commit.sha)
            continue
        made_from = []
        for parent in parents:
            stand_in = parent.shown if parent is not None else None
            if stand_in is not None and stand_in.commit.sha not in made_from:
                made_from.append(stand_in.commit.sha)
        day = parse_git_date(commit.date)
        history.revisions.append(
            Revision(
                commit=commit.sha,
                date=day.isoformat() if day else commit.date[:10],
                author=commit.author,
                subject=commit.subject,
                path=touch.entry.path,
                blob=touch.entry.blob,
                version=found[0],
                status=found[1],
                boundary=commit.sha in boundary,
                order=touch.sequence,
                parents=tuple(made_from),
                merge=len(commit.parents) > 1,
            )
        )
    for document, touch in heads.items():
        stand_in = touch.shown
        documents[document].head = stand_in.commit.sha if stand_in is not None else None
    return documents
