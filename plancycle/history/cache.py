"""What the last history read learnt, kept under the git folder (`history.cache` beside
plancycle's other records: shared by worktrees, never committed), so the next read only
reads the commits made since.

The file is a run of chunks, and the last line of the last one (the trailer) says what
the cache is. A chunk holds the revisions of the documents whose history changed, then an
index line per document: its path, a CRC-32 of its facts (its history in one word: same
CRC, same history), the revision HEAD's line reached first (and that touch's blob: a merge
is compared with it), and where its revisions lie in the file, decoded only for the
documents a command asks about. The trailer gives the format, the plancycle version, the
commit the cache describes, how many commits lay below it, the shallow horizon, where the
index starts, how many bytes no index line uses any more, where the chunk began (the state
before it ends there), where the block of every path the history below had lies (under a
scope: see `Names`; written again only when new paths come) and a CRC-32 of everything
before it. A run after one commit appends
one chunk (that document's revisions and a new index) under a lock, so nothing written is
written again, and the states before stay readable: a switch back to another branch, or
a branch read from its fork point, finds its own. Once more than `KEEP_DEAD` bytes and
more than half the file would be dead, it is laid out afresh through a temp file renamed
into place, as a cache made from nothing is. A cache that is missing, damaged, cut short
(an append that did not finish), from another format or another plancycle version, or made
at another shallow horizon, reads as none: the caller reads the whole history instead and
writes a new one.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from plancycle import __version__
from plancycle.errors import DocumentError
from plancycle.fsutil import atomic_write
from plancycle.history.facts import DocHistory, Revision

if TYPE_CHECKING:
    import mmap

NAME = "history.cache"
MAGIC = b"plancycle-history-cache"
FORMAT = 6
_NONE = b"-"
# Dead bytes a cache may hold whatever its size (beyond that, no more than it uses): the
# earlier states they make up answer a switch back to another branch, or a branch read or
# merged from its fork point; a small project's cache would otherwise keep none.
KEEP_DEAD = 256 * 1024
_TRAILER_MAX = 4096  # far more than a trailer takes: a commit name and a few numbers


class CacheRecord:
    """A cache read back: an index line per document, parsed and decoded on demand."""

    def __init__(self, last: str, total: int, lines: dict[str, bytes], data: mmap.mmap | bytes) -> None:
        self.last = last  # the commit it describes
        self.total = total  # the commits the walk that made it read
        self.lines = lines  # path -> its index line, as written
        self.data = data  # the file: revisions lie at the offsets the lines give
        self._fields: dict[str, tuple[bytes, bytes, bytes, int, int]] = {}
        # What an append continues from: the file's identity and size as read, its CRC-32
        # up to there, where its index starts, and how many of its bytes no line uses.
        self.identity: tuple[int, int] | None = None
        self.size = 0
        self.crc = 0
        self.index_start = 0
        self.dead = 0
        self.begins = 0  # where the chunk this state closes begins: the state before ends there
        self.horizon = b""
        self.newest: CacheRecord | None = None  # for an earlier state, the file's last one
        # Every path under ``scope`` the history below the cache's commit ever had (a
        # newline-framed block of them; None: not known), and where the block lies.
        self.scope: str | None = None
        self.names_at = (0, 0)
        self._names: bytes | None = None

    def earlier(self) -> Iterator[CacheRecord]:
        """The states the cache described before this one, newest first, as long as the
        file still holds them (appended chunks do; laying it out afresh keeps one)."""
        state: CacheRecord | None = self
        while state is not None and state.begins > 0:
            state = _state(self.data, state.begins, self.horizon)
            if state is not None:
                state.newest = self
                yield state

    def had_name(self, path: str) -> bool | None:
        """Whether any commit below the cache's commit had ``path`` (None: not known)."""
        if self.scope is None or not path.startswith(self.scope):
            return None
        return b"\n" + line_key(path) + b"\n" in self.names_block()

    def names_block(self) -> bytes:
        if self._names is None:  # asked once per name a read checks: read once
            start, length = self.names_at
            self._names = bytes(self.data[start : start + length])
        return self._names

    def _line(self, path: str) -> tuple[bytes, bytes, bytes, int, int]:
        """(crc, head, head's first touch blob, where its revisions start, their length)."""
        found = self._fields.get(path)
        if found is None:
            try:
                _key, crc, head, blob, start, length = self.lines[path].split(b"\t")
                if not (crc + head + blob).isascii():
                    raise ValueError(path)
                found = self._fields[path] = (crc, head, blob, int(start), int(length))
            except ValueError:  # checksums that agree over a line this plancycle did not write
                raise DocumentError(
                    NAME, f"cannot read {path}'s line; remove the file, or run with --no-cache"
                ) from None
        return found

    def head_of(self, path: str) -> tuple[str | None, str | None]:
        """(the revision that stands for the document at the cache's commit, the blob of
        the touch its line reached first there); (None, None) when it had none."""
        _crc, head, blob, _start, _length = self._line(path)
        return (None if head == _NONE else head.decode()), (None if blob == _NONE else blob.decode())

    def fingerprint(self, path: str) -> str | None:
        line = self.lines.get(path)
        if line is None:
            return None
        parts = line.split(b"\t", 2)  # asked of every document: the one field alone
        return parts[1].decode() if len(parts) == 3 and parts[1].isascii() else self._line(path)[0].decode()

    def length(self, path: str) -> int:
        return self._line(path)[4]

    def revisions(self, path: str) -> bytes:
        _crc, _head, _blob, start, length = self._line(path)
        return bytes(self.data[start : start + length])

    def history(self, path: str, total: int) -> DocHistory:
        """The document's history as the cache has it; ``total``: commits the answer
        covers now, so each revision's order counts from the newest commit again."""
        head = self._line(path)[1]
        try:
            skipped, revisions = _decode(path, self.revisions(path), total)
        except (ValueError, IndexError, TypeError, RecursionError):
            # Checksums that agree over bytes this plancycle did not write (a hand edit).
            raise DocumentError(
                NAME, f"cannot read {path}'s history; remove the file, or run with --no-cache"
            ) from None
        return DocHistory(path, revisions, skipped, None if head == _NONE else head.decode())


