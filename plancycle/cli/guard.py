"""The one place where errors become exit codes and one line on stderr (for the typer app
and for the hook, which must not load typer or rich)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from plancycle.errors import EXIT_INTERNAL, EXIT_INVALID_DOCUMENT, PlancycleError


def debugging(argv: list[str]) -> bool:
    return bool(os.environ.get("PLANCYCLE_DEBUG")) or "--debug" in argv


def _shown(filename: object) -> str:
    """A path relative to the current folder when it lies under it."""
    text = os.fsdecode(filename) if isinstance(filename, (str, bytes)) else str(filename)
    try:
        relative = os.path.relpath(text)
    except ValueError:
        return text
    return relative if not relative.startswith("..") else text


def _say(message: str) -> None:
    sys.stderr.write(f"plancycle: error: {message}\n")
    sys.stderr.flush()


def guarded(call: Callable[[], int], *, debug: bool, advice: str = "", bug_advice: str) -> int:
    """Run ``call``; a PlancycleError prints its one line (plus ``advice``), any other
    exception prints one line asking for a report; returns the exit code. With ``debug``
    the traceback is shown instead."""
    try:
        return call()
    except PlancycleError as exc:
        if debug:
            raise
        _say(exc.message if not advice or advice in exc.message else f"{exc.message}; {advice}")
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except PermissionError as exc:  # a folder or file the user may not read or write
        if debug:
            raise
        where = _shown(exc.filename) if exc.filename else "a file"
        _say(f"{where}: permission denied; check its permissions (or run as a user who may read it)")
        return EXIT_INVALID_DOCUMENT
    except Exception as exc:  # a bug: one line, and a way to see more
        if debug:
            raise
        _say(f"internal error: {type(exc).__name__}: {exc}; {bug_advice}")
        return EXIT_INTERNAL
