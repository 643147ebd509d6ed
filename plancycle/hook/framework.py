"""Running under the pre-commit framework without losing the user's unstaged edits.

The framework stashes unstaged changes as a patch, runs the hooks on a working tree
that equals the index, then applies the patch again. When that patch touches lines
next to the ones plancycle stamps it no longer applies, and the framework's fallback
leaves the user's edits only in its patch file. So before stamping, check that the
patch would still apply to the stamped text, and refuse (changing nothing) if not.
"""

from __future__ import annotations

import os
from pathlib import Path

from plancycle import git
from plancycle.errors import RefusedError
from plancycle.hook.invocation import ancestor_pids


def running_under_framework() -> bool:
    return os.environ.get("PRE_COMMIT") == "1"


def _patch_dir() -> Path:
    home = os.environ.get("PRE_COMMIT_HOME")
    if home:
        return Path(home)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "pre-commit"


def stashed_patch() -> Path | None:
    """The framework's stash of unstaged changes for this run (named patch<time>-<pid>)."""
    folder = _patch_dir()
    for pid in ancestor_pids():
        found = sorted(folder.glob(f"patch*-{pid}"), key=lambda p: p.stat().st_mtime)
        if found:
            return found[-1]
    return None


def check_unstaged_survive(stamped: dict[str, bytes]) -> None:
    """Refuse when the framework could not put the unstaged edits back after stamping."""
    patch = stashed_patch()
    if patch is None or not stamped:
        return
    text = patch.read_bytes()
    touched = {path: data for path, data in stamped.items() if f" b/{path}\n".encode() in text}
    if touched and not git.patch_applies(patch, touched):
        names = ", ".join(sorted(touched))
        raise RefusedError(
            f"{names}: your unstaged edits sit next to the lines plancycle stamps, and the "
            "pre-commit framework could not put them back afterwards; nothing was changed. "
            "Stage those edits too (or stash them), or use `plancycle hooks install` instead"
        )
