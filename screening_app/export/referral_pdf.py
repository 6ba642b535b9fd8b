"""The referral PDF for the police Safeguarding Coordination Unit: render, encrypt, write.

``render_referral`` builds the whole document in memory (bytes), so the app can preview it without
a file on disk; ``write_referral`` puts it on disk atomically, optionally AES-256 encrypted by
pypdf (reportlab's own encryption is RC4). Nothing here touches the screen or the database.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from screening_app import paths
from screening_app.errors import ExportError, Problem
from screening_app.export import layout_generic, layout_v1
from screening_app.export import text as user_text
from screening_app.export.blocks import Kit, heading
from screening_app.export.fonts import FontSet, load_fonts
from screening_app.export.model import ReferralInput
from screening_app.export.scoring_block import (
    breakdown_table,
    judgement_rows,
    review_rows,
    signature_block,
)
from screening_app.export.styles import MUTED, PAGE_MARGIN, make_styles
from screening_app.export.summary import summary_box, title_block
from screening_app.files import write_output

MARKING = "OFFICIAL-SENSITIVE"
HEADER_SPACE = 12.0
SHARE_SIZE = 7.5
SHARE_LINES = 3
SHARE_SPACE = SHARE_LINES * 9 + 4  # room above the foot for the share's lines
DANGER_ALERT = "The referrer says the child is in immediate danger now."


def render_referral(data: ReferralInput, *, fonts_dir: Path | None = None) -> bytes:
    """The referral as PDF bytes (unencrypted)."""
    fonts = load_fonts(fonts_dir or paths.resources_dir() / "fonts")
    width = A4[0] - 2 * PAGE_MARGIN
    kit = Kit(fonts=fonts, styles=make_styles(fonts), width=width, data=data)
    layout = (
        layout_v1 if layout_v1.handles(data.form.form_id, data.form.version) else layout_generic
    )
    buffer = io.BytesIO()
    doc = marked_document(
        buffer,
        title=f"CSE referral – {data.reference}",
        subject="Referral to the Safeguarding Coordination Unit",
        share_line=data.share_line,
    )
    story = _story(kit, layout)
    header = _Header(fonts, layout.header_identity(kit), data.reference, data.share_line)
    doc.build(story, onFirstPage=header.draw, onLaterPages=header.draw, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def marked_document(
    buffer: io.BytesIO, *, title: str, subject: str, share_line: str = ""
) -> SimpleDocTemplate:
    """An A4 document with room for the protective marking above and below each page (drawn
    by :func:`draw_marking`), and for the share's lines when there is one; ``title`` and
    ``subject`` name no child."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN + HEADER_SPACE,
        bottomMargin=PAGE_MARGIN + HEADER_SPACE + (SHARE_SPACE if share_line else 0),
        title=title,
        author="CSE Screening",
        subject=subject,
        creator="CSE Screening",
        producer="CSE Screening",
        invariant=0,
    )


def _story(kit: Kit, layout: object) -> list[Flowable]:
    identity = layout_v1.summary_rows(kit) if layout is layout_v1 else []
    danger = (
        kit.value("immediate_danger") == "yes" if "immediate_danger" in kit.form.index else False
    )
    story: list[Flowable] = [
        *title_block(kit),
        summary_box(kit, identity, DANGER_ALERT if danger else None),
    ]
    sections = list(layout.sections(kit))  # type: ignore[attr-defined]
    number = 0
    for section in sections:
        number += 1
        story += heading(kit, number, section.title)
        story += section.content
    for title, content in (
        ("Score breakdown", breakdown_table(kit)),
        ("Professional judgement", judgement_rows(kit)),
        ("Supervisor review", review_rows(kit)),
        ("Signatures", signature_block(kit)),
    ):
        number += 1
        story += heading(kit, number, title)
        story += content
    return story


class _Header:
    """Protective marking, the subject (a child's initials and date of birth, or the place or
    group), and the reference."""

    def __init__(self, fonts: FontSet, identity: str, reference: str, share: str = "") -> None:
        self.fonts = fonts
        self.identity = user_text.plain_text(identity, fonts)
        self.reference = user_text.plain_text(reference, fonts)
        self.share = user_text.plain_text(share, fonts)

    def draw(self, canvas: Canvas, doc: SimpleDocTemplate) -> None:
        draw_marking(canvas, self.fonts, self.identity, self.reference, self.share)


def draw_marking(
    canvas: Canvas, fonts: FontSet, top_right: str, foot: str, share: str = ""
) -> None:
    """The protective marking at the top left, ``top_right`` beside it, and the marking and
    ``foot`` at the bottom left of a page (``NumberedCanvas`` adds "Page x of y"); above the
    foot, ``share``: with whom the document is shared and on what basis."""
    width, height = A4
    if share:
        canvas.saveState()
        canvas.setFont(fonts.regular, SHARE_SIZE)
        canvas.setFillColor(MUTED)
        lines = simpleSplit(share, fonts.regular, SHARE_SIZE, width - 2 * PAGE_MARGIN)
        shown = lines[:SHARE_LINES]
        for number, line in enumerate(shown):
            canvas.drawString(PAGE_MARGIN, PAGE_MARGIN + 8 + (len(shown) - number) * 9, line)
        canvas.restoreState()
    top = height - PAGE_MARGIN + 2
    canvas.saveState()
    canvas.setFont(fonts.bold, 9)
    canvas.drawString(PAGE_MARGIN, top, MARKING)
    canvas.setFont(fonts.regular, 8.5)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(width - PAGE_MARGIN, top, top_right)
    canvas.line(PAGE_MARGIN, top - 4, width - PAGE_MARGIN, top - 4)
    canvas.drawString(PAGE_MARGIN, PAGE_MARGIN - 4, f"{MARKING}  ·  {foot}")
    canvas.restoreState()


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """Writes "Page x of y" once the page count is known (reportlab's two-pass idiom)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        width = A4[0]
        self.saveState()
        self.setFont("Helvetica", 8.5)
        self.setFillColor(MUTED)
        self.drawRightString(
            width - PAGE_MARGIN, PAGE_MARGIN - 4, f"Page {self._pageNumber} of {total}"
        )
        self.restoreState()


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """``pdf`` encrypted with AES-256 (opening needs ``password``)."""
    if not password:
        raise ExportError(
            "empty password", [Problem("the password is empty; choose one to encrypt", "password")]
        )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_referral(
    path: Path, pdf: bytes, *, password: str | None = None, force: bool = False
) -> None:
    """Write ``pdf`` to ``path`` whole or not at all, never through a link or over a device
    (:func:`screening_app.files.write_output`)."""
    if password is not None:
        pdf = encrypt_pdf(pdf, password)
    write_output(path, pdf, force=force)
