"""Rough edges a new user hit: each seen on screen, each with its fix tested here."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from screening_app.ui.admin_view import AddUserDialog
from screening_app.ui.first_run import FirstRunDialog, RecoveryKeyDialog

pytestmark = pytest.mark.gui


def test_a_new_account_password_is_typed_twice(qtbot: QtBot) -> None:
    dialog = AddUserDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText("first-password-1")
    dialog.repeat.setText("first-password-2")
    dialog.accept()
    assert dialog.isVisible() and "different" in dialog.error.text()
    dialog.repeat.setText("first-password-1")
    dialog.accept()
    assert not dialog.isVisible()


def test_passwords_are_different_goes_once_they_match(qtbot: QtBot) -> None:
    dialog = FirstRunDialog(lambda _n, _p: "KEY", lambda _t: "")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText("admin-password-1")
    dialog.repeat.setText("admin-password-")
    dialog.submit()
    assert dialog.error.isVisible()
    dialog.repeat.setText("admin-password-1")
    assert not dialog.error.isVisible()


def test_the_recovery_key_can_be_printed(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = RecoveryKeyDialog("ABCDE-FGHIJ-KLMNO-PQRST-UVWXY")
    qtbot.addWidget(dialog)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "key.pdf"))
    assert dialog.print_key(printer)
    from pypdf import PdfReader

    text = PdfReader(tmp_path / "key.pdf").pages[0].extract_text()
    assert "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY" in text.replace(" ", "")
