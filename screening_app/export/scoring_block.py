"""The score breakdown, the professional judgement, the review and the signature block.

The breakdown lists every answer that scored, its answer in words and its points, with section
totals and the grand total, so the SCU can see how the band was reached without the form.
"""

from __future__ import annotations

from itertools import groupby

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from screening_app.export.blocks import Cell, Kit, kv_table, note
from screening_app.export.model import REVIEW_STATUS_WORDS
from screening_app.export.styles import GRID, SHADE
from screening_app.export.summary import band_label
from screening_app.export.wording import format_datetime

JUDGEMENT_STATEMENT = (
    "<b>The score supports, and never replaces, professional judgement.</b> The band is a guide "
    "to how urgent the response should be; anything the referrer knows that the checklist does "
    "not ask about matters as much as the score."
)


def breakdown_table(kit: Kit) -> list[Flowable]:
    """Every scoring answer with its points, a total per section and the grand total."""
    styles = kit.styles
    items = [item for item in kit.result.breakdown if item.points]
    if not items:
        return [kit.text("No answer scored points."), Spacer(1, 4), note(kit, JUDGEMENT_STATEMENT)]
    head = [
        Paragraph("Indicator", styles.cell_head),
        Paragraph("Answer", styles.cell_head),
        Paragraph("Points", styles.cell_head),
    ]
    rows: list[list[Cell]] = [head]
    subtotal_rows: list[int] = []
    for section_id, group in groupby(items, key=lambda item: item.section):
        for item in group:
            rows.append([kit.text(item.label), kit.text(item.answer_text), _num(kit, item.points)])
        title = _section_title(kit, section_id)
        rows.append(
            [
                kit.text(f"{title}: section total", styles.body_bold),
                "",
                _num(kit, kit.result.section_scores.get(section_id, 0), bold=True),
            ]
        )
        subtotal_rows.append(len(rows) - 1)
    rows.append(
        [kit.text("Total score", styles.body_bold), "", _num(kit, kit.result.total, bold=True)]
    )
    points_width = 50.0
    answer_width = 120.0
    table = Table(
        rows,
        colWidths=[kit.width - answer_width - points_width, answer_width, points_width],
        repeatRows=1,
        hAlign="LEFT",
    )
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.4, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEABOVE", (0, -1), (-1, -1), 1.2, GRID),
    ]
    for index in subtotal_rows:
        commands.append(("BACKGROUND", (0, index), (-1, index), SHADE))
    table.setStyle(TableStyle(commands))
    return [table, Spacer(1, 6), note(kit, JUDGEMENT_STATEMENT)]


def judgement_rows(kit: Kit) -> list[Flowable]:
    """Calculated band, the referrer's judgement and its rationale, and the band that applies."""
    r = kit.result
    rows: list[tuple[str, Cell]] = [
        ("Calculated band (from the score)", band_label(kit, r.calculated_band)),
        ("Band after the rules", band_label(kit, r.final_band)),
        ("Referrer's professional judgement", band_label(kit, r.judged_band)),
    ]
    rationale = (
        kit.value("judgement_rationale") if "judgement_rationale" in kit.form.index else None
    )
    if rationale:
        rows.append(("Reason for the judgement", str(rationale)))
    applies = band_label(kit, r.operative_band)
    if r.awaiting_approval:
        applies += " (a lower judgement is awaiting a supervisor's approval)"
    rows.append(("Band that applies", applies))
    return [kv_table(kit, rows)]


def review_rows(kit: Kit) -> list[Flowable]:
    """The supervisor's review, or a line saying it has not been reviewed yet."""
    review = kit.data.review
    if review is None:
        return [kit.text("Not yet reviewed by a supervisor.")]
    rows: list[tuple[str, Cell]] = [
        ("Status", REVIEW_STATUS_WORDS.get(review.status, review.status)),
        ("Reviewer", review.reviewer),
    ]
    if review.reviewed_at:
        rows.append(("Reviewed", format_datetime(review.reviewed_at)))
    if review.band_approved:
        rows.append(("Band approved", band_label(kit, review.band_approved)))
    if review.comment:
        rows.append(("Comment", review.comment))
    return [kv_table(kit, rows)]


def signature_block(kit: Kit) -> list[Flowable]:
    """Blank lines to sign and date a printed copy."""
    styles = kit.styles
    line = "_" * 34
    cells = [
        [Paragraph("Referrer's signature", styles.label), Paragraph("Date", styles.label)],
        [Paragraph(line, styles.body), Paragraph("_" * 18, styles.body)],
        [Paragraph("Received by (SCU)", styles.label), Paragraph("Date", styles.label)],
        [Paragraph(line, styles.body), Paragraph("_" * 18, styles.body)],
    ]
    table = Table(cells, colWidths=[kit.width * 0.62, kit.width * 0.38], hAlign="LEFT")
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 6)]))
    return [table]


def _num(kit: Kit, value: int, *, bold: bool = False) -> Paragraph:
    style = kit.styles.body_bold if bold else kit.styles.body
    return Paragraph(str(value), style)


def _section_title(kit: Kit, section_id: str) -> str:
    for section in kit.form.sections:
        if section.id == section_id:
            return section.title
    return section_id
