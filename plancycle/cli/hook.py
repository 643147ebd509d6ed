"""`plancycle hook NAME`: what the installed git hook shims call.

It runs on every commit, so it prints plain text and imports neither typer nor rich.
"""

from __future__ import annotations

import sys
from pathlib import Path

from plancycle.cli.guard import debugging, guarded
from plancycle.errors import UsageError
from plancycle.hook.precommit import BYPASS, HookReport, run_pre_commit

HOOKS = ("pre-commit",)


def run_hook(name: str, args: list[str]) -> int:
    def run() -> int:
        if name not in HOOKS:
            raise UsageError(f"unknown hook {name!r}; known: {', '.join(HOOKS)}")
        _report(run_pre_commit(Path.cwd()))
        return 0

    # Never a traceback in the middle of a commit, unless asked for.
    return guarded(
        run,
        debug=debugging([]),
        advice=BYPASS,
        bug_advice=f"nothing was changed; {BYPASS} (PLANCYCLE_DEBUG=1 shows the traceback)",
    )


def _report(report: HookReport) -> None:
    for item in report.stamped:
        stamp = item.stamp
        moved = f"{stamp.old_version} → {stamp.new_version}" if stamp.old_version else stamp.new_version
        level = f" ({stamp.level})" if stamp.level != "none" else ""
        print(f"plancycle: {item.path} {moved}{level}: {stamp.summary}", file=sys.stderr)
    for note in report.notes:
        print(f"plancycle: note: {note}", file=sys.stderr)
    for warning in report.warnings:
        print(f"plancycle: warning: {warning}", file=sys.stderr)
