"""Every git operation plancycle performs, one narrow function each.

Simple questions go to the `git` binary directly (cheap, no import cost); reading
trees across many refs uses GitPython, whose persistent `cat-file --batch` process
answers them all without a process per ref.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

from plancycle.errors import GitError

NOT_A_REPO = "not inside a git repository; run `git init` first or change to a repository folder"


def _git(args: Sequence[str], cwd: Path, *, check: bool = True, input: bytes | None = None) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, input=input, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {proc.returncode}"
        raise GitError(f"git {args[0]} failed: {detail}")
    return proc.stdout.decode("utf-8", "replace")


def find_repo_root(start: Path) -> Path | None:
    """Top of the working tree holding ``start``, or None outside any repository."""
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        return None
    out = proc.stdout.decode("utf-8").strip()
    return Path(out) if out else None


class Git:
    """A repository's working tree, asked only what plancycle needs."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def discover(cls, start: Path) -> Git:
        root = find_repo_root(start)
        if root is None:
            raise GitError(NOT_A_REPO)
        return cls(root)

    @cached_property
    def _repo(self):  # type: ignore[no-untyped-def]
        import git  # GitPython, imported only when a tree must be read

        return git.Repo(self.root)

    def user_name(self) -> str:
        return _git(["config", "user.name"], self.root, check=False).strip()

    def current_branch(self) -> str | None:
        name = _git(["symbolic-ref", "--quiet", "--short", "HEAD"], self.root, check=False).strip()
        return name or None

    def branch_exists(self, name: str) -> bool:
        out = _git(["rev-parse", "--verify", "--quiet", f"refs/heads/{name}"], self.root, check=False)
        return bool(out.strip())

    def check_branch_name(self, name: str) -> bool:
        proc = subprocess.run(
            ["git", "check-ref-format", "--branch", name], cwd=self.root, capture_output=True
        )
        return proc.returncode == 0

    def switch_new_branch(self, name: str) -> None:
        # `checkout -b` also works on an unborn branch (a repository with no commit yet).
        _git(["checkout", "-q", "-b", name], self.root)

    def subfolders_on_branches(self, folder: Path) -> dict[str, list[str]]:
        """Names of the sub-folders of ``folder`` in every local and remote-tracking branch.

        Maps each sub-folder name to the branches (short names) whose tree holds it.
        """
        relative = PurePosixPath(folder.resolve().relative_to(self.root.resolve()).as_posix())
        repo = self._repo
        found: dict[str, list[str]] = {}
        seen_trees: dict[str, list[str]] = {}
        for ref in repo.refs:
            if not ref.path.startswith(("refs/heads/", "refs/remotes/")):
                continue
            if ref.path.endswith("/HEAD"):  # origin/HEAD only repeats another branch
                continue
            try:
                commit = ref.commit
            except ValueError:  # a ref pointing at nothing usable
                continue
            try:
                tree = commit.tree / str(relative) if str(relative) != "." else commit.tree
            except KeyError:
                continue
            if tree.type != "tree":
                continue
            names = seen_trees.get(tree.hexsha)
            if names is None:
                names = [entry.name for entry in tree.trees]
                seen_trees[tree.hexsha] = names
            for name in names:
                found.setdefault(name, []).append(ref.name)
        return found



def init_repository(folder: Path) -> None:
    """A new repository with a local identity, for the demo and nothing else."""
    _git(["init", "-q", str(folder)], folder)
    _git(["config", "user.name", "plancycle demo"], folder)
    _git(["config", "user.email", "demo@plancycle.invalid"], folder)


# -- what the pre-commit hook needs: plumbing only, few processes --------------------

EMPTY_TREE_SHA1 = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@dataclass(frozen=True)
class StagedChange:
    status: str  # A, M, R, C (diff-index letters)
    path: str  # path in the index, relative to the repository top
    old_path: str | None
    mode: str  # index mode, e.g. 100644
    old_sha: str | None
    new_sha: str


@dataclass(frozen=True)
class RepoState:
    top: Path
    git_dir: Path
    head: str | None  # None on an unborn branch
    head_parents: tuple[str, ...]

    def path(self, name: str) -> Path:
        return self.git_dir / name

    def rebasing(self) -> bool:
        return self.path("rebase-merge").is_dir() or self.path("rebase-apply").is_dir()

    def merge_head(self) -> str | None:
        try:
            return self.path("MERGE_HEAD").read_text().split()[0]
        except (OSError, IndexError):
            return None


