"""File → Connect to a team server…: the window's way to ``connect`` (docs/SERVER.md)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMessageBox, QWidget

from screening_app.ui.dialogs import fill_form


class ConnectDialog(QDialog):
    """The server's address, the certificate fingerprint IT gave, and your password (the same
    as here: the server account has your name)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a team server")
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://server.example.org:8443")
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setPlaceholderText("64 hexadecimal digits, from IT")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = fill_form(
            self,
            [
                ("Server &address", self.url),
                ("Certificate &fingerprint", self.fingerprint),
                ("Your &password", self.password),
            ],
        )
        note = QLabel(
            "This computer sends the screenings you submit, encrypted so that only your team's "
            "supervisors can read them, and receives their decisions.",
            self,
        )
        note.setWordWrap(True)
        form.insertRow(0, note)


def show_team_recovery_key(parent: QWidget, key: str) -> None:
    """Shown once, to the supervisor who made the team's key."""
    box = QMessageBox(parent)
    box.setWindowTitle("Your team's recovery key")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(
        "You created your team's key. Write down or print its recovery key now: it is shown "
        "only this once. With it, a supervisor's computer can take the team key back if every "
        f"supervisor's computer is lost.\n\n{key}"
    )
    box.setTextInteractionFlags(box.textInteractionFlags())
    box.exec()
