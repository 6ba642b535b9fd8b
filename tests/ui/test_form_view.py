"""The screening form widget: typing, relevance, errors, autosave, undo, check answers."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from screening_app.domain.answers import validate
from screening_app.domain.forms import Form
from screening_app.domain.scoring import score
from screening_app.errors import Problem
from screening_app.ui.accessibility import missing_accessible_names
from screening_app.ui.form.date_editor import DateEditor
from screening_app.ui.form.editors import ChoiceEditor, MultiEditor, TextEditor
from screening_app.ui.form.view import CHECK_PAGE, FormView
from tests.conftest import base_answers, load_example
from tests.forms.test_forms import all_examples
from tests.ui.conftest import RecordingSink

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 24)


def make(qtbot: QtBot, form: Form, **kw: Any) -> tuple[FormView, RecordingSink]:
    sink = RecordingSink()
    view = FormView(form, sink, today=TODAY, **kw)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view, sink


def enter(qtbot: QtBot, view: FormView, qid: str, value: Any) -> None:
    """Answer like a person would: typing into text fields, clicking choices."""
    block = view.block(qid)
    editor = block.editor
    view.go_to(view.section_of(qid))
    if isinstance(editor, DateEditor):
        day = dt.date.fromisoformat(value)
        editor.edit.clear()
        qtbot.keyClicks(editor.edit, day.strftime("%d/%m/%Y"))
        editor.flush()
    elif isinstance(editor, TextEditor):
        editor.edit.clear()
        qtbot.keyClicks(editor.edit, str(value))
        editor.flush()
    elif isinstance(editor, ChoiceEditor):
        button = editor.group.buttons()[editor.codes.index(value)]
        click(qtbot, button)
    elif isinstance(editor, MultiEditor):
        for code, box in editor.boxes:
            if code in value:
                click(qtbot, box)
    else:
        editor.set_value(value)
        editor.edited.emit(value)
    QApplication.processEvents()


def click(qtbot: QtBot, button: Any) -> None:
    """Click on the indicator and label, where a person clicks (not the empty right side)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


@pytest.mark.parametrize("path", all_examples(), ids=lambda p: p.stem)
def test_complete_a_whole_screening(qtbot: QtBot, form: Form, path: Any) -> None:
    answers = load_example(path)["answers"]
    view, sink = make(qtbot, form)
    for qid, value in answers.items():
        if view.answers().get(qid) == value:
            continue
        enter(qtbot, view, qid, value)
    assert sink.saved == answers
    expected = score(form, answers)
    assert view.score_panel.total.text().startswith(f"Total {expected.total}")
    band = form.band(expected.operative_band).label.upper()
    assert view.score_panel.band.text() == f"Band: {band}"
    view.go_to(CHECK_PAGE)
    submitted: list[dict[str, Any]] = []
    view.submit_requested.connect(submitted.append)
    assert view.check_page.submit_button is not None
    qtbot.mouseClick(view.check_page.submit_button, Qt.MouseButton.LeftButton)
    assert submitted == [answers]


def test_conditional_question_appears_and_disappears(qtbot: QtBot, form: Form) -> None:
    view, _sink = make(qtbot, form, answers=base_answers())
    block = view.block("missing_last_date")
    assert not block.isVisibleTo(view)
    enter(qtbot, view, "missing_count_12m", 2)
    assert block.isVisibleTo(view)
    enter(qtbot, view, "missing_count_12m", 0)
    assert not block.isVisibleTo(view)


def test_invalid_date_shows_summary_and_link_focuses_field(qtbot: QtBot, form: Form) -> None:
    view, sink = make(qtbot, form, answers=base_answers())
    editor = view.editor("child_dob")
    editor.edit.clear()
    qtbot.keyClicks(editor.edit, "31/02/2011")
    editor.flush()
    assert all(qid != "child_dob" for qid, _ in sink.calls)  # unreadable text: nothing saved
    assert view.answers()["child_dob"] == "2011-03-10"
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    summary = view.pages["child"].summary
    assert summary.isVisible() and view.current_page() == "child"
    assert summary.hasFocus()
    assert "real date" in summary.links[0].text()
    qtbot.mouseClick(summary.links[0], Qt.MouseButton.LeftButton)
    assert editor.edit.hasFocus()
    assert "Error:" in view.block("child_dob").error.text()


