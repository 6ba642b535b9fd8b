"""Sign-in: user name and password, unlocked off the GUI thread.

The first run (create the administrator, show the recovery key once) is in ``first_run``. This
module is on the start-up path: it imports only the Qt classes the sign-in window shows (PySide
builds each class on first use, which costs start-up time), the rest where they are needed.

Unlocking derives a key with argon2id (slow on purpose), so it runs off the GUI thread with a
busy indicator. Wrong passwords get one plain message that never says whether the user exists.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.errors import IntegrityProblem, ScreeningError
from screening_app.ui.background import BusyIndicator, on_gui_thread
from screening_app.ui.operations import Op

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

    from screening_app.services.app_services import AppServices
from screening_app.ui.dialogs import ErrorLine

Progress = Callable[[str, float], None]
Unlock = Callable[[str, str, Progress], "AppServices"]
Restore = Callable[[Path, str, str], object]
CAPS_HINT = "Caps Lock seems to be on: passwords are case-sensitive."


def grow_with_content(dialog: QDialog, layout: QVBoxLayout) -> None:
    """The dialog grows when an error appears instead of clipping the text."""
    dialog.setMinimumWidth(460)
    layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)


class PasswordEdit(QLineEdit):
    """A password field that notices capitals typed without Shift (Qt cannot read Caps Lock)."""

    def __init__(self, hint: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = hint

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isalpha():
            from PySide6.QtCore import Qt  # not at the top: building it costs start-up ~25 ms

            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.hint.setVisible(text.isupper() != shift)
        super().keyPressEvent(event)


class SignInDialog(QDialog):
    """User name + password; ``services`` holds the signed-in AppServices after ``accept``."""

    def __init__(
        self,
        unlock: Unlock,
        restore: Restore,
        *,
        user_name: str = "",
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.unlock = unlock
        self.restore = restore
        self.services: AppServices | None = None
        self.setWindowTitle("Sign in – CSE Screening")
        layout = QVBoxLayout(self)
        grow_with_content(self, layout)
        if demo:
            banner = QLabel(
                "DEMO – fictional data only. Users demo or supervisor, password demo-password.",
                self,
            )
            banner.setObjectName("demoBanner")
            banner.setWordWrap(True)
            layout.addWidget(banner)
        layout.addWidget(QLabel("<h2>Sign in</h2>", self))
        form = QFormLayout()
        self.name = QLineEdit(user_name, self)
        self.name.setAccessibleName("User name")
        self.caps = QLabel(CAPS_HINT, self)
        self.caps.setVisible(False)
        self.password = PasswordEdit(self.caps, self)
        self.password.setAccessibleName("Password")
        form.addRow("&User name", self.name)
        form.addRow("&Password", self.password)
        layout.addLayout(form)
        layout.addWidget(self.caps)
        self.error = ErrorLine(self)
        layout.addWidget(self.error)
        self.busy = BusyIndicator("Unlocking the database…", self)
        layout.addWidget(self.busy)
        self.button = QPushButton("&Sign in", self)
        self.button.setDefault(True)
        self.button.setAccessibleName("Sign in")
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        (self.password if user_name else self.name).setFocus()

    def submit(self) -> None:
        name, password = self.name.text().strip(), self.password.text()
        if not name or not password:
            self.error.show_message("Enter your user name and password.")
            return
        self.button.setEnabled(False)
        self.error.setVisible(False)
        Op(self, lambda: self.unlock(name, password, self._report)).after(
            lambda: self.button.setEnabled(True)
        ).success(self._done).refused(self._failed).with_busy(self.busy).run()

    def _report(self, message: str, _fraction: float) -> None:
        """From the worker: say what the long step is (a data-key rotation) under the bar."""
        on_gui_thread(lambda: self.busy.label.setText(message) if shiboken6.isValid(self) else None)

    def _done(self, services: AppServices) -> None:
        self.services = services
        self.accept()

    def _failed(self, exc: ScreeningError) -> None:
        if isinstance(exc, IntegrityProblem) and exc.backups:
            self._offer_restore(exc)
            return
        self.error.show_message(exc.for_people())
        self.password.selectAll()
        self.password.setFocus()

    def _offer_restore(self, exc: IntegrityProblem) -> None:
        from PySide6.QtWidgets import QMessageBox

        newest = exc.backups[0]
        path = getattr(newest, "path", None)
        answer = QMessageBox.question(
            self,
            "The database is damaged",
            f"{exc.message}\n\nRestore the newest backup ({getattr(path, 'name', '')}) now? "
            "The damaged files are kept aside, not deleted.",
        )
        if answer != QMessageBox.StandardButton.Yes or path is None:
            self.error.show_message(exc.message)
            return
        name, password = self.name.text().strip(), self.password.text()
        self.button.setEnabled(False)  # a restore unlocks the keys and copies the database
        Op(self, lambda: self.restore(path, name, password)).after(
            lambda: self.button.setEnabled(True)
        ).success(lambda _aside: self.submit()).refused(
            lambda error: self.error.show_message(error.for_people())
        ).with_busy(self.busy).run()
