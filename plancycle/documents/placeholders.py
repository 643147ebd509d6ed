"""Unfilled template placeholders, in every style the shipped templates and the seeds use:
`[Task description]`, `_[fill in]_`, `{name}`, `{{TOKEN}}`, `<value>`, `TBD`, `TODO`, `…`."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"^(?:_?\[[^\]]*\]_?|\{\{[^}]*\}\}|\{[^}]*\}|<[^>]*>|TBD|TODO|\.\.\.|…)$", re.I)


def is_placeholder(text: str) -> bool:
    """Whether ``text`` (stripped) is one placeholder and nothing else."""
    return bool(_PLACEHOLDER.match(text.strip()))
