"""The root `plancycle` command: global options, one sub-app per noun, the one error catch."""

from __future__ import annotations

import sys
from typing import Annotated

from plancycle.cli.deferred import defer_rich_markdown

defer_rich_markdown()  # before typer: see the module's docstring

import typer  # noqa: E402

from plancycle import __version__  # noqa: E402
from plancycle.cli import leave, output  # noqa: E402
from plancycle.cli.guard import debugging, guarded  # noqa: E402
from plancycle.errors import EXIT_USAGE, PlancycleError, UsageError  # noqa: E402

app = typer.Typer(
    name="plancycle",
    help="Keep planning documents honest: numbered features, versioned plans, derived tasks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
LIFECYCLE, HISTORY, SETUP = "Lifecycle", "Versions and history", "Set-up"
# name: (its panel in the root's help, "module:attribute" under plancycle.cli: a sub-app or
# a command function)
COMMANDS = {
    "feature": (LIFECYCLE, "feature:app"),
    "plan": (LIFECYCLE, "plan:app"),
    "tasks": (LIFECYCLE, "tasks:app"),
    "adr": (LIFECYCLE, "adr:app"),
    "advance": (LIFECYCLE, "lifecycle:advance"),
    "approve": (LIFECYCLE, "lifecycle:approve"),
    "status": (LIFECYCLE, "status:status"),
    "check": (LIFECYCLE, "check:check"),
    "index": (LIFECYCLE, "publish:index"),
    "board": (LIFECYCLE, "publish:board"),
    "changelog": (HISTORY, "changelog:app"),
    "history": (HISTORY, "changelog:history"),
    "log": (HISTORY, "changelog:log"),
    "bump": (HISTORY, "bump:bump"),
    "init": (SETUP, "init:init"),
    "adopt": (SETUP, "adopt:adopt"),
    "hooks": (SETUP, "hooks:app"),
    "templates": (SETUP, "templates:app"),
    "demo": (SETUP, "demo:demo"),
}


def register(names: set[str] | None = None) -> None:
    """Add the commands ``names`` (every one when None) to the root app. A run registers only
    the command it runs: building every command's parser costs more than most commands' work."""
    import importlib

    for name, (panel, target) in COMMANDS.items():
        if names is not None and name not in names:
            continue
        module_name, attribute = target.split(":")
        found = getattr(importlib.import_module(f"plancycle.cli.{module_name}"), attribute)
        if isinstance(found, typer.Typer):
            app.add_typer(found, name=name, rich_help_panel=panel)
        else:
            app.command(name, rich_help_panel=panel)(found)


def invoked(argv: list[str]) -> set[str] | None:
    """The one command ``argv`` runs, when it surely names one; None (all of them) for help
    on the root, shell completion, or a name that is no command (its error lists the rest)."""
    import os

    if any(key.startswith("_PLANCYCLE_COMPLETE") for key in os.environ):
        return None
    for word in argv:
        if word in ("-h", "--help"):
            return None  # the root's help: every command, in its panel
        if not word.startswith("-"):
            return {word} if word in COMMANDS else None
    return None


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
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an error (or set PLANCYCLE_DEBUG=1).")
    ] = False,
) -> None:
    """Keep planning documents honest: numbered features, versioned plans, derived tasks."""


def _click_error(name: str) -> type[Exception]:
    # typer vendors click in recent releases and depends on it in older ones: find the
    # class through an exception typer exports, whichever click that is.
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


def _run_app() -> int:
    usage_error, click_error = _click_error("UsageError"), _click_error("ClickException")
    try:
        code = app(standalone_mode=False, prog_name="plancycle")
    except usage_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `plancycle tasks` alone: its help, as click does
            output.info(exc.format_message())  # type: ignore[attr-defined]
            return EXIT_USAGE
        command = exc.ctx.command_path if getattr(exc, "ctx", None) else "plancycle"  # type: ignore[attr-defined]
        message = exc.format_message().rstrip(".")  # type: ignore[attr-defined]
        raise UsageError(f"{message}; see `{command} --help`") from None
    except click_error as exc:
        raise PlancycleError(exc.format_message(), exc.exit_code) from None  # type: ignore[attr-defined]
    except typer.Abort:
        return 130
    return code if isinstance(code, int) else 0


def main() -> None:
    register(invoked(sys.argv[1:]))
    leave(guarded(_run_app, debug=debugging(sys.argv[1:]), bug_advice="rerun with --debug and report it"))
