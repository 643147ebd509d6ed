"""Stand-ins for `rich.markdown` and `rich.traceback` until something really uses them.

typer's rich help imports `rich.markdown` (and with it markdown-it-py) only to render help
written in markdown, which plancycle's is not, and `rich.traceback` (and with it pygments'
lexers) only to draw pretty exceptions, which plancycle turns off: together about half the
time of `plancycle --help`. A stand-in loads the real module on first real use (a class
called, or any attribute read), so nothing changes for code that does render markdown or
tracebacks.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

DEFERRED = {"rich.markdown": ("Markdown",), "rich.traceback": ("Traceback",)}


def _real(name: str) -> types.ModuleType:
    if isinstance(sys.modules.get(name), _Deferred):
        del sys.modules[name]
    return importlib.import_module(name)


class _Forward(type):
    """A stand-in class: calling it, or reading any attribute of it, uses the real class."""

    _module: str
    _name: str

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return getattr(_real(cls._module), cls._name)(*args, **kwargs)

    def __getattr__(cls, attribute: str) -> Any:
        return getattr(getattr(_real(cls._module), cls._name), attribute)


class _Deferred(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (__path__ …): not a use
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _stand_in(module: str, names: tuple[str, ...]) -> _Deferred:
    stand_in = _Deferred(module)
    for name in names:
        setattr(stand_in, name, _Forward(name, (), {"_module": module, "_name": name}))
    return stand_in


def defer_rich_markdown() -> None:
    """Put the stand-ins in place (before typer is imported); a module already loaded stays."""
    for module, names in DEFERRED.items():
        if module not in sys.modules:
            sys.modules[module] = _stand_in(module, names)
