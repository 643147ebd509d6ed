"""Where the repository is: its top, its git folders and HEAD, found in one process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from plancycle.errors import GitError
from plancycle.git.runner import output, run
from plancycle.git.store import Store

NOT_A_REPO = "not inside a git repository; run `git init` first or change to a repository folder"


def not_a_repository(start: Path) -> GitError:
    """The error for a folder with no work tree: outside any repository, or in a bare one."""
    bare = run(["rev-parse", "--is-bare-repository"], start, check=False)
    if bare.code == 0 and bare.text.strip() == "true":
        return GitError("this is a bare repository, which has no work tree; run plancycle in a clone with one")
    return GitError(NOT_A_REPO)


@dataclass(frozen=True)
class RepoState:
    top: Path
    git_dir: Path
    common_dir: Path  # shared by all worktrees of the clone
    head: str | None  # None on an unborn branch
    head_parents: tuple[str, ...]

    @property
    def store(self) -> Store:
        return Store(self.common_dir)

    def path(self, name: str) -> Path:
        return self.git_dir / name

    @property
    def branch(self) -> str:
        """The checked-out branch (`refs/heads/…`), read off HEAD without a process; the
        commit itself when HEAD is detached."""
        try:
            head = self.path("HEAD").read_text(encoding="utf-8").strip()
        except OSError:
            return "HEAD"
        return head[len("ref: ") :] if head.startswith("ref: ") else head

    def recent_commits(self, most: int = 10) -> list[str]:
        """The last commits HEAD pointed at, newest first, from HEAD's reflog read as a file
        (no process); empty without a reflog."""
        try:
            with self.path("logs/HEAD").open("rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - 8192))  # the last entries are enough
                lines = log.read().splitlines()
        except OSError:
            return []
        found: list[str] = []
        for line in reversed(lines):
            fields = line.split(b"\t", 1)[0].split()
            sha = fields[1].decode("ascii", "replace") if len(fields) > 1 else ""
            if len(sha) >= 40 and sha.strip("0") and sha not in found:
                found.append(sha)
            if len(found) >= most:
                break
        return found

    def rebasing(self) -> bool:
        return self.path("rebase-merge").is_dir() or self.path("rebase-apply").is_dir()

    def merge_head(self) -> str | None:
        try:
            return self.path("MERGE_HEAD").read_text().split()[0]
        except (OSError, IndexError):
            return None


def repo_state(start: Path) -> RepoState:
    """Top, git dirs and HEAD with its parents, in one process (two on an unborn branch)."""
    # HEAD^@ lists HEAD's parents; the whole call fails on an unborn branch, hence the retry.
    where = ["rev-parse", "--show-toplevel", "--absolute-git-dir", "--path-format=absolute", "--git-common-dir"]
    proc = run([*where, "HEAD", "HEAD^@"], start, check=False)
    lines = proc.text.splitlines()
    if proc.code != 0:
        lines = output(where, start, check=False).splitlines()
        if len(lines) < 3:
            raise not_a_repository(start)
    top, git_dir, common = Path(lines[0]), Path(lines[1]), Path(lines[2])
    return RepoState(top, git_dir, common, lines[3] if len(lines) > 3 else None, tuple(lines[4:]))
