"""A printable one-page summary of the monthly statistics (A4 landscape)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from screening_app.domain.forms import Form
from screening_app.domain.measures import RATE_NAMES, percent
from screening_app.domain.statistics import MonthFigures, suppress
from screening_app.export.report_doc import report_document, report_fonts
from screening_app.export.styles import GRID, SHADE


def render_stats_pdf(
    figures: Sequence[MonthFigures],
    form: Form,
    *,
    team: str,
    suppressed: bool,
    produced: dt.datetime,
    fonts_dir: Path | None = None,
) -> bytes:
    fonts, styles = report_fonts(fonts_dir)
    out = io.BytesIO()
    doc = report_document(out, "CSE screening statistics", wide=True)
    period = f"{figures[0].month} to {figures[-1].month}" if figures else "no months"
    head = [
        "Month",
        "Screenings",
        "Children",
        *(b.label for b in form.bands),
        "Investigation outcome rate",
        "Disruption rate",
        "Safeguarding action rate",
        "Median days to review",
    ]

    def count(value: int) -> str:
        return suppress(value, suppressed)

    rows: list[list[object]] = [[Paragraph(escape(h), styles.cell_head) for h in head]]
    for m in figures:
        rates = [percent(m.tally.rate(name), m.tally.base(name), suppressed) for name in RATE_NAMES]
        median = "" if m.median_days_to_review is None else f"{m.median_days_to_review:g}"
        rows.append(
            [
                m.month,
                count(m.screenings),
                count(m.children),
                *(count(m.bands.get(b.code, 0)) for b in form.bands),
                *rates,
                median,
            ]
        )
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 1), (-1, -1), fonts.regular),
                ("FONTSIZE", (0, 1), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    note = (
        "Counts from 1 to 4 are shown as &lt;5 so that no child can be identified."
        if suppressed
        else "Counts are not suppressed: do not share outside the organisation."
    )
    story = [
        Paragraph("CSE screening statistics", styles.title),
        Paragraph(
            f"Team {escape(team)} · {escape(period)} · produced "
            f"{produced:%d/%m/%Y %H:%M} · OFFICIAL-SENSITIVE",
            styles.subtitle,
        ),
        table,
        Spacer(1, 8),
        Paragraph(
            "Every submitted screening of a child counts by its screening date and the band "
            "that applies to it (a place or group screening is no child and is not counted); "
            "a lowered judgement counts once a supervisor approved it. "
            "Investigation outcome rate: screenings with a positive police result (charge or "
            "summons, caution, community resolution, taken into consideration, Outcome 22) of "
            "those with a police investigation. Disruption rate: screenings with a disruption "
            "of those with a police investigation or an SCU referral. Safeguarding action rate: "
            "screenings with a referral or a strategy discussion of those at moderate or above. "
            + note,
            styles.small,
        ),
    ]
    doc.build(story)
    return out.getvalue()
