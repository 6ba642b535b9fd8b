"""Supervisors' review queue: submitted screenings of the team, oldest first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain import checklist
from screening_app.services.app_services import AppServices
from screening_app.services.review import QueueItem
from screening_app.ui.heading import page_top
from screening_app.ui.tables import keyboard_friendly

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Submitted", "Child", "Practitioner", "Band that applies", "Judgement")


class QueueModel(QAbstractTableModel):
    def __init__(self, band_label: Callable[[str | None], str], me: int) -> None:
        super().__init__()
        self.items: list[QueueItem] = []
        self.band_label = band_label
        self.me = me  # the supervisor's own screenings are listed, for another to review

    def set_items(self, items: list[QueueItem]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        item = self.items[index.row()]
        column = index.column()
        if column == 0:
            return item.submitted_at.strftime("%d/%m/%Y %H:%M")
        if column == 1:
            return item.row.child_name
        if column == 2:
            if item.row.owner_id == self.me:
                return f"{item.row.owner_name} (you: another supervisor reviews it)"
            return item.row.owner_name
        if column == 3:
            return self.band_label(item.row.operative_band)
        return judgement_words(item, self.band_label)


def judgement_words(item: QueueItem, band_label: Callable[[str | None], str]) -> str:
    """How the practitioner's judgement stands to the band the score and rules gave."""
    if item.lowered_judgement:
        return f"Lowered to {band_label(item.judged_band)}: needs your approval"
    if item.judged_band and item.judged_band != item.final_band:
        return (
            f"Raised from {band_label(item.final_band)} to {band_label(item.judged_band)} "
            "by the practitioner"
        )
    return "Agrees with the band"


class ReviewQueue(QWidget):
    """The queue; ``open_screening(id)`` opens one read-only with Approve / Return."""

    def __init__(
        self,
        services: AppServices,
        open_screening: Callable[[int], None],
        parent: QWidget | None = None,
        *,
        back: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.open_screening = open_screening
        form = services.registry.latest(checklist.FORM_ID)
        labels = {b.code: b.label for b in form.bands}
        self.model = QueueModel(lambda code: labels.get(code or "", code or "—"), services.user.id)
        layout = QVBoxLayout(self)
        top, self.heading = page_top(self, "Review queue", back)
        layout.addLayout(top)
        intro = QLabel(
            "Submitted screenings of your team, oldest first. Open one to approve it or return it.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Screenings waiting for review")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setCornerButtonEnabled(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setAccessibleName("Column headings")
        self.table.activated.connect(lambda _i: self.open_selected())
        keyboard_friendly(self.table)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton("&Open for review", self)
        self.open_button.setAccessibleName("Open for review")
        self.open_button.clicked.connect(self.open_selected)
        row.addWidget(self.open_button)
        row.addStretch(1)
        self.count = QLabel(self)
        row.addWidget(self.count)
        layout.addLayout(row)

    def refresh(self) -> None:
        self.model.set_items(self.services.review.queue())
        self.count.setText(f"{len(self.model.items)} waiting")

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else self.table.currentIndex().row()
        if 0 <= row < len(self.model.items):
            self.open_screening(self.model.items[row].row.id)
