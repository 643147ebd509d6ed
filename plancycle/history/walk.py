"""The walk down the commit graph that history reads make: each line of history carries its
own map of the paths its commits know the documents by, so a rename or an addition on one
branch never hides what another branch did to the same document; where lines meet, a
path may stand for several documents, so a document's history is what following it alone
gives, whichever others are followed with it (`history.cache` relies on that). The
touches found become each document's revisions, parents before children."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from plancycle.dates import parse_git_date
from plancycle.git import log as gitlog
from plancycle.history.facts import DocHistory, Revision

Facts = tuple[str | None, str | None]


class Line:
    """The paths the commits of one line of history know the documents by.

    A path may stand for several documents: where two lines meet that know one file as two
    documents (a file one branch renamed and another deleted, then both merged), it is
    each one's ancestor. So a document's history never depends on which other documents
    are followed: it is what following it alone gives, and `history.cache` relies on that."""

    __slots__ = ("holders", "paths")

    def __init__(self, paths: dict[str, tuple[str, ...]]) -> None:
        self.paths = paths  # path in the commit -> documents (their paths now)
        self.holders = 0  # pending commits that will read this map


class Touch:
    __slots__ = ("commit", "document", "entry", "facts", "parents", "sequence", "shown")

    def __init__(self, document: str, commit: gitlog.LogCommit, entry: gitlog.LogEntry, sequence: int) -> None:
        self.document = document
        self.commit = commit
        self.entry = entry
        self.sequence = sequence
        # The touch each parent's line reached first (None: not reached, or no such document).
        self.parents: list[Touch | None] = [None] * max(1, len(commit.parents))
        self.facts: Facts | None = None
        # The revision that stands for this touch: itself, or for a merge that made nothing
        # new or a revision that cannot be read, the nearest one it was made from.
        self.shown: Touch | None = self


# For each document, who waits to learn the revision a line reaches first: (touch, parent
# index), or (None, 0) for HEAD itself.
Waiting = dict[str, list[tuple[Touch | None, int]]]


@dataclass
class Walked:
    """What one walk down a stream of commits found."""

    touches: list[Touch]
    heads: dict[str, Touch]  # the touch HEAD's line reached first, per document
    # Lines that left the stream: the commit they go on at -> the paths they know the
    # documents by there, and who waits for what they reach first. Empty when the stream
    # was the whole history.
    pending: dict[str, tuple[Line, Waiting]]
    count: int  # commits read


def walk(
    commits: Iterable[gitlog.LogCommit],
    wanted: list[str],
    blobs: gitlog.ObjectPipeline,
    progress: Callable[[int], None] | None,
    requested: set[str] | None = None,
    names: set[str] | None = None,
    scope: str = "",
) -> Walked:
    """Follow every document in ``wanted`` (paths at the first commit, HEAD) down the stream;
    ``requested``: blobs asked for already; ``names`` gets every path under ``scope`` the
    commits bring into being."""
    touches: list[Touch] = []
    heads: dict[str, Touch] = {}
    pending: dict[str, tuple[Line, Waiting]] = {}  # commit not read yet -> what its children hand down
    requested = set() if requested is None else requested  # blobs asked for already
    count = 0
    for commit in commits:
        count += 1
        if names is not None:  # every commit's, on a line that leads to a document or not
            for entry in commit.entries:
                # A path comes into a tree only added, renamed or copied into place (one a
                # merge brings from the side it merged is added, against the first parent).
                if entry.status in ("A", "R", "C") and entry.path.startswith(scope):
                    names.add(entry.path)
        if progress is not None and count % 500 == 0:
            progress(count)
        if count == 1:  # HEAD: the topological order puts it first
            line = Line({p: (p,) for p in wanted})
            waiting: Waiting = {p: [(None, 0)] for p in wanted}
        else:
            held = pending.pop(commit.sha, None)
            if held is None:
                continue  # on no line that leads to a document
            line, waiting = held
            line.holders -= 1
        known = line.paths
        parents = commit.parents
        moves: list[tuple[str, str | None, str]] = []  # (path, path in the first parent, document)
        mine: dict[str, Touch] = {}
        for entry in commit.entries:
            claimed = known.get(entry.path)
            if claimed is None or entry.status == "D":
                continue
            for document in claimed:
                if document in mine:
                    continue
                touch = Touch(document, commit, entry, count)
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
                first = Line(dict(known))  # others read the map as it is: change a copy
            for path, old, document in moves:
                first.paths.pop(path, None)
                if old is not None:
                    _claim(first.paths, old, (document,))
        # A merge's own map is read again for its other parents: held while the first
        # parent's line is joined, so no join changes it in place (the first parent may
        # already hold this very map, from another child).
        merge = len(parents) > 1
        if merge:
            line.holders += 1
        parent = parents[0]
        if parent not in pending and first.paths:
            pending[parent] = (first, waiting)  # the common case: a line goes on
            first.holders += 1
        else:
            _hand_down(pending, parent, first, waiting)
        if merge:
            line.holders -= 1
        # A second parent knows the documents by the paths the merge knows; only the
        # documents the merge touched wait for what that line did (the others are as the
        # first parent has them), but every document is followed there.
        for index, parent in enumerate(parents[1:], 1):
            _hand_down(pending, parent, line, {d: [(t, index)] for d, t in mine.items()})
    return Walked(touches, heads, pending, count)


def _hand_down(pending: dict[str, tuple[Line, Waiting]], parent: str, line: Line, waiting: Waiting) -> None:
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
            joined = Line(dict(big.paths))
            joined.holders += 1
        for path, documents in small.paths.items():
            _claim(joined.paths, path, documents)
    if len(theirs) < len(waiting):
        theirs, waiting = waiting, theirs
    for document, waiters in waiting.items():
        if document in theirs:
            theirs[document] += waiters
        else:
            theirs[document] = waiters
    pending[parent] = (joined, theirs)


def _claim(paths: dict[str, tuple[str, ...]], path: str, documents: tuple[str, ...]) -> None:
    had = paths.get(path)
    if had is None:
        paths[path] = documents
    elif had != documents:
        paths[path] = had + tuple(d for d in documents if d not in had)


def documents_of(
    wanted: list[str] | None,
    touches: list[Touch],
    heads: dict[str, Touch],
    facts: dict[str, Facts | None],
    boundary: set[str],
) -> dict[str, DocHistory]:
    """Each document's history from the touches a walk found: for every document in
    ``wanted``, or with None only for those the walk touched."""
    if wanted is None:
        documents = {t.document: DocHistory(t.document) for t in touches}
    else:
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
        if document in documents:
            documents[document].head = stand_in.commit.sha if stand_in is not None else None
    return documents
