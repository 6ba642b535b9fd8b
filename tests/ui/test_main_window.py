"""The main window with a real encrypted database: list, drafts, lock, hide, referral, sign-in."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from screening_app.services.model import FAST_KDF, ListQuery
from screening_app.services.vault import sign_in
from screening_app.storage import bulk
from screening_app.ui.accessibility import missing_accessible_names
from screening_app.ui.main_window import MainWindow
from screening_app.ui.sign_in import SignInDialog
from tests.conftest import ADMIN_PW, USER_PW, open_app, submit_screening

pytestmark = pytest.mark.gui


def window(qtbot: QtBot, services: Any) -> MainWindow:
    win = MainWindow(services, idle_minutes=5)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def test_new_draft_autosaves_and_reopens_on_the_same_page(qtbot: QtBot, db_path: Path) -> None:
    services = open_app(db_path)
    win = window(qtbot, services)
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    view = win.form_view
    assert view is not None and win.current is not None
    draft_id = win.current.row.id
    editor = view._block("child_first_name").editor
    assert editor.edit.hasFocus()
    qtbot.keyClicks(editor.edit, "Rowan")
    editor.flush()
    view.go_to("vulnerabilities")
    view._block("v_education").editor.group.buttons()[0].click()
    win.close()
    services.close()

    services = open_app(db_path)
    win = window(qtbot, services)
    assert [r.id for r in win.model.rows] == [draft_id]
    win.table.selectRow(0)
    win.open_selected()
    assert win.form_view is not None
    assert win.form_view.current_page() == "vulnerabilities"
    assert win.form_view.answers()["child_first_name"] == "Rowan"
    assert win.form_view.answers()["v_education"] == "yes"
    services.close()


def test_discard_asks_first(qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    services = open_app(db_path)
    win = window(qtbot, services)
    win.new_screening()
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    win.discard()
    assert services.screenings.count(ListQuery()) == 1
    win.discard()
    assert services.screenings.count(ListQuery()) == 0
    assert win.stack.currentWidget() is win.list_page
    services.close()


def test_idle_lock_hides_content_and_unlock_keeps_the_form(qtbot: QtBot, db_path: Path) -> None:
    services = open_app(db_path)
    win = window(qtbot, services)
    win.new_screening()
    editor = win.form_view._block("child_first_name").editor  # type: ignore[union-attr]
    qtbot.keyClicks(editor.edit, "Kit")
    win.idle.timer.setInterval(10)
    win.idle.timer.start()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.lock_screen)
    win.idle.timer.setInterval(5 * 60_000)
    assert not win.menuBar().isEnabled()
    assert "Kit" not in win.windowTitle()
    assert services.screenings.get(win.current.row.id).answers["child_first_name"] == "Kit"  # type: ignore[union-attr]
    qtbot.keyClicks(win.lock_screen.password, "wrong-one")
    win.lock_screen.submit()
    qtbot.waitUntil(win.lock_screen.error.isVisible)
    assert win.stack.currentWidget() is win.lock_screen
    win.lock_screen.password.setText(USER_PW)
    win.lock_screen.submit()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.screening_page)
    assert editor.edit.text() == "Kit"
    services.close()


def test_quick_hide_blanks_at_once_and_returns(qtbot: QtBot, db_path: Path) -> None:
    services = open_app(db_path)
    win = window(qtbot, services)
    qtbot.keyClick(win, Qt.Key.Key_F12)
    assert win.stack.currentWidget() is win.hidden
    assert win.windowTitle().strip() == ""
    qtbot.keyClick(win, Qt.Key.Key_F12)
    assert win.stack.currentWidget() is win.list_page
    services.close()


def test_lock_and_quick_hide_close_open_dialogs(qtbot: QtBot, db_path: Path) -> None:
    """A dialog is a window of its own the lock screen cannot cover: it is cancelled."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QMessageBox

    from screening_app.ui.referral_view import ReferralView

    sid = submit_screening(db_path)
    services = open_app(db_path)
    win = window(qtbot, services)
    preview = ReferralView(
        services, sid, "CSE-2026-000001", services.screenings.referral_pdf(sid), win
    )
    qtbot.addWidget(preview)
    preview.show()
    qtbot.keyClick(win, Qt.Key.Key_F12)
    assert win.stack.currentWidget() is win.hidden and not preview.isVisible()
    assert preview.result() == QDialog.DialogCode.Rejected
    qtbot.keyClick(win, Qt.Key.Key_F12)
    # A modal question open when the idle lock comes: cancelled, so nothing is confirmed.
    QTimer.singleShot(50, win.lock)
    answer = QMessageBox.question(win, "Discard the draft?", "Discard?")
    assert answer != QMessageBox.StandardButton.Yes
    assert win.stack.currentWidget() is win.lock_screen
    services.close()


