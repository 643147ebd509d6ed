"""The root `plancycle` command: global options, one sub-app per noun, the one error catch."""

from __future__ import annotations

import sys
from typing import Annotated

from plancycle.cli.deferred import defer_rich_markdown

defer_rich_markdown()  # before typer: see the module's docstring

import typer  # noqa: E402

from plancycle import __version__  # noqa: E402
from plancycle.cli import (  # noqa: E402
    adopt,
    adr,
    bump,
    changelog,
    check,
    demo,
    feature,
    hooks,
    init,
    lifecycle,
    output,
    plan,
    publish,
    status,
    tasks,
    templates,
)
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
app.add_typer(feature.app, name="feature", rich_help_panel=LIFECYCLE)
app.add_typer(plan.app, name="plan", rich_help_panel=LIFECYCLE)
app.add_typer(tasks.app, name="tasks", rich_help_panel=LIFECYCLE)
app.add_typer(adr.app, name="adr", rich_help_panel=LIFECYCLE)
app.command("advance", rich_help_panel=LIFECYCLE)(lifecycle.advance)
app.command("approve", rich_help_panel=LIFECYCLE)(lifecycle.approve)
app.command("status", rich_help_panel=LIFECYCLE)(status.status)
app.command("check", rich_help_panel=LIFECYCLE)(check.check)
app.command("index", rich_help_panel=LIFECYCLE)(publish.index)
app.command("board", rich_help_panel=LIFECYCLE)(publish.board)
app.add_typer(changelog.app, name="changelog", rich_help_panel=HISTORY)
app.command("history", rich_help_panel=HISTORY)(changelog.history)
app.command("log", rich_help_panel=HISTORY)(changelog.log)
app.command("bump", rich_help_panel=HISTORY)(bump.bump)
app.command("init", rich_help_panel=SETUP)(init.init)
app.command("adopt", rich_help_panel=SETUP)(adopt.adopt)
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
    sys.exit(guarded(_run_app, debug=debugging(sys.argv[1:]), bug_advice="rerun with --debug and report it"))
