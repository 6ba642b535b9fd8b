"""Keyboard use of the form and the list (WCAG 2.1.1, 2.4.3), in-process: the fast first line
before the screen-reader tests of tests/a11y."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from screening_app.domain.forms import Form
from screening_app.ui.form.view import CHECK_PAGE, FormView
from tests.conftest import base_answers
from tests.ui.conftest import RecordingSink

pytestmark = pytest.mark.gui


def shown(qtbot: QtBot, form: Form, answers: dict[str, Any] | None = None) -> FormView:
    view = FormView(form, RecordingSink(), answers=answers, today=dt.date(2026, 11, 24))
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def focused() -> Any:
    return QApplication.focusWidget()


def test_arrow_keys_choose_and_tab_comes_back_to_the_choice(qtbot: QtBot, form: Form) -> None:
    view = shown(qtbot, form, base_answers())
    view.go_to("vulnerabilities")
    editor = view.editor("v_substance_use")
    first, second = editor.group.buttons()[:2]
    view.pages["vulnerabilities"].focus_question("v_substance_use")
    assert editor.value() is None
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert focused() is second and editor.value() == editor.codes[1]  # chosen, not just moved
    qtbot.keyClick(focused(), Qt.Key.Key_Up)
    assert focused() is first and editor.value() == editor.codes[0]
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # one Tab stop per group: out of it at once
    assert focused() not in editor.group.buttons()
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
    assert focused() is second  # back in on the chosen answer


def test_tab_out_of_a_count_goes_to_the_questions_it_reveals(qtbot: QtBot, form: Form) -> None:
    answers = base_answers()
    answers.pop("missing_count_12m", None)
    view = shown(qtbot, form, answers)
    view.go_to("missing")
    view.pages["missing"].focus_question("missing_count_12m")
    qtbot.keyClicks(focused(), "4")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is view.editor("missing_last_date").edit


def test_continue_puts_focus_on_the_next_pages_heading(qtbot: QtBot, form: Form) -> None:
    view = shown(qtbot, form, base_answers())
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    assert view.current_page() == "missing"
    assert focused() is view.pages["missing"].heading
    view.go_to(CHECK_PAGE)
    assert focused() is view.check_page.heading  # never "Undo last change"


def test_the_error_summary_is_in_view_and_its_links_follow_it(qtbot: QtBot, form: Form) -> None:
    answers = base_answers()
    answers.pop("missing_count_3m", None)
    answers["missing_count_12m"] = 1
    answers["missing_count_3m"] = 3  # 12 months lower than 3 months
    view = shown(qtbot, form, answers)
    view.go_to("missing")
    page = view.pages["missing"]
    page.verticalScrollBar().setValue(page.verticalScrollBar().maximum())
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    summary = page.summary
    assert summary.hasFocus() and page.verticalScrollBar().value() == 0
    message = summary.links[0].text()
    assert "missing_count" not in message and "Times reported missing" in message
    qtbot.keyClick(summary, Qt.Key.Key_Tab)
    assert focused() is summary.links[0]
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is view.editor("missing_count_12m").edit


def test_help_is_not_a_tab_stop_and_f1_shows_it(qtbot: QtBot, form: Form) -> None:
    view = shown(qtbot, form, base_answers())
    page = view.pages["missing"]
    view.go_to("missing")
    block = page.blocks["missing_count_3m"]
    assert block.help_button is not None
    assert block.help_button.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert "Count every episode" in view.editor("missing_count_3m").edit.accessibleDescription()
    page.focus_question("missing_count_3m")
    assert not block.help_text.isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_F1)
    assert block.help_text.isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_F1)
    assert not block.help_text.isVisible()


def test_check_answers_reads_each_row_as_question_and_answer(qtbot: QtBot, form: Form) -> None:
    view = shown(qtbot, form, base_answers())
    view.go_to(CHECK_PAGE)
    buttons = [b.accessibleName() for b in view.check_page.findChildren(type(view.next))]
    first_name = base_answers()["child_first_name"]
    assert any(name.endswith(f": {first_name}. Change") for name in buttons), buttons
    assert any("not answered" in name for name in buttons)
    assert not any(name.endswith(": Not answered. Change") for name in buttons)


def test_the_field_shows_the_answer_the_score_uses_and_why(qtbot: QtBot, form: Form) -> None:
    """4 episodes in 3 months, "No" ticked: the score counts "within the last 3 months"; the
    field shows that too, and says why (it once kept showing "No")."""
    answers = base_answers()
    answers.update(missing_count_3m=4, missing_count_12m=4, s_repeat_missing="no")
    view = shown(qtbot, form, answers)
    view.go_to("significant")
    block = view.block("s_repeat_missing")
    editor = block.editor
    assert editor.value() == "current"
    assert block.implied.isVisible() and "3 or more times" in block.implied.text()
    assert view.answers()["s_repeat_missing"] == "no"  # what was given is kept
    view.go_to("missing")
    view.pages["missing"].focus_question("missing_count_3m")
    focused().clear()
    qtbot.keyClicks(focused(), "0")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert editor.value() == "no" and not block.implied.isVisible()  # the floor is gone


def test_a_negative_count_says_what_is_wrong(qtbot: QtBot, form: Form) -> None:
    view = shown(qtbot, form, base_answers())
    view.go_to("missing")
    editor = view.editor("missing_count_3m")
    editor.edit.setText("-1")
    assert editor.input_problem() == "Enter 0 or more: a count cannot be below 0"


def test_the_calendar_is_a_named_dialog_and_return_picks_the_day(qtbot: QtBot, form: Form) -> None:
    from PySide6.QtCore import QTimer

    from screening_app.ui.form.date_editor import CalendarDialog

    view = shown(qtbot, form, base_answers())
    editor = view.editor("child_dob")
    seen: list[str] = []

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CalendarDialog)
        try:
            names = {w.accessibleName() for w in dialog.calendar.findChildren(QWidget)}
            seen.extend(sorted(n for n in names if "month" in n))
            grid = dialog.calendar.findChild(QAbstractItemView)
            assert grid is not None and dialog.focusWidget() is grid  # the days have focus
            qtbot.keyClick(grid, Qt.Key.Key_Right)
            qtbot.keyClick(grid, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():  # a failure above must not leave the test waiting
                dialog.reject()

    QTimer.singleShot(0, pick)
    editor.pick.click()
    assert seen == ["Choose the month", "Next month", "Previous month"]
    assert view.answers()["child_dob"] == "2011-03-11"  # the day after 10/03/2011
