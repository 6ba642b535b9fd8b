"""Record what happened after a screening (an outcome from the form's list, a date, a note)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QLineEdit,
    QWidget,
)

from screening_app.ui.dialogs import fill_form


class OutcomeDialog(QDialog):
    def __init__(
        self, outcomes: list[tuple[str, str]], today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record an outcome")
        self.code = QComboBox(self)
        for code, label in outcomes:
            self.code.addItem(label, code)
        self.day = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setCalendarPopup(True)
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.note = QLineEdit(self)
        fill_form(
            self,
            [
                ("&Outcome", self.code),
                ("&Date", self.day),
                ("&Note (optional)", self.note),
            ],
        )

    def values(self) -> tuple[str, dt.date, str]:
        day = self.day.date()
        return (
            str(self.code.currentData()),
            dt.date(day.year(), day.month(), day.day()),
            self.note.text(),
        )
