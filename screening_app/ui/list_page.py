"""The screenings list page: search, filters, the fetch-on-demand table and review news."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain import checklist, reassessment
from screening_app.services.app_services import AppServices
from screening_app.services.model import STATUS_LABELS
from screening_app.ui.screenings_model import ScreeningsModel

SEARCH_DELAY_MS = 250
NEWS_SHOWN = 5


class ListPage(QWidget):
    """Emits ``open_requested(id)`` for Enter, double-click or Open, ``nothing_selected`` for
    Open with no row chosen, and ``new_requested`` for New."""

    open_requested = Signal(int)
    new_requested = Signal()
    nothing_selected = Signal()

    def __init__(self, services: AppServices, *, demo: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        layout = QVBoxLayout(self)
        if demo:
            banner = QLabel("DEMO – every child, person and screening here is fictional.")
            banner.setObjectName("demoBanner")
            layout.addWidget(banner)
        self.news = QLabel(self)
        self.news.setObjectName("noteBox")
        self.news.setWordWrap(True)
        self.news.setVisible(False)
        layout.addWidget(self.news)
        layout.addLayout(self._filters())
        form = services.registry.latest(checklist.FORM_ID)
        labels = {
            "band": {b.code: b.label for b in form.bands},
            "area": dict(services.listing.areas()),
        }
        self.model = ScreeningsModel(services.listing.list, labels, services.session.today)
        self.table = self._table()
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        for text, signal in (
            ("&New screening", self.new_requested),
            ("&Open / resume", None),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(text.replace("&", ""))
            button.clicked.connect(signal.emit if signal else self.open_selected)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.count_label = QLabel(self)
        buttons.addWidget(self.count_label)
        layout.addLayout(buttons)

    def _filters(self) -> QHBoxLayout:
        services = self.services
        filters = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by child's name")
        self.search.setAccessibleName("Search by child's name")
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        filters.addWidget(self.search, 2)
        statuses = [(c, label) for c, label in STATUS_LABELS.items() if c != "superseded"]
        bands = services.registry.latest(checklist.FORM_ID).bands
        self.status_filter = self._combo("Status", [(None, "Any status"), *statuses])
        self.band_filter = self._combo(
            "Band", [(None, "Any band")] + [(b.code, b.label) for b in bands]
        )
        self.area_filter = self._combo("Area", [(None, "Any area"), *services.listing.areas()])
        self.due_filter = self._combo(
            "Reassessment",
            [
                ("any", "Any reassessment"),
                ("due_or_overdue", "Due or overdue"),
                ("overdue", "Overdue only"),
            ],
        )
        owners = [(u.id, u.display_name) for u in services.listing.owners()]
        self.owner_filter = self._combo("Practitioner", [(None, "Anyone"), *owners])
        self.owner_filter.setVisible(services.user.role == "supervisor")
        for combo in (
            self.status_filter,
            self.band_filter,
            self.area_filter,
            self.due_filter,
            self.owner_filter,
        ):
            filters.addWidget(combo, 1)
        return filters

    def _combo(self, name: str, items: list[tuple[object, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(f"Filter: {name}")
        # May narrow (long choices are elided) so the window fits a small or 200 % screen.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        for data, label in items:
            combo.addItem(label, data)
        combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        return combo

    def _table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setAccessibleName("Screenings")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSortingEnabled(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        table.setCornerButtonEnabled(False)
        table.horizontalHeader().setAccessibleName("Column headings: choose one to sort")
        table.doubleClicked.connect(lambda _i: self.open_selected())
        table.activated.connect(lambda _i: self.open_selected())
        table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # newest screening first
        return table

    # -- behaviour -----------------------------------------------------------------------------
    def apply_filters(self) -> None:
        query = dataclasses.replace(
            self.model.query,
            search=self.search.text(),
            status=self.status_filter.currentData(),
            band=self.band_filter.currentData(),
            area=self.area_filter.currentData(),
            due=self.due_filter.currentData() or "any",
            owner_id=self.owner_filter.currentData(),
        )
        self.model.set_query(query)
        more = "+" if self.model.canFetchMore() else ""
        self.count_label.setText(f"{len(self.model.rows)}{more} shown")

    def refresh(self) -> str:
        """Reload the rows; returns the reassessment summary for the status bar."""
        self.apply_filters()
        due, overdue = self.services.listing.reassessment_counts()
        return (
            f"Reassessments: {overdue} overdue, {due} due in the next {reassessment.DUE_DAYS} days"
        )

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return row.id if row else None

    def open_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is None:
            self.nothing_selected.emit()
        else:
            self.open_requested.emit(chosen)

    def show_news(self) -> None:
        """Reviews of this practitioner's screenings since they last signed in."""
        if self.services.user.role != "practitioner":
            return
        news = self.services.review.news_since_last_sign_in()
        if not news:
            return
        lines = [
            f"{n.reference}: {'returned for changes' if n.decision == 'return' else 'approved'}"
            f" by {n.reviewer}" + (f" — “{n.comment}”" if n.comment else "")
            for n in news[:NEWS_SHOWN]
        ]
        self.news.setText("Since you last signed in:\n" + "\n".join(lines))
        self.news.setVisible(True)