def test_continue_moves_on_when_the_page_is_fine(qtbot: QtBot, form: Form) -> None:
    view, sink = make(qtbot, form, answers=base_answers())
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    assert view.current_page() == "missing"
    assert sink.pages[-1] == "missing"


def test_every_change_is_saved_and_undo_restores_and_saves(qtbot: QtBot, form: Form) -> None:
    view, sink = make(qtbot, form, answers=base_answers())
    enter(qtbot, view, "v_substance_use", "yes")
    assert sink.saved["v_substance_use"] == "yes"
    total_after = view.score_panel.total.text()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "v_substance_use" not in sink.saved
    assert view.editor("v_substance_use").value() is None
    assert view.score_panel.total.text() != total_after
    view.undo_stack.redo()
    assert sink.saved["v_substance_use"] == "yes"


def test_text_is_saved_on_focus_out_without_waiting(qtbot: QtBot, form: Form) -> None:
    view, sink = make(qtbot, form, answers=base_answers())
    editor = view.editor("child_known_as")
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "KF")
    assert "child_known_as" not in sink.saved  # still within the typing pause
    view.editor("child_school").edit.setFocus()
    QApplication.processEvents()
    assert sink.saved["child_known_as"] == "KF"


def test_failed_save_keeps_the_answer_and_retries(qtbot: QtBot, form: Form) -> None:
    view, sink = make(qtbot, form, answers=base_answers())
    sink.fail = True
    enter(qtbot, view, "v_education", "yes")
    assert view.banner.isVisible() and "Not saved" in view.banner.text()
    assert view.answers()["v_education"] == "yes"
    sink.fail = False
    enter(qtbot, view, "v_mental_health", "yes")
    assert sink.saved["v_education"] == "yes" and sink.saved["v_mental_health"] == "yes"
    assert not view.banner.isVisible()


def test_lower_judgement_needs_rationale_and_says_awaiting(qtbot: QtBot, form: Form) -> None:
    answers = base_answers(
        s_controlling_adult="current",
        s_gangs="current",
        s_exchange="current",
        s_places_of_concern="current",
    )
    view, _sink = make(qtbot, form, answers=answers)
    assert score(form, answers).final_band == "significant"
    enter(qtbot, view, "judged_band", "moderate")
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    problems = [link.text() for link in view.pages["judgement"].summary.links]
    assert any("Why your judgement differs" in text for text in problems)
    enter(qtbot, view, "judgement_rationale", "Known to services; the adult has moved away.")
    view.go_to(CHECK_PAGE)
    texts = [w.text() for w in view.check_page.findChildren(type(view.banner))]
    assert any("awaiting supervisor approval" in t for t in texts)


def test_immediate_danger_shows_call_999(qtbot: QtBot, form: Form) -> None:
    view, _sink = make(qtbot, form, answers=base_answers(immediate_danger="yes"))
    assert "Call 999 now" in view.block("immediate_danger").warning.text()
    assert view.score_panel.call.text() == "Call 999 if the child is in immediate danger."


def test_the_area_s_numbers_show_beside_call_999(qtbot: QtBot, form: Form) -> None:
    from screening_app.domain.contacts import make as make_contacts

    numbers = make_contacts("Northvale", {"mash": "01632 960100", "out_of_hours": "0808 157 0192"})
    view, _sink = make(qtbot, form, answers=base_answers(immediate_danger="yes"), contacts=numbers)
    said = "Northvale safeguarding contacts: MASH: 01632 960100; Out of hours: 0808 157 0192."
    warning = view.block("immediate_danger").warning.text()
    assert "Call 999 now" in warning and warning.endswith(said)
    assert view.score_panel.call.text().endswith(said)
    assert view.score_panel.call.isVisible()
    view.go_to(CHECK_PAGE)
    texts = [w.text() for w in view.check_page.findChildren(type(view.banner))]
    assert any("Call 999 now" in t for t in texts)


