"""`plancycle hook NAME`: what the installed git hook shims call.

It runs on every commit, so it prints plain text and imports neither typer nor rich.
"""

from __future__ import annotations

import sys
from pathlib import Path

HOOKS = ("pre-commit",)


def run_hook(name: str, args: list[str]) -> int:
    from plancycle.errors import EXIT_INTERNAL, EXIT_USAGE, PlancycleError
    from plancycle.hook.precommit import BYPASS, run_pre_commit

    if name not in HOOKS:
        print(f"plancycle: error: unknown hook {name!r}; known: {', '.join(HOOKS)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = run_pre_commit(Path.cwd())
    except PlancycleError as exc:
        message = exc.message if BYPASS in exc.message else f"{exc.message}; {BYPASS}"
        print(f"plancycle: error: {message}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # never a traceback in the middle of a commit
        import os

        if os.environ.get("PLANCYCLE_DEBUG"):
            raise
        print(
            f"plancycle: error: internal error: {type(exc).__name__}: {exc}; nothing was changed; "
            f"{BYPASS} (PLANCYCLE_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    for item in report.stamped:
        stamp = item.stamp
        moved = f"{stamp.old_version} → {stamp.new_version}" if stamp.old_version else stamp.new_version
        level = f" ({stamp.level})" if stamp.level != "none" else ""
        print(f"plancycle: {item.path} {moved}{level}: {stamp.summary}", file=sys.stderr)
    for warning in report.warnings:
        print(f"plancycle: warning: {warning}", file=sys.stderr)
    return 0

