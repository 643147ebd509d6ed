"""Every git operation plancycle performs, one narrow function each.

Simple questions go to the `git` binary directly (cheap, no import cost); reading
trees across many refs uses GitPython, whose persistent `cat-file --batch` process
answers them all without a process per ref. The plumbing the commit hook uses lives in
`plancycle.git.index` (re-exported here, so the hook says `git.<operation>`), the history
streams in `plancycle.git.log` (imported where history is read).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path, PurePosixPath

from plancycle.errors import GitError


NOT_A_REPO = "not inside a git repository; run `git init` first or change to a repository folder"


def _git(args: Sequence[str], cwd: Path, *, check: bool = True, input: bytes | None = None) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, input=input, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {proc.returncode}"
        raise GitError(f"git {args[0]} failed: {detail}")
    return proc.stdout.decode("utf-8", "replace")


def find_repo_root(start: Path) -> Path | None:
    """Top of the working tree holding ``start``, or None outside any repository."""
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        return None
    out = proc.stdout.decode("utf-8").strip()
    return Path(out) if out else None


class Git:
    """A repository's working tree, asked only what plancycle needs."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def discover(cls, start: Path) -> Git:
        root = find_repo_root(start)
        if root is None:
            raise GitError(NOT_A_REPO)
        return cls(root)

    @cached_property
    def _repo(self):  # type: ignore[no-untyped-def]
        import git  # GitPython, imported only when a tree must be read

        return git.Repo(self.root)

    def user_name(self) -> str:
        return _git(["config", "user.name"], self.root, check=False).strip()

    def branch_exists(self, name: str) -> bool:
        out = _git(["rev-parse", "--verify", "--quiet", f"refs/heads/{name}"], self.root, check=False)
        return bool(out.strip())

    def check_branch_name(self, name: str) -> bool:
        proc = subprocess.run(
            ["git", "check-ref-format", "--branch", name], cwd=self.root, capture_output=True
        )
        return proc.returncode == 0

    def switch_new_branch(self, name: str) -> None:
        # `checkout -b` also works on an unborn branch (a repository with no commit yet).
        _git(["checkout", "-q", "-b", name], self.root)

    def subfolders_on_branches(self, folder: Path) -> dict[str, list[str]]:
        """Names of the sub-folders of ``folder`` in every local and remote-tracking branch.

        Maps each sub-folder name to the branches (short names) whose tree holds it.
        """
        relative = PurePosixPath(folder.resolve().relative_to(self.root.resolve()).as_posix())
        repo = self._repo
        found: dict[str, list[str]] = {}
        seen_trees: dict[str, list[str]] = {}
        for ref in repo.refs:
            if not ref.path.startswith(("refs/heads/", "refs/remotes/")):
                continue
            if ref.path.endswith("/HEAD"):  # origin/HEAD only repeats another branch
                continue
            try:
                commit = ref.commit
            except ValueError:  # a ref pointing at nothing usable
                continue
            try:
                tree = commit.tree / str(relative) if str(relative) != "." else commit.tree
            except KeyError:
                continue
            if tree.type != "tree":
                continue
            names = seen_trees.get(tree.hexsha)
            if names is None:
                names = [entry.name for entry in tree.trees]
                seen_trees[tree.hexsha] = names
            for name in names:
                found.setdefault(name, []).append(ref.name)
        return found



def commit_all(folder: Path, message: str) -> None:
    """Stage everything and commit, hooks included (the demo's commits)."""
    _git(["add", "-A"], folder)
    _git(["commit", "-q", "-m", message], folder)


def init_repository(folder: Path) -> None:
    """A new repository with a local identity, for the demo and nothing else."""
    _git(["init", "-q", str(folder)], folder)
    _git(["config", "user.name", "plancycle demo"], folder)
    _git(["config", "user.email", "demo@plancycle.invalid"], folder)
    # Keep the demo to itself whatever the user's global settings: hooks go into this
    # repository (never a shared core.hooksPath), and commits are not signed.
    _git(["config", "core.hooksPath", str(folder / ".git" / "hooks")], folder)
    _git(["config", "commit.gpgsign", "false"], folder)


def author_name(top: Path) -> str:
    """The commit's author: git exports GIT_AUTHOR_NAME to hooks; ask git otherwise."""
    name = os.environ.get("GIT_AUTHOR_NAME")
    if name:
        return name
    ident = _git(["var", "GIT_AUTHOR_IDENT"], top, check=False).strip()
    return ident.split(" <", 1)[0] if ident else "unknown"


def is_shared_hooks_dir(start: Path, folder: Path) -> bool:
    """Whether a hooks folder lies outside this repository (a core.hooksPath many share)."""
    common = (start / _git(["rev-parse", "--git-common-dir"], start).strip()).resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], start).strip()).resolve()
    resolved = folder.resolve()
    return not any(base == resolved or base in resolved.parents for base in (common, top))


def hooks_dir(start: Path) -> Path:
    """The hooks folder git really uses: worktrees and core.hooksPath included."""
    out = _git(["rev-parse", "--git-path", "hooks"], start).strip()
    return (start / out).resolve()


def commit_count(top: Path, rev: str = "HEAD") -> int:
    out = _git(["rev-list", "--count", rev], top, check=False).strip()
    return int(out) if out.isdigit() else 0


def tracked_files(top: Path, pathspec: str) -> list[str]:
    """Paths in the index under ``pathspec``, relative to the repository top."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--", pathspec], cwd=top, capture_output=True, check=False
    ).stdout
    return [p for p in out.decode("utf-8", "replace").split("\0") if p]


# Re-exported last: the submodules use _git and GitError from this module.
from plancycle.git.index import (  # noqa: E402
    EMPTY_TREE_SHA1, RepoState, StagedChange, empty_tree, patch_applies, read_objects, repo_state,
    staged_changes, update_index, write_blobs,
)

__all__ = [
    "EMPTY_TREE_SHA1", "NOT_A_REPO", "Git", "RepoState", "StagedChange", "author_name", "commit_all", "commit_count",
    "empty_tree", "find_repo_root", "hooks_dir", "init_repository", "is_shared_hooks_dir", "patch_applies", "read_objects",
    "repo_state", "staged_changes", "tracked_files", "update_index", "write_blobs",
]