def repo_state(start: Path) -> RepoState:
    """Top, git dir and HEAD with its parents, in one process (two on an unborn branch)."""
    # HEAD^@ lists HEAD's parents; the whole call fails on an unborn branch, hence the retry.
    proc = subprocess.run(
        ["git", "rev-parse", "--show-toplevel", "--absolute-git-dir", "HEAD", "HEAD^@"],
        cwd=start, capture_output=True, check=False,
    )
    lines = proc.stdout.decode("utf-8").splitlines()
    if proc.returncode != 0:
        lines = _git(["rev-parse", "--show-toplevel", "--absolute-git-dir"], start, check=False).splitlines()
        if len(lines) < 2:
            raise GitError(NOT_A_REPO)
    top, git_dir = Path(lines[0]), Path(lines[1])
    return RepoState(top, git_dir, lines[2] if len(lines) > 2 else None, tuple(lines[3:]))


def empty_tree(top: Path) -> str:
    return _git(["hash-object", "-t", "tree", "--stdin"], top, input=b"").strip() or EMPTY_TREE_SHA1


def staged_changes(top: Path, base: str, pathspec: str) -> list[StagedChange]:
    """Files staged against ``base`` under ``pathspec``, renames detected; one process."""
    raw = _git(
        ["diff-index", "--cached", "-z", "-M", "--raw", "--no-abbrev", base, "--", pathspec], top
    )
    fields = raw.split("\0")
    changes = []
    index = 0
    while index < len(fields) - 1:
        meta = fields[index].lstrip(":").split()
        if len(meta) < 5:
            break
        old_mode, new_mode, old_sha, new_sha, status = meta[:5]
        letter = status[0]
        if letter in "RC":
            old_path, path = fields[index + 1], fields[index + 2]
            index += 3
        else:
            old_path, path = None, fields[index + 1]
            index += 2
        if letter not in "AMRC" or new_mode in ("160000", "120000"):
            continue
        changes.append(
            StagedChange(
                status=letter,
                path=path,
                old_path=old_path if letter in "RC" else (path if letter == "M" else None),
                mode=new_mode,
                old_sha=None if letter == "A" else old_sha,
                new_sha=new_sha,
            )
        )
    return changes


def read_objects(top: Path, names: Sequence[str]) -> dict[str, bytes | None]:
    """Contents of many objects (shas or `rev:path`) through one `cat-file --batch`."""
    if not names:
        return {}
    request = "".join(f"{name}\n" for name in names).encode("utf-8")
    proc = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=top, input=request, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise GitError(f"git cat-file failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    out = proc.stdout
    found: dict[str, bytes | None] = {}
    position = 0
    for name in names:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] == b"missing" or header[-1] == b"missing":
            found[name] = None
            continue
        size = int(header[2])
        found[name] = out[position : position + size] if header[1] == b"blob" else None
        position += size + 1
    return found


def write_blob(top: Path, data: bytes) -> str:
    # --no-filters: the text comes from the index, where clean filters have already run.
    return _git(["hash-object", "-w", "--no-filters", "--stdin"], top, input=data).strip()


def update_index(top: Path, entries: Sequence[tuple[str, str, str]], index_file: str | None = None) -> None:
    """Point index entries (mode, sha, path) at new blobs; never `git add`, so unstaged work stays."""
    records = "".join(f"{mode} {sha}\t{path}\0" for mode, sha, path in entries).encode("utf-8")
    env = None
    if index_file is not None:
        env = {**os.environ, "GIT_INDEX_FILE": index_file}
    proc = subprocess.run(
        ["git", "update-index", "-z", "--index-info"], cwd=top, input=records, capture_output=True, env=env
    )
    if proc.returncode != 0:
        raise GitError(f"git update-index failed: {proc.stderr.decode('utf-8', 'replace').strip()}")


def author_name(top: Path) -> str:
    """The commit's author: git exports GIT_AUTHOR_NAME to hooks; ask git otherwise."""
    name = os.environ.get("GIT_AUTHOR_NAME")
    if name:
        return name
    ident = _git(["var", "GIT_AUTHOR_IDENT"], top, check=False).strip()
    return ident.split(" <", 1)[0] if ident else "unknown"


def hooks_dir(start: Path) -> Path:
    """The hooks folder git really uses: worktrees and core.hooksPath included."""
    out = _git(["rev-parse", "--git-path", "hooks"], start).strip()
    return (start / out).resolve()


