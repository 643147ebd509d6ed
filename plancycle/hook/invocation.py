"""How git was invoked: a hook is not told whether the commit is an amend, the command line is.

Git gives the pre-commit hook no amend flag, but the `git commit --amend` process is one
of the hook's ancestors; its arguments are read from /proc, or from `ps` where there is none.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

MAX_ANCESTORS = 8


def _proc_args(pid: int) -> tuple[int, list[str]] | None:
    base = Path("/proc") / str(pid)
    try:
        args = base.joinpath("cmdline").read_bytes().split(b"\0")
        stat = base.joinpath("stat").read_text()
    except OSError:
        return None
    # The command name in stat is in parentheses and may itself hold spaces.
    parent = int(stat.rsplit(")", 1)[1].split()[1])
    return parent, [a.decode("utf-8", "replace") for a in args if a]


def _ps_args(pid: int) -> tuple[int, list[str]] | None:
    try:
        out = subprocess.run(
            ["ps", "-o", "ppid=", "-o", "args=", "-p", str(pid)], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return None
    if not out:
        return None
    parent, _, args = out.partition(" ")
    try:
        return int(parent), args.split()
    except ValueError:
        return None


def _walk(limit: int) -> list[tuple[int, list[str]]]:
    reader = _proc_args if Path("/proc/self/stat").exists() else _ps_args
    found = []
    pid = os.getppid()
    for _ in range(limit):
        if pid <= 1:
            break
        entry = reader(pid)
        if entry is None:
            break
        found.append((pid, entry[1]))
        pid = entry[0]
    return found


def ancestors(limit: int = MAX_ANCESTORS) -> list[list[str]]:
    """Argument lists of this process's ancestors, nearest first."""
    return [args for _, args in _walk(limit)]


def ancestor_pids(limit: int = 4) -> list[int]:
    """Process ids of this process's nearest ancestors."""
    return [pid for pid, _ in _walk(limit)] or [os.getppid()]


def _git_subcommand(args: list[str]) -> list[str] | None:
    """The arguments after `git [global options]`, or None when this is not git."""
    if not args or os.path.basename(args[0]) not in ("git", "git.exe"):
        return None
    rest = args[1:]
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option in ("-c", "-C", "--git-dir", "--work-tree", "--namespace", "--exec-path") and rest:
            rest.pop(0)
    return rest


def is_amend() -> bool:
    """Whether the commit that runs this hook is `git commit --amend`."""
    for args in ancestors():
        rest = _git_subcommand(args)
        if rest is None or not rest:
            continue
        if rest[0] == "commit":
            # git accepts any unambiguous prefix of a long option: --amen, --am.
            return any(len(a) >= 4 and "--amend".startswith(a) for a in rest[1:])
    return False
