"""The facts history gives about a document: its revisions on the commit graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Revision(NamedTuple):
    """One revision of a document (a named tuple: a history read makes thousands)."""

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
