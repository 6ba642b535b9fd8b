"""Sign-in and first run: create the administrator, show the recovery key once, unlock.

Unlocking derives a key with argon2id (slow on purpose), so it runs off the GUI thread with a
busy indicator. Wrong passwords get one plain message that never says whether the user exists.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.errors import IntegrityProblem, ScreeningError
from screening_app.ui.background import BusyIndicator, run_in_background

Unlock = Callable[[str, str], Any]
Restore = Callable[[Path, str, str], object]
CAPS_HINT = "Caps Lock seems to be on: passwords are case-sensitive."


def _grow_with_content(dialog: QDialog, layout: QVBoxLayout) -> None:
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
        self.services: Any = None
        self.setWindowTitle("Sign in – CSE Screening")
        layout = QVBoxLayout(self)
        _grow_with_content(self, layout)
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
        self.error = QLabel("", self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
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
            self._fail("Enter your user name and password.")
            return
        self.button.setEnabled(False)
        self.error.setVisible(False)
        run_in_background(
            self, lambda: self.unlock(name, password), self._done, self._failed, self.busy
        )

    def _done(self, services: Any) -> None:
        self.services = services
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        if isinstance(exc, IntegrityProblem) and exc.backups:
            self._offer_restore(exc)
            return
        if isinstance(exc, ScreeningError):
            self._fail("\n".join(exc.lines()))
            self.password.selectAll()
            self.password.setFocus()
            return
        raise exc

    def _offer_restore(self, exc: IntegrityProblem) -> None:
        newest = exc.backups[0]
        path = getattr(newest, "path", None)
        answer = QMessageBox.question(
            self,
            "The database is damaged",
            f"{exc.message}\n\nRestore the newest backup ({getattr(path, 'name', '')}) now? "
            "The damaged files are kept aside, not deleted.",
        )
        if answer != QMessageBox.StandardButton.Yes or path is None:
            self._fail(exc.message)
            return
        try:
            self.restore(path, self.name.text().strip(), self.password.text())
        except ScreeningError as error:
            self._fail("\n".join(error.lines()))
            return
        self.submit()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.adjustSize()  # grow to show the whole message


class FirstRunDialog(QDialog):
    """Creates the first administrator; then shows the recovery key (``recovery_key``)."""

    def __init__(
        self,
        create: Callable[[str, str], str],
        hint: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.create_database = create
        self.recovery_key = ""
        self.admin_name = ""
        self.setWindowTitle("Set up CSE Screening")
        layout = QVBoxLayout(self)
        _grow_with_content(self, layout)
        intro = QLabel(
            "<h2>Set up this computer</h2>Create the administrator account. The administrator "
            "manages accounts and backups and cannot read children's records.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit("admin", self)
        self.name.setAccessibleName("Administrator user name")
        self.caps = QLabel(CAPS_HINT, self)
        self.caps.setVisible(False)
        self.password = PasswordEdit(self.caps, self)
        self.password.setAccessibleName("Password")
        self.repeat = PasswordEdit(self.caps, self)
        self.repeat.setAccessibleName("Password again")
        form.addRow("&User name", self.name)
        form.addRow("&Password", self.password)
        form.addRow("Password &again", self.repeat)
        layout.addLayout(form)
        self.strength = QLabel("", self)
        self.strength.setWordWrap(True)
        layout.addWidget(self.strength)
        layout.addWidget(self.caps)
        self.password.textChanged.connect(lambda text: self.strength.setText(hint(text)))
        self.error = QLabel("", self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.busy = BusyIndicator("Creating the encrypted database…", self)
        layout.addWidget(self.busy)
        self.button = QPushButton("&Create", self)
        self.button.setAccessibleName("Create the database")
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)

    def submit(self) -> None:
        if self.password.text() != self.repeat.text():
            self._fail("The two passwords are different. Type the same password twice.")
            return
        name, password = self.name.text().strip(), self.password.text()
        self.button.setEnabled(False)
        run_in_background(
            self, lambda: self.create_database(name, password), self._done, self._failed, self.busy
        )

    def _done(self, recovery_key: str) -> None:
        self.recovery_key = recovery_key
        self.admin_name = self.name.text().strip()
        RecoveryKeyDialog(recovery_key, self).exec()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        if not isinstance(exc, ScreeningError):
            raise exc
        self._fail("\n".join(exc.lines()))

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.adjustSize()  # grow to show the whole message


class RecoveryKeyDialog(QDialog):
    """Shows the one-time recovery key; Continue only once "stored safely" is ticked."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setWindowTitle("Your recovery key")
        layout = QVBoxLayout(self)
        text = QLabel(
            "This recovery key opens the database if every administrator password is lost. "
            "It is shown only this once. Print it or save it somewhere safe and separate from "
            "this computer.",
            self,
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.key_label = QLabel(f"<h2>{key}</h2>", self)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName(f"Recovery key {key}")
        layout.addWidget(self.key_label)
        buttons = QDialogButtonBox(self)
        copy = buttons.addButton("&Copy", QDialogButtonBox.ButtonRole.ActionRole)
        save = buttons.addButton("&Save to file…", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(key))
        save.clicked.connect(self._save)
        layout.addWidget(buttons)
        self.stored = QCheckBox("I have stored the recovery key safely", self)
        layout.addWidget(self.stored)
        self.go = QPushButton("C&ontinue", self)
        self.go.setEnabled(False)
        self.stored.toggled.connect(self.go.setEnabled)
        self.go.clicked.connect(self.accept)
        layout.addWidget(self.go)

    def _save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save the recovery key", "recovery-key.txt")
        if name:
            try:
                Path(name).write_text(f"CSE Screening recovery key: {self.key}\n", "utf-8")
            except OSError as exc:
                QMessageBox.warning(self, "Not saved", f"Could not save the file: {exc.strerror}")
