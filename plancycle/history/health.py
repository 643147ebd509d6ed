"""What history reads stand on in this clone: the history cache and git's commit-graph,
and the advice worth giving about them (`plancycle hooks status`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plancycle import git
from plancycle.git.log import shallow_boundary
from plancycle.history import cache

# Below this many commits a history read takes well under a second either way: no advice.
LARGE = 20_000


@dataclass(frozen=True)
class Health:
    commits: int  # in HEAD's history
    graph: str  # "none", "plain" or "changed-paths" (see `git.commit_graph`)
    cached_at: str | None  # the commit the history cache describes, if there is one it trusts
    cached_documents: int
    advice: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "commits": self.commits,
            "commit_graph": self.graph,
            "cache": {"commit": self.cached_at, "documents": self.cached_documents} if self.cached_at else None,
            "advice": self.advice,
        }


def health(top: Path, common_dir: Path) -> Health:
    record = cache.load(common_dir, shallow_boundary(common_dir))
    commits = git.commit_count(top)
    graph = git.commit_graph(common_dir)
    advice = None
    if commits >= LARGE and graph != "changed-paths":
        # Measured on 300,000 commits: a read of the documents' folder takes half the time
        # with a commit-graph; its changed-path filters also spare `git log -- <path>`.
        advice = (
            f"{commits:,} commits and {'no commit-graph' if graph == 'none' else 'a commit-graph without changed paths'}: "
            "`git commit-graph write --reachable --changed-paths` makes history reads faster"
        )
    return Health(
        commits,
        graph,
        record.last if record is not None else None,
        len(record.lines) if record is not None else 0,
        advice,
    )
