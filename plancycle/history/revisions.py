"""What git history says about each document: the revisions that touched it, with the
version and status its frontmatter had in each, renames followed.

One `git log` stream and one `git cat-file --batch` stream serve every document at once.
Frontmatter of old revisions is read with a fast line scan; only blocks that a plain
scan cannot vouch for go through the YAML parser, so a revision whose frontmatter was
broken is recognised (and skipped) without parsing thousands of healthy ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plancycle.dates import parse_git_date
from plancycle.documents.document import Document, frontmatter_bytes
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
    order: int = 0  # position in the log stream: larger is older


@dataclass
class DocHistory:
    path: str  # the document's path now
    revisions: list[Revision] = field(default_factory=list)  # oldest first
    skipped: list[str] = field(default_factory=list)  # commits whose frontmatter did not parse


@dataclass
class History:
    documents: dict[str, DocHistory]
    shallow: bool
    commits_read: int


class _Broken(Exception):
    pass


def frontmatter_facts(data: bytes) -> tuple[str | None, str | None]:
    """(version, status) of a revision; raises _Broken when its frontmatter does not parse.

    Only the frontmatter block is decoded, and plain blocks are read by a line scan."""
    try:
        block = frontmatter_bytes(data)
    except ValueError:
        raise _Broken() from None
    if block is None:
        return None, None
    fields: dict[str, str] | None = plain_fields(block.decode("utf-8", "replace"))
    if fields is None:
        # Something a line scan cannot vouch for: let the YAML parser decide.
        try:
            loaded = Document.from_bytes(data).fields
        except DocumentError:
            raise _Broken() from None
        fields = {k: ("" if v is None else str(v)) for k, v in loaded.items()}
    return fields.get("version") or None, fields.get("status") or None


def read_history(
    top: Path,
    git_dir: Path,
    paths: Iterable[str],
    *,
    progress: Callable[[int], None] | None = None,
) -> History:
    """The history of each document in ``paths`` (repository-relative, as they are now)."""
    wanted = list(dict.fromkeys(paths))
    tracked: dict[str, str] = {p: p for p in wanted}  # path in the commit being read -> document
    touches: list[tuple[str, gitlog.LogCommit, gitlog.LogEntry, int]] = []
    boundary = gitlog.shallow_boundary(git_dir)
    facts: dict[str, tuple[str | None, str | None] | None] = {}

    def remember(sha: str, data: bytes | None) -> None:
        try:
            facts[sha] = frontmatter_facts(data or b"")
        except _Broken:
            facts[sha] = None

    requested: set[str] = set()
    count = 0
    with gitlog.ObjectPipeline(top, remember) as blobs, gitlog.log_stream(top, "") as commits:
        for commit in commits:
            count += 1
            if progress is not None and count % 500 == 0:
                progress(count)
            for entry in commit.entries:
                document = tracked.get(entry.path)
                if document is None or entry.status == "D":
                    continue
                touches.append((document, commit, entry, count))
                if entry.blob not in requested:
                    requested.add(entry.blob)
                    blobs.request(entry.blob)
                if entry.status == "R" and entry.old_path:
                    del tracked[entry.path]
                    tracked[entry.old_path] = document  # older commits know it by its old name
                elif entry.status == "A":
                    del tracked[entry.path]  # before this it did not exist (or was another file)
    if progress is not None:
        progress(count)
    documents = {p: DocHistory(p) for p in wanted}
    for document, commit, entry, sequence in reversed(touches):  # oldest first
        found = facts.get(entry.blob)
        history = documents[document]
        if found is None:
            history.skipped.append(commit.sha)
            continue
        day = parse_git_date(commit.date)
        history.revisions.append(
            Revision(
                commit=commit.sha,
                date=day.isoformat() if day else commit.date[:10],
                author=commit.author,
                subject=commit.subject,
                path=entry.path,
                blob=entry.blob,
                version=found[0],
                status=found[1],
                boundary=commit.sha in boundary,
                order=sequence,
            )
        )
    return History(documents, bool(boundary), count)


def version_introductions(history: DocHistory) -> list[Revision]:
    """The revision that first had each version, oldest first."""
    seen: dict[str, Revision] = {}
    for revision in history.revisions:
        if revision.version is not None and revision.version not in seen:
            seen[revision.version] = revision
    return list(seen.values())