def patch_applies(patch: Path, files: dict[str, bytes]) -> bool:
    """Whether ``patch`` applies to ``files`` (path -> text), checked in a scratch folder."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="plancycle-apply-") as scratch:
        folder = Path(scratch)
        for path, data in files.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        includes = [f"--include={path}" for path in files]
        # Outside any repository `git apply` patches plain files, like patch(1).
        env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent)}
        env.pop("GIT_DIR", None)
        env.pop("GIT_INDEX_FILE", None)
        env.pop("GIT_WORK_TREE", None)
        proc = subprocess.run(
            ["git", "apply", "--check", "--whitespace=nowarn", *includes, str(patch)],
            cwd=folder, capture_output=True, env=env,
        )
        return proc.returncode == 0


# -- history: one `git log` stream and one `cat-file --batch` stream ------------------

_LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%cI%x1f%s"


@dataclass(frozen=True)
class LogEntry:
    status: str  # A, M, R, C, D, T
    path: str
    old_path: str | None
    blob: str  # the blob after the change (zeros for a deletion)


@dataclass(frozen=True)
class LogCommit:
    sha: str
    parents: tuple[str, ...]
    author: str
    date: str  # committer date, ISO 8601 with its own offset
    subject: str
    entries: tuple[LogEntry, ...]


def log_stream(top: Path, pathspec: str, rev: str = "HEAD") -> Iterator[LogCommit]:
    """Every commit reachable from ``rev`` that touches ``pathspec``, newest first, with its
    file changes (renames detected; a merge shows its changes against the first parent)."""
    proc = subprocess.Popen(
        ["git", "log", "--raw", "-z", "-M", "--no-abbrev", "--diff-merges=first-parent",
         f"--format={_LOG_FORMAT}", rev, *(["--", pathspec] if pathspec else [])],
        cwd=top, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    buffer = b""
    while True:
        chunk = proc.stdout.read(1 << 16)
        if chunk:
            buffer += chunk
            *complete, buffer = buffer.split(b"\x1e")
        else:
            complete, buffer = [buffer], b""
        for record in complete:
            if record.strip(b"\0\n"):
                yield _parse_log_record(record)
        if not chunk:
            break
    error = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
    if proc.wait() != 0 and "does not have any commits" not in error and "bad default revision" not in error:
        raise GitError(f"git log failed: {error.splitlines()[-1] if error else proc.returncode}")


def _parse_log_record(record: bytes) -> LogCommit:
    header, _, raw = record.partition(b"\0")
    sha, parents, author, date, subject = header.decode("utf-8", "replace").split("\x1f", 4)
    fields = raw.lstrip(b"\n").split(b"\0")
    entries = []
    index = 0
    while index < len(fields):
        meta = fields[index].decode("ascii", "replace").lstrip("\n")
        if not meta.startswith(":"):
            index += 1
            continue
        parts = meta[1:].split()
        status = parts[4][0]
        if status in "RC":
            old_path, path = fields[index + 1].decode("utf-8", "replace"), fields[index + 2].decode("utf-8", "replace")
            index += 3
        else:
            old_path, path = None, fields[index + 1].decode("utf-8", "replace")
            index += 2
        entries.append(LogEntry(status, path, old_path, parts[3]))
    return LogCommit(sha, tuple(parents.split()), author, date, subject.rstrip("\n"), tuple(entries))


class ObjectPipeline:
    """One `git cat-file --batch` fed while something else streams: each object is handed
    to ``handle`` on a reader thread as soon as git answers, so reading history and reading
    blobs overlap instead of running one after the other."""

    def __init__(self, top: Path, handle: Callable[[str, bytes | None], None]) -> None:
        import queue
        import threading

        self._handle = handle
        self._names: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._proc = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._error: BaseException | None = None
        self._pending: list[str] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def request(self, name: str) -> None:
        self._pending.append(name)
        if len(self._pending) >= 512:
            self._send()

    def _send(self) -> None:
        # In batches: one write (and one queue hand-over) per few hundred names.
        assert self._proc.stdin is not None
        for name in self._pending:
            self._names.put(name)
        self._proc.stdin.write("".join(f"{n}\n" for n in self._pending).encode("utf-8"))
        self._proc.stdin.flush()
        self._pending = []

    def _read(self) -> None:
        out = self._proc.stdout
        assert out is not None
        try:
            while (name := self._names.get()) is not None:
                header = out.readline().split()
                if len(header) < 3 or header[-1] == b"missing":
                    self._handle(name, None)
                    continue
                data = out.read(int(header[2]))
                out.read(1)
                self._handle(name, data if header[1] == b"blob" else None)
        except BaseException as exc:  # re-raised in close(), on the caller's thread
            self._error = exc

    def close(self) -> None:
        if self._pending:
            self._send()
        self._names.put(None)
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._thread.join()
        self._proc.wait()
        if self._error is not None:
            raise self._error


def shallow_boundary(git_dir: Path) -> set[str]:
    """The commits a shallow clone is cut at (empty for a full clone)."""
    try:
        return set((git_dir / "shallow").read_text().split())
    except OSError:
        return set()


def commit_count(top: Path, rev: str = "HEAD") -> int:
    out = _git(["rev-list", "--count", rev], top, check=False).strip()
    return int(out) if out.isdigit() else 0


def tracked_files(top: Path, pathspec: str) -> list[str]:
    """Paths in the index under ``pathspec``, relative to the repository top."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--", pathspec], cwd=top, capture_output=True, check=False
    ).stdout
    return [p for p in out.decode("utf-8", "replace").split("\0") if p]
