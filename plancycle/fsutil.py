"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from plancycle.errors import DocumentError, RefusedError

# Errors a change of permissions (or remounting) fixes; the others (a full disk, a file
# too large) are said as they are.
_PERMISSION_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS}


def refuse_link(path: str | os.PathLike[str]) -> None:
    """Refuse a path that is a symbolic link: a rename over it would replace the link by a
    regular file, and the file it points to would silently stop being the document."""
    if Path(path).is_symlink():
        raise RefusedError(
            f"{_shown(path)} is a symbolic link; plancycle does not write through links (edit the file it points to)"
        )


def atomic_write(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename.

    A symbolic link is refused (RefusedError); a write the system refuses is a one-line
    DocumentError naming the file, and leaves no temp file behind. ``durable`` (the
    default, for people's documents) also flushes the data to disk before the rename."""
    refuse_link(path)
    try:
        _write(Path(path), data, durable)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        advice = "; check the folder's permissions" if exc.errno in _PERMISSION_ERRORS else ""
        raise DocumentError(_shown(path), f"cannot write: {reason}{advice}") from None


def _shown(path: str | os.PathLike[str]) -> str:
    """The path as a message names it: relative to the current folder when inside it (the
    hook runs at the repository top, so it names repository paths)."""
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _write(target: Path, data: bytes, durable: bool) -> None:
    import tempfile  # imported here: it is slow to import, and the hook often writes nothing

    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
