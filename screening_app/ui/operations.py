"""Running a service call from the window: one typed background operation and one guard.

- :class:`Op` runs work off the GUI thread (key derivation, PDFs, statistics, approvals,
  backups) and delivers the result on the GUI thread, like Anki's ``QueryOp``/``CollectionOp``.
  It is the only caller of the thread pool (``background.run_in_background``; a test holds it).
  A :class:`~screening_app.errors.ScreeningError` is shown to the person in a dialog, or inline
  by ``refused(handler)``; anything else is a bug, re-raised on the GUI thread, where the error
  handler reports it — never swallowed. ``after(callback)`` runs whatever the outcome (to
  enable a button again). An Op that changes data says so through :class:`Changes`, which
  views subscribe to.
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
        self._success: Callable[[T], object] = lambda _result: None
        self._refused: Callable[[ScreeningError], object] = lambda exc: show_error(parent, exc)
        self._after: Callable[[], object] = lambda: None
        self._busy: QWidget | None = None
        self._changes: Changes | None = None

    def success(self, on_success: Callable[[T], object]) -> Op[T]:
        self._success = on_success
        return self

    def refused(self, on_refused: Callable[[ScreeningError], object]) -> Op[T]:
        """Say a refusal (a ScreeningError) inline instead of in a dialog; a bug still goes to
        the error handler."""
        self._refused = on_refused
        return self

    def after(self, callback: Callable[[], object]) -> Op[T]:
        """Run ``callback`` when the work ends, whatever the outcome, before the rest."""
        self._after = callback
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
            self._after()
            if self._changes is not None:
                self._changes.changed.emit()
            self._success(result)

        def failed(exc: BaseException) -> None:
            self._after()
            if not isinstance(exc, ScreeningError):
                raise exc
            self._refused(exc)

        run_in_background(self.parent, self.work, done, failed, self._busy)


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
