"""The command-line skin: parses arguments, calls the core, prints. No logic lives here.

Command modules import the core inside each command, not at the top: every module here
is loaded for `plancycle --help` and for shell completion, which need none of the core.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point. `plancycle hook NAME` runs on every commit, so it skips loading typer."""
    argv = sys.argv[1:]
    if len(argv) >= 2 and argv[0] == "hook" and not {"-h", "--help"} & set(argv):
        from plancycle.cli.hook import run_hook

        sys.exit(run_hook(argv[1], argv[2:]))
    if argv[:1] == ["merge-driver"]:  # git runs it for every managed document a merge touches
        from plancycle.cli.mergedriver import run_merge_driver

        sys.exit(run_merge_driver(argv[1:]))
    from plancycle.cli.main import main as full_main

    full_main()
