"""An area profile as a PDF for publication (docs/STATISTICS.md, "Area profiles"): counts
only, already suppressed (domain/profile.py), one table per dimension. A4 portrait."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from screening_app.domain.profile import HIDDEN, ShownProfile
from screening_app.export.report_doc import counts_style, report_document, report_fonts


def render_profile_pdf(
    shown: ShownProfile, *, produced: dt.datetime, fonts_dir: Path | None = None
) -> bytes:
    fonts, styles = report_fonts(fonts_dir)
    out = io.BytesIO()
    doc = report_document(out, f"Child sexual exploitation: profile of {shown.area}")
    grid = counts_style(fonts)
    story: list[object] = [
        Paragraph(f"Child sexual exploitation: profile of {escape(shown.area)}", styles.title),
        Paragraph(
            f"Screenings by {escape(shown.whose)} · {escape(shown.first)} to "
            f"{escape(shown.last)} · produced {produced:%d/%m/%Y} · for publication",
            styles.subtitle,
        ),
        Paragraph(
            f"Children screened: <b>{escape(shown.children)}</b> · screenings: "
            f"<b>{escape(shown.screenings)}</b>",
            styles.body,
        ),
        Spacer(1, 3 * mm),
    ]
    for dimension in shown.dimensions:
        rows = [[Paragraph(escape(dimension.title), styles.cell_head), "Children"]]
        rows += [[Paragraph(escape(label), styles.small), value] for label, value in dimension.rows]
        table = Table(rows, colWidths=[120 * mm, 30 * mm], hAlign="LEFT")
        table.setStyle(grid)
        block: list[object] = [table]
        if dimension.note:
            block.append(Paragraph(escape(dimension.note), styles.caption))
        block.append(Spacer(1, 3 * mm))
        story.append(KeepTogether(block))
    story.append(
        Paragraph(
            f"Counts only: no child is named or described. A count from 1 to 4 is shown as "
            f"{HIDDEN}, and so is any other count from which a hidden one could be worked out "
            "(for example by taking the others from the total); the two are not told apart. "
            "Age, sex and band are taken at each child's latest screening in the period; a "
            "child may appear under more than one model, vulnerability or outcome.",
            styles.small,
        )
    )
    doc.build(story)
    return out.getvalue()
