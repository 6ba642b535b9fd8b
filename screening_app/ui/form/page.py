"""A section of the form as one page: its questions, their help and errors, an error summary.

The error summary follows the GOV.UK Design System: a box titled "There is a problem" at the top
of the page listing each problem as a link; activating one moves focus to the field.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.evaluation import Evaluation
from screening_app.domain.forms import Question, Section
from screening_app.ui.announce import announce
from screening_app.ui.form.editors import Editor
from screening_app.ui.form.registry import make_editor
from screening_app.ui.heading import PageHeading


def need_words(question: Question, when_needed: str = "") -> str:
    """After the label: nothing when required, " (optional)", or — for a question whose need
    depends on other answers, like the rationale of a different judgement — when it is."""
    if question.required:
        return ""
    return f" ({when_needed})" if when_needed else " (optional)"


class QuestionBlock(QWidget):
    """Label, required/optional in words, help on demand, the editor and its error text."""

    def __init__(
        self, question: Question, parent: QWidget | None = None, *, when_needed: str = ""
    ) -> None:
        super().__init__(parent)
        self.question = question
        self.when_needed = when_needed
        self.warning_suffix = ""  # the area's numbers after "Call 999 now" (domain.contacts)
        self.setObjectName("questionBlock")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 10)
        layout.setSpacing(4)
        need = need_words(question, when_needed)
        self.label = QLabel(f"<b>{_escape(question.label)}</b>{need}", self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.label)
        self.help_text = QLabel(question.help, self)
        self.help_text.setWordWrap(True)
        self.help_text.setObjectName("helpText")
        self.help_text.setVisible(False)
        self.help_button: QToolButton | None = None
        if question.help:
            # A disclosure, not a Tab stop of its own: a screen reader already hears the help
            # as the field's description, and F1 in the field shows or hides it on screen.
            self.help_button = QToolButton(self)
            self.help_button.setText("Help ▸")
            self.help_button.setCheckable(True)
            self.help_button.setAutoRaise(True)
            self.help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.help_button.setToolTip("Show or hide the help (F1 in the field)")
            self.help_button.toggled.connect(self._help_toggled)
            self.help_button.setAccessibleName(f"Help: {question.label}")
            self.help_button.toggled.connect(self.help_text.setVisible)
            layout.addWidget(self.help_button)
            layout.addWidget(self.help_text)
        # The error's line is kept, error or not, so that an error appearing or going never
        # moves the options under the pointer; a longer one keeps its lines until the page is
        # shown again (release_error_space).
        self.error_slot = QWidget(self)
        slot = QVBoxLayout(self.error_slot)
        slot.setContentsMargins(0, 0, 0, 0)
        self.error = QLabel("", self.error_slot)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        slot.addWidget(self.error)
        self.error.ensurePolished()
        self.error.setText("Error")
        self._one_line = self.error.sizeHint().height()
        self.error.setText("")
        self.error.setVisible(False)
        self.error_slot.setMinimumHeight(0 if question.calculated else self._one_line)
        layout.addWidget(self.error_slot)
        self.calculated = QLabel("", self)
        self.calculated.setWordWrap(True)
        self.calculated.setObjectName("calculatedText")
        self.editor: Editor | None = None
        if question.calculated:
            layout.addWidget(self.calculated)
        else:
            self.editor = make_editor(question, self)
            self.label.setBuddy(self.editor.focus_target())
            layout.addWidget(self.editor)
            self.editor.name_widgets(question.label, self.description())
        self.implied = QLabel("", self)  # why the answer used is higher than the one given
        self.implied.setObjectName("calculatedText")
        self.implied.setWordWrap(True)
        self.implied.setVisible(False)
        layout.addWidget(self.implied)
        self.warning = QLabel("", self)
        self.warning.setObjectName("warningBox")
        self.warning.setWordWrap(True)
        self.warning.setVisible(False)
        layout.addWidget(self.warning)

    def _help_toggled(self, shown: bool) -> None:
        if self.help_button is not None:
            self.help_button.setText("Help ▾" if shown else "Help ▸")

    def description(self) -> str:
        """What a screen reader says after the field's name: required or not, then the help."""
        need = need_words(self.question, self.when_needed).strip(" ()")
        help_text = self.question.help.strip()
        if not need or help_text.lower().startswith(need.split(",")[0].lower()):
            return help_text  # the help already says it ("Optional. …", "Required, …")
        return f"{need[0].upper()}{need[1:]}. {help_text}".strip()

    def toggle_help(self) -> None:
        if self.help_button is not None:
            self.help_button.toggle()

    def show_error(self, message: str | None) -> None:
        if not message and self.error.isVisible():
            self.error_slot.setMinimumHeight(max(self._one_line, self.error.height()))
        self.error.setText(f"Error: {message}" if message else "")
        self.error.setVisible(bool(message))
        if self.editor is not None:
            base = self.description()
            text = f"Error: {message}. {base}" if message else base
            for widget in self.editor.findChildren(QWidget):
                widget.setAccessibleDescription(text)

    def show_calculated(self, value: Any, reason: str) -> None:
        words = self.question.option_label(str(value)) if value is not None else "not yet known"
        self.calculated.setText(f"Calculated: {words}" + (f" — {reason}" if reason else ""))

    def follow_implied(self, evaluation: Evaluation, given: Any) -> None:
        """For a question other answers can raise: the field shows the answer the score
        uses, and why when it is not the one given."""
        qid = self.question.id
        if self.question.implied is None or self.editor is None:
            return
        used = evaluation.value(qid)
        raised = qid in evaluation.calculated and used != given
        shown = used if raised else given
        if self.editor.value() != shown:
            self.editor.set_value(shown)
        self.show_implied(used, evaluation.calculated[qid].reason if raised else "")

    def show_implied(self, value: Any, reason: str) -> None:
        """The answer the score uses when other answers raise it (3 or more missing episodes
        in 3 months make "repeatedly missing" current), shown in the field and said why."""
        text = ""
        if reason:
            words = self.question.option_label(str(value))
            text = f"Set to “{words}” because: {reason}"
        if text != self.implied.text() and text and self.isVisible():
            announce(self, text)
        self.implied.setText(text)
        self.implied.setVisible(bool(text))
        if self.editor is not None:
            base = self.description()
            for widget in self.editor.findChildren(QWidget):
                widget.setAccessibleDescription(f"{text} {base}".strip())

    def show_warning(self, value: Any) -> None:
        """The form's warning for this answer (Call 999...), said at once when it appears."""
        text = (self.question.warnings or {}).get(str(value)) if value is not None else None
        shown = f"⚠ Important: {text} {self.warning_suffix}".rstrip() if text else ""
        if shown and shown != self.warning.text() and self.isVisible():
            announce(self, shown.replace("⚠ ", ""), assertive=True)
        self.warning.setText(shown)
        self.warning.setVisible(bool(text))

    def release_error_space(self) -> None:
        """Back to one line for the error (the page is shown again: nothing is under the
        pointer yet)."""
        if not self.question.calculated:
            self.error_slot.setMinimumHeight(self._one_line)

    def focus(self) -> None:
        if self.editor is not None:
            self.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)


