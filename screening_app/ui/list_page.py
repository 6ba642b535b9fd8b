"""The screenings list page: search, filters, the fetch-on-demand table and review news."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
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
from screening_app.domain.capabilities import Verb
from screening_app.services.app_services import AppServices
from screening_app.services.model import STATUS_LABELS
from screening_app.ui.heading import page_top
from screening_app.ui.screenings_model import ScreeningsModel
from screening_app.ui.tables import SortBox, keyboard_friendly

SEARCH_DELAY_MS = 250
NEWS_SHOWN = 5


class ListPage(QWidget):
    """Emits ``open_requested(id)`` for Enter, double-click or Open, ``nothing_selected`` for
    Open with no row chosen, and ``new_requested`` for New."""

    open_requested = Signal(int)
    new_requested = Signal()
    new_context_requested = Signal()  # a place or group screening
    nothing_selected = Signal()

    def __init__(self, services: AppServices, *, demo: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        layout = QVBoxLayout(self)
        top, self.heading = page_top(self, "Screenings", None)
        layout.addLayout(top)
        if demo:
            banner = QLabel(
                "DEMO – every child, person and screening here is fictional. Your changes are "
                "kept, even after you quit, until you choose File → Fresh demo data."
            )
            banner.setWordWrap(True)
            banner.setObjectName("demoBanner")
            layout.addWidget(banner)
        self.news = QFrame(self)  # "Since you last signed in": one button per screening
        self.news.setObjectName("noteBox")
        self.news.setVisible(False)
        self.news_items = QVBoxLayout(self.news)
        layout.addWidget(self.news)
        layout.addLayout(self._filters())
        form = services.registry.latest(checklist.FORM_ID)
        labels = {
            "band": {b.code: b.label for b in form.bands},
            "area": dict(services.listing.areas()),
        }
        self.model = ScreeningsModel(services.listing.list, labels, services.session.today)
        self.table = self._table()
        sort_row = QHBoxLayout()
        self.sort_box = SortBox(
            self.table,
            [
                ("Newest screening first", 3, Qt.SortOrder.DescendingOrder),
                ("Oldest screening first", 3, Qt.SortOrder.AscendingOrder),
                ("Child's name, A to Z", 0, Qt.SortOrder.AscendingOrder),
                ("Youngest child first", 1, Qt.SortOrder.AscendingOrder),
                ("Area", 2, Qt.SortOrder.AscendingOrder),
                ("Status", 4, Qt.SortOrder.AscendingOrder),
                ("Highest band first", 5, Qt.SortOrder.DescendingOrder),
                ("Reassessment due soonest", 6, Qt.SortOrder.AscendingOrder),
            ],
            self,
        )
        self.sort_box.setAccessibleName("Sort by")
        sort_label = QLabel("Sort b&y", self)
        sort_label.setBuddy(self.sort_box)
        sort_row.addWidget(sort_label)
        sort_row.addWidget(self.sort_box)
        sort_row.addStretch(1)
        layout.addLayout(sort_row)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.owner_filter, self.sort_box)  # in reading order
        QWidget.setTabOrder(self.sort_box, self.table)
        buttons = QHBoxLayout()
        for text, signal in (
            ("&New screening", self.new_requested),
            ("New place or &group screening", self.new_context_requested),
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

    def _filters(self) -> QGridLayout:
        """Labels above their boxes: a screen reader reads "Status, Any status" (on Linux Qt
        names a combo box by its value; the label is its name through the buddy relation)."""
        services = self.services
        filters = QGridLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by child's name")
        self.search.setAccessibleName("Search by child's name")
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        search_label = QLabel("S&earch", self)
        search_label.setBuddy(self.search)
        filters.addWidget(search_label, 0, 0)
        filters.addWidget(self.search, 1, 0)
        filters.setColumnStretch(0, 2)
        statuses = [(c, label) for c, label in STATUS_LABELS.items() if c != "superseded"]
        bands = services.registry.latest(checklist.FORM_ID).bands
        self.status_filter = self._combo("S&tatus", [(None, "Any status"), *statuses])
        self.band_filter = self._combo(
            "&Band", [(None, "Any band")] + [(b.code, b.label) for b in bands]
        )
        self.area_filter = self._combo("&Area", [(None, "Any area"), *services.listing.areas()])
        self.due_filter = self._combo(
            "Reasse&ssment",
            [
                ("any", "Any reassessment"),
                ("due_or_overdue", "Due or overdue"),
                ("overdue", "Overdue only"),
            ],
        )
        owners = [(u.id, u.display_name) for u in services.listing.owners()]
        self.owner_filter = self._combo("&Practitioner", [(None, "Anyone"), *owners])
        choosing = services.can(Verb.SEE_TEAM_MEMBERS)
        for column, combo in enumerate(
            (
                self.status_filter,
                self.band_filter,
                self.area_filter,
                self.due_filter,
                self.owner_filter,
            ),
            start=1,
        ):
            label = QLabel(combo.accessibleName(), self)
            label.setBuddy(combo)
            filters.addWidget(label, 0, column)
            filters.addWidget(combo, 1, column)
            filters.setColumnStretch(column, 1)
            if combo is self.owner_filter:
                label.setVisible(choosing)
                combo.setVisible(choosing)
        return filters

    def _combo(self, name: str, items: list[tuple[object, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)  # (the mnemonic is shown by its label)
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
        keyboard_friendly(table)
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
        """The chosen row's screening: the selected one, else the one with keyboard focus."""
        rows = self.table.selectionModel().selectedRows()
        index = rows[0].row() if rows else self.table.currentIndex().row()
        row = self.model.row_at(index)
        return row.id if row else None

    def open_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is None:
            self.nothing_selected.emit()
        else:
            self.open_requested.emit(chosen)

    def show_news(self) -> None:
        """Reviews of this practitioner's screenings since they last signed in."""
        if not self.services.can(Verb.HEAR_OF_REVIEWS):
            return
        news = self.services.review.news_since_last_sign_in()
        if not news:
            return
        box = self.news_items
        box.addWidget(QLabel("Since you last signed in (choose one to open it):", self.news))
        for item in news[:NEWS_SHOWN]:
            button = QPushButton(item.words(), self.news)
            button.setObjectName("linkButton")
            button.setFlat(True)
            button.setAutoDefault(False)
            button.setAccessibleName(f"Open {item.words()}")
            button.setStyleSheet("text-align: left")
            button.clicked.connect(
                lambda _c=False, sid=item.screening_id: self.open_requested.emit(sid)
            )
            box.addWidget(button)
        self.news.setVisible(True)
