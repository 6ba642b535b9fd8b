"""Long work off the GUI thread (key derivation, PDF rendering, backups), like Anki's CollectionOp.

``run_in_background`` runs ``work`` on Qt's thread pool and delivers its result (or error) back on
the GUI thread through one long-lived queue object, so the window never freezes and widgets are
only touched on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

_LOG = logging.getLogger(__name__)


class _MainThreadQueue(QObject):
    """Closures handed from worker threads to the GUI thread, like Anki's ``run_on_main``.

    One object for the whole life of the app: a worker only ever touches this object, never a
    per-job one that the GUI thread might delete while the worker is still returning from
    ``emit`` (that race crashed the interpreter now and then)."""

    ready = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._items: list[Callable[[], None]] = []
        self.ready.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def put(self, closure: Callable[[], None]) -> None:
        with self._lock:
            self._items.append(closure)
        self.ready.emit()

    def _drain(self) -> None:
        with self._lock:
            items, self._items = self._items, []
        for done, closure in enumerate(items, start=1):
            try:
                closure()
            except BaseException:
                # a bug in one delivery must not lose the others (an Op whose delivery is lost
                # never ends): they go back to the front of the queue, then the bug is reported
                with self._lock:
                    self._items[:0] = items[done:]
                if done < len(items):
                    self.ready.emit()
                raise


_QUEUE: list[_MainThreadQueue] = []


def _main_thread_queue() -> _MainThreadQueue:
    """The queue, made on first use (always on the GUI thread: run_in_background is)."""
    if not _QUEUE:
        _QUEUE.append(_MainThreadQueue())
    return _QUEUE[0]


class BusyIndicator(QWidget):
    """An indeterminate progress bar with a message, shown while work runs."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(message, self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName(message)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.setVisible(False)


def on_gui_thread(closure: Callable[[], None]) -> None:
    """Run ``closure`` on the GUI thread soon (callable from any thread)."""
    _main_thread_queue().put(closure)


def run_in_background(
    parent: QObject,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    busy: QWidget | None = None,
) -> None:
    """Run ``work`` on the pool; ``on_done``/``on_error`` run later on the GUI thread (unless
    ``parent`` was deleted meanwhile: then nobody is left to tell)."""
    queue = _main_thread_queue()
    if busy is not None:
        busy.setVisible(True)

    def deliver(callback: Callable[[Any], None], payload: Any) -> None:
        if not shiboken6.isValid(parent):
            return
        if busy is not None and shiboken6.isValid(busy):
            busy.setVisible(False)
        callback(payload)

    def job() -> None:
        try:
            result = work()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            error = exc  # the name ``exc`` is unbound when the except block ends
            queue.put(lambda: deliver(on_error, error))
        else:
            queue.put(lambda: deliver(on_done, result))

    # A plain callable: PySide owns the runnable wrapper (a Python QRunnable subclass with
    # auto-delete can be freed twice).
    QThreadPool.globalInstance().start(job)


def warm_up(job: Callable[[], None]) -> None:
    """Start ``job`` on the pool with nothing to deliver (importing modules before they are
    first needed); a failure is logged as the bug it is, not lost."""

    def logged() -> None:
        try:
            job()
        except Exception:
            _LOG.exception("warming up failed")

    QThreadPool.globalInstance().start(logged)


def wait_for_work(milliseconds: int) -> None:
    """Let running work finish (at most ``milliseconds``) before the database closes."""
    QThreadPool.globalInstance().waitForDone(milliseconds)