class Documents(Mapping[str, DocHistory]):
    """The documents of an answer: histories worked out now (``known``), the others as the
    cache has them, decoded the first time they are asked for."""

    def __init__(
        self, paths: list[str], known: Mapping[str, DocHistory | None], record: CacheRecord | None, total: int
    ) -> None:
        self._paths = paths
        self._known = {p: h for p, h in known.items() if h is not None}
        # The cache's own: everything not worked out (None in ``known``, or not in it).
        self._same = {p for p in paths if known.get(p) is None} if record is not None else set()
        self._record = record
        self._total = total
        self._crcs: dict[str, str] = {}  # worked-out histories' lines, once written

    def __getitem__(self, path: str) -> DocHistory:
        found = self._known.get(path)
        if found is None:
            if path not in self._same or self._record is None:
                raise KeyError(path)
            found = self._known[path] = self._record.history(path, self._total)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def unchanged(self, path: str) -> bool:
        """Whether the document's history is the cache's own, as it was written."""
        return path in self._same

    def fingerprint(self, path: str) -> str | None:
        """The CRC of the document's line in the cache (None when it was not written): the
        same CRC, the same history."""
        if path in self._same and self._record is not None:
            return self._record.fingerprint(path)
        return self._crcs.get(path)

    def subset(self, paths: list[str]) -> Documents:
        view = Documents(paths, {}, None, self._total)
        # One set of histories between them.
        view._known, view._same, view._record, view._crcs = self._known, self._same, self._record, self._crcs
        return view


def load(common_dir: Path, shallow: set[str]) -> CacheRecord | None:
    """The cache, or None when there is none this plancycle can trust."""
    import mmap

    try:
        with (common_dir / "plancycle" / NAME).open("rb") as handle:
            status = os.fstat(handle.fileno())
            if status.st_size < 2:
                return None
            # Mapped, not read: a run after one commit decodes one document's revisions.
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    record = _state(data, len(data), _horizon(shallow))
    if record is not None:
        record.identity = (status.st_ino, status.st_dev)
    return record


