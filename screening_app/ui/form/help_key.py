"""F1 in a question's field shows or hides that question's help (docs/ACCESSIBILITY.md).

The window's Help → Keyboard shortcuts is F1 as well (the platform's key for help), and two
shortcuts on one key make Qt do neither ("ambiguous shortcut"). So the form does not hold F1 as a
shortcut: when the focus is in a field whose question has help, the form takes F1 ahead of the
window's shortcuts (it accepts the key's shortcut override) and toggles the help when the key
arrives; anywhere else F1 is the window's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from screening_app.ui.form.page import QuestionBlock


class HelpKey(QObject):
    """An event filter on the form: ``focused_help()`` is the question whose field has focus,
    if it has help, else None."""

    def __init__(self, form: QWidget, focused_help: Callable[[], QuestionBlock | None]) -> None:
        super().__init__(form)
        self.focused_help = focused_help
        form.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent) or event.key() != Qt.Key.Key_F1:
            return False
        block = self.focused_help()
        if block is None:
            return False
        if kind == QEvent.Type.KeyPress:
            block.toggle_help()
        event.accept()  # a shortcut override accepted: the key comes to the form, not a shortcut
        return True
