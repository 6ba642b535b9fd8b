"""Return activates the button that has focus, as Space does (WCAG 2.1.1).

Qt only lets Return press a dialog's default button; on a focused "Continue", "Change" or
"Submit" outside a dialog it did nothing, and a keyboard user pressing Return was left waiting.
Installed once on the application (``startup.application``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPushButton, QToolButton

ACTIVATING = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ReturnPressesButtons(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in ACTIVATING
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and isinstance(watched, QPushButton | QToolButton)
            and watched.hasFocus()
            and watched.isEnabled()
        ):
            watched.animateClick()
            return True
        return False