def test_list_fetches_on_demand_and_filters_match_the_service(qtbot: QtBot, db_path: Path) -> None:
    services = open_app(db_path)
    form = services.registry.latest("cse-risk-screening")
    owner = bulk.Owner(services.user.id, services.user.team, "teacher", "Kit")
    bulk.generate(
        services.session.store.db, form, [owner], n=1500, seed=3, today=dt.date(2026, 11, 24)
    )
    win = window(qtbot, services)
    assert len(win.model.rows) == 200 and win.model.canFetchMore()
    win.model.fetchMore()
    assert len(win.model.rows) == 400
    win.band_filter.setCurrentIndex(win.band_filter.findData("moderate"))
    expected = services.screenings.count(ListQuery(band="moderate"))
    while win.model.canFetchMore():
        win.model.fetchMore()
    assert len(win.model.rows) == expected
    assert {r.operative_band for r in win.model.rows} == {"moderate"}
    win.band_filter.setCurrentIndex(0)
    qtbot.keyClicks(win.search, "wren")
    qtbot.waitUntil(lambda: all("wren" in r.child_name.lower() for r in win.model.rows))
    assert len(win.model.rows) == min(200, services.screenings.count(ListQuery(search="wren")))
    services.close()


def test_referral_preview_save_and_print_are_audited(
    qtbot: QtBot, db_path: Path, tmp_path: Path
) -> None:
    from screening_app.ui.referral_view import ReferralView

    sid = submit_screening(db_path)
    services = open_app(db_path)
    win = window(qtbot, services)
    win.show_screening(services.screenings.get(sid))
    pdf = services.screenings.referral_pdf(sid)
    view = ReferralView(services, sid, "CSE-2026-000001", pdf, win)
    qtbot.addWidget(view)
    assert view.document.pageCount() >= 3
    room = view.screen().availableGeometry()  # offscreen: a small 800 x 600 screen
    for shown in (view, win):  # the buttons at the bottom stay on the screen
        assert shown.width() <= room.width() and shown.height() <= room.height()
    assert view.save(tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert view.print_(printer)
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    services.close()
    admin = open_app(db_path, "admin", ADMIN_PW)
    actions = [e.action for e in admin.audit.entries(record="CSE-2026-000001")]
    admin.close()
    assert {"referral_preview", "referral_saved", "printed", "view"} <= set(actions)


def test_sign_in_wrong_then_right(qtbot: QtBot, db_path: Path) -> None:
    dialog = SignInDialog(
        lambda name, password: sign_in(db_path, name, password, kdf=FAST_KDF),
        lambda *_a: None,
        user_name="kit",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText("not-it")
    dialog.submit()
    qtbot.waitUntil(dialog.error.isVisible)
    assert "do not match" in dialog.error.text()
    dialog.password.setText(USER_PW)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.services is not None)
    assert dialog.services is not None and dialog.services.user.name == "kit"
    dialog.services.close()


def test_main_window_controls_all_have_names(qtbot: QtBot, db_path: Path) -> None:
    submit_screening(db_path)
    services = open_app(db_path)
    win = window(qtbot, services)
    assert missing_accessible_names(win.list_page) == []
    win.table.selectRow(0)
    win.open_selected()
    assert missing_accessible_names(win.screening_page) == []
    assert missing_accessible_names(win.lock_screen) == []
    services.close()


def test_smoke_test_runs_headless(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "screening_app", "--demo", "--smoke-test"],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "SCREENING_APP_DATA_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "smoke test passed" in result.stdout
    QApplication.processEvents()


def test_idle_lock_minutes_setting_is_stored(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    services = open_app(db_path)
    win = window(qtbot, services)
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (12, True))
    win.settings()
    assert win.idle.timer.interval() == 12 * 60_000
    assert services.settings.get_int("idle_lock_minutes", 5) == 12
    services.close()


def test_share_from_an_opened_screening(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    sid = submit_screening(db_path)
    services = open_app(db_path)
    win = window(qtbot, services)
    win.show_screening(services.screenings.get(sid))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("rowan", True))
    win.share()
    services.close()
    rowan = open_app(db_path, "rowan")
    assert [r.id for r in rowan.screenings.list(ListQuery())] == [sid]
    rowan.close()
