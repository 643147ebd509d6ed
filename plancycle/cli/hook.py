"""`plancycle hook NAME`: what the installed git hook shims call.

It runs on every commit, so it prints plain text and imports neither typer nor rich.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from plancycle.cli.guard import debugging, guarded
from plancycle.errors import UsageError
from plancycle.hook.scope import BYPASS, staged_scope

if TYPE_CHECKING:
    from plancycle.hook.precommit import HookReport

HOOKS = ("pre-commit",)


def run_hook(name: str, args: list[str]) -> int:
    def run() -> int:
        if name not in HOOKS:
            raise UsageError(f"unknown hook {name!r}; known: {', '.join(HOOKS)}")
        scope = staged_scope(Path.cwd())
        if scope is None:
            return 0
        if scope.changes:
            # The stamping code loads only when a managed document is staged: most commits touch none.
            from plancycle.hook.precommit import stamp_scope

            _report(stamp_scope(scope))
        if scope.config.index_on_commit:
            from plancycle.git import Git, staged_paths
            from plancycle.project.project import Project
            from plancycle.publish.index import refresh_for_commit

            touched = staged_paths(scope.state.top, scope.base, scope.root)
            head = scope.state.head
            if head is not None and scope.base != head:
                # amending: the index shows HEAD, so what the amend takes back counts too
                touched = sorted({*touched, *staged_paths(scope.state.top, head, scope.root)})
            if touched:
                project = Project(Git(scope.state.top, scope.state), scope.config)
                note = refresh_for_commit(project, touched)
                if note:
                    print(f"plancycle: {note}", file=sys.stderr)
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
