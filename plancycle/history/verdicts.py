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
from collections.abc import Sequence
from typing import Any, NamedTuple

from plancycle import __version__
from plancycle.git.store import Store

NAME = "sync-verdicts"
# A file modified this close to the moment it was read may change again with the same
# time stamp (file systems keep times to a second or two): its stat proves nothing.
_RACY_NS = 3_000_000_000


class Seen(NamedTuple):
    """A file as it was read: its stat, taken before reading, and a digest of its bytes."""

    size: int
    mtime_ns: int
    ctime_ns: int  # no program sets it back, as one can set the modification time
    inode: int
    read_ns: int  # when it was read
    digest: str

    @classmethod
    def of(cls, data: bytes, stat: os.stat_result, read_ns: int) -> Seen:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, read_ns, digest(data))


class Verdict:
    """What a run found for one document, over its record as stored (a list: verdicts are
    read by the thousand, and only the few whose files changed are looked at closely)."""

    __slots__ = ("raw",)

    # The record: the file as seen (six fields, as Seen), the history's CRC, whether the
    # document is managed, the highest version history shows, notes, problems, unbumped.
    def __init__(self, raw: list[Any]) -> None:
        self.raw = raw

    @classmethod
    def new(
        cls,
        seen: Seen,
        history: str,
        managed: bool,
        highest: str | None,
        notes: Sequence[str] = (),
        problems: Sequence[str] = (),
        unbumped: Sequence[str] = (),
    ) -> Verdict:
        return cls([*seen, history, managed, highest, list(notes), list(problems), list(unbumped)])

    @classmethod
    def from_json(cls, raw: Any) -> Verdict | None:
        if not isinstance(raw, list) or len(raw) != 12:
            return None
        return cls(raw)

    @property
    def history(self) -> str:
        return str(self.raw[6])

    @property
    def managed(self) -> bool:
        return bool(self.raw[7])

    @property
    def highest(self) -> str | None:
        value = self.raw[8]
        return value if isinstance(value, str) else None

    @property
    def notes(self) -> list[str]:
        return [str(n) for n in self.raw[9]]

    @property
    def problems(self) -> list[str]:
        return [str(n) for n in self.raw[10]]

    @property
    def unbumped(self) -> list[str]:
        return [str(n) for n in self.raw[11]]

    def still(self, path: str, now_ns: int) -> Verdict | None:
        """This verdict when ``path`` still holds the bytes it was given for (refreshed when
        that took reading them), else None."""
        raw = self.raw
        try:
            now = os.stat(path)
        except OSError:
            return None
        try:
            if [now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino] == raw[:4]:
                if max(raw[1], raw[2]) < raw[4] - _RACY_NS:
                    return self
            elif now.st_size != raw[0]:
                return None
            with open(path, "rb") as handle:
                data = handle.read()
        except (OSError, TypeError):
            return None
        if digest(data) != raw[5]:
            return None
        return Verdict([*Seen.of(data, now, now_ns), *raw[6:]])


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
        raw = verdict.raw
        if self._raw.get(path) is not raw and self._raw.get(path) != raw:
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
