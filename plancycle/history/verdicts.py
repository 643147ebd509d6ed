"""What the last `changelog sync` found for each document it judged in step, kept so the
next run need not read the document nor its history again while neither has changed.

A verdict is about content: the bytes the document was judged from, named as git names a
blob, and its history, named by the CRC of its line in the history cache. It answers for
a file git says is as its index holds it (`git diff-files`: git's own stat records, racy
writes included; an entry git is told not to look at, `skip-worktree` or `assume-unchanged`, is
always read) with that blob staged, while the cache's line for the document is the one the
verdict saw. A file whose bytes are not its staged blob (edited, or converted at checkout:
`core.autocrlf`) is read every run and leaves no verdict. Being about content, verdicts live beside the history cache, shared by
worktrees. Verdicts of another plancycle version or another configuration are none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plancycle import __version__
from plancycle.git.store import Store

NAME = "sync-verdicts"


class Verdict:
    """What a run found for one document, over its record as stored: a list of its blob, the
    history's CRC, whether the document is managed, the highest version history shows, and
    its notes, problems and unbumped commits (verdicts are read by the thousand)."""

    __slots__ = ("raw",)

    def __init__(self, raw: list[Any]) -> None:
        self.raw = raw

    @classmethod
    def new(
        cls,
        blob: str,
        history: str,
        managed: bool,
        highest: str | None,
        notes: Sequence[str] = (),
        problems: Sequence[str] = (),
        unbumped: Sequence[str] = (),
    ) -> Verdict:
        return cls([blob, history, managed, highest, list(notes), list(problems), list(unbumped)])

    @classmethod
    def from_json(cls, raw: Any) -> Verdict | None:
        """The verdict a record holds, or None for one this plancycle did not write."""
        if not isinstance(raw, list) or len(raw) != 7:
            return None
        blob, history, managed, highest, *lists = raw
        if not (isinstance(blob, str) and isinstance(history, str) and isinstance(managed, bool)):
            return None
        if highest is not None and not isinstance(highest, str):
            return None
        if not all(isinstance(found, list) and all(isinstance(n, str) for n in found) for found in lists):
            return None
        return cls(raw)

    @property
    def blob(self) -> str:
        return str(self.raw[0])

    @property
    def history(self) -> str:
        return str(self.raw[1])

    @property
    def managed(self) -> bool:
        return bool(self.raw[2])

    @property
    def highest(self) -> str | None:
        value = self.raw[3]
        return value if isinstance(value, str) else None

    @property
    def notes(self) -> list[str]:
        return [str(n) for n in self.raw[4]]

    @property
    def problems(self) -> list[str]:
        return [str(n) for n in self.raw[5]]

    @property
    def unbumped(self) -> list[str]:
        return [str(n) for n in self.raw[6]]


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


def blob_name(data: bytes, sha256: bool = False) -> str:
    """The name git gives a blob of ``data`` (SHA-1, or SHA-256 in a repository that uses it)."""
    import hashlib  # only when a document is read: a run the verdicts answer never is

    algorithm = hashlib.sha256 if sha256 else hashlib.sha1
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest()
