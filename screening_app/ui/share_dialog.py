"""Before a referral, a MACE pack or a POLE export leaves the app: with whom, for what, and on
what lawful basis (domain/disclosure.py). Asked once per share; nothing is written until it is
answered, and a refused consent needs the reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain import disclosure
from screening_app.ui.dialogs import ErrorLine


class ShareDialog(QDialog):
    def __init__(
        self, what: str, purpose: str, parent: QWidget | None = None, *, recipient: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Share {what}")
        self.share: disclosure.Share | None = None
        layout = QVBoxLayout(self)
        note = QLabel(
            f"Before {what} leaves the app, record with whom you share it, what for and on what "
            "lawful basis. It is kept in the audit trail and printed at the foot of every page. "
            "Do not name the child or anyone else here.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.recipient = QLineEdit(recipient, self)
        self.recipient.setPlaceholderText("for example Northvale Police SCU, or the MASH")
        self.recipient.setAccessibleName("Shared with")
        form.addRow("Shared &with", self.recipient)
        self.purpose = QLineEdit(purpose, self)
        self.purpose.setAccessibleName("Purpose")
        form.addRow("P&urpose", self.purpose)
        layout.addLayout(form)
        box = QGroupBox("Lawful basis", self)
        inner = QVBoxLayout(box)
        self.bases = QButtonGroup(self)
        self.codes = list(disclosure.BASES)
        for number, words in enumerate(disclosure.BASES.values()):
            button = QRadioButton(words, box)
            button.setAccessibleName(words)
            self.bases.addButton(button, number)
            inner.addWidget(button)
        layout.addWidget(box)
        self.reason_label = QLabel("&Reason (needed when consent is overridden)", self)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName("Reason")
        self.reason.setFixedHeight(70)
        self.reason_label.setBuddy(self.reason)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        self.error = ErrorLine(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Share")
        ok.setAccessibleName("Share")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choose(self, basis: str) -> None:
        button = self.bases.button(self.codes.index(basis))
        button.setChecked(True)

    def _check(self) -> None:
        chosen = self.bases.checkedId()
        basis = self.codes[chosen] if chosen >= 0 else ""
        try:
            self.share = disclosure.make(
                self.recipient.text(), self.purpose.text(), basis, self.reason.toPlainText()
            )
        except disclosure.ShareError as exc:
            self.error.show_message(str(exc))
            return
        self.accept()


def ask_share(parent: QWidget, what: str, purpose: str) -> disclosure.Share | None:
    """The share the person records, or None when they cancel (then nothing is shared)."""
    dialog = ShareDialog(what, purpose, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.share