def test_restores_page_and_answers(qtbot: QtBot, form: Form) -> None:
    view, _sink = make(qtbot, form, answers=base_answers(v_education="yes"), page="vulnerabilities")
    assert view.current_page() == "vulnerabilities"
    assert view.editor("v_education").value() == "yes"
    assert view.editor("child_first_name").value() == "Kit"


def test_show_problems_from_the_service_link_to_fields(qtbot: QtBot, form: Form) -> None:
    view, _sink = make(qtbot, form, answers=base_answers())
    view.show_problems([Problem("is required", "concern_summary")])
    assert view.current_page() == CHECK_PAGE
    link = view.check_page.summary.links[0]
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert view.current_page() == "judgement"
    assert view.editor("concern_summary").edit.hasFocus()


def test_every_control_has_an_accessible_name(qtbot: QtBot, form: Form) -> None:
    view, _sink = make(qtbot, form, answers=base_answers())
    view.go_to(CHECK_PAGE)
    assert missing_accessible_names(view) == []


def test_hiding_a_question_clears_its_answer_in_the_same_undo_step(
    qtbot: QtBot, form: Form
) -> None:
    view, sink = make(qtbot, form, answers=base_answers())
    enter(qtbot, view, "missing_count_12m", 2)
    enter(qtbot, view, "missing_last_date", "2026-10-01")
    assert sink.saved["missing_last_date"] == "2026-10-01"
    enter(qtbot, view, "missing_count_12m", 0)
    # Hidden, so neither stored nor blocking the submit with an answer nobody can see.
    assert "missing_last_date" not in sink.saved
    assert validate(form, view.answers(), TODAY) == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (sink.saved["missing_count_12m"], sink.saved["missing_last_date"]) == (2, "2026-10-01")
    assert view.block("missing_last_date").isVisibleTo(view)
    assert view.editor("missing_last_date").value() == "2026-10-01"


def test_section_list_says_which_sections_are_complete_or_have_problems(
    qtbot: QtBot, form: Form
) -> None:
    view, _sink = make(qtbot, form)
    first, second = view.form.sections[0], view.form.sections[1]  # as the window asks them

    def row(index: int) -> tuple[str, str]:
        item = view.nav.item(index)
        return item.text(), item.data(Qt.ItemDataRole.AccessibleTextRole)

    assert row(0) == (first.title, f"{first.title}, not started")
    enter(qtbot, view, "child_first_name", "Kit")
    assert row(0) == (first.title, f"{first.title}, in progress")  # no warning before Continue
    view.go_to(first.id)
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    text, spoken = row(0)
    assert text.startswith(f"⚠ {first.title} — ") and "problem" in spoken
    for qid, value in base_answers().items():
        if form.question(qid) in first.questions:
            enter(qtbot, view, qid, value)
    assert row(0) == (f"✓ {first.title}", f"{first.title}, complete")
    assert row(1)[0] == second.title  # untouched sections carry no mark


def test_score_panel_gives_the_reassessment_date_as_day_month_year(
    qtbot: QtBot, form: Form
) -> None:
    answers = base_answers(v_substance_use="yes")
    view, _sink = make(qtbot, form, answers=answers)
    expected = score(form, answers).reassess_by
    assert expected is not None
    day = dt.date.fromisoformat(expected)
    assert f"Screen again by {day:%d/%m/%Y}." in view.score_panel.action.text()


def test_a_blank_required_answer_says_what_to_do_in_plain_words(qtbot: QtBot, form: Form) -> None:
    view, _sink = make(qtbot, form)
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    links = [link.text() for link in view.pages["child"].summary.links]
    assert "Enter date of birth" in links and "Enter first name" in links
    assert "Error: Enter date of birth" in view.block("child_dob").error.text()
    danger = form.question("immediate_danger")
    assert (
        view.message_for(Problem("is required", "immediate_danger")) == f"Answer “{danger.label}”"
    )


