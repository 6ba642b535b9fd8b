"""The panel report (docs/STATISTICS.md, "The panel report"): the source report's tables from the
app's own figures — screenings by month and year with those that led to a police investigation
in brackets and a total per year, the three outcome rates per year, and the data-quality
monitor's findings. Pure: built from monthly figures, rendered by export/panel_pdf.py, the CSV
below and the statistics window alike."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from screening_app.domain import data_quality
from screening_app.domain.data_quality import Finding
from screening_app.domain.measures import RATES, OutcomeTally, percent
from screening_app.domain.month_table import MonthTable, month_table
from screening_app.domain.statistics import MonthFigures, rate_text, suppress

INVESTIGATED = "screenings that led to a police investigation"


@dataclass
class PanelReport:
    whose: str  # "team North", "the organisation"
    first: str
    last: str
    screenings: dict[str, int]
    investigated: dict[str, int]
    years: dict[str, OutcomeTally]
    findings: list[Finding] = field(default_factory=list)
    suppressed: bool = True

    def shown(self, count: int) -> str:
        return suppress(count, self.suppressed)

    def table(self) -> MonthTable:
        return month_table(self.screenings, self.investigated, self.shown)

    def rate_cells(self, name: str) -> list[str]:
        """One cell per year: "36% of 25", empty without a base, "of <5" when suppressed."""
        return [
            percent(self.years[y].rate(name), self.years[y].base(name), self.suppressed)
            for y in sorted(self.years)
        ]


def build(
    figures: Sequence[MonthFigures],
    whose: str,
    *,
    suppressed: bool,
    record_findings: Sequence[Finding] = (),
) -> PanelReport:
    """The report of ``figures`` (consecutive months); the series checks run on the monthly
    screenings and investigations, ``record_findings`` come from the records themselves."""
    screenings = {m.month: m.screenings for m in figures}
    investigated = {m.month: m.tally.investigated for m in figures}
    years: dict[str, OutcomeTally] = {}
    for m in figures:
        years.setdefault(m.month[:4], OutcomeTally())
        years[m.month[:4]] += m.tally
    findings = data_quality.series_checks(screenings, "screenings")
    findings += data_quality.series_checks(investigated, INVESTIGATED)
    findings += list(record_findings)
    findings.sort(key=lambda f: (f.period, f.check))
    return PanelReport(
        whose=whose,
        first=figures[0].month if figures else "",
        last=figures[-1].month if figures else "",
        screenings=screenings,
        investigated=investigated,
        years=years,
        findings=findings,
        suppressed=suppressed,
    )


CSV_COLUMNS = (
    "year",
    "month",
    "screenings",
    "police_investigation",
    *(name for name, _label in RATES),
)


def to_csv(report: PanelReport) -> str:
    """One row per month (rates empty), then one ``total`` row per year with its rates; a rate
    whose base is 1 to 4 is empty when small numbers are suppressed (numbers only)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for month in sorted(report.screenings):
        writer.writerow(
            [
                month[:4],
                month[5:],
                report.shown(report.screenings[month]),
                report.shown(report.investigated[month]),
                *("" for _ in RATES),
            ]
        )
    for year, tally in sorted(report.years.items()):
        writer.writerow(
            [
                year,
                "total",
                report.shown(tally.screenings),
                report.shown(tally.investigated),
                *(rate_text(tally.rate(n), tally.base(n), report.suppressed) for n, _ in RATES),
            ]
        )
    return out.getvalue()
