"""In-app referral preview (QtPdf), with Save as…, Save encrypted… and Print.

The PDF is rendered off the GUI thread and shown from memory (a QBuffer), never from a temporary
file. Every preview, save and print is written to the audit trail by the service.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.disclosure import Share
from screening_app.domain.passwords import pdf_password_hint
from screening_app.errors import ScreeningError
from screening_app.services.app_services import AppServices
from screening_app.ui.dialogs import confirm_saved, ok_cancel, resize_within_screen, save_path
from screening_app.ui.share_dialog import ask_share

PURPOSE = "a referral of a child at risk of exploitation"


class PasswordDialog(QDialog):
    """A password typed twice, with the strength hint; never stored."""

    def __init__(self, hint: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Encrypt the referral")
        layout = QVBoxLayout(self)
        note = QLabel(
            "Choose a password for the PDF. Send it to the recipient separately "
            "(for example by phone), never in the same email.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.first = QLineEdit(self)
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("PDF password")
        self.second = QLineEdit(self)
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName("PDF password again")
        form.addRow("&Password", self.first)
        form.addRow("Password &again", self.second)
        layout.addLayout(form)
        self.hint = QLabel("", self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.first.textChanged.connect(lambda text: self.hint.setText(hint(text)))
        buttons = ok_cancel(self, self._check)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if not self.first.text() or self.first.text() != self.second.text():
            self.hint.setText("The two passwords are different or empty; type the same twice.")
            return
        self.accept()

    def password(self) -> str:
        return self.first.text()


class ReferralView(QDialog):
    def __init__(
        self,
        services: AppServices,
        screening_id: int,
        reference: str,
        pdf: bytes,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.screening_id = screening_id
        self.reference = reference
        self.pdf = pdf
        self.setWindowTitle(f"Referral {reference}")
        resize_within_screen(self, 900, 1000)
        layout = QVBoxLayout(self)
        self.document = QPdfDocument(self)
        self.buffer = QBuffer(self.document)  # outlives the document reading it
        self.buffer.setData(QByteArray(pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self.buffer)
        tabs = QTabWidget(self)
        self.view = QPdfView(tabs)
        self.view.setAccessibleName(f"Pages of referral {reference}")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        # the pages are pictures to assistive technology: the same words as text, to read
        self.text = QPlainTextEdit(tabs)
        self.text.setReadOnly(True)
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName(f"Text of referral {reference}")
        self.text.setPlainText(self.words())
        tabs.addTab(self.text, "&Text (for reading aloud)")
        tabs.addTab(self.view, "P&ages")
        layout.addWidget(tabs, 1)
        self.status = QLabel(self)
        self.status.setVisible(False)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        for text, slot in (
            ("&Save as…", self.save),
            ("Save &encrypted…", self.save_encrypted),
            ("&Print…", self.print_),
            ("&Close", self.accept),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        layout.addLayout(row)

    def words(self) -> str:
        """Every page's text, in reading order, with the page numbers."""
        pages = []
        for page in range(self.document.pageCount()):
            text = self.document.getAllText(page).text().strip()
            pages.append(f"Page {page + 1} of {self.document.pageCount()}\n\n{text}")
        return "\n\n".join(pages)

    def _target(self) -> Path | None:
        return save_path(self, "Save the referral", f"{self.reference}.pdf", "PDF files (*.pdf)")

    def _share(self, share: Share | None) -> Share | None:
        """The share recorded for this save or print: asked once, unless given."""
        return share or ask_share(self, "the referral", PURPOSE)

    def save(
        self,
        target: Path | None = None,
        password: str | None = None,
        share: Share | None = None,
    ) -> bool:
        """Ask with whom, what for and on what basis (unless ``share``), then where; write the
        referral with the share at the foot of its pages."""
        share = self._share(share)
        if share is None:
            return False
        target = target or self._target()
        if target is None:
            return False
        try:
            self.services.referrals.save_referral(
                self.screening_id, target, share, password=password
            )
        except ScreeningError as exc:
            QMessageBox.warning(self, "Not saved", exc.for_people())
            return False
        confirm_saved(self.status, target)
        return True

    def save_encrypted(self) -> None:
        share = self._share(None)
        if share is None:
            return
        dialog = PasswordDialog(pdf_password_hint, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.save(password=dialog.password(), share=share)

    def print_(self, printer: QPrinter | None = None, share: Share | None = None) -> bool:
        """Ask the share (unless given), then the printer; print the referral with the share
        at the foot of its pages, and record it."""
        share = self._share(share)
        if share is None:
            return False
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
                return False
        try:
            pdf = self.services.referrals.shared_pdf(self.screening_id, share)
        except ScreeningError as exc:
            QMessageBox.warning(self, "Not printed", exc.for_people())
            return False
        document = QPdfDocument(self)
        buffer = QBuffer(document)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "Not printed", "The printer could not be started.")
            return False
        try:
            for page in range(document.pageCount()):
                if page:
                    printer.newPage()
                area = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
                image = document.render(page, area.size())
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        self.services.referrals.record_export(self.screening_id, "printed", share=share)
        return True
