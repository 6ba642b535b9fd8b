"""Statistics → Panel report…: the source report's tables from the figures shown (months by
year with the police investigations in brackets, the three rates per year, the data-quality
findings), saved as a PDF or CSV (docs/STATISTICS.md, "The panel report")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.measures import RATES
from screening_app.domain.panel import INVESTIGATED, PanelReport
from screening_app.errors import ScreeningError
from screening_app.services.app_services import AppServices
from screening_app.ui.announce import announce
from screening_app.ui.dialogs import confirm_saved, pdf_and_csv_row, resize_within_screen
from screening_app.ui.operations import Op
from screening_app.ui.tables import keyboard_friendly


def _table(parent: QWidget, name: str, head: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(head), parent)
    table.setHorizontalHeaderLabels(head)
    table.setAccessibleName(name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setAccessibleName("Row numbers")
    table.horizontalHeader().setAccessibleName("Column headings")
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    keyboard_friendly(table)
    return table


class PanelReportDialog(QDialog):
    def __init__(
        self,
        parent: QWidget,
        services: AppServices,
        start: str,
        end: str,
        *,
        organisation: bool,
        suppressed: bool,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.report: PanelReport | None = None
        self.setWindowTitle("Panel report")
        self.layout_ = QVBoxLayout(self)
        self.status = QLabel("Counting…", self)
        self.status.setWordWrap(True)
        self.layout_.addWidget(self.status)
        self.body = QVBoxLayout()
        self.layout_.addLayout(self.body, 1)
        self.saved = QLabel(self)
        self.saved.setVisible(False)
        self.layout_.addWidget(self.saved)
        row, self.pdf_button, self.csv_button = pdf_and_csv_row(
            self, "panel report", "panel-report", self.write
        )
        self.layout_.addLayout(row)
        resize_within_screen(self, 860, 760)
        statistics = services.statistics
        Op(
            self,
            lambda: statistics.panel(start, end, server=organisation, suppressed=suppressed),
        ).success(self.show_report).run()

    def show_report(self, report: PanelReport) -> None:
        self.report = report
        table = report.table()
        months = _table(
            self,
            f"Screenings by month, with the {INVESTIGATED} in brackets",
            ["Month", *table.years],
            [[name, *cells] for name, cells in table.rows] + [["Total", *table.totals]],
        )
        years = sorted(report.years)
        rates = _table(
            self,
            "Outcome rates by year",
            ["Rate", *years],
            [[label, *report.rate_cells(name)] for name, label in RATES],
        )
        findings = QListWidget(self)
        findings.setAccessibleName("Data-quality findings")
        findings.setWordWrap(True)
        for finding in report.findings or []:
            findings.addItem(finding.message)
        if not report.findings:
            findings.addItem("No finding: the figures look consistent.")
        for label, widget, stretch in (
            (f"Screenings by month ({INVESTIGATED} in brackets)", months, 3),
            ("Outcome rates by year", rates, 0),
            (f"Data quality: {len(report.findings)} finding(s), not errors", findings, 2),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            self.body.addWidget(caption)
            self.body.addWidget(widget, stretch)
        rates.setMaximumHeight(
            rates.verticalHeader().length() + rates.horizontalHeader().height() + 4
        )
        self.status.setText(
            f"Panel report of {report.whose}, {report.first} to {report.last}: "
            f"{sum(report.screenings.values())} screenings, {len(report.findings)} "
            "data-quality finding(s)."
        )
        announce(self.status, self.status.text())
        self.pdf_button.setEnabled(True)
        self.csv_button.setEnabled(True)
        months.setFocus()

    def write(self, path: Path, as_csv: bool) -> None:
        assert self.report is not None
        try:
            self.services.statistics.write_panel(self.report, path, as_csv=as_csv, force=True)
        except ScreeningError as exc:
            QMessageBox.warning(self, "Not saved", exc.for_people())
            return
        confirm_saved(self.saved, path)
