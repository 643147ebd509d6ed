"""Splitting text into lines the way every reader here does: endings kept, only CR, LF and
CRLF end a line (not the other characters `str.splitlines` breaks on)."""

from __future__ import annotations

import re

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """Lines with their own endings kept; only CR, LF and CRLF end a line."""
    return _LINE.findall(text)
