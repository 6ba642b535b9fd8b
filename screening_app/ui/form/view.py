"""The step-by-step screening form: one section per page, live score, autosave, undo.

Every change goes to the sink at once (``save_answer``); if the sink fails (a full disk), the
answer stays on screen, a banner says so, and the next change retries what was not saved.

A change that hides questions clears their answers in the same undo step, so what is stored is
what is shown (a hidden answer could neither be seen nor removed, and would block submitting).
The list of sections says which are complete, and how many problems a checked one has.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain import checklist
from screening_app.domain.answers import apply, question_problems, validate
from screening_app.domain.contacts import NONE as NO_CONTACTS
from screening_app.domain.contacts import Contacts
from screening_app.domain.evaluation import evaluate
from screening_app.domain.forms import Form, GivenAnswers, asked_first
from screening_app.domain.scoring import ScoreResult, score
from screening_app.errors import Problem, ScreeningError
from screening_app.ui.form.answer_change import AnswerChange, AnswerSink
from screening_app.ui.form.check_answers import CheckAnswersPage
from screening_app.ui.form.help_key import HelpKey
from screening_app.ui.form.page import QuestionBlock, SectionPage
from screening_app.ui.form.score_panel import ScorePanel
from screening_app.ui.form.wording import page_problems, problem_wording, section_states

CHECK_PAGE = "check_answers"


class FormView(QWidget):
    submit_requested = Signal(dict)
    discard_requested = Signal()

    def __init__(
        self,
        form: Form,
        sink: AnswerSink,
        *,
        answers: GivenAnswers | None = None,
        page: str | None = None,
        today: dt.date | None = None,
        read_only: bool = False,
        contacts: Contacts = NO_CONTACTS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = asked_first(form, checklist.IMMEDIATE_DANGER)
        self.contacts = contacts
        self.sink = sink
        self.today = today or dt.date.today()
        self.read_only = read_only
        self._answers: dict[str, Any] = dict(answers or {})
        self._unsaved: set[str] = set()
        self._input_problems: dict[str, str] = {}
        self._checked: set[str] = set()  # sections whose problems the user has been shown
        self._moving_to_question = False  # a Change or error link: focus goes to the field
        self.undo_stack = QUndoStack(self)
        self._build()
        self._load_editors()
        self._refresh()
        self.go_to(page or (CHECK_PAGE if read_only else form.sections[0].id))

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        outer.addWidget(self.banner)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, len(self.form.sections) + 1)
        self.progress.setAccessibleName("Progress through the screening")
        outer.addWidget(self.progress)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.nav = QListWidget(splitter)
        self.nav.setAccessibleName("Sections of the screening")
        self.nav.setMinimumWidth(200)
        self.nav.setWordWrap(True)
        self.stack = QStackedWidget(splitter)
        self.pages: dict[str, SectionPage] = {}
        count = len(self.form.sections)
        when_needed = {
            self.form.judgement.rationale_question: "required when your judgement differs "
            "from the band"
        }
        for number, section in enumerate(self.form.sections, start=1):
            page = SectionPage(
                section, number, count, self._edited, self.stack, when_needed=when_needed
            )
            page.setEnabled(not self.read_only)
            self.pages[section.id] = page
            self.stack.addWidget(page)
            self.nav.addItem(QListWidgetItem(section.title))
        self.check_page = CheckAnswersPage(self.form, self.read_only, self.stack)
        self._back_to_check = False  # a page opened by "Change": Continue returns to the check
        self.check_page.change.connect(self._change)
        self.check_page.submit.connect(self._submit)
        self.stack.addWidget(self.check_page)
        self.nav.addItem(QListWidgetItem("Answers" if self.read_only else "Check your answers"))
        self.nav.currentRowChanged.connect(self._nav_row)
        danger = self.pages[self.form.sections[0].id].blocks.get(checklist.IMMEDIATE_DANGER)
        if danger is not None:
            danger.warning_suffix = self.contacts.sentence()
        self.score_panel = ScorePanel(self.form, self.contacts)
        splitter.addWidget(self.score_panel.scrolling())
        if self.read_only:  # a submitted screening's score is final, not "so far"
            self.score_panel.title.setText("<b>Score</b>")
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        outer.addWidget(splitter, 1)
        outer.addLayout(self._buttons())
        if self.read_only:
            self.nav.setCurrentRow(count)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.back = QPushButton("&Back", self)
        self.next = QPushButton("&Continue", self)
        self.next.setObjectName("primaryButton")
        self.undo_button = QPushButton("&Undo last change", self)
        self.discard = QPushButton("&Discard draft…", self)
        for button in (self.back, self.next, self.undo_button, self.discard):
            button.setAutoDefault(False)
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.back.clicked.connect(lambda: self._step(-1))
        self.next.clicked.connect(self._continue)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.discard.clicked.connect(self.discard_requested.emit)
        HelpKey(self, self._help_block)  # F1 in a field: its help (ui/form/help_key.py)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.undo_stack.redo)
        row.addWidget(self.back)
        row.addWidget(self.next)
        row.addStretch(1)
        for button in (self.undo_button, self.discard):  # nothing to undo or discard read-only
            row.addWidget(button)
            button.setVisible(not self.read_only)
        return row

    # -- public API --------------------------------------------------------------------------
    def answers(self) -> dict[str, Any]:
        self.flush()
        return dict(self._answers)

    def current_page(self) -> str:
        index = self.stack.currentIndex()
        ids = [s.id for s in self.form.sections]
        return ids[index] if index < len(ids) else CHECK_PAGE

    def go_to(self, page_id: str, question_id: str | None = None) -> None:
        ids = [s.id for s in self.form.sections]
        index = ids.index(page_id) if page_id in ids else len(ids)
        self._moving_to_question = bool(question_id and page_id in self.pages)
        try:
            self.nav.setCurrentRow(index)
        finally:
            self._moving_to_question = False
        if question_id and page_id in self.pages:
            self.pages[page_id].focus_question(question_id)

    def focus_first(self) -> None:
        """Focus the current page's heading: read first, and Tab goes on from the top."""
        page = self.pages.get(self.current_page())
        if page is not None:
            page.show_top()
        elif self.check_page.heading is not None:
            self.check_page.verticalScrollBar().setValue(0)
            self.check_page.heading.take_focus()

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Problems from the service (e.g. on submit): summary on the check page with links."""
        self.go_to(CHECK_PAGE)
        pairs = [(p.where, self.message_for(p)) for p in problems]
        self.check_page.summary.show_problems(pairs)
        self._mark_sections(problems)

    def flush(self) -> None:
        for page in self.pages.values():
            page.flush()

    def result(self) -> ScoreResult:
        return score(self.form, self._answers)

    # -- changes -------------------------------------------------------------------------------
    def _edited(self, question_id: str, value: Any) -> None:
        block = self.block(question_id)
        problem = block.editor.input_problem() if block and block.editor else None
        if problem:
            self._input_problems[question_id] = problem
            block.show_error(problem) if block else None
            return
        self._input_problems.pop(question_id, None)
        old = self._answers.get(question_id)
        if old == value:
            return
        _after, hidden = apply(self.form, self._answers, question_id, value)
        self.undo_stack.beginMacro(f"change {question_id}")
        self.undo_stack.push(AnswerChange(self, question_id, old, value))
        for qid in hidden:
            change = AnswerChange(self, qid, self._answers[qid], None, from_editor=False)
            self.undo_stack.push(change)
        self.undo_stack.endMacro()

    def _apply(self, question_id: str, value: Any, *, refresh_editor: bool) -> None:
        if value is None:
            self._answers.pop(question_id, None)
        else:
            self._answers[question_id] = value
        block = self.block(question_id)
        if refresh_editor and block is not None and block.editor is not None:
            block.editor.set_value(value)
        self._save(question_id)
        self._refresh()
        self._validate(question_id)

    def _save(self, question_id: str) -> None:
        self._unsaved.add(question_id)
        for qid in sorted(self._unsaved):
            try:
                self.sink.save_answer(qid, self._answers.get(qid))
            except ScreeningError as exc:
                self.banner.setText(
                    f"Not saved yet: {exc.message} Your answers are still here and will be "
                    "saved with your next change."
                )
                self.banner.setVisible(True)
                return
            self._unsaved.discard(qid)
        self.banner.setVisible(False)

    def _refresh(self) -> None:
        evaluation = evaluate(self.form, self._answers)
        for page in self.pages.values():
            for qid, block in page.blocks.items():
                block.setVisible(qid in evaluation.relevant)
                if block.question.calculated:
                    calc = evaluation.calculated.get(qid)
                    block.show_calculated(calc.value if calc else None, calc.reason if calc else "")
                block.show_warning(evaluation.value(qid))
                block.follow_implied(evaluation, self._answers.get(qid))
        result = score(self.form, self._answers)
        self.score_panel.show_result(result, announcing=self.isVisible())
        if self.current_page() == CHECK_PAGE:
            self.check_page.show_answers(evaluation, result)
        self._update_sections()

    def _validate(self, question_id: str) -> None:
        block = self.block(question_id)
        if block is None:
            return
        problems = question_problems(self.form, question_id, self._answers, self.today)
        mine = [p for p in problems if p.where in ("", question_id)]
        block.show_error(self.message_for(mine[0]) if mine else None)

    # -- navigation -----------------------------------------------------------------------------
    def _nav_row(self, row: int) -> None:
        self.flush()
        self.stack.setCurrentIndex(row)
        self.progress.setValue(row + 1)
        page = self.current_page()
        self.progress.setFormat(
            "Check your answers"
            if page == CHECK_PAGE
            else f"Section {row + 1} of {len(self.form.sections)}"
        )
        self.back.setEnabled(row > 0)
        label = "&Back to Check your answers" if self._back_to_check else "&Continue"
        self.next.setText(label)
        self.next.setAccessibleName(label.replace("&", ""))
        self.next.setVisible(page != CHECK_PAGE)
        if page == CHECK_PAGE:
            self._back_to_check = False
            evaluation = evaluate(self.form, self._answers)
            self.check_page.show_answers(evaluation, score(self.form, self._answers))
        if self.isVisible() and not self._moving_to_question and not self.nav.hasFocus():
            # the new page's heading, never a button left behind (but someone browsing the
            # list of sections with the arrow keys stays in it)
            self.focus_first()
        if not self.read_only:
            # The page is a convenience; answers are what must not be lost.
            with contextlib.suppress(ScreeningError):
                self.sink.save_page(page)

    def _step(self, delta: int) -> None:
        self.nav.setCurrentRow(max(0, min(self.nav.count() - 1, self.nav.currentRow() + delta)))

    def _continue(self) -> None:
        page_id = self.current_page()
        page = self.pages.get(page_id)
        if page is None:
            return
        page.flush()
        problems = self._page_problems(page)
        page.show_summary(problems)
        for qid, block in page.blocks.items():
            block.show_error(next((m for q, m in problems if q == qid), None))
        self._checked.add(page_id)  # all of these problems are on this page
        self._update_sections()
        if not problems and self._back_to_check:
            self.go_to(CHECK_PAGE)
        elif not problems:
            self._step(1)

    def _page_problems(self, page: SectionPage) -> list[tuple[str, str]]:
        return page_problems(
            self.form, self._answers, list(page.blocks), self._input_problems, self.today
        )

    def _change(self, question_id: str) -> None:
        """ "Change" on Check your answers: the question's page, then back to the check."""
        self._back_to_check = True
        self.go_to(self.section_of(question_id), question_id)

    def _submit(self) -> None:
        self.flush()
        self.submit_requested.emit(dict(self._answers))

    def _mark_sections(self, problems: Sequence[Problem]) -> None:
        """The user has been shown these problems: their sections now show a live count."""
        self._checked.update(self.section_of(p.where) for p in problems)
        self._update_sections()

    def _update_sections(self) -> None:
        """Each section's state in words and a sign (never colour alone)."""
        if self.read_only:
            return
        found = [p.where for p in validate(self.form, self._answers, self.today)]
        states = section_states(
            self.form, self._answers, [*found, *self._input_problems], self._checked
        )
        for row, (text, spoken, tip) in enumerate(states):
            item = self.nav.item(row)
            item.setText(text)
            item.setToolTip(tip)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)

    def _help_block(self) -> QuestionBlock | None:
        """The question whose field has focus, if it has help (F1 shows or hides it)."""
        for page in self.pages.values():
            block = page.help_block_of(self.focusWidget())
            if block is not None:
                return block
        return None

    # -- helpers ------------------------------------------------------------------------------
    def editor(self, question_id: str) -> Any:
        """The input widget of a question (for tests and focus), or None if it has none."""
        block = self.block(question_id)
        return None if block is None else block.editor

    def block(self, question_id: str) -> Any:
        """The widget block (label, editor, error, warning) of a question, or None."""
        for page in self.pages.values():
            if question_id in page.blocks:
                return page.blocks[question_id]
        return None

    def section_of(self, question_id: str) -> str:
        """The page a question is on (a problem with no question belongs to Check answers)."""
        return (
            self.form.section_of(question_id).id if question_id in self.form.index else CHECK_PAGE
        )

    def message_for(self, problem: Problem) -> str:
        """The wording shown beside a question for ``problem``."""
        return problem_wording(self.form, self._answers, problem)

    def _load_editors(self) -> None:
        for page in self.pages.values():
            for qid, block in page.blocks.items():
                if block.editor is not None:
                    block.editor.set_value(self._answers.get(qid))