def test_a_typed_date_is_shown_as_it_was_read_when_focus_leaves(qtbot: QtBot, form: Form) -> None:
    view, sink = make(qtbot, form, answers=base_answers())
    editor = view.editor("child_dob")
    editor.edit.setFocus()
    editor.edit.clear()
    qtbot.keyClicks(editor.edit, "3/4/2012")
    assert editor.edit.text() == "3/4/2012"  # left alone while typing
    view.editor("child_known_as").edit.setFocus()
    assert editor.edit.text() == "03/04/2012"
    assert sink.saved["child_dob"] == "2012-04-03"


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: nothing to lose"
)
def test_many_answer_changes_keep_python_s_none_alive(qtbot: QtBot, form: Form) -> None:
    """Some PySide6 builds on Python 3.11 lost a reference to None on every call of a Qt method
    returning void; a form refreshes hundreds of widgets per answer, so after a few dozen
    answers None was freed and the app aborted."""
    view, _sink = make(qtbot, form, answers=base_answers())
    before = sys.getrefcount(None)
    for n in range(20):
        enter(qtbot, view, "v_substance_use", "yes" if n % 2 else "no")
    assert sys.getrefcount(None) > before - 200


def test_an_error_appearing_or_going_does_not_move_the_options(qtbot: QtBot, form: Form) -> None:
    """The space of a question's error is kept: a click lands on the option that was under the
    pointer whether an error has just appeared above it or just gone."""
    view, _sink = make(qtbot, form)
    block = next(
        b
        for p in view.pages.values()
        for b in p.blocks.values()
        if isinstance(b.editor, ChoiceEditor) and b.question.required
    )
    view.go_to(view.section_of(block.question.id))
    page = view.pages[view.current_page()]
    assert isinstance(block.editor, ChoiceEditor)
    first = block.editor.group.buttons()[0]

    def top(within: Any) -> int:
        QApplication.processEvents()
        return first.mapTo(within, QPoint(0, 0)).y()

    in_block = top(block)
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)  # every blank answer is an error
    assert block.error.isVisible() and "Error:" in block.error.text()
    assert top(block) == in_block  # (the summary at the top of the page came too)
    on_page = top(page.widget())
    click(qtbot, first)  # answered: its error goes, the options stay where they were
    assert not block.error.isVisible()
    assert top(page.widget()) == on_page


def test_immediate_danger_is_asked_first(qtbot: QtBot, form: Form) -> None:
    """Whether the child is in immediate danger is the first question of the first page; the
    score is the same as with the form's own order."""
    view, _sink = make(qtbot, form, answers=base_answers(immediate_danger="yes"))
    first = view.form.sections[0]
    assert first.questions[0].id == "immediate_danger"
    assert view.section_of("immediate_danger") == first.id == view.current_page()
    assert all(q.id != "immediate_danger" for s in view.form.sections[1:] for q in s.questions)
    assert len(view.form.questions()) == len(form.questions())
    assert "Call 999 now" in view.block("immediate_danger").warning.text()
    assert score(view.form, view.answers()) == score(form, view.answers())


def test_every_question_type_has_an_editor_of_its_own(qtbot: QtBot) -> None:
    """A new question type without an editor would silently be asked with a text box."""
    from screening_app.domain.forms import QUESTION_TYPES, Question
    from screening_app.ui.form.editors import TextEditor
    from screening_app.ui.form.registry import EDITORS, make_editor

    assert set(EDITORS) == set(QUESTION_TYPES)
    options = [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}]
    for kind in QUESTION_TYPES:
        extra = {"options": options} if kind in ("choice", "multi_choice") else {}
        question = Question.model_validate({"id": "q", "type": kind, "label": "Q", **extra})
        editor = make_editor(question)
        qtbot.addWidget(editor)
        assert (type(editor) is TextEditor) == (kind == "text"), kind


def test_the_check_page_words_an_answer_as_the_referral_prints_it(form: Form) -> None:
    """The page a practitioner checks before submitting shows what the PDF will print (one
    rule: domain/wording.answer_words): NHS numbers grouped, dates as 10 Mar 2011, and an
    answer of spaces as not answered."""
    from screening_app.ui.form.check_answers import answer_text

    assert answer_text(form, "child_nhs_number", "9434765919") == "943 476 5919"
    assert answer_text(form, "child_dob", "2011-03-10") == "10 Mar 2011"
    assert answer_text(form, "child_last_name", "   ") == "Not answered"
