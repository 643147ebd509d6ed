"""The plumbing the commit hook needs: repository state, staged changes, blobs in and out
of the object store, and index entries repointed without `git add`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from plancycle.errors import GitError
from plancycle.git.repo import not_a_repository
from plancycle.git.runner import output, run
from plancycle.git.store import Store

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
    common_dir: Path  # shared by all worktrees of the clone
    head: str | None  # None on an unborn branch
    head_parents: tuple[str, ...]

    @property
    def store(self) -> Store:
        return Store(self.common_dir)

    def path(self, name: str) -> Path:
        return self.git_dir / name

    @property
    def branch(self) -> str:
        """The checked-out branch (`refs/heads/…`), read off HEAD without a process; the
        commit itself when HEAD is detached."""
        try:
            head = self.path("HEAD").read_text(encoding="utf-8").strip()
        except OSError:
            return "HEAD"
        return head[len("ref: ") :] if head.startswith("ref: ") else head

    def recent_commits(self, most: int = 10) -> list[str]:
        """The last commits HEAD pointed at, newest first, from HEAD's reflog read as a file
        (no process); empty without a reflog."""
        try:
            with self.path("logs/HEAD").open("rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - 8192))  # the last entries are enough
                lines = log.read().splitlines()
        except OSError:
            return []
        found: list[str] = []
        for line in reversed(lines):
            fields = line.split(b"\t", 1)[0].split()
            sha = fields[1].decode("ascii", "replace") if len(fields) > 1 else ""
            if len(sha) >= 40 and sha.strip("0") and sha not in found:
                found.append(sha)
            if len(found) >= most:
                break
        return found

    def rebasing(self) -> bool:
        return self.path("rebase-merge").is_dir() or self.path("rebase-apply").is_dir()

    def merge_head(self) -> str | None:
        try:
            return self.path("MERGE_HEAD").read_text().split()[0]
        except (OSError, IndexError):
            return None


def repo_state(start: Path) -> RepoState:
    """Top, git dirs and HEAD with its parents, in one process (two on an unborn branch)."""
    # HEAD^@ lists HEAD's parents; the whole call fails on an unborn branch, hence the retry.
    where = ["rev-parse", "--show-toplevel", "--absolute-git-dir", "--path-format=absolute", "--git-common-dir"]
    proc = run([*where, "HEAD", "HEAD^@"], start, check=False)
    lines = proc.text.splitlines()
    if proc.code != 0:
        lines = output(where, start, check=False).splitlines()
        if len(lines) < 3:
            raise not_a_repository(start)
    top, git_dir, common = Path(lines[0]), Path(lines[1]), Path(lines[2])
    return RepoState(top, git_dir, common, lines[3] if len(lines) > 3 else None, tuple(lines[4:]))


def merge_base(top: Path, one: str, other: str) -> str | None:
    """The best common ancestor of two commits (a merge's fork point), or None."""
    out = output(["merge-base", one, other], top, check=False).strip()
    return out or None


def empty_tree(top: Path) -> str:
    return output(["hash-object", "-t", "tree", "--stdin"], top, input=b"").strip() or EMPTY_TREE_SHA1


def staged_paths(top: Path, base: str, pathspec: str) -> list[str]:
    """Every path staged against ``base`` under ``pathspec``, deleted ones too; one process."""
    return [
        p for p in output(["diff-index", "--cached", "-z", "--name-only", base, "--", pathspec], top).split("\0") if p
    ]


def staged_changes(top: Path, base: str, pathspec: str) -> list[StagedChange]:
    """Files staged against ``base`` under ``pathspec``, renames detected; one process."""
    raw = output(["diff-index", "--cached", "-z", "-M", "--raw", "--no-abbrev", base, "--", pathspec], top)
    fields = raw.split("\0")
    changes = []
    index = 0
    while index < len(fields) - 1:
        meta = fields[index].lstrip(":").split()
        if len(meta) < 5:
            break
        _old_mode, new_mode, old_sha, new_sha, status = meta[:5]
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
    out = run(["cat-file", "--batch"], top, input=request).stdout
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


def write_blobs(top: Path, contents: Sequence[bytes]) -> list[str]:
    """Store texts as blobs, one `git hash-object` process however many there are."""
    # --no-filters: the texts come from the index, where clean filters have already run.
    if len(contents) == 1:
        return [output(["hash-object", "-w", "--no-filters", "--stdin"], top, input=contents[0]).strip()]
    import tempfile  # slow to import; only a commit with several documents needs it

    with tempfile.TemporaryDirectory(prefix="plancycle-blobs-") as scratch:
        paths = []
        for number, data in enumerate(contents):
            path = Path(scratch) / str(number)
            path.write_bytes(data)
            paths.append(str(path))
        out = output(
            ["hash-object", "-w", "--no-filters", "--stdin-paths"],
            top,
            input="".join(f"{p}\n" for p in paths).encode("utf-8"),
        )
    shas = out.split()
    if len(shas) != len(contents):
        raise GitError("git hash-object returned fewer objects than it was given")
    return shas


def update_index(top: Path, entries: Sequence[tuple[str, str, str]], index_file: str | None = None) -> None:
    """Point index entries (mode, sha, path) at new blobs; never `git add`, so unstaged work stays."""
    records = "".join(f"{mode} {sha}\t{path}\0" for mode, sha, path in entries).encode("utf-8")
    env: dict[str, str | None] | None = {"GIT_INDEX_FILE": index_file} if index_file is not None else None
    run(["update-index", "-z", "--index-info"], top, input=records, env=env)


def patch_applies(patch: Path, files: dict[str, bytes]) -> bool:
    """Whether ``patch`` applies to ``files`` (path -> text), checked in a scratch folder."""
    import tempfile  # slow to import; only under the pre-commit framework

    with tempfile.TemporaryDirectory(prefix="plancycle-apply-") as scratch:
        folder = Path(scratch)
        for path, data in files.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        includes = [f"--include={path}" for path in files]
        # Outside any repository `git apply` patches plain files, like patch(1).
        env = {
            "GIT_CEILING_DIRECTORIES": str(folder.parent),
            "GIT_DIR": None,
            "GIT_INDEX_FILE": None,
            "GIT_WORK_TREE": None,
        }
        proc = run(["apply", "--check", "--whitespace=nowarn", *includes, str(patch)], folder, env=env, check=False)
        return proc.code == 0


def merge_file(cwd: Path, ours: Path, base: Path, theirs: Path, *, marker_size: int = 7) -> tuple[bytes, int]:
    """git's own three-way merge of three files: (the result, the number of conflicts; a
    negative number when git failed). Nothing is written."""
    proc = run(
        [
            "merge-file",
            "-p",
            f"--marker-size={marker_size}",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
            str(ours),
            str(base),
            str(theirs),
        ],
        cwd,
        check=False,
    )
    code = proc.code if proc.code < 128 else -1
    return proc.stdout, code
