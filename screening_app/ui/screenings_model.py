"""The screenings list as a table model that fetches pages on demand (like Anki's browser).

Filtering and sorting happen in SQL through the service; the model only ever holds the rows the
user has scrolled to, so 100 000 screenings cost no more than a few hundred.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from screening_app.domain import reassessment
from screening_app.services.model import ListQuery, ScreeningRow, status_label

PAGE = 200
COLUMNS = (
    ("Child", "child"),
    ("Age", "age"),
    ("Area", "area"),
    ("Screening date", "date"),
    ("Status", "status"),
    ("Band", "band"),
    ("Reassessment", "reassess"),
)
Index = QModelIndex | QPersistentModelIndex


class ScreeningsModel(QAbstractTableModel):
    def __init__(
        self,
        fetch: Callable[[ListQuery], list[ScreeningRow]],
        labels: dict[str, dict[str, str]],
        today: Callable[[], dt.date],
    ) -> None:
        super().__init__()
        self._fetch = fetch
        self.labels = labels  # "area" / "band" code -> label
        self.today = today
        self.query = ListQuery(limit=PAGE)
        self.rows: list[ScreeningRow] = []
        self._more = True

    # -- loading -------------------------------------------------------------------------
    def set_query(self, query: ListQuery) -> None:
        self.beginResetModel()
        self.query = dataclasses.replace(query, offset=0, limit=PAGE)
        self.rows = self._fetch(self.query)
        self._more = len(self.rows) == PAGE
        self.endResetModel()

    def reload(self) -> None:
        self.set_query(self.query)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        page = self._fetch(dataclasses.replace(self.query, offset=len(self.rows)))
        self._more = len(page) == PAGE
        if page:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    # -- model -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        shown = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
        if not index.isValid() or role not in shown:
            return None
        return self.text(self.rows[index.row()], index.column())

    def text(self, row: ScreeningRow, column: int) -> str:
        key = COLUMNS[column][1]
        if key == "child":
            return row.child_name or "(name not given yet)"
        if key == "age":
            return "" if row.child_age is None else str(row.child_age)
        if key == "area":
            return self.labels.get("area", {}).get(row.la_area, row.la_area)
        if key == "date":
            return row.screening_date.strftime("%d/%m/%Y") if row.screening_date else ""
        if key == "status":
            return status_label(row.status, row.version)
        if key == "band":
            band = row.operative_band
            return self.labels.get("band", {}).get(band, band) if band else "—"
        return self.reassessment_text(row)

    def reassessment_text(self, row: ScreeningRow) -> str:
        """Words first ("Overdue"/"Due"), then the date: never colour alone. A screening that a
        later one of the same child replaced is never due (``domain.reassessment``)."""
        if row.reassess_by is None or row.status in ("superseded", "draft"):
            return ""  # an amended version, or not yet submitted: nothing is due from it
        day = row.reassess_by.strftime("%d/%m/%Y")
        state = reassessment.state(row.reassess_by, self.today(), newest=row.newest)
        if state == "overdue":
            return f"Overdue since {day}"
        if state == "due":
            return f"Due by {day}"
        return day if row.newest else f"{day} (replaced by a later screening)"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(dataclasses.replace(self.query, sort=key, descending=descending))  # type: ignore[arg-type]

    def row_at(self, row: int) -> ScreeningRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None
