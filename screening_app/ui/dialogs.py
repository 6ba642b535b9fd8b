"""Small building blocks shared by the app's form-like dialogs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QWidget


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
