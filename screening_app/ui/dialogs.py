"""Small building blocks shared by the app's form-like dialogs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.ui.announce import announce


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """``width`` x ``height``, or less on a small screen (a 1366 x 768 laptop), so that no
    button ends up below the bottom edge."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() * 95 // 100)
        height = min(height, room.height() * 90 // 100)
    widget.resize(width, height)


def ok_cancel(dialog: QDialog, on_ok: Callable[[], None] | None = None) -> QDialogButtonBox:
    """OK and Cancel for ``dialog``: OK runs ``on_ok`` (which accepts when the answers hold;
    plain accept without it), Cancel rejects."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def fill_form(dialog: QDialog, rows: Sequence[tuple[str, QWidget]]) -> QFormLayout:
    """Labelled rows (each widget named after its label for screen readers) and OK/Cancel."""
    form = QFormLayout(dialog)
    for label, widget in rows:
        widget.setAccessibleName(label.replace("&", ""))
        form.addRow(label, widget)
    form.addRow(ok_cancel(dialog))
    return form


class ErrorLine(QLabel):
    """A hidden line of error text (bold, red, with a bar: not colour alone) that shows a
    message and lets its window grow to show all of it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("", parent)
        self.setObjectName("errorText")
        self.setWordWrap(True)
        self.setVisible(False)

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(True)
        self.window().adjustSize()
        announce(self, message, assertive=True)


class TextDialog(QDialog):
    """A few lines of text that must be given (a return comment): the box is named by its
    question, Tab leaves it (it does not type a tab), and an empty or too short text is said
    in the dialog, which stays open with what was typed."""

    def __init__(
        self, parent: QWidget, title: str, prompt: str, *, needed: str, min_length: int = 1
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.needed, self.min_length = needed, min_length
        layout = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName(prompt)
        label.setBuddy(self.text)
        self.error = ErrorLine(self)
        buttons = ok_cancel(self, self._check)
        for widget in (label, self.error, self.text, buttons):
            layout.addWidget(widget)
        resize_within_screen(self, 520, 300)

    def _check(self) -> None:
        if len(self.value()) < self.min_length:
            self.error.show_message(self.needed)
            self.text.setFocus()
            return
        self.accept()

    def value(self) -> str:
        return self.text.toPlainText().strip()


def save_path(parent: QWidget, title: str, file_name: str, kinds: str) -> Path | None:
    """Where to save, asked in the user's Documents folder (not the program's own)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(folder or Path.home()) / file_name)
    name, _ = QFileDialog.getSaveFileName(parent, title, start, kinds)
    return Path(name) if name else None


def confirm_saved(status: QLabel, path: Path) -> None:
    """Say where a file went: on screen, and to a screen reader."""
    status.setText(f"Saved as {path.name} in {path.parent}.")
    status.setVisible(True)
    announce(status, status.text())


def pdf_and_csv_row(
    dialog: QDialog, what: str, file_stem: str, write: Callable[[Path, bool], None]
) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    """Save PDF… and Save CSV… (off until there is something to save), then Close: the last
    row of a report's dialog. Each asks where, then calls ``write(path, as_csv)``."""

    def save(as_csv: bool) -> None:
        kind = "CSV files (*.csv)" if as_csv else "PDF files (*.pdf)"
        name = f"{file_stem}.{'csv' if as_csv else 'pdf'}"
        path = save_path(dialog, f"Save the {what}", name, kind)
        if path:
            write(path, as_csv)

    row = QHBoxLayout()
    pdf_button = QPushButton("Save &PDF…", dialog)
    pdf_button.setAccessibleName(f"Save the {what} as a PDF")
    pdf_button.clicked.connect(lambda: save(False))
    csv_button = QPushButton("Save &CSV…", dialog)
    csv_button.setAccessibleName(f"Save the {what} as a CSV")
    csv_button.clicked.connect(lambda: save(True))
    for button in (pdf_button, csv_button):
        button.setEnabled(False)
        row.addWidget(button)
    row.addStretch(1)
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    close.rejected.connect(dialog.reject)
    row.addWidget(close)
    return row, pdf_button, csv_button
