"""A child's record: every screening, review, outcome and export in date order, and a chart of
the total score over time. Each band has its own marker shape and a named legend entry, so the
chart never relies on colour alone.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QLabel, QListWidget, QSplitter, QVBoxLayout, QWidget

from screening_app.services.children import ChildRecord
from screening_app.ui.axes import set_whole_range

SHAPES = (
    QScatterSeries.MarkerShape.MarkerShapeCircle,
    QScatterSeries.MarkerShape.MarkerShapeRectangle,
    QScatterSeries.MarkerShape.MarkerShapeTriangle,
    QScatterSeries.MarkerShape.MarkerShapeStar,
)


def _msecs(day: dt.date) -> float:
    return float(QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0)).toMSecsSinceEpoch())


class ChildView(QWidget):
    def __init__(
        self, record: ChildRecord, bands: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        born = record.dob.strftime("%d/%m/%Y") if record.dob else "not known"
        title = QLabel(
            f"<h2>{_escape(record.name)}</h2>Born {born} · {len(record.scores)} screening(s)", self
        )
        layout.addWidget(title)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.chart = self._chart(record, bands)
        view = QChartView(self.chart, splitter)
        view.setAccessibleName("Chart of the total score over time, marked by band")
        view.setMinimumHeight(240)
        self.events = QListWidget(splitter)
        self.events.setAccessibleName("Chronology: screenings, reviews, outcomes and exports")
        for event in record.events:
            when = event.at.strftime("%d/%m/%Y")
            self.events.addItem(f"{when} · {event.kind.title()} · {event.reference} · {event.text}")
        layout.addWidget(splitter, 1)

    def _chart(self, record: ChildRecord, bands: list[tuple[str, str]]) -> QChart:
        chart = QChart()
        chart.setTitle("Total score over time")
        line = QLineSeries()
        line.setName("Total score")
        for point in record.scores:
            line.append(_msecs(point.day), point.total)
        chart.addSeries(line)
        scatters = []
        for index, (code, label) in enumerate(bands):
            series = QScatterSeries()
            series.setName(label)
            series.setMarkerShape(SHAPES[index % len(SHAPES)])
            series.setMarkerSize(12)
            for point in record.scores:
                if point.band == code:
                    series.append(_msecs(point.day), point.total)
            chart.addSeries(series)
            scatters.append(series)
        axis_x = QDateTimeAxis()
        axis_x.setFormat("MM/yyyy")
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        axis_y.setMin(0)
        for axis in (axis_x, axis_y):  # a short chart elided even "0" and "2" to "…"
            axis.setTruncateLabels(False)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        line.attachAxis(axis_x)
        line.attachAxis(axis_y)
        for scatter in scatters:
            scatter.attachAxis(axis_x)
            scatter.attachAxis(axis_y)
        if record.scores:
            first, last = record.scores[0].day, record.scores[-1].day
            axis_x.setRange(
                QDateTime(QDate(first.year, first.month, 1), QTime(0, 0)),
                QDateTime(QDate(last.year, last.month, 1), QTime(0, 0)).addMonths(1),
            )
            set_whole_range(axis_y, max(p.total for p in record.scores) + 1)
        return chart


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
