"""What a pre-commit run has to do: the staged managed documents and the base they are
compared with. Light on purpose (git, the settings, the process tree): most commits touch
no document, and for them this is all the hook loads and runs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from plancycle import git
from plancycle.config import LEVELS, Config, Level, load_config
from plancycle.errors import UsageError
from plancycle.hook.invocation import is_amend

BYPASS = "commit with --no-verify to skip plancycle"


@dataclass(frozen=True)
class Scope:
    state: git.RepoState
    config: Config
    override: Level | None  # PLANCYCLE_BUMP for this commit
    changes: list[git.StagedChange]
    base: str = ""  # the tree the commit is compared with
    root: str = "."  # the features root, relative to the top


def level_override() -> Level | None:
    value = os.environ.get("PLANCYCLE_BUMP", "").strip().lower()
    if not value:
        return None
    for level in LEVELS:
        if value == level:
            return level
    raise UsageError(f"PLANCYCLE_BUMP={value!r} must be one of {', '.join(LEVELS)}")


def _managed_path(path: str, root: str, config: Config) -> bool:
    pure = PurePosixPath(path)
    try:
        relative = pure.relative_to(root).as_posix() if root != "." else pure.as_posix()
    except ValueError:
        return False
    return config.manages(relative)


def staged_scope(cwd: Path, *, amend: bool | None = None) -> Scope | None:
    """The staged managed documents against the commit's base (HEAD, or HEAD's first parent
    when amending); None when there is nothing to do."""
    state = git.repo_state(cwd)
    config = load_config(cwd, state.top)
    try:
        root = config.root_path.resolve().relative_to(state.top.resolve()).as_posix()
    except ValueError:
        return None
    override = level_override()
    if override == "none":
        return None
    amend = is_amend() if amend is None else amend
    if amend and state.head is not None:
        base = state.head_parents[0] if state.head_parents else None
    else:
        base = state.head
    changes = [
        c
        for c in git.staged_changes(state.top, base or git.empty_tree(state.top), root)
        if _managed_path(c.path, root, config)
    ]
    if not changes and not config.index_on_commit:
        return None
    # With `index_on_commit` a commit that stamps nothing (one that deletes a feature) still
    # has its index to keep: the scope comes back without changes.
    return Scope(state, config, override, changes, base or git.empty_tree(state.top), root)