def _state(data: mmap.mmap | bytes, size: int, horizon: bytes) -> CacheRecord | None:
    """The cache as the trailer ending at ``size`` describes it; None when it is not one
    this plancycle can trust."""
    end = data.rfind(b"\n", max(0, size - _TRAILER_MAX), size - 1) + 1  # where the trailer starts
    trailer = data[end:size]
    parts = trailer[:-1].split(b"\t")
    if not trailer.endswith(b"\n") or len(parts) != 14 or parts[0] != MAGIC or parts[1] != b"%d" % FORMAT:
        return None  # none, another format, or an append that did not finish
    _magic, _format, version, last, total, count, kept_horizon, index_start, dead, begins, *named, crc = parts
    if version.decode("utf-8", "replace") != __version__ or kept_horizon != horizon or not (last and last.isascii()):
        return None
    upto = zlib.crc32(memoryview(data)[:end])
    if crc != b"%08x" % zlib.crc32(trailer[: -len(crc) - 1], upto):
        return None  # damaged, or edited by hand: trust none of it
    try:
        start, expected, commits, unused, chunk = int(index_start), int(count), int(total), int(dead), int(begins)
        names_at, scope = (int(named[0]), int(named[1])), None if named[2] == _NONE else read_key(named[2])
        if not 0 <= names_at[0] <= names_at[0] + names_at[1] <= start:
            raise ValueError(names_at)
        index = data[start:end]
        lines = keyed_lines(index)
    except ValueError:
        return None
    if len(lines) != expected or index.count(b"\t") != 5 * expected or not 0 <= chunk <= start:
        return None
    record = CacheRecord(last.decode(), commits, lines, data)
    record.size, record.index_start, record.crc, record.dead = size, start, zlib.crc32(trailer, upto), unused
    record.begins, record.horizon = chunk, horizon
    record.names_at, record.scope = names_at, scope
    return record


def save(
    common_dir: Path,
    head: str,
    total: int,
    followed: Documents,
    first_blobs: dict[str, str],
    shallow: set[str],
    record: CacheRecord | None,
    names: Names | None = None,
) -> None:
    """Write the cache for ``head``: ``followed``, the history of every document followed
    (``total`` commits below it), ``first_blobs`` the blob of the touch HEAD's line reached
    first for each, ``names`` the paths its history had (see `Names`; None: not known). What ``record`` (the state the answer grew from) holds unchanged stays
    where it is, and a chunk with the rest is appended, unless too much of the file would
    then be dead (see `KEEP_DEAD`): then it is laid out afresh. Best effort: a cache that
    cannot be written only means the next read reads everything."""
    # An earlier state that answered is made the last one again, even with nothing new.
    unchanged = record is not None and not record.newest and record.last == head and len(followed) == len(record.lines)
    if unchanged and all(followed.unchanged(p) for p in followed):
        return  # nothing learnt
    target = common_dir / "plancycle" / NAME
    answer = _Answer(head, total, followed, first_blobs, shallow, names)
    written: dict[str, str] = {}
    try:
        if record is None or not _append(target, answer, record, written):
            written.clear()
            chunk = _chunk(answer, record, written, in_place=False)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, chunk, durable=False)
    except Exception:  # a cache is only ever a shortcut
        return
    followed._crcs.update(written)


# The paths under a scope (a folder, "" for all) that the history below a cache's commit
# ever had: (scope, block), the block newline-framed, or None for the block of the state
# the answer grew from, as it is. A name a merge carries down a branch that no commit
# below had finds nothing there, whichever documents it stands for.
Names = tuple[str, bytes | None]


def names_block(names: Iterable[str]) -> bytes:
    return b"\n" + b"".join(line_key(name) + b"\n" for name in names)


class _Answer(NamedTuple):
    """What a cache is written for (see `save`)."""

    head: str
    total: int
    followed: Documents
    first_blobs: dict[str, str]
    shallow: set[str]
    names: Names | None


