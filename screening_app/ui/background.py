"""Long work off the GUI thread (key derivation, PDF rendering, backups), like Anki's CollectionOp.

``run_in_background`` runs ``work`` on Qt's thread pool and delivers its result (or error) back on
the GUI thread through a signal, so the window never freezes and widgets are only touched on the
GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget


class _Bridge(QObject):
    done = Signal(object)
    failed = Signal(object)


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


def run_in_background(
    parent: QObject,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    busy: QWidget | None = None,
) -> None:
    """Run ``work`` on the pool; ``on_done``/``on_error`` run later on the GUI thread."""
    bridge = _Bridge(parent)
    if busy is not None:
        busy.setVisible(True)

    def finish() -> None:
        if busy is not None:
            busy.setVisible(False)
        bridge.deleteLater()

    def done(result: Any) -> None:
        finish()
        on_done(result)

    def failed(exc: BaseException) -> None:
        finish()
        on_error(exc)

    def job() -> None:
        try:
            result = work()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            bridge.failed.emit(exc)
        else:
            bridge.done.emit(result)

    bridge.done.connect(done)
    bridge.failed.connect(failed)
    # A plain callable: PySide owns the runnable wrapper (a Python QRunnable subclass with
    # auto-delete can be freed twice).
    QThreadPool.globalInstance().start(job)
