"""`plancycle hooks …`: install, remove and inspect the git hook shims."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plancycle.cli import output

app = typer.Typer(help="Install, remove and inspect plancycle's git hooks.", no_args_is_help=True)


@app.command("install")
def install() -> None:
    """Install the hooks into this repository's hooks folder (core.hooksPath and worktrees included).

    A hook already there keeps running, before plancycle's. Also registers the merge
    driver (git config of this clone) and sends managed documents to it (.gitattributes).
    """
    from plancycle.git import is_shared_hooks_dir
    from plancycle.hook.shims import install as do_install
    from plancycle.hook.shims import install_driver

    folder, done = do_install(Path.cwd())
    done += install_driver(Path.cwd())
    for name, action in done:
        output.done(f"{name}: {action}")
    output.info(f"hooks folder: {folder}")
    if is_shared_hooks_dir(Path.cwd(), folder):
        output.warn(
            f"{folder} is outside this repository (core.hooksPath): the hook now runs in every "
            "repository that uses that folder; it does nothing where there are no plan documents"
        )


@app.command("uninstall")
def uninstall() -> None:
    """Remove the hooks and put back any hook they had chained."""
    from plancycle.hook.shims import uninstall as do_uninstall
    from plancycle.hook.shims import uninstall_driver

    folder, done = do_uninstall(Path.cwd())
    done += uninstall_driver(Path.cwd())
    for name, action in done:
        output.done(f"{name}: {action}")
    output.info(f"hooks folder: {folder}")


@app.command("status")
def status(
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Say which hooks are installed, where, and what they chain."""
    from plancycle.errors import GitError, PlancycleError
    from plancycle.git import repo_state
    from plancycle.git.state import not_a_repository
    from plancycle.history.health import health
    from plancycle.hook.shims import status as hook_status

    try:
        folder, states = hook_status(Path.cwd())
    except GitError:
        raise not_a_repository(Path.cwd()) from None
    try:
        state = repo_state(Path.cwd())
        found = health(state.top, state.common_dir) if state.head is not None else None
    except PlancycleError:  # a bare repository: hooks, and no history read to speak of
        found = None
    if json_:
        output.print_json(
            {
                "hooks_dir": str(folder),
                "history": found.as_json() if found is not None else None,
                "hooks": [
                    {
                        "name": s.name,
                        "path": str(s.path),
                        "state": s.state,
                        "chained": str(s.chained) if s.chained else None,
                    }
                    for s in states
                ],
            }
        )
        return
    rows = [(s.name, s.state, s.chained.name if s.chained else "-") for s in states]
    output.print_table(f"Hooks in {folder}", ["hook", "state", "chained"], rows)
    if found is not None:
        cached = (
            f"history cache at {found.cached_at[:8]} ({found.cached_documents} document(s))"
            if found.cached_at
            else "no history cache yet (the next history read makes one)"
        )
        graph = {"none": "no commit-graph", "plain": "commit-graph", "changed-paths": "commit-graph with changed paths"}
        output.info(f"history: {found.commits:,} commits, {graph[found.graph]}, {cached}")
        if found.advice:
            output.info(f"advice: {found.advice}")
