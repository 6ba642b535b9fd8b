"""Running a service call from the window: one typed background operation and one guard.

- :class:`Op` runs work off the GUI thread (key derivation, PDFs, statistics, approvals) and
  delivers the result on the GUI thread, like Anki's ``QueryOp``/``CollectionOp``. A
  :class:`~screening_app.errors.ScreeningError` is shown to the person by default; anything else
  is re-raised on the GUI thread, where the error handler reports it as a bug. An Op that
  changes data says so through :class:`Changes`, which views subscribe to.
- :func:`guarded` wraps a quick call on the GUI thread the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from screening_app.errors import ScreeningError
from screening_app.ui.background import run_in_background
from screening_app.ui.error_handler import show_error

T = TypeVar("T")


class Changes(QObject):
    """Tells views that records changed (a screening saved, reviewed, merged …)."""

    changed = Signal()


class Op(Generic[T]):
    """``Op(parent, work).success(show).run()``: ``work`` runs on the pool, ``show`` on the GUI
    thread."""

    def __init__(self, parent: QWidget, work: Callable[[], T]) -> None:
        self.parent = parent
        self.work = work
        self._success: Callable[[T], None] = lambda _result: None
        self._failure: Callable[[BaseException], None] = self._default_failure
        self._busy: QWidget | None = None
        self._changes: Changes | None = None

    def success(self, on_success: Callable[[T], None]) -> Op[T]:
        self._success = on_success
        return self

    def failure(self, on_failure: Callable[[BaseException], None]) -> Op[T]:
        self._failure = on_failure
        return self

    def with_busy(self, indicator: QWidget) -> Op[T]:
        self._busy = indicator
        return self

    def changing(self, changes: Changes) -> Op[T]:
        """Emit ``changes.changed`` after the work succeeds."""
        self._changes = changes
        return self

    def run(self) -> None:
        def done(result: T) -> None:
            if self._changes is not None:
                self._changes.changed.emit()
            self._success(result)

        run_in_background(self.parent, self.work, done, self._failure, self._busy)

    def _default_failure(self, exc: BaseException) -> None:
        if isinstance(exc, ScreeningError):
            show_error(self.parent, exc)
        else:
            raise exc


class Newest:
    """For a view that reads its list again after each change: ``show = newest.start()`` at
    each reading, then ``Op(...).success(show(handler))``. Only the newest reading reaches its
    handler; an earlier one that finishes later (the pool runs them side by side) is dropped,
    so it cannot overwrite what was just done."""

    def __init__(self) -> None:
        self._started = 0

    def start(self) -> Callable[[Callable[[T], None]], Callable[[T], None]]:
        self._started += 1
        reading = self._started

        def only_if_newest(handler: Callable[[T], None]) -> Callable[[T], None]:
            return lambda result: handler(result) if reading == self._started else None

        return only_if_newest


class Guard:
    """Set by :func:`guarded`: ``failed`` once a ScreeningError was shown."""

    failed = False


@contextmanager
def guarded(parent: QWidget) -> Iterator[Guard]:
    """Show a ScreeningError raised inside the block as a dialog (and set ``failed``)."""
    guard = Guard()
    try:
        yield guard
    except ScreeningError as exc:
        guard.failed = True
        show_error(parent, exc)
