"""Review → Disclosure log…: every share of every screening of the team — who shared it, with
whom, when, on what basis and what was shared — filterable by child, and saved as CSV for the
data protection officer (services/disclosures.py). Read from the signed audit trail."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.capabilities import Verb
from screening_app.files import write_text
from screening_app.services.app_services import AppServices
from screening_app.services.disclosures import Disclosure
from screening_app.ui.announce import announce
from screening_app.ui.dialogs import confirm_saved, resize_within_screen, save_path
from screening_app.ui.operations import Newest, Op, guarded
from screening_app.ui.tables import fill_rows, read_only_table

COLUMNS = ("When", "By", "What", "Screening", "Child", "Shared with", "Purpose", "Basis")


class DisclosureDialog(QDialog):
    def __init__(self, parent: QWidget, services: AppServices) -> None:
        super().__init__(parent)
        self.services = services
        self.found: list[Disclosure] = []
        self.readings = Newest()
        self.setWindowTitle("Disclosure log")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel("Only the child &named:", self)
        self.child = QLineEdit(self)
        self.child.setPlaceholderText("part of a child's or a place's name")
        self.child.setAccessibleName("Only the child named")
        label.setBuddy(self.child)
        row.addWidget(label)
        row.addWidget(self.child, 1)
        layout.addLayout(row)
        self.table = read_only_table(self, COLUMNS, "Shares of screenings")
        layout.addWidget(self.table, 1)
        self.status = QLabel("Reading the audit trail…", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.csv_button = QPushButton("Save &CSV…", self)
        self.csv_button.setAccessibleName("Save the disclosure log as CSV")
        self.csv_button.clicked.connect(self.save_csv)
        buttons.addButton(self.csv_button, QDialogButtonBox.ButtonRole.ActionRole)
        if services.can(Verb.KEEP_RECEIPT):
            receipt = QPushButton("Keep a transfer's &receipt…", self)
            receipt.setAccessibleName("Keep the receipt of a transfer to another setting")
            receipt.clicked.connect(self.keep_receipt)
            buttons.addButton(receipt, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.timer = QTimer(self)  # typing waits a moment before the log is read again
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.reload)
        self.child.textChanged.connect(lambda _text: self.timer.start())
        resize_within_screen(self, 1100, 560)
        self.reload()

    def reload(self, note: str = "") -> None:
        """Read the log again (only the newest reading is shown); ``note``: what was just done,
        said before the count."""
        disclosures, child = self.services.disclosures, self.child.text()
        newest = self.readings.start()
        Op(self, lambda: disclosures.log(child)).success(
            newest(lambda found: self.show_log(found, note))
        ).run()

    def show_log(self, found: list[Disclosure], note: str = "") -> None:
        self.found = found
        fill_rows(
            self.table,
            [
                (
                    f"{d.at:%d/%m/%Y %H:%M}",
                    d.by,
                    d.what,
                    d.reference,
                    d.subject,
                    d.recipient or "(not recorded)",
                    d.purpose or "(not recorded)",
                    f"{d.basis} ({d.reason})" if d.reason else d.basis,
                )
                for d in found
            ],
        )
        self.status.setText(f"{note} {len(found)} share(s).".strip())
        announce(self.status, self.status.text())

    def keep_receipt(self) -> None:
        """A receipt the receiving supervisor sent back: checked, kept, shown in the log."""
        from screening_app.ui.transfer_dialog import keep_receipt

        kept = keep_receipt(self, self.services)
        if kept is not None:
            self.reload(kept)

    def save_csv(self) -> None:
        from screening_app.export.disclosure_csv import to_csv

        path = save_path(self, "Save the disclosure log", "disclosures.csv", "CSV files (*.csv)")
        if path is None:
            return
        with guarded(self) as attempt:
            write_text(path, to_csv(d.cells() for d in self.found), force=True)
        if not attempt.failed:
            confirm_saved(self.status, path)
