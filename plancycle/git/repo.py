"""The repository as plancycle asks about it: discovery, identity, branches, the folders a
path holds on every branch, the hooks folder, tracked files, the demo's set-up."""

from __future__ import annotations

import contextlib
import os
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from plancycle.git.runner import output, run
from plancycle.git.state import RepoState, repo_state
from plancycle.git.store import Store


def find_repo_root(start: Path) -> Path | None:
    """Top of the working tree holding ``start``, or None outside any repository."""
    proc = run(["rev-parse", "--show-toplevel"], start, check=False)
    out = proc.text.strip()
    return Path(out) if proc.code == 0 and out else None


class Git:
    """A repository's working tree, asked only what plancycle needs."""

    def __init__(self, root: Path, state: RepoState | None = None) -> None:
        self.root = root
        self._state = state

    @classmethod
    def discover(cls, start: Path) -> Git:
        state = repo_state(start)  # the same one process finds the top and all the rest
        return cls(state.top, state)

    @property
    def state(self) -> RepoState:
        """Top, git folders and HEAD as they were when the repository was found (or first
        asked for): one process for a whole command. Work that commits or moves HEAD
        afterwards calls `refresh`."""
        if self._state is None:
            self._state = repo_state(self.root)
        return self._state

    def refresh(self) -> None:
        """Forget the state found: HEAD has moved (a commit, another branch)."""
        self._state = None

    @cached_property
    def store(self) -> Store:
        """plancycle's records and locks in this clone's git folder."""
        common = output(["rev-parse", "--path-format=absolute", "--git-common-dir"], self.root).strip()
        return Store(Path(common))

    @cached_property
    def _repo(self) -> Any:
        import git  # GitPython, imported only when a tree must be read

        return git.Repo(self.root)

    def user_name(self) -> str:
        return output(["config", "user.name"], self.root, check=False).strip()

    def branch_exists(self, name: str) -> bool:
        out = output(["rev-parse", "--verify", "--quiet", f"refs/heads/{name}"], self.root, check=False)
        return bool(out.strip())

    def check_branch_name(self, name: str) -> bool:
        return run(["check-ref-format", "--branch", name], self.root, check=False).code == 0

    def switch_new_branch(self, name: str) -> None:
        # `checkout -b` also works on an unborn branch (a repository with no commit yet).
        output(["checkout", "-q", "-b", name], self.root)
        self.refresh()

    def subfolders_on_branches(self, folder: Path) -> dict[str, list[str]]:
        """Names of the sub-folders of ``folder`` in every local and remote-tracking branch,
        each with the branches (short names) whose tree holds it."""
        return self.entries_on_branches(folder, "tree")

    def entries_on_branches(self, folder: Path, kind: str) -> dict[str, list[str]]:
        """Names of the entries of one ``kind`` ("tree": folders, "blob": files) in
        ``folder`` on every local and remote-tracking branch, each with its branches."""
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
                names = [entry.name for entry in (tree.trees if kind == "tree" else tree.blobs)]
                seen_trees[tree.hexsha] = names
            for name in names:
                found.setdefault(name, []).append(ref.name)
        return found

    def is_committed(self, path: Path) -> bool:
        """Whether HEAD holds ``path`` (False before the first commit)."""
        try:
            relative = path.relative_to(self.root).as_posix()
        except ValueError:
            try:
                relative = path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:  # a link to a file outside the repository
                return False
        return run(["cat-file", "-e", f"HEAD:{relative}"], self.root, check=False).code == 0


def commit_all(folder: Path, message: str) -> None:
    """Stage everything and commit, hooks included (the demo's commits)."""
    output(["add", "-A"], folder)
    output(["commit", "-q", "-m", message], folder)


def init_repository(folder: Path) -> None:
    """A new repository with a local identity, for the demo and nothing else."""
    output(["init", "-q", str(folder)], folder)
    output(["config", "user.name", "plancycle demo"], folder)
    output(["config", "user.email", "demo@plancycle.invalid"], folder)
    # Keep the demo to itself whatever the user's global settings: hooks go into this
    # repository (never a shared core.hooksPath), and commits are not signed.
    output(["config", "core.hooksPath", str(folder / ".git" / "hooks")], folder)
    output(["config", "commit.gpgsign", "false"], folder)


