"""The hook shims in a repository's hooks folder: install, uninstall, status.

A hook that was already there is renamed `<name>.plancycle-chained` and still runs
first; uninstalling renames it back. Installing twice changes nothing.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import plancycle
from plancycle.errors import ConflictError
from plancycle.fsutil import atomic_write
from plancycle.git import find_repo_root, hooks_dir
from plancycle.git.state import not_a_repository
from plancycle.resources import shipped_dir

MARKER = "# plancycle-shim:"
CHAINED_SUFFIX = ".plancycle-chained"


def shipped_hooks() -> dict[str, str]:
    folder = shipped_dir("hooks")
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(folder.iterdir())
        if p.is_file() and MARKER in p.read_text(encoding="utf-8", errors="replace")
    }


def render_shim(text: str, *, python: str | None = None, package: str | None = None) -> str:
    """The shim for this installation: the interpreter (default: this one) and the package
    folder (default: this one) written into it as shell words."""
    python = sys.executable if python is None else python
    package = str(Path(plancycle.__file__).resolve().parent) if package is None else package
    return text.replace("@PLANCYCLE_PYTHON@", _shell_word(python)).replace("@PLANCYCLE_PACKAGE@", _shell_word(package))


def _shell_word(value: str) -> str:
    """``value`` as one single-quoted sh word: `'`, spaces, `$` and backticks read literally.
    Quoted even when shlex.quote would leave it bare, so every shim has the same shape."""
    quoted = shlex.quote(value)
    return quoted if quoted.startswith("'") else f"'{quoted}'"


def _present(path: Path) -> bool:
    """Whether something is there, a symbolic link pointing nowhere included: a link is
    someone's hook set-up, chained and put back like any hook, never written over."""
    return os.path.lexists(path)


def _is_ours(path: Path) -> bool:
    try:
        return MARKER in path.read_text(encoding="utf-8", errors="replace")[:300]
    except OSError:
        return False


@dataclass(frozen=True)
class HookState:
    name: str
    path: Path
    state: str  # "installed", "installed (outdated)", "not installed", "other hook"
    chained: Path | None


def status(start: Path) -> tuple[Path, list[HookState]]:
    folder = hooks_dir(start)
    states = []
    for name, text in shipped_hooks().items():
        path = folder / name
        chained = folder / (name + CHAINED_SUFFIX)
        if not _present(path):
            state = "not installed"
        elif _is_ours(path):
            current = path.read_text(encoding="utf-8", errors="replace")
            state = "installed" if current == render_shim(text) else "installed (outdated)"
        else:
            state = "other hook"
        states.append(HookState(name, path, state, chained if _present(chained) else None))
    return folder, states


def install(start: Path) -> tuple[Path, list[tuple[str, str]]]:
    """Write the shims; returns the hooks folder and (hook, what happened) pairs.

    Refused, before anything is written, where there is no work tree (a bare repository
    has a hooks folder, but no commit there ever runs a pre-commit hook)."""
    if find_repo_root(start) is None:
        raise not_a_repository(start)
    folder = hooks_dir(start)
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for name, text in shipped_hooks().items():
        path = folder / name
        chained = folder / (name + CHAINED_SUFFIX)
        shim = render_shim(text)
        if _present(path) and not _is_ours(path):
            if _present(chained):
                raise ConflictError(f"{path} and {chained} both exist; remove one of them, then install again")
            path.rename(chained)
            action = f"installed; the existing hook now runs first, as {chained.name}"
        elif path.exists() and path.read_text(encoding="utf-8", errors="replace") == shim:
            done.append((name, "already installed"))
            continue
        else:
            action = "updated" if path.exists() else "installed"
        atomic_write(path, shim.encode("utf-8"))
        path.chmod(0o755)
        done.append((name, action))
    return folder, done


def uninstall(start: Path) -> tuple[Path, list[tuple[str, str]]]:
    folder = hooks_dir(start)
    done = []
    for name in shipped_hooks():
        path = folder / name
        chained = folder / (name + CHAINED_SUFFIX)
        if path.exists() and _is_ours(path):
            path.unlink()
            if _present(chained):
                chained.rename(path)
                done.append((name, "removed; the previous hook is back in place"))
            else:
                done.append((name, "removed"))
        elif _present(path):
            done.append((name, "left alone: not a plancycle hook"))
        else:
            done.append((name, "not installed"))
    return folder, done


# -- the merge driver: git config (per clone) and .gitattributes (shared) ----------------

DRIVER = "merge.plancycle"
DRIVER_NAME = "plancycle: fields plancycle owns merged by rule"


def driver_command(python: str | None = None) -> str:
    """What git runs (through sh): the interpreter plancycle was installed with, or, when that
    is gone, git's own merge, so that a merge never loses the other side to a missing tool."""
    word = _shell_word(sys.executable if python is None else python)
    package = _shell_word(str(Path(plancycle.__file__).resolve().parent))
    return (
        f"if [ -x {word} ] && [ -f {package}/cli/mergedriver.py ]; "
        f"then exec {word} -m plancycle merge-driver %O %A %B %P %L; "
        "else exec git merge-file --marker-size=%L %A %O %B; fi"
    )


def attributes_line(start: Path) -> tuple[Path, str]:
    """The `.gitattributes` file at the top and the line that sends managed documents to the driver."""
    from plancycle.config import load_config

    top = find_repo_root(start)
    if top is None:
        raise not_a_repository(start)
    root = load_config(start, top).root_path.resolve()
    try:
        relative = root.relative_to(top.resolve()).as_posix()
    except ValueError:
        relative = "."
    pattern = "**/*.md" if relative in (".", "") else f"{relative}/**/*.md"
    return top / ".gitattributes", f"{pattern} merge=plancycle"


def install_driver(start: Path) -> list[tuple[str, str]]:
    from plancycle.git.runner import output

    done = []
    command = driver_command()
    current = output(["config", "--get", f"{DRIVER}.driver"], start, check=False).strip()
    output(["config", f"{DRIVER}.name", DRIVER_NAME], start)
    output(["config", f"{DRIVER}.driver", command], start)
    done.append(("merge driver", "already configured" if current == command else "configured in .git/config"))
    path, line = attributes_line(start)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if line in text.splitlines():
        done.append((".gitattributes", f"already has `{line}`"))
    else:
        newline = "\r\n" if "\r\n" in text else "\n"
        prefix = text if not text or text.endswith(("\n", "\r")) else text + newline
        atomic_write(path, (prefix + line + newline).encode("utf-8"))
        done.append((".gitattributes", f"added `{line}` (commit it: the attribute is shared, the driver is per clone)"))
    return done


def uninstall_driver(start: Path) -> list[tuple[str, str]]:
    from plancycle.git.runner import run

    done = []
    removed = run(["config", "--remove-section", DRIVER], start, check=False).code == 0
    done.append(("merge driver", "removed from .git/config" if removed else "not configured"))
    path, line = attributes_line(start)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        kept = [item for item in text.splitlines(keepends=True) if item.rstrip("\r\n") != line]
        if len(kept) != len(text.splitlines(keepends=True)):
            atomic_write(path, "".join(kept).encode("utf-8"))
            done.append((".gitattributes", f"removed `{line}`"))
    return done
