"""Transfer to another setting (services/transfers.py): on a child's page a supervisor names the
receiving supervisor and chooses how it is sealed — for their computers, with their keys from
the team server, or under a password sent separately — then records the share and saves the
file. File → Receive a transfer… stores one and saves the receipt for the sender."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.files import write_output
from screening_app.services.app_services import AppServices
from screening_app.services.transfers import MIN_PASSWORD, Received
from screening_app.ui.dialogs import ErrorLine, confirm_saved, ok_cancel, save_path
from screening_app.ui.operations import Op, guarded
from screening_app.ui.share_dialog import ask_share


class TransferDialog(QDialog):
    """Who receives it, and how it is sealed."""

    def __init__(self, parent: QWidget, child: str, *, connected: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Transfer to another setting")
        layout = QVBoxLayout(self)
        note = QLabel(
            f"{child}'s screenings and outcomes go, encrypted, to the supervisor you name at the "
            "child's new setting. Only they can open the file; when they do, their app writes a "
            "signed receipt for you to keep.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.to = QLineEdit(self)
        self.to.setAccessibleName("Receiving supervisor's user name")
        form.addRow("Receiving &supervisor", self.to)
        layout.addLayout(form)
        self.by_keys = QRadioButton(
            "Seal it for their &computers (keys from the team server)", self
        )
        self.by_password = QRadioButton("Lock it under a &password I send them separately", self)
        for button in (self.by_keys, self.by_password):
            button.setAccessibleName(button.text().replace("&", ""))
            layout.addWidget(button)
        if connected:
            self.by_keys.setChecked(True)
        else:  # no server to give the receiver's keys: a password is the only way
            self.by_keys.setText("Seal it for their computers (connect to a team server first)")
            self.by_keys.setAccessibleName(self.by_keys.text())
            self.by_keys.setEnabled(False)
            self.by_password.setChecked(True)
        words = QFormLayout()
        self.password = QLineEdit(self)
        self.again = QLineEdit(self)
        for field, label in ((self.password, "Pass&word"), (self.again, "&Repeat the password")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(label.replace("&", ""))
            field.setEnabled(self.by_password.isChecked())
            words.addRow(label, field)
        layout.addLayout(words)
        self.by_password.toggled.connect(self.password.setEnabled)
        self.by_password.toggled.connect(self.again.setEnabled)
        self.error = ErrorLine(self)
        layout.addWidget(self.error)
        buttons = ok_cancel(self, self._check)
        layout.addWidget(buttons)

    def locked_with(self) -> str | None:
        return self.password.text() if self.by_password.isChecked() else None

    def _check(self) -> None:
        if not self.to.text().strip():
            self.error.show_message("Name the receiving supervisor.")
            return
        if self.by_password.isChecked():
            if len(self.password.text()) < MIN_PASSWORD:
                self.error.show_message(
                    f"Use a password of at least {MIN_PASSWORD} characters: a phrase of a few "
                    "words is easy to read out and hard to guess."
                )
                return
            if self.password.text() != self.again.text():
                self.error.show_message("The two passwords differ: type them again.")
                return
        self.accept()


def send_transfer(
    parent: QWidget, services: AppServices, reference: str, child: str, status: QLabel
) -> None:
    dialog = TransferDialog(parent, child, connected=services.sync.connected())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    to, locked = dialog.to.text().strip(), dialog.locked_with()
    share = ask_share(parent, "the transfer", "the child's move to another setting")
    if share is None:
        return
    path = save_path(
        parent,
        "Save the transfer",
        f"Transfer-{reference}.cse-transfer",
        "Transfer files (*.cse-transfer)",
    )
    if path is None:
        return
    transfers = services.transfers

    def work() -> None:
        sent = transfers.send(reference, to, share, password=locked)
        write_output(path, sent.data, force=True)

    Op(parent, work).success(lambda _none: confirm_saved(status, path)).run()


def receive_transfer(
    parent: QWidget, services: AppServices, done: Callable[[], None] = lambda: None
) -> None:
    """File → Receive a transfer…: store it, then save the receipt for the sender."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "Receive a transfer", "", "Transfer files (*.cse-transfer);;All files (*)"
    )
    if not name:
        return
    transfers = services.transfers
    password = None
    with guarded(parent) as attempt:
        data = transfers.read_file(Path(name))
        locked = transfers.locked(data)
    if attempt.failed:
        return
    if locked:
        password, ok = QInputDialog.getText(
            parent,
            "Receive a transfer",
            "The password the sender sent you separately:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return

    def received(got: Received) -> None:
        _save_receipt(parent, got)
        done()

    Op(parent, lambda: transfers.receive(data, password)).success(received).run()


def _save_receipt(parent: QWidget, got: Received) -> None:
    stored = "were received before as" if got.again else "are stored as"
    setting = f" ({got.setting})" if got.setting else ""
    said = (
        f"From {got.sender}{setting}: {len(got.references)} screening(s) {stored} "
        f"{', '.join(got.references)}."
    )
    path = save_path(
        parent,
        "Save the receipt for the sender",
        f"Receipt-{got.transfer_id[:8]}.json",
        "Receipts (*.json)",
    )
    with guarded(parent) as attempt:
        if path is not None:
            write_output(path, got.receipt, force=True)
    if path is not None and not attempt.failed:
        said += f" The receipt is saved as {path.name}: send it to {got.sender}."
    else:
        said += (
            " No receipt was saved: receive the same file again to save it (nothing is stored "
            "twice)."
        )
    QMessageBox.information(parent, "Transfer received", said)


def keep_receipt(parent: QWidget, services: AppServices) -> str | None:
    """The disclosure log's Keep a transfer's receipt…: what was kept, in words."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "Keep a transfer's receipt", "", "Receipts (*.json);;All files (*)"
    )
    if not name:
        return None
    transfers = services.transfers
    with guarded(parent) as attempt:
        body = transfers.record_receipt(transfers.read_receipt(Path(name)))
    if attempt.failed:
        return None
    return (
        f"Receipt kept: {body['received_by']} received the transfer on "
        f"{str(body['received_at'])[:10]} as {', '.join(body['references'])}."
    )
