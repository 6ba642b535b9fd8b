"""First run: create the administrator account, then show the recovery key once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.errors import ScreeningError
from screening_app.ui.background import BusyIndicator
from screening_app.ui.dialogs import ErrorLine, save_path
from screening_app.ui.operations import Op
from screening_app.ui.sign_in import CAPS_HINT, PasswordEdit, grow_with_content


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
        grow_with_content(self, layout)
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
        self.error = ErrorLine(self)
        for box in (self.password, self.repeat):  # a mismatch said once is unsaid once mended
            box.textChanged.connect(self._mended)
        layout.addWidget(self.error)
        self.busy = BusyIndicator("Creating the encrypted database…", self)
        layout.addWidget(self.busy)
        self.button = QPushButton("&Create", self)
        self.button.setAccessibleName("Create the database")
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)

    def _mended(self) -> None:
        if self.error.isVisible() and self.password.text() == self.repeat.text():
            self.error.setVisible(False)

    def submit(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.show_message(
                "The two passwords are different. Type the same password twice."
            )
            return
        name, password = self.name.text().strip(), self.password.text()
        self.button.setEnabled(False)
        Op(self, lambda: self.create_database(name, password)).success(self._done).refused(
            self._failed
        ).after(lambda: self.button.setEnabled(True)).with_busy(self.busy).run()

    def _done(self, recovery_key: str) -> None:
        self.recovery_key = recovery_key
        self.admin_name = self.name.text().strip()
        RecoveryKeyDialog(recovery_key, self).exec()
        self.accept()

    def _failed(self, exc: ScreeningError) -> None:
        self.error.show_message(exc.for_people())


class RecoveryKeyDialog(QDialog):
    """Shows the one-time recovery key; Continue only once "stored safely" is ticked."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setWindowTitle("Your recovery key")
        layout = QVBoxLayout(self)
        text = QLabel(
            "This recovery key gives the first supervisor access to the records (Grant access "
            "with the recovery key, in Administration) and is the way back in if every "
            "administrator password is lost. Whoever holds it can read every record: give it "
            "to your designated safeguarding lead to keep locked away, not to IT. It is shown "
            "only this once. Print it or save it somewhere safe and separate from this computer.",
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
        printing = buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(key))
        save.clicked.connect(self._save)
        printing.clicked.connect(self.print_key)
        layout.addWidget(buttons)
        self.stored = QCheckBox("I have stored the recovery key safely", self)
        layout.addWidget(self.stored)
        self.go = QPushButton("C&ontinue", self)
        self.go.setEnabled(False)
        self.stored.toggled.connect(self.go.setEnabled)
        self.go.clicked.connect(self.accept)
        layout.addWidget(self.go)

    def print_key(self, printer: object = None) -> bool:
        """Print the key on a page of its own, with what it is for."""
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if not isinstance(printer, QPrinter):
            printer = QPrinter()
            if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
                return False
        page = QTextDocument()
        page.setHtml(
            "<h1>CSE Screening recovery key</h1>"
            f"<p style='font-size:24pt; font-family:monospace'>{self.key}</p>"
            "<p>Whoever holds this key can read every record. Keep it locked away, apart from "
            "the computer, with your designated safeguarding lead.</p>"
        )
        page.print_(printer)
        return True

    def _save(self) -> None:
        start = save_path(self, "Save the recovery key", "recovery-key.txt", "Text files (*.txt)")
        name = str(start) if start else ""
        if name:
            try:
                Path(name).write_text(f"CSE Screening recovery key: {self.key}\n", "utf-8")
            except OSError as exc:
                QMessageBox.warning(self, "Not saved", f"Could not save the file: {exc.strerror}")
