"""History in one pass: one `git log` stream and one `cat-file --batch` pipeline."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, NamedTuple

from plancycle.git.runner import run, stream

_LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%s"
# Settings of the user's that would change what a history read sees (see `log_stream`).
_PINNED = ("-c", "log.showRoot=true", "-c", "log.follow=false")


# Named tuples, not dataclasses: a history read makes one per commit and per change, and
# a tuple is several times quicker to make.
class LogEntry(NamedTuple):
    status: str  # A, M, R, C, D, T
    path: str
    old_path: str | None
    blob: str  # the blob after the change (zeros for a deletion)


class LogCommit(NamedTuple):
    sha: str
    parents: tuple[str, ...]
    author: str
    date: str  # author date (what `git log` shows), ISO 8601 with its own offset
    subject: str
    entries: tuple[LogEntry, ...]


@contextmanager
def log_stream(
    top: Path,
    pathspec: str | Sequence[str],
    rev: str | Sequence[str] = "HEAD",
    *,
    rewrite: bool = False,
    listed: Callable[[LogCommit], None] | None = None,
) -> Iterator[Iterator[LogCommit]]:
    """Every commit reachable from ``rev`` (one revision, or several: `["HEAD", "^last"]` for
    the commits since ``last``) that touches ``pathspec`` (one, or several), children before their
    parents, with its file changes (renames detected; a merge shows its changes against the
    first parent).

    The order is topological: the date order `git log` uses by default can put a parent
    before a child of another branch when commits share a timestamp, and whoever follows a
    document from commit to parent must see every child first.

    ``rewrite``: with a pathspec, every merge is listed too and each commit's parents are
    the nearest listed ones (`--full-history --parents`), so the commits connect as the
    whole graph does. git orders that list by date here (its own topological order with
    rewritten parents can take seconds on a large commit-graph), and it is put in
    topological order in memory: it holds only the commits that touch the pathspec.
    ``listed`` is called with each commit as git lists it, before that ordering (to start
    work that need not wait for it).

    A context manager: leaving the block before the last commit stops git and reaps it."""
    specs = [pathspec] if isinstance(pathspec, str) and pathspec else [] if isinstance(pathspec, str) else pathspec
    args = [
        # What a user's settings would change about the stream: a root commit shown with no
        # changes (its files would seem never added), one path followed across renames as
        # if --follow were given, signatures checked into the output.
        *_PINNED,
        "log",
        *(["--full-history", "--parents"] if rewrite else ["--topo-order"]),
        "--raw",
        "--root",
        "--no-show-signature",
        "-z",
        "-M",
        "--no-abbrev",
        "--diff-merges=first-parent",
        f"--format={_LOG_FORMAT}",
        *([rev] if isinstance(rev, str) else rev),
        *(["--", *specs] if specs else []),
    ]
    with stream(args, top, accept=_no_commits_yet) as git:
        commits = _Commits(git.stdout)
        yield _topological(commits, listed) if rewrite else iter(commits)
        if not commits.exhausted:
            git.stop()


def _topological(commits: Iterable[LogCommit], seen: Callable[[LogCommit], None] | None = None) -> Iterator[LogCommit]:
    """The commits with every child before its parents, in git's order where it already is."""
    listed = []
    for commit in commits:
        if seen is not None:
            seen(commit)
        listed.append(commit)
    by_sha = {c.sha: c for c in listed}
    children = dict.fromkeys(by_sha, 0)
    for commit in listed:
        for parent in set(commit.parents):
            if parent in children:
                children[parent] += 1
    ready = [c for c in reversed(listed) if not children[c.sha]]
    while ready:
        commit = ready.pop()
        yield commit
        for parent in dict.fromkeys(commit.parents):
            if parent in children:
                children[parent] -= 1
                if not children[parent]:
                    ready.append(by_sha[parent])


def touching_share(top: Path, rev: str, folder: str, sample: int = 200) -> float:
    """Of the last ``sample`` commits before ``rev`` (first parents and merged ones alike),
    the share that changes something under ``folder`` (a merge: against its first parent).
    One short `git log`; 1.0 when there are no commits."""
    prefix = folder.rstrip("/") + "/"
    out = run(
        [
            *_PINNED,
            "log",
            "-n",
            str(sample),
            "-z",
            "--name-only",
            "--root",
            "--diff-merges=first-parent",
            "--format=%x1e",
            rev,
        ],
        top,
        check=False,
    ).stdout
    records = [r for r in out.split(b"\x1e") if r.strip(b"\0\n")]
    if not records:
        return 1.0
    wanted = prefix.encode()
    touching = sum(any(p.lstrip(b"\n").startswith(wanted) for p in r.split(b"\0")) for r in records)
    return touching / len(records)


def first_parent_changes(top: Path, commits: Iterable[str]) -> dict[str, LogCommit]:
    """Each commit's changes against its first parent over the whole tree (renames detected),
    in one `git diff-tree --stdin`: what a log read with a pathspec cannot see (a file moved
    in from outside it reads as added)."""
    names = list(dict.fromkeys(commits))
    if not names:
        return {}
    args = ["diff-tree", "--stdin", "-r", "--root", "-M", "--raw", "-z", "--no-abbrev", "-m", "--first-parent"]
    out = run([*args, f"--format={_LOG_FORMAT}"], top, input="".join(f"{n}\n" for n in names).encode()).stdout
    found: dict[str, LogCommit] = {}
    for record in out.split(b"\x1e"):
        if record.strip(b"\0\n"):
            commit = _parse_log_record(record)
            found.setdefault(commit.sha, commit)  # a merge's first record is against its first parent
    return found


