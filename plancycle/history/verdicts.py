"""What the last `changelog sync` found for each document it judged in step, kept so the
next run need not read the document nor its history again while neither has changed.

A verdict names the document's file as it was read (size, modification time, inode and a
digest of its bytes) and its history as the history cache had it (the CRC of its line).
It is trusted when both still match: the file by its `stat` when it was last modified
well before it was read (a write within the file system's timestamp resolution could
hide behind the same time), by its digest otherwise; the history when the cache's line
for the document is the one the verdict saw. Verdicts of another plancycle version or
another configuration are none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancycle import __version__
from plancycle.git.store import Store

NAME = "sync-verdicts"
# A file modified this close to the moment it was read may change again with the same
# time stamp (file systems keep times to a second or two): its stat proves nothing.
_RACY_NS = 3_000_000_000


@dataclass(frozen=True)
class Seen:
    """A file as it was read: its stat, taken before reading, and a digest of its bytes."""

    size: int
    mtime_ns: int
    inode: int
    read_ns: int  # when it was read
    digest: str

    @classmethod
    def of(cls, data: bytes, stat: os.stat_result, read_ns: int) -> Seen:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ino, read_ns, digest(data))

    def check(self, path: Path, now_ns: int) -> Seen | None:
        """The file as it is now (``now_ns``) when it still holds the bytes that were read
        (this, when its stat proves it; refreshed when its digest had to), else None."""
        try:
            now = path.stat()
        except OSError:
            return None
        if (now.st_size, now.st_mtime_ns, now.st_ino) == (self.size, self.mtime_ns, self.inode):
            if self.mtime_ns < self.read_ns - _RACY_NS:
                return self
        elif now.st_size != self.size:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return Seen.of(data, now, now_ns) if digest(data) == self.digest else None


@dataclass(frozen=True)
class Verdict:
    seen: Seen
    history: str  # the CRC of the document's line in the history cache
    managed: bool
    highest: str | None  # the highest version history shows (recorded for the hook)
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    unbumped: tuple[str, ...] = ()

    def as_json(self) -> list[Any]:
        s = self.seen
        return [
            s.size,
            s.mtime_ns,
            s.inode,
            s.read_ns,
            s.digest,
            self.history,
            self.managed,
            self.highest,
            list(self.notes),
            list(self.problems),
            list(self.unbumped),
        ]

    @classmethod
    def from_json(cls, raw: Any) -> Verdict | None:
        try:
            size, mtime, inode, read_ns, hashed, history, managed, highest, notes, problems, unbumped = raw
            return cls(
                Seen(int(size), int(mtime), int(inode), int(read_ns), str(hashed)),
                str(history),
                bool(managed),
                None if highest is None else str(highest),
                tuple(map(str, notes)),
                tuple(map(str, problems)),
                tuple(map(str, unbumped)),
            )
        except (TypeError, ValueError):
            return None


class Verdicts:
    def __init__(self, store: Store, settings: str, found: dict[str, Any]) -> None:
        self._store = store
        self._settings = settings
        self._raw = found
        self._changed = False

    @classmethod
    def load(cls, store: Store, settings: str) -> Verdicts:
        """``settings``: a fingerprint of everything else a verdict depends on."""
        data = store.read(NAME)
        fits = data.get("plancycle") == __version__ and data.get("settings") == settings
        documents = data.get("documents")
        return cls(store, settings, documents if fits and isinstance(documents, dict) else {})

    def emptied(self) -> Verdicts:
        """None of them, to be written over these when saved."""
        gone = Verdicts(self._store, self._settings, {})
        gone._changed = True
        return gone

    def get(self, path: str) -> Verdict | None:
        raw = self._raw.get(path)
        return Verdict.from_json(raw) if raw is not None else None

    def put(self, path: str, verdict: Verdict | None) -> None:
        if verdict is None:
            self._changed |= self._raw.pop(path, None) is not None
            return
        raw = verdict.as_json()
        if self._raw.get(path) != raw:
            self._raw[path] = raw
            self._changed = True

    def keep_only(self, paths: set[str]) -> None:
        for path in [p for p in self._raw if p not in paths]:
            self.put(path, None)

    def save(self) -> str | None:
        """Write the verdicts when they changed; a note when they could not be written."""
        if not self._changed:
            return None
        try:
            self._store.write(NAME, {"plancycle": __version__, "settings": self._settings, "documents": self._raw})
        except Exception as exc:  # a verdict is only ever a shortcut
            return f"could not keep what this run found under {self._store.folder} ({exc})"
        self._changed = False
        return None


def digest(data: bytes) -> str:
    import hashlib  # only when a file must be read: a run whose files all kept their stat never does

    return hashlib.blake2b(data, digest_size=16).hexdigest()
