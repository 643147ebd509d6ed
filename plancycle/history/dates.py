"""When each file was first and last committed, from one `git log` pass: what adoption
stamps as `created` and `updated` when the document itself says nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from plancycle.git.log import log_stream


def first_and_last(top: Path, pathspecs: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Path (as it is named now, renames followed) -> (first, last) commit day, `YYYY-MM-DD`
    of the author date, for every file ``pathspecs`` reach in HEAD's history."""
    dates: dict[str, tuple[str, str]] = {}
    named: dict[str, str] = {}  # a path in older history -> the name it has now
    with log_stream(top, list(pathspecs)) as commits:
        for commit in commits:  # children first: the newest commit of a file comes first
            day = commit.date[:10]
            for entry in commit.entries:
                now = named.get(entry.path, entry.path)
                if entry.status == "D":
                    continue
                last = dates[now][1] if now in dates else day
                dates[now] = (day, last)
                if entry.old_path is not None:
                    named[entry.old_path] = now
    return dates
