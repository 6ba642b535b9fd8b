"""Building blocks of the referral: section headings, label/answer tables, text blocks.

Everything from the form or the answers reaches a Paragraph through :mod:`text` (escaped); the
fixed wording of the document is written here and in the section modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table, TableStyle

from screening_app.domain.forms import Form
from screening_app.domain.scoring import ScoreResult
from screening_app.export import text as user_text
from screening_app.export.fonts import FontSet
from screening_app.export.model import ReferralInput
from screening_app.export.styles import GRID, LABEL_WIDTH, RULE, SHADE, Styles
from screening_app.export.wording import NOT_GIVEN, answer_words

Cell: TypeAlias = str | Flowable | list[Flowable] | None


@dataclass(frozen=True)
class Kit:
    """What every part of the referral is built with: fonts, styles, frame width, the data."""

    fonts: FontSet
    styles: Styles
    width: float
    data: ReferralInput

    @property
    def form(self) -> Form:
        return self.data.form

    @property
    def result(self) -> ScoreResult:
        return self.data.result

    def value(self, question_id: str) -> Any:
        """The effective answer (after relevance and calculation), or None."""
        return self.result.evaluation.value(question_id)

    def words(self, question_id: str) -> str | None:
        if question_id not in self.form.index:
            return None
        return answer_words(self.form.question(question_id), self.value(question_id))

    def label(self, question_id: str) -> str:
        return self.form.question(question_id).label

    def text(self, value: str, style: Any = None) -> Paragraph:
        """User or form text, escaped."""
        return user_text.paragraph(value, style or self.styles.body, self.fonts)

    def not_given(self) -> Paragraph:
        return Paragraph(NOT_GIVEN, self.styles.label)


@dataclass
class Section:
    """A numbered part of the referral: its heading and content."""

    title: str
    content: list[Flowable] = field(default_factory=list)


def heading(kit: Kit, number: int, title: str) -> list[Flowable]:
    para = Paragraph(f"{number}. {user_text.to_markup(title, kit.fonts)}", kit.styles.heading)
    rule = HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=0, spaceAfter=5)
    rule.keepWithNext = 1
    return [para, rule]


def kv_table(kit: Kit, rows: Sequence[tuple[str, Cell]]) -> Table:
    """Two columns, label and answer; an empty answer prints as "Not answered" in grey."""
    data = [[kit.text(label, kit.styles.label), _cell(kit, value)] for label, value in rows]
    return label_table(data, kit.width)


def label_table(data: list[list[Any]], width: float) -> Table:
    """Rows of a shaded label beside its value, ruled between rows; a long row may run on to
    the next page (the referral's answers, the subject access export)."""
    table = Table(data, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH], splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("LINEABOVE", (0, 0), (-1, 0), 0.4, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def answer_rows(kit: Kit, question_ids: Sequence[str]) -> list[tuple[str, Cell]]:
    """(label, answer) for each question that is relevant to this screening."""
    relevant = kit.result.evaluation.relevant
    return [(kit.label(q), kit.words(q)) for q in question_ids if q in relevant]


def _cell(kit: Kit, value: Cell) -> Flowable | list[Flowable]:
    if value is None or value == "":
        return kit.not_given()
    if isinstance(value, str):
        return user_text.paragraphs(value, kit.styles.body, kit.fonts) or kit.not_given()
    return value


def text_block(kit: Kit, caption: str | None, value: str | None) -> list[Flowable]:
    """A caption (the form's question) and long free text that may run over many pages."""
    out: list[Flowable] = []
    if caption:
        out.append(kit.text(caption, kit.styles.caption))
    body = user_text.paragraphs(value, kit.styles.body, kit.fonts) if value else []
    out.extend(body or [kit.not_given()])
    out.append(Spacer(1, 4))
    return out


def note(kit: Kit, markup: str) -> Table:
    """A shaded note in the document's own words (``markup`` is trusted, not user text)."""
    table = Table([[Paragraph(markup, kit.styles.small)]], colWidths=[kit.width])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("BOX", (0, 0), (-1, -1), 0.4, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table
