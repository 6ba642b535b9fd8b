"""The panel report as a PDF (docs/STATISTICS.md, "The panel report"): the month by year table,
the three outcome rates per year with a chart of each, and the data-quality findings in plain
words. A4 portrait; small numbers suppressed as the report says."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from screening_app.domain.measures import RATES
from screening_app.domain.panel import INVESTIGATED, PanelReport
from screening_app.export.report_doc import counts_style, report_document, report_fonts
from screening_app.export.styles import HEADING, INK

RATE_WORDS = {
    "investigation_outcome_rate": (
        "Screenings with a positive police result (charge or summons, caution, community "
        "resolution, taken into consideration, Outcome 22), of those with a police investigation."
    ),
    "disruption_rate": (
        "Screenings with a disruption, of those with a police investigation or an SCU referral."
    ),
    "with_disruption_rate": (
        "Screenings with a positive police result or a disruption, of the same screenings."
    ),
    "safeguarding_action_rate": (
        "Screenings with an SCU, children's social care or early help referral or a strategy "
        "discussion, of those at moderate or above."
    ),
}


def render_panel_pdf(
    report: PanelReport, *, produced: dt.datetime, fonts_dir: Path | None = None
) -> bytes:
    fonts, styles = report_fonts(fonts_dir)
    out = io.BytesIO()
    doc = report_document(out, "CSE screening: panel report")
    grid = counts_style(fonts)
    table = report.table()
    counts = [["Month", *table.years]]
    counts += [[name, *cells] for name, cells in table.rows]
    counts.append(["Total", *table.totals])
    count_table = Table(counts, repeatRows=1, hAlign="LEFT")
    count_table.setStyle(grid)
    count_table.setStyle(TableStyle([("FONTNAME", (0, -1), (-1, -1), fonts.bold)]))

    years = sorted(report.years)
    rates = [["Rate", *years]]
    rates += [[label, *report.rate_cells(name)] for name, label in RATES]
    rate_table = Table(rates, hAlign="LEFT")
    rate_table.setStyle(grid)

    note = (
        'Counts from 1 to 4 are shown as "<5", and a rate over 1 to 4 screenings as "of <5", '
        "so that no child can be identified."
        if report.suppressed
        else "Counts are not suppressed: do not share outside the organisation."
    )
    story: list[object] = [
        Paragraph("Child sexual exploitation screenings: panel report", styles.title),
        Paragraph(
            f"{escape(report.whose[:1].upper() + report.whose[1:])} · {escape(report.first)} to "
            f"{escape(report.last)} · produced {produced:%d/%m/%Y %H:%M} · OFFICIAL",
            styles.subtitle,
        ),
        Paragraph("Screenings by month", styles.heading),
        Paragraph(
            f"Submitted screenings of children in each month (a place or group screening is "
            f"not counted), with the {INVESTIGATED} in brackets." + _partial_years(report),
            styles.caption,
        ),
        count_table,
        Spacer(1, 4 * mm),
        KeepTogether(
            [
                Paragraph("Outcome rates by year", styles.heading),
                Paragraph(
                    "Three rates, never mixed: a referral is not a police result, and a "
                    "disruption is shown beside the police results, not inside them.",
                    styles.caption,
                ),
                rate_table,
                Spacer(1, 2 * mm),
                *(
                    Paragraph(f"<b>{escape(label)}</b>: {escape(RATE_WORDS[name])}", styles.small)
                    for name, label in RATES
                ),
            ]
        ),
        Spacer(1, 4 * mm),
        KeepTogether(
            [
                Paragraph("Each rate by year", styles.heading),
                _charts(report, fonts.regular),
            ]
        ),
        Spacer(1, 4 * mm),
        Paragraph("Data quality", styles.heading),
    ]
    if report.findings:
        story.append(
            Paragraph(
                f"{len(report.findings)} finding(s). These are not errors: check each before "
                "relying on the figures.",
                styles.caption,
            )
        )
        for finding in report.findings:
            story.append(Paragraph(f"• {escape(finding.message)}", styles.body))
    else:
        story.append(Paragraph("No finding: the figures look consistent.", styles.body))
    story += [Spacer(1, 4 * mm), Paragraph(note, styles.small)]
    doc.build(story)
    return out.getvalue()


def _charts(report: PanelReport, font: str) -> Drawing:
    """One small bar chart per rate, years across, 0 to 100 %: four charts side by side, each
    bar labelled with its value (nothing is told by colour)."""
    years = sorted(report.years)
    width, height = 174 * mm, 52 * mm
    drawing = Drawing(width, height)
    each = width / len(RATES)
    for index, (name, label) in enumerate(RATES):
        values = [report.years[y].rate(name) for y in years]
        chart = VerticalBarChart()
        chart.x, chart.y = index * each + 8 * mm, 10 * mm
        chart.width, chart.height = each - 12 * mm, height - 22 * mm
        # a year without a base has no bar (None), never a bar of 0 %
        chart.data = [[round(100 * v) if v is not None else None for v in values] or [None]]
        chart.categoryAxis.categoryNames = years or [""]
        chart.categoryAxis.labels.fontName = font
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
        chart.valueAxis.labels.fontName = font
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = "%d%%"
        chart.bars[0].fillColor = HEADING
        chart.bars[0].strokeColor = INK
        chart.barLabelFormat = "%d%%"
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = 7
        chart.barLabels.nudge = 6
        drawing.add(chart)
        title = String(index * each + each / 2, height - 8, label, textAnchor="middle")
        title.fontName, title.fontSize = font, 7.5
        drawing.add(title)
    return drawing


def _partial_years(report: PanelReport) -> str:
    """ " 2026 covers January to November only." for each year the period does not cover."""
    from screening_app.domain.month_table import MONTH_NAMES

    said = []
    for year in sorted(report.years):
        months = sorted(m for m in report.screenings if m.startswith(f"{year}-"))
        if len(months) < 12:
            first, last = MONTH_NAMES[int(months[0][5:]) - 1], MONTH_NAMES[int(months[-1][5:]) - 1]
            said.append(
                f"{year} covers {first} to {last} only"
                if first != last
                else f"{year} covers {first} only"
            )
    return (" " + "; ".join(said) + ".") if said else ""
