"""Tables a keyboard and a screen reader can use (WCAG 2.1.1, 2.4.3).

- Tab leaves a table; the arrow keys move inside it (Qt's default walks every cell with Tab and
  wraps round: 917 Tab presses on a long list, and the buttons after it were never reached).
- When focus comes into a table with nothing chosen, its first row is chosen, so that Enter opens
  it and a screen reader says what is there.
- Sorting without a mouse: a "Sort by" box beside the table (the column headings do the same
  for a mouse, and the two stay in step).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


class _ChooseOnFocus(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QAbstractItemView):
            model, selection = watched.model(), watched.selectionModel()
            empty = model is None or selection is None or model.rowCount() == 0
            if not empty and not selection.hasSelection():
                row = max(watched.currentIndex().row(), 0)
                watched.setCurrentIndex(model.index(row, 0))
                if isinstance(watched, QTableView):
                    watched.selectRow(row)
        return False


def keyboard_friendly(table: QTableView) -> None:
    table.setTabKeyNavigation(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    chooser = _ChooseOnFocus(table)
    table.installEventFilter(chooser)


class SortBox(QComboBox):
    """``choices``: (label, column, order); chosen here or by a column heading, both agree."""

    def __init__(
        self, table: QTableView, choices: list[tuple[str, int, Qt.SortOrder]], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.table = table
        self.choices = choices
        for label, _column, _order in choices:
            self.addItem(label)
        self.currentIndexChanged.connect(self._sort)
        table.horizontalHeader().sortIndicatorChanged.connect(self._follow)

    def _sort(self, index: int) -> None:
        if 0 <= index < len(self.choices):
            _label, column, order = self.choices[index]
            self.table.sortByColumn(column, order)

    def _follow(self, column: int, order: Qt.SortOrder) -> None:
        for index, (_label, chosen_column, chosen_order) in enumerate(self.choices):
            if (chosen_column, chosen_order) == (column, order) and index != self.currentIndex():
                self.blockSignals(True)
                self.setCurrentIndex(index)
                self.blockSignals(False)


def read_only_table(parent: QWidget, columns: Sequence[str], name: str) -> QTableWidget:
    """A table of rows to read (a dialog's list): named for a screen reader, its headings
    named, no row numbers, sized to its contents, and :func:`keyboard_friendly`."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setAccessibleName("Column headings")
    table.verticalHeader().setVisible(False)
    table.setCornerButtonEnabled(False)  # no row numbers, so no corner to select all from
    for corner in table.findChildren(QAbstractButton):  # hidden only at the next layout
        corner.setAccessibleName("Select every row")
    keyboard_friendly(table)
    return table


def fill_rows(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Replace the table's rows by ``rows`` of text."""
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))
