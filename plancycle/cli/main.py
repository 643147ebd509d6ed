"""The root `plancycle` command: global options, one sub-app per noun, the one error catch."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from plancycle import __version__
from plancycle.cli import bump, changelog, demo, feature, hooks, init, plan, status, tasks, templates
from plancycle.errors import EXIT_INTERNAL, PlancycleError

app = typer.Typer(
    name="plancycle",
    help="Keep planning documents honest: numbered features, versioned plans, derived tasks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
LIFECYCLE, HISTORY, SETUP = "Lifecycle", "Versions and history", "Set-up"
app.add_typer(feature.app, name="feature", rich_help_panel=LIFECYCLE)
app.add_typer(plan.app, name="plan", rich_help_panel=LIFECYCLE)
app.add_typer(tasks.app, name="tasks", rich_help_panel=LIFECYCLE)
app.command("status", rich_help_panel=LIFECYCLE)(status.status)
app.add_typer(changelog.app, name="changelog", rich_help_panel=HISTORY)
app.command("history", rich_help_panel=HISTORY)(changelog.history)
app.command("log", rich_help_panel=HISTORY)(changelog.log)
app.command("bump", rich_help_panel=HISTORY)(bump.bump)
app.command("init", rich_help_panel=SETUP)(init.init)
app.add_typer(hooks.app, name="hooks", rich_help_panel=SETUP)
app.add_typer(templates.app, name="templates", rich_help_panel=SETUP)
app.command("demo", rich_help_panel=SETUP)(demo.demo)

@app.command("hook", hidden=True)
def hook(name: Annotated[str, typer.Argument(help="The git hook being run: pre-commit.")]) -> None:
    """Run a git hook's work (called by the installed shims, not by hand)."""
    from plancycle.cli.hook import run_hook

    raise typer.Exit(run_hook(name, []))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"plancycle {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an error (or set PLANCYCLE_DEBUG=1).")
    ] = False,
) -> None:
    """Keep planning documents honest: numbered features, versioned plans, derived tasks."""


def _debugging(argv: list[str]) -> bool:
    return bool(os.environ.get("PLANCYCLE_DEBUG")) or "--debug" in argv


def main() -> None:
    from plancycle.cli.output import error

    try:
        app()
    except PlancycleError as exc:
        if _debugging(sys.argv[1:]):
            raise
        error(exc.message)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug: one line, and a way to see more
        if _debugging(sys.argv[1:]):
            raise
        error(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug and report it)")
        sys.exit(EXIT_INTERNAL)
