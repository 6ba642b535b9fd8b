"""Check your answers: every relevant answer by section with Change buttons, warnings, Submit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.evaluation import Evaluation, is_blank
from screening_app.domain.forms import Form
from screening_app.domain.scoring import ScoreResult, not_known_words, unanswered_words
from screening_app.domain.wording import NOT_ANSWERED, answer_words
from screening_app.ui.form.page import ErrorSummary
from screening_app.ui.heading import PageHeading


def answer_text(form: Form, question_id: str, value: Any) -> str:
    """The answer in the words the referral prints (domain/wording.py)."""
    return answer_words(form.question(question_id), value) or NOT_ANSWERED


class CheckAnswersPage(QScrollArea):
    """Rebuilt by ``show_answers``; emits ``change(question_id)`` and ``submit()``."""

    change = Signal(str)
    submit = Signal()

    def __init__(self, form: Form, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.read_only = read_only
        self.setAccessibleName("Answers" if read_only else "Check your answers")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not an unnamed Tab stop of its own
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.summary = ErrorSummary()
        self.heading: PageHeading | None = None
        self.submit_button: QPushButton | None = None

    def show_answers(self, evaluation: Evaluation, result: ScoreResult) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        title = "Answers" if self.read_only else "Check your answers before submitting"
        self.heading = PageHeading(title, body)
        layout.addWidget(self.heading)
        self.summary = ErrorSummary(body)
        self.summary.go_to.connect(self.change.emit)
        layout.addWidget(self.summary)
        blank = unanswered_words(len(result.unanswered))
        if blank:
            names = "; ".join(self.form.question(q).label for q in result.unanswered[:8])
            more = f" and {len(result.unanswered) - 8} more" if len(result.unanswered) > 8 else ""
            box = QLabel(f"⚠ {blank}: {names}{more}.", body)
            box.setObjectName("noteBox")
            box.setWordWrap(True)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # read by a screen reader in turn
            box.setAccessibleName(f"{blank}: {names}{more}")
            layout.addWidget(box)
        notes = []  # version 4: referring now, "Not known", a low band is not a safe band
        if result.routes:
            reasons = " ".join(route.reason for route in result.routes)
            notes.append(("warningBox", f"⚠ Refer now, whatever the score: {reasons}"))
        unknown = not_known_words(len(result.not_known), result.provisional)
        if unknown:
            names = "; ".join(self.form.question(q).label for q in result.not_known[:8])
            more = f" and {len(result.not_known) - 8} more" if len(result.not_known) > 8 else ""
            notes.append(("noteBox", f"? {unknown}: {names}{more}."))
        for prompt in result.prompts:
            notes.append(("noteBox", f"Also due: {prompt.reason}"))
        if result.low_band_note:
            notes.append(("noteBox", result.low_band_note))
        for name, text in notes:
            box = QLabel(text, body)
            box.setObjectName(name)
            box.setWordWrap(True)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # read by a screen reader in turn
            box.setAccessibleName(text)
            layout.addWidget(box)
        for warning in self._warnings(evaluation):
            box = QLabel(f"⚠ Important: {warning}", body)
            box.setObjectName("warningBox")
            box.setWordWrap(True)
            box.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(box)
        for section in self.form.sections:
            shown = [q for q in section.questions if q.id in evaluation.relevant]
            if not shown:
                continue
            layout.addWidget(QLabel(f"<h3>{_escape(section.title)}</h3>", body))
            answered = [q for q in shown if not is_blank(evaluation.value(q.id))]
            grid = QGridLayout()
            grid.setColumnStretch(0, 2)  # the same proportions in every section, so the
            grid.setColumnStretch(1, 3)  # answers line up down the page
            for row, question in enumerate(answered):
                text = answer_text(self.form, question.id, evaluation.value(question.id))
                self._answer_row(grid, row, question, text, body)
            missing = [q for q in shown if is_blank(evaluation.value(q.id)) and not q.calculated]
            if missing:
                self._not_answered_row(grid, len(answered), section.id, missing, body)
            layout.addLayout(grid)
        if not self.read_only:
            if result.awaiting_approval:
                note = QLabel(
                    "Your judgement is lower than the band the score and rules give. This will "
                    "be submitted as awaiting supervisor approval; until then the higher band "
                    "applies.",
                    body,
                )
                note.setObjectName("noteBox")
                note.setWordWrap(True)
                layout.addWidget(note)
            self.submit_button = QPushButton("&Submit screening", body)
            self.submit_button.setObjectName("primaryButton")
            self.submit_button.setAccessibleName("Submit screening")
            self.submit_button.setAutoDefault(False)
            self.submit_button.clicked.connect(self.submit.emit)
            layout.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.setWidget(body)

    def _answer_row(
        self, grid: QGridLayout, row: int, question: Any, text: str, body: QWidget
    ) -> None:
        """Question and answer, read as one: the Change button (or, read-only, the answer
        itself) is the row's single focusable item and says both."""
        label = QLabel(question.label, body)
        label.setWordWrap(True)
        label.setObjectName("answerLabel")
        value = QLabel(text, body)
        value.setWordWrap(True)
        value.setTextFormat(Qt.TextFormat.PlainText)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
        spoken = f"{question.label}: {text}"
        if self.read_only or question.calculated:
            value.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            value.setAccessibleName(spoken)
            if question.calculated:
                value.setAccessibleDescription("Worked out from other answers.")
            return
        button = QPushButton("Change", body)
        button.setAccessibleName(f"{spoken}. Change")
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False, q=question.id: self.change.emit(q))
        grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)

    def _not_answered_row(
        self, grid: QGridLayout, row: int, section_id: str, missing: list[Any], body: QWidget
    ) -> None:
        """The section's unanswered questions in one row, not one row each."""
        names = "; ".join(q.label for q in missing)
        count = len(missing)
        label = QLabel(f"Not answered ({count})", body)
        label.setObjectName("answerLabel")
        value = QLabel(names, body)
        value.setWordWrap(True)
        value.setObjectName("helpText")
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
        if not self.read_only:
            button = QPushButton("Answer", body)
            button.setAccessibleName(
                f"{count} question{'' if count == 1 else 's'} not answered: {names}. Answer"
            )
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, q=missing[0].id: self.change.emit(q))
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)

    def _warnings(self, evaluation: Evaluation) -> list[str]:
        out = []
        for question in self.form.questions():
            if question.warnings and question.id in evaluation.relevant:
                text = question.warnings.get(str(evaluation.value(question.id)))
                if text:
                    out.append(text)
        return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
