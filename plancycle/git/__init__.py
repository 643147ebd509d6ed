"""The only code that runs git. Every call goes through `runner`; each operation plancycle
needs is one narrow function: `repo` (discovery, identity, branches, trees on every ref,
hooks folder), `state` (where the repository is: top, git folders, HEAD), `index` (the
commit hook's plumbing), `log` (history in one pass).

May import: the foundation only.
"""

from plancycle.git.index import (
    EMPTY_TREE_SHA1,
    StagedChange,
    empty_tree,
    merge_base,
    patch_applies,
    read_objects,
    staged_changes,
    staged_paths,
    update_index,
    write_blobs,
)
from plancycle.git.repo import (
    Git,
    author_name,
    commit_all,
    commit_count,
    commit_graph,
    find_repo_root,
    hooks_dir,
    index_blobs,
    init_repository,
    is_shared_hooks_dir,
    tracked_files,
    worktree_changes,
)
from plancycle.git.state import NOT_A_REPO, RepoState, repo_state

__all__ = [
    "EMPTY_TREE_SHA1",
    "NOT_A_REPO",
    "Git",
    "RepoState",
    "StagedChange",
    "author_name",
    "commit_all",
    "commit_count",
    "commit_graph",
    "empty_tree",
    "find_repo_root",
    "hooks_dir",
    "index_blobs",
    "init_repository",
    "is_shared_hooks_dir",
    "merge_base",
    "patch_applies",
    "read_objects",
    "repo_state",
    "staged_changes",
    "staged_paths",
    "tracked_files",
    "update_index",
    "worktree_changes",
    "write_blobs",
]
