"""Links between screenings for supervisors (form version 2): a table and a network drawing
(``links_drawing``) of the same content, with filters by period, kind and strength. The table is
what a keyboard or a screen reader uses; the drawing is its picture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsScene,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.entities import KIND_LABELS, key_words
from screening_app.errors import ScreeningError
from screening_app.services.app_services import AppServices
from screening_app.services.links import Link
from screening_app.ui.background import BusyIndicator
from screening_app.ui.heading import page_top
from screening_app.ui.links_drawing import (
    SHAPE_WORDS,
    Drawing,
    children_words,
    draw,
)
from screening_app.ui.operations import Op
from screening_app.ui.tables import keyboard_friendly

PERIODS = (("Any time", None), ("Last 3 months", 3), ("Last 12 months", 12))


class LinksView(QWidget):
    def __init__(
        self,
        services: AppServices,
        open_reference: Callable[[str], None],
        parent: QWidget | None = None,
        *,
        back: Callable[[], None] | None = None,
        open_child: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.open_reference = open_reference
        self.open_child = open_child
        self.found: list[Link] = []
        layout = QVBoxLayout(self)
        top, self.heading = page_top(self, "Links between screenings", back)
        layout.addLayout(top)
        intro = QLabel(
            "Children whose screenings you can see, connected through the same phone, vehicle, "
            "place or account (exact), or a partial registration or a similar name (possible: "
            "check before acting). Shapes: "
            + ", ".join(f"{KIND_LABELS[k].lower()} {w}" for k, w in SHAPE_WORDS.items())
            + "; children are boxes labelled with their name and screenings; possible links are "
            "dashed. Another team holding the same key (told by the team server) is a box with "
            "the team's name: ask its supervisors.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        filters = QHBoxLayout()
        self.period = self._combo("&Period", [(label, value) for label, value in PERIODS], filters)
        self.kind = self._combo(
            "&Kind", [("Any kind", None), *((v, k) for k, v in KIND_LABELS.items())], filters
        )
        self.strength = self._combo(
            "&Strength",
            [("Exact and possible", None), ("Exact", "exact"), ("Possible", "possible")],
            filters,
        )
        self.open_button = QPushButton("&Open a screening of this link…", self)
        self.open_button.setAccessibleName("Open a screening of the chosen link")
        self.open_button.clicked.connect(self.open_chosen)
        filters.addStretch(1)
        filters.addWidget(self.open_button)
        self.child_button = QPushButton("Open a &child's record…", self)
        self.child_button.setAccessibleName("Open the record of a child of the chosen link")
        self.child_button.clicked.connect(lambda: self.open_chosen(child=True))
        self.child_button.setVisible(open_child is not None)
        filters.addWidget(self.child_button)
        layout.addLayout(filters)
        self.busy = BusyIndicator("Finding links…", self)
        layout.addWidget(self.busy)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.scene = QGraphicsScene(self)
        self.drawing = Drawing(self.scene, splitter)
        self.drawing.setAccessibleName(
            "Network drawing of the links; the table below says the same"
        )
        self.drawing.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.drawing.setMinimumHeight(220)
        for keys, act in (
            ("Ctrl++", lambda: self.drawing.zoom(1.25)),
            ("Ctrl+=", lambda: self.drawing.zoom(1.25)),
            ("Ctrl+-", lambda: self.drawing.zoom(0.8)),
            ("Ctrl+0", self.drawing.fit),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(act)
        self.table = QTableWidget(0, 5, splitter)
        self.table.setHorizontalHeaderLabels(
            ["Kind", "Linked on", "Strength", "Children (screenings)", "Other teams"]
        )
        self.table.setAccessibleName("Links")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setAccessibleName("Column headings")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _i: self.open_chosen())
        keyboard_friendly(self.table)
        splitter.setSizes([3000, 2000])  # in proportion: the drawing gets more of the height
        layout.addWidget(splitter, 1)
        self.refresh()

    def _combo(self, text: str, items: list[tuple[str, object]], row: QHBoxLayout) -> QComboBox:
        box = QComboBox(self)
        for words, data in items:
            box.addItem(words, data)
        box.setAccessibleName(text.replace("&", ""))
        label = QLabel(text, self)
        label.setBuddy(box)
        row.addWidget(label)
        row.addWidget(box)
        # the period asks again; kind and strength only filter what was found
        box.currentIndexChanged.connect(
            lambda _i: self.refresh() if box is self.period else self._show(self.found)
        )
        return box

    def refresh(self) -> None:
        months = self.period.currentData()
        today = self.services.session.today()
        since = today - dt.timedelta(days=31 * months) if months else None
        Op(self, lambda: self.services.links.links(since)).success(self._show).refused(
            self._failed
        ).with_busy(self.busy).run()

    def _failed(self, exc: ScreeningError) -> None:
        self.table.setRowCount(0)
        self.heading.setToolTip(exc.for_people())

    def shown(self) -> list[Link]:
        kind, strength = self.kind.currentData(), self.strength.currentData()
        return [
            link
            for link in self.found
            if (kind is None or link.entity_kind == kind)
            and (strength is None or link.strength == strength)
        ]

    def _show(self, found: list[Link]) -> None:
        self.found = found
        shown = self.shown()
        self.table.setRowCount(len(shown))
        for row, link in enumerate(shown):
            for column, text in enumerate(
                (
                    KIND_LABELS.get(link.entity_kind, link.entity_kind),
                    key_words(link.entity_kind, link.key),
                    link.strength,
                    "; ".join(children_words(link)),
                    "; ".join(t.words() for t in link.other_teams),
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        draw(self.scene, shown)
        self.drawing.fit()

    def open_chosen(self, *, child: bool = False) -> None:
        """Ask which screening of the chosen link, then open it (or its child's record)."""
        row = self.table.currentRow()
        shown = self.shown()
        if 0 <= row < len(shown) and shown[row].references:
            from PySide6.QtWidgets import QInputDialog

            link = shown[row]
            words = children_words(link)
            picked, ok = QInputDialog.getItem(
                self, "Open a screening", "Which screening of this link?", words, 0, False
            )
            chosen = link.references[words.index(picked)] if ok and picked in words else ""
            if chosen:
                if child and self.open_child is not None:
                    self.open_child(chosen)
                else:
                    self.open_reference(chosen)
