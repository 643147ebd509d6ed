"""`plancycle merge-driver %O %A %B %P %L`: what git runs to merge a managed document
(installed by `plancycle hooks install`). It loads neither typer nor rich, and it can not
fail in a way that loses a side: any error gives git's own merge of the three files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

USAGE = "usage: plancycle merge-driver BASE OURS THEIRS PATH [MARKER_SIZE]"


def _git_merge(ours: str, base: str, theirs: str, marker_size: int) -> int:
    """git's default: `git merge-file` writes the result (markers and all) into OURS."""
    proc = subprocess.run(["git", "merge-file", f"--marker-size={marker_size}", ours, base, theirs], check=False)
    return 0 if proc.returncode == 0 else 1


def run_merge_driver(argv: list[str]) -> int:
    if len(argv) < 4 or {"-h", "--help"} & set(argv):
        sys.stderr.write(USAGE + "\n")
        return 2
    base, ours, theirs, path = argv[:4]
    try:
        marker_size = int(argv[4]) if len(argv) > 4 else 7
    except ValueError:
        marker_size = 7
    try:
        return _merge(base, ours, theirs, path, marker_size)
    except NotManaged:  # markdown plancycle does not keep: exactly git's own merge, quietly
        return _git_merge(ours, base, theirs, marker_size)
    except Exception as exc:  # whatever it was, git's own merge keeps both sides
        sys.stderr.write(f"plancycle: merge-driver: {path}: {type(exc).__name__}: {exc}; used git's own merge\n")
        return _git_merge(ours, base, theirs, marker_size)


class NotManaged(Exception):
    pass


def _merge(base: str, ours: str, theirs: str, path: str, marker_size: int) -> int:
    from plancycle import git
    from plancycle.config import load_config
    from plancycle.dates import today
    from plancycle.fsutil import atomic_write
    from plancycle.hook.mergedriver import merge_documents

    top = Path.cwd()  # git runs a merge driver at the top of the work tree
    config = load_config(top / Path(path).parent, top)
    relative = (top / path).resolve().relative_to(config.root_path.resolve()).as_posix()
    if not config.manages(relative):
        raise NotManaged
    from plancycle.documents.document import Document, is_managed

    for side in (ours, theirs):
        data = Path(side).read_bytes()
        if not data.lstrip(b"\xef\xbb\xbf").startswith(b"---") or not is_managed(
            Document.from_bytes(data, path, lazy=True)
        ):
            raise NotManaged
    merged = merge_documents(
        Path(base).read_bytes(),
        Path(ours).read_bytes(),
        Path(theirs).read_bytes(),
        path,
        config,
        today=today().isoformat(),
        author=git.author_name(top),
        marker_size=marker_size,
        cwd=top,
    )
    atomic_write(Path(ours), merged.data, durable=False)
    return 0 if merged.conflicts == 0 else 1
