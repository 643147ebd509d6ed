"""What the last history read learnt, kept under the git folder (`history.cache` beside
plancycle's other records: shared by worktrees, never committed), so the next read only
reads the commits made since.

An index line per document: its path, a CRC-32 of its facts (its history in one word:
same CRC, same history), the revision HEAD's line reached first (and that touch's blob: a
merge is compared with it), and where its revisions lie in the rest of the file, as JSON
decoded only for the documents a command asks about (what did not change is written back
as it was). The first line says the format, the plancycle version, the commit the cache
describes, how many commits lay below it, the shallow horizon, the index's length and a
CRC-32 of everything after it. A cache that is missing, damaged, from another format or another
plancycle version, or made at another shallow horizon, reads as none: the caller reads
the whole history instead and writes a new one. Writes go to a temp file renamed into
place, so concurrent readers see one whole cache or the other.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from plancycle import __version__
from plancycle.errors import DocumentError
from plancycle.fsutil import atomic_write
from plancycle.history.facts import DocHistory, Revision

NAME = "history.cache"
MAGIC = b"plancycle-history-cache"
FORMAT = 3
_NONE = b"-"


class CacheRecord:
    """A cache read back: an index of lines, the revisions decoded on demand."""

    def __init__(
        self, last: str, total: int, lines: dict[str, tuple[bytes, bytes, bytes, int, int]], payload: memoryview
    ) -> None:
        self.last = last  # the commit it describes
        self.total = total  # the commits the walk that made it read
        # path -> (crc, head, head's first touch blob, where its revisions start, their length)
        self.lines = lines
        self.payload = payload  # every document's revisions, one after the other
        self.raw: dict[str, bytes] = {}  # path -> its index line, as written

    def head_of(self, path: str) -> tuple[str | None, str | None]:
        """(the revision that stands for the document at the cache's commit, the blob of
        the touch its line reached first there); (None, None) when it had none."""
        _crc, head, blob, _start, _length = self.lines[path]
        return (None if head == _NONE else head.decode()), (None if blob == _NONE else blob.decode())

    def fingerprint(self, path: str) -> str | None:
        found = self.lines.get(path)
        return found[0].decode() if found is not None else None

    def revisions(self, path: str) -> memoryview:
        _crc, _head, _blob, start, length = self.lines[path]
        return self.payload[start : start + length]

    def history(self, path: str, total: int) -> DocHistory:
        """The document's history as the cache has it; ``total``: commits the answer
        covers now, so each revision's order counts from the newest commit again."""
        head = self.lines[path][1]
        try:
            skipped, revisions = _decode(path, bytes(self.revisions(path)), total)
        except (ValueError, IndexError, TypeError, UnicodeDecodeError):
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
    try:
        data = (common_dir / "plancycle" / NAME).read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    parts = header.split(b"\t")
    if len(parts) != 9 or parts[0] != MAGIC or parts[1] != str(FORMAT).encode():
        return None
    _magic, _format, version, last, total, count, horizon, size, crc = parts
    if version.decode("utf-8", "replace") != __version__ or horizon != _horizon(shallow):
        return None
    if crc != _crc(body):
        return None  # damaged, cut short or edited by hand: trust none of it
    try:
        expected, commits, index_size = int(count), int(total), int(size)
        lines: dict[str, tuple[bytes, bytes, bytes, int, int]] = {}
        raws: dict[str, bytes] = {}
        for raw in body[:index_size].split(b"\n")[:-1]:
            key, line_crc, head, blob, start, length = raw.split(b"\t")
            path = json.loads(key) if key.startswith(b'"') else key.decode("utf-8")
            lines[path] = (line_crc, head, blob, int(start), int(length))
            raws[path] = raw
    except ValueError:
        return None
    if len(lines) != expected or not last:
        return None
    record = CacheRecord(last.decode(), commits, lines, memoryview(body)[index_size:])
    record.raw = raws
    return record


def save(
    common_dir: Path,
    head: str,
    total: int,
    followed: Documents,
    first_blobs: dict[str, str],
    shallow: set[str],
    record: CacheRecord | None,
) -> None:
    """Write the cache for ``head``: ``followed``, the history of every document followed
    (``total`` commits below it), ``first_blobs`` the blob of the touch HEAD's line reached
    first for each. Lines taken from ``record`` unchanged are written back as they were.
    Best effort: a cache that cannot be written only means the next read reads everything."""
    unchanged = record is not None and record.last == head and len(followed) == len(record.lines)
    if unchanged and all(followed.unchanged(p) for p in followed):
        return  # nothing learnt
    written: dict[str, str] = {}
    index: list[bytes] = []
    kept = [p for p in followed if followed.unchanged(p)] if record is not None else []
    # Revisions that did not change stay where they are, their index lines as written, and
    # new ones go after them: a run after one commit writes back one line's worth of new
    # facts. Once half the old revisions are dead, everything is laid out afresh.
    live = sum(record.lines[p][4] for p in kept) if record is not None else 0
    reuse = record is not None and live * 2 >= len(record.payload)
    payload: list[bytes | memoryview] = [record.payload] if record is not None and reuse else []
    start = len(record.payload) if record is not None and reuse else 0
    for path in followed:
        if record is not None and followed.unchanged(path):
            if reuse:
                index.append(record.raw[path])
                continue
            crc, first, blob, _start, _length = record.lines[path]
            revisions: bytes | memoryview = record.revisions(path)
        else:
            doc = followed[path]
            first = doc.head.encode() if doc.head else _NONE
            reached = first_blobs.get(path)
            blob = reached.encode() if reached else _NONE
            revisions = _encode(doc, total)
            crc = _crc(first + b"\t" + blob + b"\t" + revisions)
            written[path] = crc.decode()
        index.append(b"\t".join([_key(path), crc, first, blob, b"%d" % start, b"%d" % len(revisions)]))
        payload.append(revisions)
        start += len(revisions)
    lines = b"\n".join(index) + b"\n" if index else b""
    body = lines + b"".join(payload)
    fields = [MAGIC, str(FORMAT).encode(), __version__.encode(), head.encode(), b"%d" % total]
    header = b"\t".join([*fields, b"%d" % len(followed), _horizon(shallow), b"%d" % len(lines), _crc(body)])
    try:
        (common_dir / "plancycle").mkdir(parents=True, exist_ok=True)
        atomic_write(common_dir / "plancycle" / NAME, header + b"\n" + body, durable=False)
    except Exception:  # a cache is only ever a shortcut
        return
    followed._crcs.update(written)


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


def _crc(data: bytes) -> bytes:
    return b"%08x" % zlib.crc32(data)


def _key(path: str) -> bytes:
    """The path as a line writes it: as it is, or as a JSON string when it holds a character
    the line format uses (or starts with a quote)."""
    plain = not path.startswith('"') and not any(c in path for c in "\t\n\r\\")
    return path.encode("utf-8") if plain else json.dumps(path).encode()


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
