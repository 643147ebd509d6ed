"""plancycle's own records under the repository's git folder (`$GIT_COMMON_DIR/plancycle/`):
shared by every worktree of a clone, never committed.

Records are small JSON files written atomically (temp file, rename); a missing, corrupt or
foreign one reads as empty, so a record can only ever add knowledge, never block work.
Locks are files created exclusively, holding the owner's pid and host; a lock whose owner
no longer runs on this host is stale and taken over.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from plancycle.errors import RefusedError
from plancycle.fsutil import atomic_write

FORMAT = 1


VERSIONS = "versions"  # the highest version of each document, per branch
STAMPS = "stamps"  # per document: the hook's pending stamp, and its last committed one


def highest_versions(store: Store, branch: str) -> dict[str, str]:
    """The highest version each document (by repository path) is known to have had on
    ``branch`` of this clone. Kept per branch: a version used on another line of history
    does not stop this one from using it (merging them is the merge's business)."""
    found = store.read(VERSIONS).get(branch, {})
    return (
        {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(found, dict) else {}
    )


def record_highest(store: Store, branch: str, versions: dict[str, str]) -> None:
    """Replace ``branch``'s record with ``versions`` (callers merge before, by semver)."""
    data = store.read(VERSIONS)
    data[branch] = versions
    store.write(VERSIONS, data)


class Store:
    def __init__(self, common_dir: Path) -> None:
        self.folder = common_dir / "plancycle"

    def read(self, name: str) -> dict[str, Any]:
        import json  # only once there is a record to read: commits without documents never do

        try:
            data = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("data"), dict):
            return {}
        return data["data"]

    def write(self, name: str, data: dict[str, Any]) -> None:
        import json

        self.folder.mkdir(parents=True, exist_ok=True)
        # Compact: the versions record names every document, and the hook writes it on commits.
        text = json.dumps({"format": FORMAT, "data": data}, separators=(",", ":"), ensure_ascii=False)
        # Atomic, not durable: a record lost to a crash only knows less, and the hook must
        # not wait for the disk on every commit.
        atomic_write(self.folder / f"{name}.json", (text + "\n").encode("utf-8"), durable=False)

    @contextmanager
    def lock(self, name: str, what: str, *, wait: float = 10.0) -> Iterator[None]:
        """Hold the lock ``name`` for the block; ``what`` says what it guards, for the
        message when it cannot be had within ``wait`` seconds."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.lock"
        deadline = time.monotonic() + wait
        while True:
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if _stale(path):
                    with suppress(FileNotFoundError):
                        path.unlink()
                    continue
                if time.monotonic() >= deadline:
                    raise RefusedError(
                        f"another plancycle is {what} ({_owner(path)}); try again in a moment, or remove "
                        f"{path} if no plancycle is running"
                    ) from None
                time.sleep(0.02)
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(f"{os.getpid()} {os.uname().nodename}\n")
            break
        try:
            yield
        finally:
            with suppress(FileNotFoundError):
                path.unlink()


def _owner(path: Path) -> str:
    try:
        pid, _, host = path.read_text(encoding="utf-8").strip().partition(" ")
    except OSError:
        return "owner unknown"
    return f"pid {pid} on {host}" if host else f"pid {pid}"


def _stale(path: Path) -> bool:
    """Whether the lock's owner is gone: a process of this host that no longer runs."""
    try:
        pid_text, _, host = path.read_text(encoding="utf-8").strip().partition(" ")
        pid = int(pid_text)
    except (OSError, ValueError):
        # Half-written by an owner that is still writing it, or unreadable: stale only when old.
        try:
            return time.time() - path.stat().st_mtime > 60
        except OSError:
            return False
    if host != os.uname().nodename:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False
