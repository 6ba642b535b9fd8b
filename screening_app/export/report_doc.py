"""What the figures' PDFs share (the statistics summary, the panel report, the area profile):
the page, the fonts and styles, and the look of a table of counts."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import SimpleDocTemplate, TableStyle

from screening_app import paths
from screening_app.export.fonts import FontSet, load_fonts
from screening_app.export.styles import GRID, PAGE_MARGIN, SHADE, Styles, make_styles


def report_document(out: io.BytesIO, title: str, *, wide: bool = False) -> SimpleDocTemplate:
    """An A4 page (landscape when ``wide``) with the app's margins and document properties."""
    return SimpleDocTemplate(
        out,
        pagesize=landscape(A4) if wide else A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN,
        title=title,
        author="CSE Screening",
        creator="CSE Screening",
    )


def report_fonts(fonts_dir: Path | None) -> tuple[FontSet, Styles]:
    fonts = load_fonts(fonts_dir or paths.resources_dir() / "fonts")
    return fonts, make_styles(fonts)


def counts_style(fonts: FontSet, *, head_bold: bool = True) -> TableStyle:
    """A table of counts: a shaded heading row, a light grid, numbers on the right."""
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if head_bold:
        commands.append(("FONTNAME", (0, 0), (-1, 0), fonts.bold))
    return TableStyle(commands)
