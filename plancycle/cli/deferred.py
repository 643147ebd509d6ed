"""A stand-in for `rich.markdown` until something really renders markdown.

typer's rich help imports `rich.markdown`, and with it markdown-it-py, only to render help
text written in markdown, which plancycle's is not: that import was a third of the time of
`plancycle --help`. The stand-in loads the real module on first real use, so nothing
changes for code that does render markdown.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

NAME = "rich.markdown"


def _real() -> types.ModuleType:
    if isinstance(sys.modules.get(NAME), _Deferred):
        del sys.modules[NAME]
    return importlib.import_module(NAME)


class _Markdown:
    """Constructing one loads the real module and builds the real `Markdown`."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return _real().Markdown(*args, **kwargs)


class _Deferred(types.ModuleType):
    Markdown = _Markdown

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (__path__ …): not a use
            raise AttributeError(name)
        return getattr(_real(), name)


def defer_rich_markdown() -> None:
    if NAME not in sys.modules:
        sys.modules[NAME] = _Deferred(NAME)