class _Commits:
    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self.exhausted = False

    def __iter__(self) -> Iterator[LogCommit]:
        buffer = b""
        while True:
            chunk = self._out.read(1 << 18)
            if chunk:
                buffer += chunk
                *complete, buffer = buffer.split(b"\x1e")
            else:
                complete, buffer = [buffer], b""
            for record in complete:
                if record.strip(b"\0\n"):
                    yield _parse_log_record(record)
            if not chunk:
                self.exhausted = True
                return


def _no_commits_yet(code: int, error: str) -> bool:
    return "does not have any commits" in error or "bad default revision" in error or "bad revision 'HEAD'" in error


# One raw diff entry: ":<mode> <mode> <old sha> <new sha> <status>\0<path>\0", with a second
# path after renames and copies.
_RAW_ENTRY = re.compile(
    rb":[0-7]+ [0-7]+ [0-9a-f]+ ([0-9a-f]+) (?:([RC])[0-9]*\0([^\0]*)\0([^\0]*)|([A-Z])[0-9]*\0([^\0]*))\0"
)


def _parse_log_record(record: bytes) -> LogCommit:
    header, _, raw = record.partition(b"\0")
    sha, parents, author, date, subject = header.decode("utf-8", "replace").split("\x1f", 4)
    entries = []
    for blob, moved, source, target, status, path in _RAW_ENTRY.findall(raw):
        if moved:
            entries.append(
                LogEntry(
                    moved.decode(), target.decode("utf-8", "replace"), source.decode("utf-8", "replace"), blob.decode()
                )
            )
        else:
            entries.append(LogEntry(status.decode(), path.decode("utf-8", "replace"), None, blob.decode()))
    return LogCommit(sha, tuple(parents.split()), author, date, subject.rstrip("\n"), tuple(entries))


class ObjectPipeline:
    """One `git cat-file --batch` fed while something else streams: each object is handed
    to ``handle`` on a reader thread as soon as git answers, so reading history and reading
    blobs overlap instead of running one after the other. Use it as a context manager:
    leaving the block waits for every answer, or stops git when the block failed."""

    def __init__(self, top: Path, handle: Callable[[str, bytes | None], None]) -> None:
        self._top = top
        self._handle = handle
        self._pending: list[str] = []
        self._error: BaseException | None = None

    def __enter__(self) -> ObjectPipeline:
        import queue  # the pipeline's thread and queue: only history reads need them
        import threading

        self._names: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._context = stream(["cat-file", "--batch"], self._top, stdin=True)
        self._git = self._context.__enter__()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        return self

    def request(self, name: str) -> None:
        self._pending.append(name)
        if len(self._pending) >= 512:
            self._send()

    def _send(self) -> None:
        # In batches: one write (and one queue hand-over) per few hundred names.
        if self._error is not None:
            raise self._error
        for name in self._pending:
            self._names.put(name)
        self._git.stdin.write("".join(f"{n}\n" for n in self._pending).encode("utf-8"))
        self._git.stdin.flush()
        self._pending = []

    def _read(self) -> None:
        out = self._git.stdout
        try:
            while (name := self._names.get()) is not None:
                header = out.readline().split()
                if not header:
                    raise EOFError("git cat-file ended before answering every request")
                if len(header) < 3 or header[-1] == b"missing":
                    self._handle(name, None)
                    continue
                data = out.read(int(header[2]))
                out.read(1)
                self._handle(name, data if header[1] == b"blob" else None)
        except BaseException as exc:  # re-raised on the caller's thread
            self._error = exc

    def __exit__(self, kind: object, value: BaseException | None, traceback: object) -> None:
        if value is None:
            try:
                if self._pending:
                    self._send()
            except BaseException as exc:
                value = exc
        self._names.put(None)
        if value is not None:
            # Failing anyway: stop git first, so the reader thread sees the end of its output.
            self._git.finish()
            self._thread.join()
            self._context.__exit__(type(value), value, None)
            raise value
        self._git.stdin.close()
        self._thread.join()
        self._context.__exit__(None, None, None)
        if self._error is not None:
            raise self._error


def parents_of(top: Path, commits: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each commit's own parents (as it was made, whatever a log read rewrote); one process."""
    names = list(dict.fromkeys(commits))
    if not names:
        return {}
    out = run(["rev-list", "--no-walk=unsorted", "--parents", "--stdin"], top, input="\n".join(names).encode() + b"\n")
    found = {}
    for line in out.stdout.decode().splitlines():
        sha, *parents = line.split()
        found[sha] = tuple(parents)
    return found


def shallow_boundary(common_dir: Path) -> set[str]:
    """The commits a shallow clone is cut at (empty for a full clone). The list lives in the
    common git folder, shared by every worktree."""
    try:
        return set((common_dir / "shallow").read_text().split())
    except OSError:
        return set()
