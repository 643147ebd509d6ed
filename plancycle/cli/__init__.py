"""The command-line skin: parses arguments, calls the core, prints. No logic lives here.

Command modules import the core inside each command, not at the top: every module here
is loaded for `plancycle --help` and for shell completion, which need none of the core.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    """Entry point. `plancycle hook NAME` runs on every commit, so it skips loading typer."""
    argv = sys.argv[1:]
    if len(argv) >= 2 and argv[0] == "hook" and not {"-h", "--help"} & set(argv):
        from plancycle.cli.hook import run_hook

        leave(run_hook(argv[1], argv[2:]))
    if argv[:1] == ["merge-driver"]:  # git runs it for every managed document a merge touches
        from plancycle.cli.mergedriver import run_merge_driver

        leave(run_merge_driver(argv[1:]))
    from plancycle.cli.main import main as full_main

    full_main()


def leave(code: int) -> None:
    """Exit with ``code``. The interpreter's last garbage collection would walk everything
    the run made (tens of milliseconds after reading a large history) to free memory the
    process gives back anyway: what exists now is frozen out of it."""
    gc.freeze()
    sys.exit(code)
