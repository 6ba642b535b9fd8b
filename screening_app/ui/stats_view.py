"""Statistics dashboard: monthly figures as a chart and as a table, CSV export.

Figures are computed in SQL off the GUI thread. The chart stacks screenings per month by band;
each band's series is named (legend and tooltips), and the table carries the same numbers, so
nothing depends on telling colours apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.measures import RATE_NAMES, percent
from screening_app.domain.statistics import MonthFigures
from screening_app.errors import ScreeningError
from screening_app.services.app_services import AppServices
from screening_app.ui.axes import set_whole_range
from screening_app.ui.background import BusyIndicator
from screening_app.ui.dialogs import confirm_saved, save_path
from screening_app.ui.heading import page_top
from screening_app.ui.operations import Op
from screening_app.ui.tables import keyboard_friendly

Index = QModelIndex | QPersistentModelIndex
BAND_PATTERNS = (
    Qt.BrushStyle.SolidPattern,
    Qt.BrushStyle.Dense4Pattern,
    Qt.BrushStyle.BDiagPattern,
    Qt.BrushStyle.DiagCrossPattern,
)
BAND_COLOURS = ("#2e7d32", "#c9a000", "#e06c00", "#b71c1c")


class FiguresModel(QAbstractTableModel):
    def __init__(self, headers: list[str]) -> None:
        super().__init__()
        self.headers = headers
        self.rows: list[list[str]] = []

    def set_rows(self, rows: list[list[str]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if index.isValid() and role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None


class StatisticsView(QWidget):
    def __init__(
        self,
        services: AppServices,
        today: dt.date,
        parent: QWidget | None = None,
        *,
        back: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.form = services.statistics.form()
        self.figures: list[MonthFigures] = []
        layout = QVBoxLayout(self)
        top, self.title = page_top(self, "Statistics", back)
        layout.addLayout(top)
        self.heading = QLabel(self)  # whose figures these are
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        controls = QHBoxLayout()
        self.whose = QComboBox(self)
        self.whose.addItem("Your team (this computer)", False)
        if services.sync.connected():  # the organisation's figures come from the team server
            self.whose.addItem("The whole organisation (team server)", True)
        self.whose.setAccessibleName("Figures for")
        self.whose.setVisible(self.whose.count() > 1)
        self.whose.currentIndexChanged.connect(self.compute)
        whose_label = QLabel("Figures f&or", self)
        whose_label.setBuddy(self.whose)
        whose_label.setVisible(self.whose.isVisible())
        controls.addWidget(whose_label)
        controls.addWidget(self.whose)
        self.start = self._month_edit("From month", QDate(today.year - 1, today.month, 1))
        self.end = self._month_edit("To month", QDate(today.year, today.month, 1))
        for text, edit in (("Fro&m", self.start), ("&To", self.end)):
            label = QLabel(text, self)
            label.setContentsMargins(0, 0, 4, 0)
            # Qt measures the kerned "To" too narrow (it showed "Tc"): room for it, measured
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(text.replace("&", "")) + 12)
            label.setBuddy(edit)
            controls.addWidget(label)
            controls.addWidget(edit)
        self.show_button = QPushButton("&Show figures", self)
        self.show_button.setAccessibleName("Show figures")
        self.show_button.clicked.connect(self.compute)
        controls.addWidget(self.show_button)
        controls.addStretch(1)
        layout.addLayout(controls)
        exports = QHBoxLayout()  # a row of its own, so nothing is squeezed at 200 % scaling
        self.suppress = QCheckBox('Show counts of 1 to 4 as "<5" in exports', self)
        why = "So that no child can be recognised when the figures leave the organisation."
        self.suppress.setToolTip(why)
        self.suppress.setAccessibleDescription(why)
        self.suppress.setChecked(True)
        exports.addWidget(self.suppress)
        exports.addStretch(1)
        self.csv_button = QPushButton("Export &CSV…", self)
        self.csv_button.setAccessibleName("Export CSV")
        self.csv_button.clicked.connect(self.export_csv)
        self.csv_button.setEnabled(False)
        exports.addWidget(self.csv_button)
        self.pdf_button = QPushButton("Summary &PDF…", self)
        self.pdf_button.setAccessibleName("Save a printable summary PDF")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.pdf_button.setEnabled(False)
        exports.addWidget(self.pdf_button)
        self.panel_button = QPushButton("Pa&nel report…", self)
        self.panel_button.setAccessibleName(
            "Panel report: months by year, the three outcome rates and data quality"
        )
        self.panel_button.clicked.connect(self.open_panel)
        exports.addWidget(self.panel_button)
        self.profile_button = QPushButton("&Area profile…", self)
        self.profile_button.setAccessibleName("Area profile for publication")
        self.profile_button.clicked.connect(self.open_profile)
        exports.addWidget(self.profile_button)
        layout.addLayout(exports)
        self.saved = QLabel(self)  # "Saved as … in …" after an export
        self.saved.setVisible(False)
        layout.addWidget(self.saved)
        self.busy = BusyIndicator("Counting…", self)
        layout.addWidget(self.busy)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.chart = QChart()
        self.chart.setTitle("Screenings per month by band")
        self.chart_view = QChartView(self.chart, splitter)
        self.chart_view.setAccessibleName("Chart of screenings per month by band")
        self.chart_view.setMinimumHeight(260)
        bands = [b.label for b in self.form.bands]
        headers = [
            "Month",
            "Screenings",
            "Children",
            *bands,
            "Investigation outcome rate",
            "Disruption rate",
            "Safeguarding action rate",
            "Median days to review",
        ]
        self.model = FiguresModel(headers)
        self.table = QTableView(splitter)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Figures by month")
        self.table.setCornerButtonEnabled(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # nothing clipped
        header.setStretchLastSection(True)
        self.table.horizontalHeader().setAccessibleName("Column headings")
        keyboard_friendly(self.table)
        layout.addWidget(splitter, 1)
        self.compute()  # the last twelve months at once; other months with Show figures

    def _month_edit(self, name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value, self)
        edit.setDisplayFormat("MM/yyyy")
        edit.setAccessibleName(name)
        return edit

    def _months(self) -> tuple[str, str]:
        return self.start.date().toString("yyyy-MM"), self.end.date().toString("yyyy-MM")

    def _organisation(self) -> bool:
        return bool(self.whose.currentData())

    def compute(self) -> None:
        start, end = self._months()
        organisation = self._organisation()
        self.heading.setText(
            "The whole organisation's screenings of children by month, counted by the team "
            "server (a place or group screening is no child and is not counted)."
            if organisation
            else "Your team's screenings of children by month (a place or group screening is "
            "no child and is not counted)."
        )
        self.show_button.setEnabled(False)
        statistics = self.services.statistics
        Op(
            self,
            lambda: (
                statistics.from_server(start, end)
                if organisation
                else statistics.monthly(start, end)
            ),
        ).after(lambda: self.show_button.setEnabled(True)).success(self._show).refused(
            lambda exc: QMessageBox.warning(self, "Statistics", exc.for_people())
        ).with_busy(self.busy).run()

    def _show(self, figures: list[MonthFigures]) -> None:
        self.figures = list(figures)
        self.csv_button.setEnabled(bool(self.figures))
        self.pdf_button.setEnabled(bool(self.figures))
        rows = []
        for m in self.figures:
            rates = [
                percent(m.tally.rate(name), m.tally.base(name), suppressed=False)
                for name in RATE_NAMES
            ]
            median = "" if m.median_days_to_review is None else f"{m.median_days_to_review:g}"
            bands = [str(m.bands.get(b.code, 0)) for b in self.form.bands]
            rows.append([m.month, str(m.screenings), str(m.children), *bands, *rates, median])
        self.model.set_rows(rows)
        self._draw()

    def _draw(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        series = QStackedBarSeries()
        for index, band in enumerate(self.form.bands):
            bar_set = QBarSet(band.label)
            brush = QBrush(QColor(BAND_COLOURS[min(index, 3)]), BAND_PATTERNS[min(index, 3)])
            bar_set.setBrush(brush)
            for month in self.figures:
                bar_set.append(month.bands.get(band.code, 0))
            series.append(bar_set)
        self.chart.addSeries(series)
        months = QBarCategoryAxis()
        months.append([_month_words(m.month) for m in self.figures])
        counts = QValueAxis()
        set_whole_range(counts, max((sum(m.bands.values()) for m in self.figures), default=0))
        self.chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(months)
        series.attachAxis(counts)

    def open_panel(self) -> None:
        """The panel report of the period and figures chosen above."""
        from screening_app.ui.panel_dialog import PanelReportDialog

        start, end = self._months()
        dialog = PanelReportDialog(
            self,
            self.services,
            start,
            end,
            organisation=self._organisation(),
            suppressed=self.suppress.isChecked(),
        )
        dialog.exec()

    def open_profile(self) -> None:
        """One area's profile over the period chosen above, made to be published."""
        from screening_app.ui.profile_dialog import AreaProfileDialog

        start, end = self._months()
        AreaProfileDialog(self, self.services, start, end, organisation=self._organisation()).exec()

    def export_csv(self) -> None:
        path = save_path(self, "Export statistics", "statistics.csv", "CSV files (*.csv)")
        if path:
            self.write_csv(path)

    def export_pdf(self) -> None:
        path = save_path(self, "Save the summary", "statistics.pdf", "PDF files (*.pdf)")
        if path:
            self.write_pdf(path)

    def write_pdf(self, path: Path) -> None:
        try:
            self.services.statistics.write_pdf(
                self.figures,
                path,
                suppressed=self.suppress.isChecked(),
                organisation=self._organisation(),
            )
        except ScreeningError as exc:
            QMessageBox.warning(self, "Not saved", exc.for_people())
            return
        confirm_saved(self.saved, path)

    def write_csv(self, path: Path) -> None:
        try:
            self.services.statistics.write_csv(
                self.figures, path, suppressed=self.suppress.isChecked()
            )
        except ScreeningError as exc:
            QMessageBox.warning(self, "Not saved", exc.for_people())
            return
        confirm_saved(self.saved, path)


def _month_words(month: str) -> str:
    """2026-11 → "Nov 2026": a chart axis, read by eye and aloud."""
    return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%b %Y")
