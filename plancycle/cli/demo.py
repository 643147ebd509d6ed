"""`plancycle demo`: the lifecycle in a throw-away repository, with no set-up at all."""

from __future__ import annotations

from typing import Annotated

import typer

from plancycle.cli import output
from plancycle.cli.status import print_status


def demo(
    keep: Annotated[bool, typer.Option("--keep", help="Keep the demo repository and print its path.")] = False,
) -> None:
    """Create a temporary git repository, add features with specs and plans, show the status."""
    import shutil
    import tempfile
    from pathlib import Path

    from plancycle.scaffold import run_demo
    from plancycle.status import project_status

    folder = Path(tempfile.mkdtemp(prefix="plancycle-demo-"))
    try:
        project, created = run_demo(folder)
        output.info(f"demo repository: {folder}")
        for item in created:
            for path in item.files:
                output.done(f"created {project.display(path)}")
        print_status(project, project_status(project))
        plan = created[0].files[-1]
        output.info(f"\nthe first lines of {project.display(plan)}:\n")
        output.info("".join(plan.read_text(encoding="utf-8").splitlines(keepends=True)[:14]))
        if keep:
            output.info(f"kept {folder}; try `cd {folder} && plancycle status`")
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
