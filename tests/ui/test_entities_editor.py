"""The entities of concern in the form (version 2): added in a dialog that shows what will be
stored and keeps a problem on screen; listed one line each."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from screening_app.domain.registry import FormRegistry
from screening_app.ui.form.entities_editor import EntitiesEditor, EntityDialog
from screening_app.ui.form.view import FormView
from tests.conftest import base_answers
from tests.ui.conftest import RecordingSink

pytestmark = pytest.mark.gui


def test_an_entry_is_added_shown_as_stored_and_saved(qtbot: QtBot, registry: FormRegistry) -> None:
    form = registry.get("cse-risk-screening", 2)
    sink = RecordingSink()
    view = FormView(form, sink, answers=base_answers(), today=dt.date(2026, 11, 26))
    qtbot.addWidget(view)
    editor = view.editor("entities_of_concern")
    assert isinstance(editor, EntitiesEditor)
    seen: list[str] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EntityDialog)
        try:
            dialog.kind.setCurrentIndex(dialog.kind.findData("phone"))
            number = dialog.inputs["number"]
            assert isinstance(number, QLineEdit)
            number.setText("not a number")
            dialog._check()  # refused, said, the dialog stays
            seen.append(dialog.error.text())
            number.setText("07700 900123")
            seen.append(dialog.stored.text())
            dialog._check()
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, fill)
    editor.add()
    assert "is not a phone number" in seen[0]
    assert seen[1] == "Linked on: phone +447700900123"  # what will be stored, before saving
    assert sink.saved["entities_of_concern"] == [{"kind": "phone", "number": "07700 900123"}]
    assert editor.list.item(0).text() == "Phone: 07700 900123"


def test_last_seen_takes_day_month_year_as_the_main_form_does(qtbot: QtBot) -> None:
    """The main form accepts 27/03/2026; the people and vehicles dialog refused it."""
    parent = QLineEdit()
    qtbot.addWidget(parent)
    dialog = EntityDialog({"kind": "person", "name": "Jay"}, dt.date(2026, 11, 26), parent)
    seen = dialog.inputs["last_seen"]
    assert isinstance(seen, QLineEdit)
    seen.setText("27/3/2026")
    assert dialog.value()["last_seen"] == "2026-03-27"
    dialog._check()
    assert dialog.result() == EntityDialog.DialogCode.Accepted and not dialog.error.text()
