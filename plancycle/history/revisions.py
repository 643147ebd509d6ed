"""What git history says about each document: the revisions that touched it, with the
version and status its frontmatter had in each, on the commit graph, renames followed.

One `git log` stream (the whole log in topological order, or where the documents' folder
is a small part of history, the commits that touch it, put in order in memory) and one
`git cat-file --batch` stream serve every document at once (`history.walk` follows them
down the graph), and `history.cache` keeps what they told for the next read. Frontmatter
of old revisions is read with a fast line scan; only blocks that a plain scan cannot
vouch for go through the YAML parser, so a revision whose frontmatter was broken is
recognised (and skipped) without parsing thousands of healthy ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from plancycle.documents.document import Document, frontmatter_bytes, scalar_text
from plancycle.documents.plainyaml import plain_fields
from plancycle.errors import DocumentError, GitError
from plancycle.git import log as gitlog
from plancycle.history.cache import CacheRecord, Documents, Names, names_block
from plancycle.history.facts import DocHistory
from plancycle.history.overlap import Overlap
from plancycle.history.walk import Facts, Touch, Walked, documents_of, walk


@dataclass
class History:
    documents: Documents  # the documents asked for
    shallow: bool
    commits_read: int  # the commits the answer covers
    read: int = 0  # of them, the commits read from git this time (the others came from the cache)
    # Every document followed (those asked for, and those the cache knows), for the cache.
    followed: Documents = field(default_factory=lambda: _no_documents())
    # Per document, the blob of the touch HEAD's line reached first (a merge is compared with it).
    first_blobs: dict[str, str] = field(default_factory=dict)
    names: Names | None = None  # the paths history had, for the cache (see `cache.Names`)


class _Broken(Exception):
    pass


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


def read_history(
    top: Path,
    common_dir: Path,
    paths: Iterable[str],
    *,
    head: str | None = None,
    progress: Callable[[int], None] | None = None,
    cache: bool = True,
    complete: bool = False,
    root: str | None = None,
    rebuild: bool = False,
) -> History:
    """The history of each document in ``paths`` (repository-relative, as they are now) at
    ``head``, HEAD's commit (without it, no cache is read or written).

    With ``cache``, what an earlier read learnt (see `history.cache`) answers for the commits
    it read, only the commits since are read, and the cache is brought up to ``head``;
    with ``rebuild`` too, the whole history is read and the cache made anew from it.
    ``complete``: ``paths`` are all the documents there are, so the cache forgets the others.
    ``root``: the folder (repository-relative) all of them are in, when history may be read
    for it alone."""
    from plancycle.history import cache as stored

    wanted = list(dict.fromkeys(paths))
    boundary = gitlog.shallow_boundary(common_dir)
    record = stored.load(common_dir, boundary) if cache and head is not None else None
    followed = wanted if complete or record is None else list(dict.fromkeys([*wanted, *record.lines]))
    if root and not all(p.startswith(root.rstrip("/") + "/") for p in followed):
        root = None  # a document outside it: only the whole log can tell
    scope = root.rstrip("/") + "/" if root else ""  # the paths worth keeping the names of
    if rebuild:
        root = None  # made anew from the whole log, which a pathspec read must agree with
    found = None
    if record is not None and head is not None and not rebuild:
        found = _since(top, record, followed, head, boundary, progress, scope)
        if isinstance(found, _Refused):
            found, record = _from_earlier(top, record, found.reached, followed, head, boundary, progress, scope)
    if not isinstance(found, History):
        found = _full(top, followed, head or "HEAD", boundary, progress, root, scope)
    if cache and head is not None:
        reuse = None if rebuild else record
        stored.save(
            common_dir, head, found.commits_read, found.followed, found.first_blobs, boundary, reuse, found.names
        )
    if len(followed) != len(wanted):
        found.documents = found.followed.subset(wanted)
    return found


# Earlier states of the cache tried, at most, before a whole read: each costs one walk of
# the commits since its own.
EARLIER_TRIES = 3


def _from_earlier(
    top: Path,
    record: CacheRecord,
    reached: set[str],
    followed: list[str],
    head: str,
    boundary: set[str],
    progress: Callable[[int], None] | None,
    scope: str,
) -> tuple[History | None, CacheRecord]:
    """The answer from a state the cache held before ``record``, at a commit HEAD's history
    holds (``reached``: the tip of this branch before a switch to another, where HEAD went
    back to, a fork point), by the same exact rule; the newest few that might are tried.
    Returns the answer (None when none could give it) and the state it grew from."""
    tried = 0
    for state in record.earlier():
        if state.last not in reached:
            continue
        found = _since(top, state, followed, head, boundary, progress, scope)
        if isinstance(found, History):
            return found, state
        tried += 1
        if tried == EARLIER_TRIES:
            break
    return None, record


# Read with a pathspec when fewer than this share of recent commits touch the documents'
# folder. Measured (benchmarks/history_scale.py): where every commit touches it, the
# pathspec read costs about 1.6 times the whole log (git rewrites parents and lists every
# merge); where 1% do, it costs a fifth of it. The two cross near one half.
NARROW_BELOW = 0.5


def _full(
    top: Path,
    followed: list[str],
    head: str,
    boundary: set[str],
    progress: Callable[[int], None] | None,
    root: str | None,
    scope: str,
) -> History:
    """The whole history: the whole log, or where the documents' folder ``root`` is a small
    part of history, the commits that touch it (see `NARROW_BELOW`); with the names under
    ``scope`` it had."""
    narrow = bool(root) and root is not None and gitlog.touching_share(top, head, root) < NARROW_BELOW
    facts: dict[str, Facts | None] = {}
    requested: set[str] = set()
    single: list[str] = []  # commits listed with one parent or none that change the folder
    pathspec = root if narrow and root else ""
    with gitlog.ObjectPipeline(top, _remember(facts)) as blobs:

        def listed(commit: gitlog.LogCommit) -> None:
            # Only the documents' folder is listed: ask for its blobs while git lists the
            # commits (the walk waits until they are all in order), whatever the walk needs.
            if len(commit.parents) < 2 and commit.entries:
                single.append(commit.sha)
            for entry in commit.entries:
                if entry.status != "D" and entry.blob not in requested:
                    requested.add(entry.blob)
                    blobs.request(entry.blob)

        names: set[str] = set()
        with gitlog.log_stream(top, pathspec, head, rewrite=narrow, listed=listed if narrow else None) as commits:
            walked = walk(commits, followed, blobs, progress, requested=requested, names=names, scope=scope)
        differs = Overlap(lambda: _narrow_differs(top, walked, single)) if narrow else None
    if differs is not None and differs.result():
        return _full(top, followed, head, boundary, progress, None, scope)
    if progress is not None:
        progress(walked.count)
    documents = Documents(followed, documents_of(followed, walked.touches, walked.heads, facts, boundary), None, 0)
    first = {d: t.entry.blob for d, t in walked.heads.items()}
    return History(documents, bool(boundary), walked.count, walked.count, documents, first, (scope, names_block(names)))


def _narrow_differs(top: Path, walked: Walked, single: list[str]) -> bool:
    """Whether the read limited to the documents' folder may tell a history otherwise than
    the whole log, which is then read instead: where a document arrived (added, or renamed
    into place), git limited to the folder pairs renames among its files alone, so a move in
    from outside reads as an addition and a move out can pair with a file added beside it;
    and a merge listed with fewer parents than it has (git drops a parent whose side never
    touched the folder, and one of two that lead to the same commit) reads as no merge
    where it changes the folder itself, against the parent left (the one whose side had
    the folder, when the first one's never had it). A merge that leaves the folder as that
    parent has it tells the same either way."""
    arrivals: dict[str, dict[str, gitlog.LogEntry]] = {}  # commit -> path -> what the folder's read saw
    for touch in walked.touches:
        if touch.entry.status in "AR":
            arrivals.setdefault(touch.commit.sha, {})[touch.entry.path] = touch.entry
    for sha, commit in gitlog.first_parent_changes(top, arrivals).items():
        seen = arrivals[sha]
        for entry in commit.entries:
            mine = seen.get(entry.path)
            if mine is not None and (mine.status, mine.old_path) != (entry.status, entry.old_path):
                return True
    return any(len(parents) > 1 for parents in gitlog.parents_of(top, single).values())


def _remember(facts: dict[str, Facts | None]) -> Callable[[str, bytes | None], None]:
    def remember(sha: str, data: bytes | None) -> None:
        try:
            facts[sha] = frontmatter_facts(data or b"")
        except _Broken:
            facts[sha] = None

    return remember


@dataclass
class _Refused:
    """Why the cache could not answer: the commits its walk reached (read, and those its
    lines went on at), where an earlier state of the cache might."""

    reached: set[str]


def _since(
    top: Path,
    record: CacheRecord,
    followed: list[str],
    head: str,
    boundary: set[str],
    progress: Callable[[int], None] | None,
    scope: str,
) -> History | _Refused | None:
    """The history at ``head`` from the cache and the commits made since; None when the
    cache cannot answer exactly: a line of history leaves the new commits somewhere else
    than the cache's commit (it is not an ancestor of ``head`` after a rebase or a
    force-push, or a branch forked below it was merged), reaches there a document the cache
    does not know, or git no longer has that commit. When every line lands on the cache's
    commit (or none leaves the new commits), the walk below it is the one the cache saved:
    a document's history does not depend on the others followed with it."""
    last = record.last
    if head == last:
        if not all(path in record.lines for path in followed):
            return None
        documents = Documents(followed, {}, record, record.total)
        first = {p: b for p in followed if (b := record.head_of(p)[1]) is not None}
        kept: Names | None = (scope, None) if record.scope == scope else None
        return History(documents, bool(boundary), record.total, 0, documents, first, kept)
    facts: dict[str, Facts | None] = {}
    listed: list[str] = []
    seen: set[str] = set()  # the names the new commits had

    def noted(commits: Iterable[gitlog.LogCommit]) -> Iterator[gitlog.LogCommit]:
        for commit in commits:
            listed.append(commit.sha)
            yield commit

    try:
        with (
            gitlog.ObjectPipeline(top, _remember(facts)) as blobs,
            gitlog.log_stream(top, "", [head, f"^{last}"]) as commits,
        ):
            walked = walk(noted(commits), followed, blobs, progress, names=seen, scope=scope)
    except GitError:
        return None  # the cache's commit is gone (pruned after a rebase): read it all
    # Every line that leaves the new commits lands on the cache's commit (so it is an
    # ancestor), or none leaves them: either way the walk below is the cache's own. No new
    # commit at all: HEAD went back to one the cache's commit descends from.
    if any(commit != last for commit in walked.pending) or walked.count == 0:
        return _Refused({head, *listed, *walked.pending})
    was: dict[str, str] = {}  # document now -> the cache's document it is at the cache's commit
    touched = {t.document for t in walked.touches}
    held = walked.pending.get(last)
    if held is not None:
        line, waiting = held
        for path, claimed in line.paths.items():
            if path not in record.lines:
                if record.had_name(path) is False:
                    # A name no commit below had (a merge's names, carried down the branch it
                    # merged to where it forked): the walk would find nothing there.
                    continue
                return None  # unknown there: not the cache's walk
            for document in claimed:
                if document in was:
                    return None  # one document known by two names: not the cache's walk
                was[document] = path
        for document, waiters in waiting.items():
            if document not in touched:
                continue  # no new revision: HEAD's line reaches what the cache has
            reached = _reached(record, was.get(document))
            for waiter, index in waiters:
                if waiter is None:
                    if reached is not None:
                        walked.heads[document] = reached
                else:
                    waiter.parents[index] = reached
    total = walked.count + record.total
    found = documents_of(None, walked.touches, walked.heads, facts, boundary)
    known: dict[str, DocHistory | None] = {}
    try:
        for document in followed:
            new = found.get(document)
            old = was.get(document)
            if old is None:
                known[document] = new or DocHistory(document)
            elif new is None:
                # No new revision: HEAD's line reaches what the cache has for the document.
                known[document] = None if old == document else _renamed(record.history(old, total), document)
            else:
                earlier = record.history(old, total)
                known[document] = DocHistory(
                    document, earlier.revisions + new.revisions, earlier.skipped + new.skipped, new.head
                )
    except DocumentError:
        return None  # a line of the cache cannot be read: read it all
    documents = Documents(followed, known, record, total)
    first = {d: t.entry.blob for d, t in walked.heads.items()}
    for document, old in was.items():
        # A document the cache knew by another name keeps what its line reached there.
        if document not in touched and old != document and (blob := record.head_of(old)[1]) is not None:
            first[document] = blob
    names: Names | None = None
    if record.scope == scope:
        added = [name for name in seen if record.had_name(name) is False]
        names = (scope, record.names_block() + names_block(added)[1:] if added else None)
    return History(documents, bool(boundary), total, walked.count, documents, first, names)


def _reached(record: CacheRecord, path: str | None) -> Touch | None:
    """The touch a line reaching the cache's commit finds first for the cache's document
    ``path``: one that stands for the revision the cache names (and has the blob of the
    touch it saw, to compare a merge with)."""
    if path is None:
        return None
    head, blob = record.head_of(path)
    if blob is None:
        return None  # the line found nothing there
    stand_in = Touch(path, gitlog.LogCommit(head or "", (), "", "", "", ()), gitlog.LogEntry("M", path, None, blob), 0)
    if head is None:
        stand_in.shown = None  # no revision there could be read
    return stand_in


def _renamed(history: DocHistory, path: str) -> DocHistory:
    return DocHistory(path, history.revisions, history.skipped, history.head)


def _no_documents() -> Documents:
    return Documents([], {}, None, 0)