def author_name(top: Path) -> str:
    """The commit's author: git exports GIT_AUTHOR_NAME to hooks; ask git otherwise."""
    name = os.environ.get("GIT_AUTHOR_NAME")
    if name:
        return name
    ident = output(["var", "GIT_AUTHOR_IDENT"], top, check=False).strip()
    return ident.split(" <", 1)[0] if ident else "unknown"


def is_shared_hooks_dir(start: Path, folder: Path) -> bool:
    """Whether a hooks folder lies outside this repository (a core.hooksPath many share)."""
    common = (start / output(["rev-parse", "--git-common-dir"], start).strip()).resolve()
    top = Path(output(["rev-parse", "--show-toplevel"], start).strip()).resolve()
    resolved = folder.resolve()
    return not any(base == resolved or base in resolved.parents for base in (common, top))


def hooks_dir(start: Path) -> Path:
    """The hooks folder git really uses: worktrees and core.hooksPath included."""
    out = output(["rev-parse", "--git-path", "hooks"], start).strip()
    return (start / out).resolve()


def commit_graph(common_dir: Path) -> str:
    """What commit-graph the clone has: "none", "plain", or "changed-paths" (with the
    changed-path Bloom filters that make `git log -- <path>` skip most commits unread)."""
    info = common_dir / "objects" / "info"
    files = [info / "commit-graph"]
    chain = info / "commit-graphs" / "commit-graph-chain"
    with contextlib.suppress(OSError):
        files += [info / "commit-graphs" / f"graph-{h}.graph" for h in chain.read_text().split()]
    found = "none"
    for file in files:
        try:
            with file.open("rb") as handle:
                header = handle.read(8)
                if header[:4] != b"CGPH":
                    continue
                table = handle.read(12 * (header[6] + 1))  # the chunk table: 4-byte id, 8-byte offset
        except OSError:
            continue
        ids = {table[i : i + 4] for i in range(0, len(table), 12)}
        if b"BIDX" in ids and b"BDAT" in ids:
            return "changed-paths"
        found = "plain"
    return found


def commit_count(top: Path, rev: str = "HEAD") -> int:
    out = output(["rev-list", "--count", rev], top, check=False).strip()
    return int(out) if out.isdigit() else 0


def tracked_files(top: Path, pathspec: str, *, untracked: bool = False) -> list[str]:
    """Paths in the index under ``pathspec``, relative to the repository top; with
    ``untracked`` also the files git would add (not the ignored ones)."""
    extra = ["-c", "-o", "--exclude-standard"] if untracked else []
    return sorted({p for p in output(["ls-files", "-z", *extra, "--", pathspec], top).split("\0") if p})


def index_blobs(top: Path, pathspec: str) -> tuple[dict[str, str], set[str]]:
    """Each path in the index under ``pathspec`` (relative to the repository top) with the
    blob staged for it (a path in conflict has none: an empty name), and the paths git is
    told not to look at in the worktree (`assume-unchanged`, `skip-worktree`), whose files
    git's own checks never compare. One process."""
    found: dict[str, str] = {}
    unwatched: set[str] = set()
    for entry in output(["ls-files", "-s", "-v", "-z", "--", pathspec], top).split("\0"):
        meta, _, path = entry.partition("\t")
        if not path:
            continue
        tag, _mode, blob, stage = meta.split(" ")
        found[path] = blob if stage == "0" else ""
        if tag.islower() or tag == "S":
            unwatched.add(path)
    return found, unwatched


def worktree_changes(top: Path, pathspec: str) -> set[str]:
    """The paths under ``pathspec`` whose file in the worktree is not what the index holds
    (edited, deleted, or stat-dirty), as git judges it from its own stat records, racy
    writes included. One process."""
    return {p for p in output(["diff-files", "--name-only", "-z", "--", pathspec], top).split("\0") if p}
