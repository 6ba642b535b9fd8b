"""One place for errors: plain messages for a person's errors, a calm report for bugs.

A ScreeningError is the user's or the environment's: shown as is. Anything else is a bug: the
traceback goes to the log file (never answers or names: only the traceback), and the user is told
that nothing was lost (every answer is saved as it is given) and where the log is.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from screening_app.errors import ScreeningError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)
ShowMessage = Callable[[str, str], None]


def show_error(parent: QWidget | None, error: ScreeningError, title: str = "Please check") -> None:
    from PySide6.QtWidgets import QMessageBox  # here: this module is on the start-up path

    QMessageBox.warning(parent, title, error.for_people())


def bug_message(log_path: Path) -> str:
    return (
        "Something went wrong inside the app. Nothing you entered was lost: every answer is "
        f"saved as you go. Details for IT were written to {log_path}."
    )


class ErrorHandler:
    """Installed as ``sys.excepthook``; ``handle`` also serves background-work failures."""

    def __init__(self, open_log: Callable[[], Path], show: ShowMessage) -> None:
        """``open_log`` makes sure the log file is set up and returns its path (start-up sets
        logging up only after the first window is painted; a bug may come sooner)."""
        self.open_log = open_log
        self.show = show
        self._showing = False

    def install(self) -> None:
        sys.excepthook = self._hook
        threading.excepthook = lambda args: self._hook(
            args.exc_type, args.exc_value or Exception(), args.exc_traceback
        )

    def handle(self, exc: BaseException) -> None:
        if isinstance(exc, ScreeningError):
            self._show("Please check", exc.for_people())
            return
        self._hook(type(exc), exc, exc.__traceback__)

    def _hook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if isinstance(exc, ScreeningError):
            self._show("Please check", exc.for_people())
            return
        path = self.open_log()
        log.error("unexpected error", exc_info=(kind, exc, tb))
        self._show("Something went wrong", bug_message(path))

    def _show(self, title: str, text: str) -> None:
        if self._showing:  # a second error while the first is on screen: logged only
            return
        self._showing = True
        try:
            self.show(title, text)
        finally:
            self._showing = False


def dialog_shower(parent_getter: Callable[[], QWidget | None]) -> ShowMessage:
    def show(title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent_getter(), title, text)

    return show
