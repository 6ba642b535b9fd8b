"""The MACE pack as a PDF: one page per child for a multi-agency child exploitation meeting.

Each page says where the newest screening stands, the open actions, the chronology (the newest
events: the child's record in the app has them all) and the links to other screenings. Marked
OFFICIAL-SENSITIVE on every page, numbered "Page x of y", with "Call 999" and the area's numbers
at the foot of each child's page. The facts come from ``domain.mace``; nothing here reads the
database.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from screening_app.domain.mace import MacePack, PackChild, newest_events
from screening_app.domain.scoring import not_known_words
from screening_app.export import text as user_text
from screening_app.export.fonts import FontSet
from screening_app.export.referral_pdf import (
    MARKING,
    NumberedCanvas,
    draw_marking,
    marked_document,
)
from screening_app.export.report_doc import report_fonts
from screening_app.export.styles import GRID, LABEL_WIDTH, PAGE_MARGIN, RULE, SHADE, Styles
from screening_app.export.wording import format_date, format_datetime

LINK_ROWS = 10
KIND_WORDS = {
    "person": "Person",
    "place": "Place",
    "vehicle": "Vehicle",
    "phone": "Phone",
    "online_account": "Online account",
}


def render_mace(pack: MacePack, *, fonts_dir: Path | None = None) -> bytes:
    fonts, styles = report_fonts(fonts_dir)
    width = A4[0] - 2 * PAGE_MARGIN
    buffer = io.BytesIO()
    doc = marked_document(
        buffer,
        title="MACE meeting pack",
        subject="Multi-agency child exploitation meeting",
        share_line=pack.share_line,
    )
    page = _Page(fonts, styles, width, pack)
    story: list[Flowable] = []
    for number, child in enumerate(pack.children):
        if number:
            story.append(PageBreak())
        story += page.child(child, number + 1)

    share = user_text.plain_text(pack.share_line, fonts)

    def header(canvas: object, _doc: object) -> None:
        draw_marking(canvas, fonts, "MACE meeting pack", "MACE meeting pack", share)

    doc.build(story, onFirstPage=header, onLaterPages=header, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


class _Page:
    def __init__(self, fonts: FontSet, styles: Styles, width: float, pack: MacePack) -> None:
        self.fonts, self.styles, self.width, self.pack = fonts, styles, width, pack

    def text(self, value: str, style: ParagraphStyle | None = None) -> Paragraph:
        return user_text.paragraph(value, style or self.styles.body, self.fonts)

    def child(self, child: PackChild, number: int) -> list[Flowable]:
        s = self.styles
        born = f"born {format_date(child.dob)}" if child.dob else "date of birth not recorded"
        count = len(self.pack.children)
        story: list[Flowable] = [
            self.text(f"{child.name} ({born})", s.title),
            Paragraph(
                f"Child {number} of {count} · prepared by "
                f"{user_text.to_markup(self.pack.prepared_by, self.fonts)} · produced "
                f"{format_datetime(self.pack.generated_at)} · {MARKING}",
                s.subtitle,
            ),
            self._standing(child),
            *self._heading("Open actions"),
            *([self.text(f"• {action}") for action in child.actions] or [self.text("None open.")]),
            *self._heading("Chronology"),
            *self._chronology(child),
            *self._heading("Links to other screenings"),
            *self._links(child),
            Spacer(1, 3 * mm),
            self.text(self.pack.contacts_line, s.danger),
        ]
        return story

    def _heading(self, title: str) -> list[Flowable]:
        rule = HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=0, spaceAfter=4)
        rule.keepWithNext = 1
        return [Paragraph(title, self.styles.heading), rule]

    def _standing(self, child: PackChild) -> Table:
        s, latest = self.styles, child.latest
        if latest is None:
            rows = [("Newest screening", "None shared with you.")]
        else:
            band = f"{latest.band.upper()} (score {latest.total})"
            if latest.provisional:
                band += ", provisional: too many answers not known"
            rows = [
                (
                    "Newest screening",
                    f"{latest.reference}, {format_date(latest.day)} ({latest.status_words})",
                ),
                ("Band", band),
                ("Types of exploitation", ", ".join(latest.types) or "None shown by the answers"),
            ]
            if latest.refer_now:
                rows.append(("Refer now because", " ".join(latest.refer_now)))
            if latest.not_known:
                rows.append(("Not known", not_known_words(latest.not_known, latest.provisional)))
            rows.append(("Screenings shared", str(len(child.screenings))))
        data = [[self.text(label, s.label), self.text(value)] for label, value in rows]
        table = Table(data, colWidths=[LABEL_WIDTH, self.width - LABEL_WIDTH], hAlign="LEFT")
        table.setStyle(_grid(label_column=True))
        return table

    def _chronology(self, child: PackChild) -> list[Flowable]:
        shown, left_out = newest_events(child.events)
        if not shown:
            return [self.text("Nothing recorded yet.")]
        s = self.styles
        data: list[list[object]] = [
            [
                Paragraph("Date", s.cell_head),
                Paragraph("What happened", s.cell_head),
                Paragraph("Screening", s.cell_head),
            ]
        ]
        data += [
            [
                self.text(format_date(e.day), s.small),
                self.text(e.text, s.small),
                self.text(e.reference, s.small),
            ]
            for e in shown
        ]
        table = Table(
            data, colWidths=[24 * mm, self.width - 64 * mm, 40 * mm], hAlign="LEFT", repeatRows=1
        )
        table.setStyle(_grid(head=True))
        out: list[Flowable] = [table]
        if left_out:
            out.append(
                self.text(
                    f"{left_out} earlier event(s) are in the child's record in the app.", s.caption
                )
            )
        return out

    def _links(self, child: PackChild) -> list[Flowable]:
        if not child.links:
            return [self.text("None found among the screenings you can see.")]
        s = self.styles
        data: list[list[object]] = [
            [Paragraph(h, s.cell_head) for h in ("Kind", "Who or what", "Match", "Also in")]
        ]
        for link in child.links[:LINK_ROWS]:
            data.append(
                [
                    self.text(KIND_WORDS.get(link.kind, link.kind), s.small),
                    self.text(link.words, s.small),
                    self.text(link.strength, s.small),
                    self.text(", ".join(link.others), s.small),
                ]
            )
        widths = [28 * mm, self.width - 110 * mm, 18 * mm, 64 * mm]
        table = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=1)
        table.setStyle(_grid(head=True))
        out: list[Flowable] = [table]
        more = len(child.links) - LINK_ROWS
        if more > 0:
            out.append(self.text(f"{more} more link(s): see Links in the app.", s.caption))
        return out


def _grid(*, head: bool = False, label_column: bool = False) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        ("LINEABOVE", (0, 0), (-1, 0), 0.4, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]
    if head:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    if label_column:
        commands.append(("BACKGROUND", (0, 0), (0, -1), SHADE))
    return TableStyle(commands)
