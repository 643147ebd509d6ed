"""One call run on a thread while the caller goes on: a git process waited for, or the
working tree read, while history streams (a pool would cost more to import than a run
that the cache answers takes)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

_T = TypeVar("_T")


class Overlap(Generic[_T]):
    def __init__(self, call: Callable[[], _T]) -> None:
        self._call = call
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._call()
        except BaseException as exc:  # re-raised on the caller's thread
            self._error = exc

    def result(self) -> _T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
