"""What the last `changelog sync` found for each document it judged in step, kept so the
next run need not read the document nor its history again while neither has changed.

A verdict is about content: the bytes the document was judged from, named as git names a
blob, and its history, named by the CRC of its line in the history cache. It answers for
a file git says is as its index holds it (`git diff-files`: git's own stat records, racy
writes included; an entry git is told not to look at, `skip-worktree` or `assume-unchanged`, is
always read) with that blob staged, while the cache's line for the document is the one the
verdict saw. A file whose bytes are not its staged blob (edited, or converted at checkout:
`core.autocrlf`) is read every run and leaves no verdict. Being about content, verdicts
live beside the history cache, shared by worktrees.

One line per document (path, blob, history, managed or not, the highest version history
shows, and its notes, problems and unbumped commits as JSON when it has any), parsed only
for the documents asked about: a run reads thousands of them. The first line names the
format, the plancycle version, the settings and a CRC-32 of the rest: verdicts of another
plancycle version or other settings, or damaged ones, are none.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence

from plancycle import __version__
from plancycle.git.store import Store
from plancycle.history.cache import keyed_lines, line_key, read_key

NAME = "sync-verdicts"
_EARLIER = ("sync-verdicts.json",)  # what earlier versions kept: removed when these are written
MAGIC = b"plancycle-sync-verdicts"
FORMAT = 1


class Verdict:
    """What a run found for one document: its blob, the history's CRC, whether the document
    is managed, the highest version history shows, its notes, problems and unbumped commits."""

    __slots__ = ("blob", "highest", "history", "managed", "notes", "problems", "unbumped")

    def __init__(
        self,
        blob: str,
        history: str,
        managed: bool,
        highest: str | None,
        notes: Sequence[str] = (),
        problems: Sequence[str] = (),
        unbumped: Sequence[str] = (),
    ) -> None:
        self.blob, self.history, self.managed, self.highest = blob, history, managed, highest
        self.notes, self.problems, self.unbumped = list(notes), list(problems), list(unbumped)

    @property
    def quiet(self) -> bool:
        """Nothing to say: in step, no notes."""
        return not (self.notes or self.problems or self.unbumped)

    def line(self, path: str) -> bytes:
        said = [self.notes, self.problems, self.unbumped]
        lists = json.dumps(said, separators=(",", ":"), ensure_ascii=True).encode() if any(said) else b""
        flag = b"m" if self.managed else b"u"
        fields = [line_key(path), self.blob.encode(), self.history.encode(), flag, line_key(self.highest or ""), lists]
        return b"\t".join(fields)

    @classmethod
    def from_line(cls, raw: bytes) -> Verdict | None:
        """The verdict a line holds, or None for one this plancycle did not write (read by
        the thousand: the common verdict, in step with nothing to say, takes no JSON)."""
        fields = raw.split(b"\t")
        if len(fields) != 6 or fields[3] not in (b"m", b"u"):
            return None
        _key, blob, history, flag, highest, lists = fields
        try:
            said = json.loads(lists) if lists else None
            if said is not None and not (
                isinstance(said, list)
                and len(said) == 3
                and all(isinstance(found, list) and all(isinstance(n, str) for n in found) for found in said)
            ):
                return None
            verdict = cls.__new__(cls)
            verdict.blob, verdict.history = blob.decode("ascii"), history.decode("ascii")
            verdict.managed = flag == b"m"
            verdict.highest = (highest.decode() if highest[:1] != b'"' else read_key(highest)) or None
        except (ValueError, RecursionError):
            return None
        verdict.notes, verdict.problems, verdict.unbumped = said if said is not None else ([], [], [])
        return verdict


class Verdicts:
    def __init__(self, store: Store, settings: str, lines: dict[str, bytes]) -> None:
        self._store = store
        self._settings = settings
        self._lines = lines  # path -> its line, as written
        self._changed = False

    @classmethod
    def load(cls, store: Store, settings: str) -> Verdicts:
        """``settings``: a fingerprint of everything else a verdict depends on."""
        lines: dict[str, bytes] = {}
        try:
            data = (store.folder / NAME).read_bytes()
        except OSError:
            return cls(store, settings, lines)
        header, _, body = data.partition(b"\n")
        if header == _header(settings, body):
            try:
                lines = keyed_lines(body)
            except ValueError:
                lines = {}
        return cls(store, settings, lines)

    def emptied(self) -> Verdicts:
        """None of them, to be written over these when saved."""
        gone = Verdicts(self._store, self._settings, {})
        gone._changed = True
        return gone

    def get(self, path: str) -> Verdict | None:
        raw = self._lines.get(path)
        return Verdict.from_line(raw) if raw is not None else None

    def put(self, path: str, verdict: Verdict | None) -> None:
        if verdict is None:
            self._changed |= self._lines.pop(path, None) is not None
            return
        raw = verdict.line(path)
        if self._lines.get(path) != raw:
            self._lines[path] = raw
            self._changed = True

    def keep_only(self, paths: set[str]) -> None:
        for path in [p for p in self._lines if p not in paths]:
            self.put(path, None)

    def save(self) -> str | None:
        """Write the verdicts when they changed; a note when they could not be written."""
        if not self._changed:
            return None
        from plancycle.fsutil import atomic_write

        body = b"".join(raw + b"\n" for raw in self._lines.values())
        try:
            self._store.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self._store.folder / NAME, _header(self._settings, body) + b"\n" + body, durable=False)
            for earlier in _EARLIER:
                (self._store.folder / earlier).unlink(missing_ok=True)
        except Exception as exc:  # a verdict is only ever a shortcut
            return f"could not keep what this run found under {self._store.folder} ({exc})"
        self._changed = False
        return None


def _header(settings: str, body: bytes) -> bytes:
    # The settings as one escaped line (what `repr` makes of them holds no line break).
    named = json.dumps(settings, ensure_ascii=True).encode()
    return b"\t".join([MAGIC, b"%d" % FORMAT, __version__.encode(), b"%08x" % zlib.crc32(body), named])


def blob_name(data: bytes, sha256: bool = False) -> str:
    """The name git gives a blob of ``data`` (SHA-1, or SHA-256 in a repository that uses it)."""
    import hashlib  # only when a document is read: a run the verdicts answer never is

    algorithm = hashlib.sha256 if sha256 else hashlib.sha1
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest()
