"""Idle lock and quick-hide: what keeps a child's record off a shared or watched screen.

The lock replaces the window's content with a password prompt and keeps the form intact behind
it. Quick-hide (F12 or Ctrl+Shift+H) blanks the window at once; the same shortcut brings it back.
Both close any open dialog first: a dialog is a window of its own that the lock cannot cover
(the referral preview shows a child's details). Answers are saved as they are given, so closing
one loses at most what was typed into it; it is cancelled, never confirmed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.errors import ScreeningError
from screening_app.ui.announce import announce
from screening_app.ui.background import BusyIndicator
from screening_app.ui.operations import Op
from screening_app.ui.sign_in import CAPS_HINT, PasswordEdit

ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


def close_dialogs() -> None:
    """Cancel every open dialog, innermost first."""
    app = QApplication.instance()
    dialogs = [
        w
        for w in (app.topLevelWidgets() if isinstance(app, QApplication) else [])
        if isinstance(w, QDialog) and w.isVisible()
    ]
    for dialog in reversed(dialogs):
        dialog.reject()


HIDE_KEYS = (
    (Qt.Key.Key_F12, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
)
LOCK_KEYS = ((Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),)


class SafetyKeys(QObject):
    """F12 / Ctrl+Shift+H (quick hide) and Ctrl+L (lock) while one of ``window``'s dialogs has
    the keyboard — the referral preview, a question: a dialog blocks its window's own shortcuts,
    and the moment a child walks in is when a referral is on screen. Installed on the
    application; ``hide`` and ``lock`` close the dialogs first."""

    def __init__(self, window: QWidget, hide: Callable[[], None], lock: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.hide, self.lock = window, hide, lock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if not isinstance(event, QKeyEvent) or not self._in_a_dialog_of_mine(watched):
            return False
        pressed = (event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if pressed in HIDE_KEYS:
            self.hide()
            return True
        if pressed in LOCK_KEYS:
            self.lock()
            return True
        return False

    def _in_a_dialog_of_mine(self, widget: QWidget) -> bool:
        top = widget.window()
        if top is self.window or not isinstance(top, QDialog):
            return False  # the window's own shortcuts do it there
        parent = top.parentWidget()
        while parent is not None:
            if parent is self.window:
                return True
            parent = parent.parentWidget()
        return False


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without keyboard or mouse activity in the app."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False


class LockScreen(QWidget):
    """Asks the signed-in user's password; ``unlocked`` when it is right."""

    unlocked = Signal()
    sign_out = Signal()

    def __init__(
        self, user_label: str, verify: Callable[[str], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.verify = verify
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel(
            f"<h2>Locked</h2>Signed in as {user_label}. Enter your password to carry "
            "on. Everything you entered is kept.",
            self,
        )
        title.setWordWrap(True)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.caps = QLabel(CAPS_HINT, self)
        self.caps.setVisible(False)
        self.password = PasswordEdit(self.caps, self)
        self.password.setAccessibleName("Password to unlock")
        self.password.setMinimumWidth(240)
        self.password.returnPressed.connect(self.submit)
        row = QHBoxLayout()
        row.addStretch(1)
        label = QLabel("&Password", self)
        label.setBuddy(self.password)
        row.addWidget(label)
        row.addWidget(self.password)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.caps, 0, Qt.AlignmentFlag.AlignCenter)
        self.error = QLabel("", self)
        self.error.setObjectName("errorText")
        self.error.setVisible(False)
        layout.addWidget(self.error, 0, Qt.AlignmentFlag.AlignCenter)
        self.busy = BusyIndicator("Checking…", self)
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton("&Unlock", self)
        self.button.setAccessibleName("Unlock")
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignCenter)
        self.other = QPushButton("&Sign out (someone else uses this computer)", self)
        self.other.setAccessibleName("Sign out so that someone else can sign in")
        self.other.clicked.connect(self.sign_out.emit)
        layout.addWidget(self.other, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)

    def reset(self) -> None:
        self.password.clear()
        self.error.setVisible(False)
        self.password.setFocus()

    def submit(self) -> None:
        password = self.password.text()
        self.button.setEnabled(False)
        Op(self, lambda: self.verify(password)).after(lambda: self.button.setEnabled(True)).success(
            self._checked
        ).refused(self._failed).with_busy(self.busy).run()

    def _checked(self, ok: object) -> None:
        if ok:
            self.password.clear()
            self.unlocked.emit()
        else:
            self.error.setText("Error: that password is not right.")
            self.error.setVisible(True)
            announce(self.error, self.error.text(), assertive=True)
            self.password.selectAll()

    def _failed(self, exc: ScreeningError) -> None:
        self.error.setText(f"Error: could not check the password. {exc.for_people()}")
        self.error.setVisible(True)
        announce(self.error, self.error.text(), assertive=True)


class HiddenScreen(QWidget):
    """A neutral, empty screen for quick-hide (nothing about screenings on it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        note = QLabel("Press F12 to return.", self)
        note.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight)
        note.setObjectName("caption")
        layout.addWidget(note)
