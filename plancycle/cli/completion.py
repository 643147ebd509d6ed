"""Shell-completion helpers for arguments that name features."""

from __future__ import annotations


def feature_names(incomplete: str) -> list[str]:
    try:
        from plancycle.project.project import Project

        names = [f.name for f in Project.discover().features()]
    except Exception:  # completion must never fail loudly
        return []
    return [n for n in names if n.startswith(incomplete) or n.split("-", 1)[-1].startswith(incomplete)]
