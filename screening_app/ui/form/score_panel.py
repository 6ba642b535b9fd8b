"""The live score: total, sections, band in words and on a gauge, rules, action, why.

The band is always written out; the gauge repeats it with labelled segments and a marker, so no
meaning rests on colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.contacts import NONE as NO_CONTACTS
from screening_app.domain.contacts import Contacts, with_999
from screening_app.domain.evaluation import parse_date
from screening_app.domain.forms import Form
from screening_app.domain.scoring import ScoreResult, not_known_words, unanswered_words
from screening_app.domain.wording import spelt_out
from screening_app.ui.announce import announce

BAND_COLOURS = ("#2e7d32", "#c9a000", "#e06c00", "#b71c1c")


class BandGauge(QWidget):
    """Segments labelled with each band's name; the current one is filled and marked ▲."""

    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = [band.label for band in form.bands]
        self.current = 0
        self.setMinimumHeight(44)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Risk band gauge")

    def set_band(self, index: int) -> None:
        self.current = index
        self.setAccessibleDescription(
            f"Band {index + 1} of {len(self.labels)}: {self.labels[index]}"
        )
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        count = len(self.labels)
        width = (self.width() - 2) / count
        text_colour = self.palette().windowText().color()
        for index, label in enumerate(self.labels):
            rect = QRectF(1 + index * width, 1, width - 3, 24)
            colour = QColor(BAND_COLOURS[min(index, len(BAND_COLOURS) - 1)])
            active = index == self.current
            painter.setPen(QPen(colour, 2))
            painter.setBrush(colour if active else Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
            painter.setPen(QColor("white") if active else text_colour)
            font = painter.font()
            font.setBold(active)
            while (
                font.pointSizeF() > 6 and QFontMetricsF(font).horizontalAdvance(label) > width - 8
            ):
                font.setPointSizeF(font.pointSizeF() - 0.5)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
            if active:
                painter.setPen(text_colour)
                painter.drawText(
                    QRectF(rect.left(), 26, rect.width(), 16), Qt.AlignmentFlag.AlignCenter, "▲"
                )
        painter.end()


class ScorePanel(QFrame):
    """Shows a ScoreResult; ``show_result`` on every change."""

    def __init__(
        self, form: Form, contacts: Contacts = NO_CONTACTS, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._heard: tuple[str, str] | None = None  # the band and action last shown
        self.form = form
        self.setObjectName("scorePanel")
        self.setMinimumWidth(300)
        layout = QVBoxLayout(self)
        self.title = QLabel("<b>Score so far</b>", self)
        layout.addWidget(self.title)
        self.band = QLabel(self)
        self.band.setObjectName("bandWord")
        self.band.setWordWrap(True)
        layout.addWidget(self.band)
        self.gauge = BandGauge(form, self)
        layout.addWidget(self.gauge)
        self.total = QLabel(self)
        self.total.setWordWrap(True)
        layout.addWidget(self.total)
        self.refer_now = QLabel(self)  # version 4: harm already happening, whatever the score
        self.refer_now.setObjectName("warningBox")
        self.refer_now.setWordWrap(True)
        self.refer_now.setVisible(False)
        layout.addWidget(self.refer_now)
        self.unanswered = QLabel(self)
        self.unanswered.setObjectName("noteBox")
        self.unanswered.setWordWrap(True)
        layout.addWidget(self.unanswered)
        self.not_known = QLabel(self)  # version 4: "Not known" counted and shown
        self.not_known.setObjectName("noteBox")
        self.not_known.setWordWrap(True)
        self.not_known.setVisible(False)
        layout.addWidget(self.not_known)
        self.rules = QLabel(self)
        self.rules.setWordWrap(True)
        layout.addWidget(self.rules)
        self.action = QLabel(self)
        self.action.setWordWrap(True)
        layout.addWidget(self.action)
        self.why_button = QToolButton(self)
        self.why_button.setText("Why this score?")
        self.why_button.setCheckable(True)
        self.why_button.setAccessibleName("Why this score? Show each scoring answer")
        layout.addWidget(self.why_button)
        self.why = QLabel(self)
        self.why.setWordWrap(True)
        self.why.setVisible(False)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.why_button.toggled.connect(self.why.setVisible)
        layout.addWidget(self.why)
        layout.addStretch(1)
        # "Call 999", with the area's numbers when an administrator has set them
        self.call = QLabel(with_999(contacts, place=form.subject == "context"), self)
        self.call.setObjectName("callBox")
        self.call.setWordWrap(True)
        self.call.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.call)
        self.due = QLabel(self)  # version 4: an NRM referral when trafficking signs show
        self.due.setObjectName("noteBox")
        self.due.setWordWrap(True)
        self.due.setVisible(False)
        layout.insertWidget(layout.indexOf(self.action) + 1, self.due)
        self.low_band = QLabel(self)  # "A low band is not a safe band…"
        self.low_band.setWordWrap(True)
        self.low_band.setVisible(False)
        layout.insertWidget(layout.indexOf(self.action) + 1, self.low_band)
        for label in (
            self.band,
            self.total,
            self.refer_now,
            self.unanswered,
            self.not_known,
            self.rules,
            self.action,
            self.due,
            self.low_band,
            self.why,
            self.call,
        ):
            label.setTextFormat(Qt.TextFormat.PlainText)

    def scrolling(self) -> QScrollArea:
        """The panel in a frame that scrolls when what it says is taller than the window
        (version 4 says more: refer now, "Not known", a low band is not a safe band); the frame
        takes no focus, so Tab goes from the form to the panel's own button as before."""
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setWidget(self)
        scroller.setMinimumWidth(self.minimumWidth() + 16)
        return scroller

    def show_result(self, result: ScoreResult, *, announcing: bool = False) -> None:
        """Show ``result``; when ``announcing``, say a change of band or action out loud
        (at once — assertive — when it reaches the highest band)."""
        band = self.form.band(result.operative_band)
        heard = (result.operative_band + ("?" if result.provisional else ""), result.action)
        if announcing and self._heard is not None and heard != self._heard:
            top = self.form.band_codes()[-1]
            announce(
                self,
                f"Band now {band.label}. What to do: {result.action}",
                assertive=result.operative_band == top,
            )
        self._heard = heard
        provisional = " (provisional)" if result.provisional else ""
        self.band.setText(f"Band: {band.label.upper()}{provisional.upper()}")
        self.band.setAccessibleName(f"Band: {band.label}{provisional}")
        self.gauge.set_band(self.form.band_rank(result.operative_band))
        sections = "; ".join(
            f"{_section_title(self.form, sid)} {points}"
            for sid, points in result.section_scores.items()
        )
        total = f"Total {result.total} ({sections})"
        if self.form.types:  # version 4: which types of exploitation the answers show
            total += f"\nTypes of exploitation: {self.form.types_words(result.types)}"
        self.total.setText(total)
        missing = unanswered_words(len(result.unanswered))
        self.unanswered.setText(f"⚠ {missing}." if missing else "")
        self.unanswered.setVisible(bool(missing))
        unknown = not_known_words(len(result.not_known), result.provisional)
        self.not_known.setText(f"? {unknown}." if unknown else "")
        self.not_known.setVisible(bool(unknown))
        reasons = "\n".join(f"• {route.reason}" for route in result.routes)
        self.refer_now.setText(f"Refer now, whatever the score:\n{reasons}" if reasons else "")
        self.refer_now.setVisible(bool(reasons))
        due = "\n".join(f"Also due: {prompt.reason}" for prompt in result.prompts)
        self.due.setText(due)
        self.due.setVisible(bool(due))
        self.low_band.setText(result.low_band_note)
        self.low_band.setVisible(bool(result.low_band_note))
        if result.fired_rules:
            reasons = "\n".join(f"• {rule.reason}" for rule in result.fired_rules)
            self.rules.setText(f"Rules that raise the band:\n{reasons}")
        else:
            self.rules.setText("No rule raises the band.")
        action = f"What to do: {spelt_out(result.action)}"
        reassess_by = parse_date(result.reassess_by)
        if reassess_by:
            action += f"\nScreen again by {reassess_by:%d/%m/%Y}."
        if result.awaiting_approval:
            action += "\nA lower judgement needs a supervisor's approval."
        self.action.setText(action)
        lines = [
            f"{item.label}: {item.answer_text} — {item.points} point(s)"
            for item in result.breakdown
            if item.points
        ]
        self.why.setText("\n".join(lines) or "No answer scores points yet.")


def _section_title(form: Form, section_id: str) -> str:
    return next((s.title for s in form.sections if s.id == section_id), section_id)