class ErrorSummary(QFrame):
    """ "There is a problem" with one link per problem; ``go_to(question_id)`` on activation."""

    go_to = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorSummary")
        # focused when it appears (read first), but not a Tab stop of its own (GOV.UK's
        # tabindex=-1): the next Tab goes to its first link. (ClickFocus, not NoFocus: Qt
        # will not order the Tab chain from a NoFocus widget.)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAccessibleName("There is a problem")
        self._layout = QVBoxLayout(self)
        self.title = QLabel("<b>There is a problem</b>", self)
        self._layout.addWidget(self.title)
        self.links: list[QPushButton] = []
        self.setVisible(False)

    def show_problems(self, problems: Sequence[tuple[str, str]]) -> None:
        """``problems``: (question id, message); empty hides the summary."""
        for link in self.links:
            link.deleteLater()
        self.links = []
        previous: QWidget = self
        for qid, message in problems:
            link = ErrorLink(message, self)
            link.setObjectName("errorLink")
            link.setFlat(True)
            link.setCursor(Qt.CursorShape.PointingHandCursor)
            link.setAccessibleName(f"Go to the problem: {message}")
            link.clicked.connect(lambda _c=False, q=qid: self.go_to.emit(q))
            self._layout.addWidget(link)
            QWidget.setTabOrder(previous, link)  # right after the summary, in order
            previous = link
            self.links.append(link)
        self.setVisible(bool(problems))
        if problems:
            count = len(problems)
            self.setAccessibleDescription(
                f"{count} problem{'' if count == 1 else 's'} on this page: "
                + "; ".join(message for _qid, message in problems)
            )
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            announce(self, f"There is a problem. {self.accessibleDescription()}", assertive=True)


