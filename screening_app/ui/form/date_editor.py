"""The date editor: typed day/month/year (or ISO), or picked in a calendar dialog that a
keyboard and a screen reader can use (docs/ACCESSIBILITY.md)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QDialog,
    QHBoxLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.forms import Question
from screening_app.ui.dialogs import ok_cancel
from screening_app.ui.form.editors import DATE_HINT, TextEditor


def parse_typed_date(text: str) -> dt.date | None:
    """``27/03/2011``, ``27-3-2011``, ``27.03.2011`` or ``2011-03-27``; None if not a date."""
    text = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    parts = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})", text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if parts:
            return dt.date(int(parts[3]), int(parts[2]), int(parts[1]))
    except ValueError:
        return None
    return None


class DateEditor(TextEditor):
    """Typed day/month/year, or picked from a calendar. Stored as an ISO date."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.edit.setPlaceholderText("DD/MM/YYYY or YYYY-MM-DD")
        self.edit.setMaximumWidth(160)
        self.pick = QToolButton(self)
        self.pick.setText("Calendar…")
        self.pick.setAccessibleName(f"{question.label}: choose from a calendar")
        self.pick.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.removeWidget(self.edit)
        row.addWidget(self.edit)
        row.addWidget(self.pick)
        row.addStretch(1)
        layout.addLayout(row)

    def _choose(self) -> None:
        """A calendar in a dialog of its own (a pop-up menu was missing from the
        accessibility tree): arrows move, Return or OK picks the day, Escape cancels."""
        day = parse_typed_date(self.edit.text())
        dialog = CalendarDialog(self.question.label, day, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            picked = dialog.calendar.selectedDate()
            self.edit.setText(picked.toString("dd/MM/yyyy"))
            self._emit()
        self.edit.setFocus()

    def flush(self) -> None:
        super().flush()
        day = parse_typed_date(self.edit.text())
        if day:  # show how the date was read: 3/4/2012 becomes 03/04/2012
            self.edit.setText(f"{day:%d/%m/%Y}")

    def value(self) -> Any:
        day = parse_typed_date(self.edit.text())
        return day.isoformat() if day else None

    def _show(self, value: Any) -> None:
        day = parse_typed_date(str(value)) if value else None
        self.edit.setText(day.strftime("%d/%m/%Y") if day else "")

    def input_problem(self) -> str | None:
        text = self.edit.text().strip()
        if text and parse_typed_date(text) is None:
            return f"Enter a real date as day/month/year, {DATE_HINT}"
        return None


class CalendarDialog(QDialog):
    """Pick a day: the calendar and its month buttons named, Return picks, Escape cancels."""

    def __init__(self, label: str, day: dt.date | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Choose a date: {label}")
        layout = QVBoxLayout(self)
        self.calendar = QCalendarWidget(self)
        self.calendar.setAccessibleName(f"Calendar: {label}")
        self.calendar.setGridVisible(True)
        if day is not None:
            self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        for name, words in (
            ("qt_calendar_prevmonth", "Previous month"),
            ("qt_calendar_nextmonth", "Next month"),
            ("qt_calendar_monthbutton", "Choose the month"),
            ("qt_calendar_yearbutton", "Choose the year"),
            ("qt_calendar_yearedit", "Year"),
        ):
            child = self.calendar.findChild(QWidget, name)
            if child is not None:
                child.setAccessibleName(words)
        self.calendar.activated.connect(lambda _d: self.accept())  # Return or a double-click
        buttons = ok_cancel(self)
        layout.addWidget(self.calendar)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        grid = self.calendar.findChild(QAbstractItemView)  # the days: arrows move, Return picks
        (grid or self.calendar).setFocus(Qt.FocusReason.OtherFocusReason)
