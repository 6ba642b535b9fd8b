"""The subject access export as a PDF: everything held about a child, section by section, with
other people's names replaced by numbered marks and a schedule of the marks at the end
(domain/sar.py). Marked OFFICIAL-SENSITIVE on every page."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from screening_app.domain.sar import Export, Section
from screening_app.export import text as user_text
from screening_app.export.blocks import label_table
from screening_app.export.referral_pdf import MARKING, NumberedCanvas, draw_marking, marked_document
from screening_app.export.report_doc import report_fonts
from screening_app.export.styles import PAGE_MARGIN

INTRO = (
    "This is a copy of the information this service holds about the child named above, given in "
    "answer to a subject access request. Other people's names are replaced by marks such as "
    "[R1]: the same mark is the same person wherever it appears. The list at the end says what "
    "kind of person each mark stands for. Staff names are shown: they acted in their role."
)


def render_sar(export: Export, *, fonts_dir: Path | None = None) -> bytes:
    fonts, styles = report_fonts(fonts_dir)
    width = A4[0] - 2 * PAGE_MARGIN
    buffer = io.BytesIO()
    doc = marked_document(buffer, title="Subject access export", subject="Subject access request")

    def text(value: str, style: ParagraphStyle | None = None) -> Paragraph:
        return user_text.paragraph(value, style or styles.body, fonts)

    story: list[Flowable] = [
        text(f"Subject access: information held about {export.child}", styles.title),
        Paragraph(
            f"Born {user_text.to_markup(export.born, fonts)} · prepared by "
            f"{user_text.to_markup(export.prepared_by, fonts)} · produced "
            f"{user_text.to_markup(export.produced, fonts)} · {MARKING}",
            styles.subtitle,
        ),
        text(INTRO),
    ]
    schedule = Section("Redactions", export.schedule)
    # a heading kept with its whole table would push a long screening to the next page and
    # leave the first one empty: instead, a heading starts a new page only near the bottom
    heading = ParagraphStyle("sar-heading", parent=styles.heading, keepWithNext=0)
    for section in (*export.sections, schedule):
        story += [CondPageBreak(30 * mm), text(section.title, heading)]
        if not section.rows:
            story.append(text("Nothing held."))
            continue
        data = [[text(label, styles.label), text(value or "-")] for label, value in section.rows]
        story.append(label_table(data, width))

    def marking(canvas: object, _doc: object) -> None:
        draw_marking(canvas, fonts, "Subject access export", "Subject access export")

    doc.build(story, onFirstPage=marking, onLaterPages=marking, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