def _append(target: Path, answer: _Answer, record: CacheRecord, written: dict[str, str]) -> bool:
    """Append a chunk to the file ``record`` was read from; False when that cannot be done
    (no locks on this system, the file is no longer as it was read: another run wrote it
    since) or should not (too much of it would be dead)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no advisory locks: laid out afresh each time
        return False
    newest = record.newest or record  # the file's last state: the chunk goes after it
    if newest.identity is None:
        return False
    # Bytes no line will use once the chunk is on. From the last state: its index and
    # trailer, and the revisions of every document written again or no longer followed;
    # from an earlier one, everything but the revisions the new index keeps.
    kept_names = answer.names is not None and answer.names[1] is None  # the block stays where it is
    if newest is record:
        dead = record.dead + record.size - record.index_start + (0 if kept_names else record.names_at[1])
        dead += sum(record.length(p) for p in record.lines if not answer.followed.unchanged(p))
    else:
        dead = newest.size - sum(record.length(p) for p in answer.followed if answer.followed.unchanged(p))
        dead -= record.names_at[1] if kept_names else 0
    chunk = _chunk(answer, record, written, base=newest.size, crc_before=newest.crc, dead=dead)
    if dead > max(newest.size + len(chunk) - dead, KEEP_DEAD):
        return False
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND)
    except OSError:  # not ours to write (another user's, read-only): laid out afresh, renamed in
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # one appender at a time; readers need no lock
        status = os.fstat(fd)
        if (status.st_ino, status.st_dev) != newest.identity or status.st_size != newest.size:
            return False
        # Written whole or not at all, as readers see it: a chunk cut short (a full disk)
        # ends in no trailer, so the file reads as no cache until it is laid out afresh.
        # Never cut back: a reader may have mapped those bytes, and touching them once gone
        # would kill it.
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return True


def _chunk(
    answer: _Answer,
    record: CacheRecord | None,
    written: dict[str, str],
    *,
    base: int = 0,
    crc_before: int = 0,
    dead: int = 0,
    in_place: bool = True,
) -> bytes:
    """The chunk that makes the cache for ``answer`` when written at offset ``base`` of a
    file whose bytes before it have the CRC-32 ``crc_before`` (``dead`` of them unused).
    ``in_place``: documents whose history is ``record``'s own keep their revisions where
    they lie (their lines as they were); otherwise theirs are copied into the chunk too."""
    followed = answer.followed
    index: list[bytes] = []
    payload: list[bytes] = []
    at = base
    scope, names_at = _NONE, (0, 0)
    if answer.names is not None:
        named, block = answer.names
        if block is None and record is not None and in_place:
            scope, names_at = line_key(named), record.names_at
        elif block is not None or record is not None:
            block = block if block is not None else record.names_block() if record is not None else b""
            scope, names_at = line_key(named), (at, len(block))
            payload.append(block)
            at += len(block)
    for path in followed:
        if record is not None and followed.unchanged(path):
            if in_place:
                index.append(record.lines[path])
                continue
            crc, first, blob, _start, _length = record._line(path)
            revisions = record.revisions(path)
        else:
            doc = followed[path]
            first = doc.head.encode() if doc.head else _NONE
            reached = answer.first_blobs.get(path)
            blob = reached.encode() if reached else _NONE
            revisions = _encode(doc, answer.total)
            crc = _crc(first + b"\t" + blob + b"\t" + revisions)
            written[path] = crc.decode()
        index.append(b"\t".join([line_key(path), crc, first, blob, b"%d" % at, b"%d" % len(revisions)]))
        payload.append(revisions)
        at += len(revisions)
    lines = b"\n".join(index) + b"\n" if index else b""
    body = b"".join(payload) + lines
    fields = [MAGIC, b"%d" % FORMAT, __version__.encode(), answer.head.encode(), b"%d" % answer.total]
    state = [b"%d" % len(followed), _horizon(answer.shallow), b"%d" % at, b"%d" % dead, b"%d" % base]
    state += [b"%d" % names_at[0], b"%d" % names_at[1], scope]
    trailer = b"\t".join([*fields, *state, b""])
    return body + trailer + b"%08x\n" % zlib.crc32(trailer, zlib.crc32(body, crc_before))


# A document's revisions as text: fields split by unit separators, revisions by record
# separators (what git's own log format here uses); JSON when a field holds one of those,
# or a line break. The first byte says which.
_UNIT, _RECORD = "\x1f", "\x1e"


def _encode(doc: DocHistory, total: int) -> bytes:
    """A document's revisions, each one's fields in order, but: its path empty when it is the
    document's own, its parents 1 when it is made from the revision before it alone (most
    are), and its order counted from the oldest commit (a number that stays put as commits
    come on top, so an untouched document is written back as it was)."""
    rows = []
    before: tuple[str, ...] = ()
    own = doc.path
    for r in doc.revisions:
        parents = "1" if r.parents == before and before else " ".join(r.parents)
        rows.append(
            (
                r.commit,
                r.date,
                r.author,
                r.subject,
                "" if r.path == own else r.path,
                r.blob,
                r.version or "",
                r.status or "",
                "1" if r.boundary else "",
                str(total - r.order),
                parents,
                "1" if r.merge else "",
            )
        )
        before = (r.commit,)
    text = _RECORD.join([" ".join(doc.skipped), *(_UNIT.join(row) for row in rows)])
    # No field holds a separator when there are just as many as the fields need.
    if (
        text.count(_UNIT) == 11 * len(rows)
        and text.count(_RECORD) == len(rows)
        and "\n" not in text
        and "\r" not in text
    ):
        return b"T" + text.encode("utf-8")
    revisions = [(*row[:9], int(row[9]), row[10], row[11]) for row in rows]
    return b"J" + json.dumps([doc.skipped, revisions], separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _decode(path: str, data: bytes, total: int) -> tuple[list[str], list[Revision]]:
    if data[:1] == b"T":
        skipped_text, *records = data[1:].decode("utf-8").split(_RECORD)
        rows = [record.split(_UNIT) for record in records]
        skipped = skipped_text.split(" ") if skipped_text else []
    else:
        skipped, rows = json.loads(data[1:])
        strings = all(isinstance(s, str) for s in skipped) if isinstance(skipped, list) else False
        if not (strings and isinstance(rows, list) and all(_a_row(r) for r in rows)):
            raise ValueError(path)
    revisions = []
    before: tuple[str, ...] = ()
    for r in rows:
        parents = before if r[10] == "1" else tuple(r[10].split())
        revisions.append(
            Revision(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4] or path,
                r[5],
                r[6] or None,
                r[7] or None,
                r[8] == "1",
                total - int(r[9]),
                parents,
                r[11] == "1",
            )
        )
        before = (r[0],)
    return skipped, revisions


def _a_row(row: object) -> bool:
    """Whether a revision read back from JSON has the fields `_encode` writes, of their types."""
    if not isinstance(row, list) or len(row) != 12 or not isinstance(row[9], int):
        return False
    return all(isinstance(field, str) for number, field in enumerate(row) if number != 9)


def _crc(data: bytes) -> bytes:
    return b"%08x" % zlib.crc32(data)


def line_key(path: str) -> bytes:
    """The path as a line writes it: as it is, or as a JSON string when it holds a character
    the line format uses (or starts with a quote)."""
    plain = not path.startswith('"') and not any(c in path for c in "\t\n\r\\")
    return path.encode("utf-8") if plain else json.dumps(path).encode()


def keyed_lines(text: bytes) -> dict[str, bytes]:
    """Lines that each start with a `line_key` and a tab, by the path each names (thousands
    at a time: split in bulk); ValueError for a key that names no path, or one named twice."""
    raws = text.split(b"\n")[:-1]
    if not raws:
        return {}
    # A line without a tab is all key: whoever reads its fields finds too few.
    keys = [raw.partition(b"\t")[0] for raw in raws]
    found = dict(zip(b"\n".join(keys).decode("utf-8").split("\n"), raws, strict=True))
    if text.startswith(b'"') or b'\n"' in text:  # a path written as JSON: read as such
        found = {read_key(key): raw for key, raw in zip(keys, raws, strict=True)}
    if len(found) != len(raws):
        raise ValueError("a path named twice")
    return found


def read_key(key: bytes) -> str:
    """The path a line's first field names (see `line_key`); ValueError when it names none."""
    found = json.loads(key) if key.startswith(b'"') else key.decode("utf-8")
    if not isinstance(found, str):
        raise ValueError(key)
    return found


