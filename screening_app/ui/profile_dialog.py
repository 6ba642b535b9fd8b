"""Statistics → Area profile…: one area's children screened over the period, counted for
publication with small numbers hidden (docs/STATISTICS.md, "Area profiles")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.profile import HIDDEN, ShownProfile
from screening_app.errors import ScreeningError
from screening_app.services.app_services import AppServices
from screening_app.ui.announce import announce
from screening_app.ui.dialogs import confirm_saved, pdf_and_csv_row, resize_within_screen
from screening_app.ui.operations import Op


class AreaProfileDialog(QDialog):
    def __init__(
        self, parent: QWidget, services: AppServices, start: str, end: str, *, organisation: bool
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.start, self.end, self.organisation = start, end, organisation
        self.shown: ShownProfile | None = None
        self.setWindowTitle("Area profile")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel("&Area:", self)
        self.area = QComboBox(self)
        self.area.setAccessibleName("Area")
        for code, words in services.profiles.areas():
            self.area.addItem(words, code)
        label.setBuddy(self.area)
        self.make_button = QPushButton("&Make the profile", self)
        self.make_button.setAccessibleName("Make the area profile")
        self.make_button.clicked.connect(self.make)
        for widget in (label, self.area, self.make_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel(
            f"Counts of the children screened from {start} to {end}, for publication: counts "
            f"of 1 to 4, and any count they could be worked out from, show as {HIDDEN}.",
            self,
        )
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["What is counted", "Children"])
        self.tree.setAccessibleName("The area's profile")
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setAccessibleName("Column headings")
        layout.addWidget(self.tree, 1)
        self.saved = QLabel(self)
        self.saved.setVisible(False)
        layout.addWidget(self.saved)
        buttons, self.pdf_button, self.csv_button = pdf_and_csv_row(
            self, "area profile", "area-profile", self.write
        )
        layout.addLayout(buttons)
        resize_within_screen(self, 760, 700)

    def make(self) -> None:
        area = str(self.area.currentData())
        profiles, start, end, server = (
            self.services.profiles,
            self.start,
            self.end,
            self.organisation,
        )
        self.make_button.setEnabled(False)
        Op(self, lambda: profiles.profile(area, start, end, server=server)).after(
            lambda: self.make_button.setEnabled(True)
        ).success(self.show_profile).refused(
            lambda exc: QMessageBox.warning(self, "Area profile", exc.for_people())
        ).run()

    def show_profile(self, shown: ShownProfile) -> None:
        self.shown = shown
        self.tree.clear()
        for label, value in (
            ("Children screened", shown.children),
            ("Screenings", shown.screenings),
        ):
            self.tree.addTopLevelItem(QTreeWidgetItem([label, value]))
        for dimension in shown.dimensions:
            top = QTreeWidgetItem([dimension.title, ""])
            for label, value in dimension.rows:
                top.addChild(QTreeWidgetItem([label, value]))
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.status.setText(
            f"Profile of {shown.area}, {shown.first} to {shown.last} ({shown.whose}): "
            f"{shown.children} children screened. Counts of 1 to 4, and any count they could "
            f"be worked out from, show as {HIDDEN}."
        )
        announce(self.status, self.status.text())
        self.pdf_button.setEnabled(True)
        self.csv_button.setEnabled(True)

    def write(self, path: Path, as_csv: bool) -> None:
        assert self.shown is not None
        try:
            self.services.profiles.write(self.shown, path, as_csv=as_csv, force=True)
        except ScreeningError as exc:
            QMessageBox.warning(self, "Not saved", exc.for_people())
            return
        confirm_saved(self.saved, path)
