"""The plumbing the commit hook needs: staged changes, blobs in and out
of the object store, and index entries repointed without `git add`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from plancycle.errors import GitError
from plancycle.git.runner import output, run

EMPTY_TREE_SHA1 = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@dataclass(frozen=True)
class StagedChange:
    status: str  # A, M, R, C (diff-index letters)
    path: str  # path in the index, relative to the repository top
    old_path: str | None
    mode: str  # index mode, e.g. 100644
    old_sha: str | None
    new_sha: str


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