def _horizon(shallow: set[str]) -> bytes:
    """A short name for the shallow clone's horizon ("full" for a full clone)."""
    if not shallow:
        return b"full"
    return b"%08x" % zlib.crc32("\n".join(sorted(shallow)).encode())


def differences(cached: Mapping[str, DocHistory], full: Mapping[str, DocHistory]) -> list[str]:
    """What the cached answer says that a whole read does not, one line per document (empty
    when they agree). Revisions are compared as facts; their order in the list may differ
    where two branches' revisions interleave, and either order is parents before children."""
    found = []
    for path, truth in full.items():
        mine = cached.get(path)
        if mine is None:
            found.append(f"{path}: missing from the cache")
            continue
        theirs = {_facts(r): r.commit for r in truth.revisions}
        ours = {_facts(r): r.commit for r in mine.revisions}
        wrong = [commit for facts, commit in ours.items() if facts not in theirs]
        missing = [commit for facts, commit in theirs.items() if facts not in ours]
        problems = []
        if wrong:
            problems.append(f"{len(wrong)} revision(s) history does not have ({', '.join(c[:7] for c in wrong[:3])})")
        if missing:
            problems.append(f"{len(missing)} revision(s) missing ({', '.join(c[:7] for c in missing[:3])})")
        if mine.head != truth.head:
            problems.append(f"HEAD's revision {(mine.head or 'none')[:7]}, history says {(truth.head or 'none')[:7]}")
        if sorted(mine.skipped) != sorted(truth.skipped):
            problems.append("unreadable revisions differ")
        if problems:
            found.append(f"{path}: " + "; ".join(problems))
    return found


def _facts(r: Revision) -> tuple[object, ...]:
    return (r.commit, r.date, r.author, r.subject, r.path, r.blob, r.version, r.status, r.boundary, r.parents, r.merge)
