"""`plancycle demo`: the lifecycle in a throw-away repository, with no set-up at all."""

from __future__ import annotations

from typing import Annotated

import typer

from plancycle.cli import output
from plancycle.cli.status import print_status


def demo(
    keep: Annotated[bool, typer.Option("--keep", help="Keep the demo repository and print its path.")] = False,
) -> None:
    """Walk the lifecycle in a temporary git repository: features, plans, tasks, the commit hook."""
    import shutil
    import tempfile
    from pathlib import Path

    from plancycle.demo.run import run_demo
    from plancycle.history.timeline import timeline
    from plancycle.overview.status import project_status

    folder = Path(tempfile.mkdtemp(prefix="plancycle-demo-"))
    try:
        run = run_demo(folder)
        project = run.project
        output.info(f"demo repository: {folder}" + ("" if keep else " (removed at the end; --keep keeps it)"))
        for step in run.steps:
            output.done(step)
        output.info("")
        print_status(project, project_status(project)["features"])
        output.info("")
        line = timeline(project, [run.stamped])
        rows = [(e.version or "-", e.date, e.author, e.commit[:8], e.changes) for e in line.events]
        output.print_table(
            f"history of {project.display(run.stamped)}",
            ["version", "date", "author", "commit", "changes"],
            rows,
            wrap=("changes",),
        )
        output.info(f"\nits Change Log, kept by the hook:\n\n{run.changelog.strip()}\n")
        if keep:
            output.info(f"kept {folder}; try `cd {folder} && plancycle status`")
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