class ErrorLink(QPushButton):
    """A link of the error summary: Return or Enter follows it, as Space does."""

    def __init__(self, text: str, parent: QWidget) -> None:
        # a button does not wrap its text: lines are broken here, so that a long message
        # stays inside the window instead of pushing out a horizontal scroll bar
        super().__init__(textwrap.fill(text, 70), parent)
        self.setAutoDefault(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class SectionPage(QScrollArea):
    """One section: heading, intro, error summary and a block per question."""

    def __init__(
        self,
        section: Section,
        number: int,
        count: int,
        on_edit: Callable[[str, Any], None],
        parent: QWidget | None = None,
        *,
        when_needed: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.section = section
        self.setAccessibleName(section.title)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not an unnamed Tab stop of its own
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        caption = QLabel(f"Section {number} of {count}", body)
        caption.setObjectName("caption")
        self.heading = PageHeading(section.title, body)
        self.heading.setAccessibleDescription(f"Section {number} of {count}")
        layout.addWidget(caption)
        layout.addWidget(self.heading)
        self.summary = ErrorSummary(body)
        layout.addWidget(self.summary)
        if section.intro:
            intro = QLabel(section.intro, body)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        self.blocks: dict[str, QuestionBlock] = {}
        for question in section.questions:
            block = QuestionBlock(
                question, body, when_needed=(when_needed or {}).get(question.id, "")
            )
            self.blocks[question.id] = block
            layout.addWidget(block)
            if block.editor is not None:
                block.editor.edited.connect(lambda v, q=question.id: on_edit(q, v))
        layout.addStretch(1)
        self.setWidget(body)
        self.summary.go_to.connect(self.focus_question)

    def show_summary(self, problems: Sequence[tuple[str, str]]) -> None:
        """The error summary, scrolled into view with focus (or hidden when none)."""
        self.summary.show_problems(problems)
        if problems:
            self.verticalScrollBar().setValue(0)
            self.ensureWidgetVisible(self.summary)

    def showEvent(self, event: QShowEvent) -> None:
        for block in self.blocks.values():
            block.release_error_space()
        super().showEvent(event)

    def show_top(self) -> None:
        """Scrolled to the top, focus on the heading (a page just shown)."""
        self.verticalScrollBar().setValue(0)
        self.heading.take_focus()

    def help_block_of(self, focused: QWidget | None) -> QuestionBlock | None:
        """The question whose field holds ``focused``, if it has help to show (F1)."""
        for block in self.blocks.values():
            if focused is not None and block.help_button and block.isAncestorOf(focused):
                return block
        return None

    def focus_question(self, question_id: str) -> None:
        block = self.blocks.get(question_id)
        if block is not None:
            self.ensureWidgetVisible(block)
            block.focus()

    def flush(self) -> None:
        for block in self.blocks.values():
            flush = getattr(block.editor, "flush", None)
            if flush is not None:
                flush()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
