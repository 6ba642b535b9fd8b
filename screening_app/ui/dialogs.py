"""Small building blocks shared by the app's form-like dialogs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QWidget


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """``width`` x ``height``, or less on a small screen (a 1366 x 768 laptop), so that no
    button ends up below the bottom edge."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() * 95 // 100)
        height = min(height, room.height() * 90 // 100)
    widget.resize(width, height)


def fill_form(dialog: QDialog, rows: Sequence[tuple[str, QWidget]]) -> QFormLayout:
    """Labelled rows (each widget named after its label for screen readers) and OK/Cancel."""
    form = QFormLayout(dialog)
    for label, widget in rows:
        widget.setAccessibleName(label.replace("&", ""))
        form.addRow(label, widget)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return form
