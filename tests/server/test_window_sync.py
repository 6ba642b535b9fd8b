"""The window syncs in the background and says the state in words; an unreachable server never
blocks it and is retried later."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from screening_app.cli import run
from screening_app.errors import StorageError
from screening_app.services import access
from screening_app.services.model import FAST_KDF
from screening_app.ui.main_window import MainWindow
from screening_app.ui.stats_view import StatisticsView
from tests.conftest import open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW


@pytest.fixture
def connected_kit(server: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """kit's and sol's computers connected; kit has one screening waiting to be sent."""
    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    url, fingerprint = server
    password = tmp_path / "pw"
    password.write_text(PW)
    for user in ("sol", "kit"):
        database = str(tmp_path / f"{user}.db")
        signed_in = ["--db", database, "--user", user, "--password-file", str(password)]
        assert run(["connect", url, "--fingerprint", fingerprint, *signed_in]) == 0
    kit = ["--db", str(tmp_path / "kit.db"), "--user", "kit", "--password-file", str(password)]
    assert run(["import", str(all_examples()[0]), *kit]) == 0
    return tmp_path / "kit.db"


def test_the_window_sends_in_the_background_and_says_so(qtbot: QtBot, connected_kit: Path) -> None:
    services = open_app(connected_kit, "kit", PW)
    win = MainWindow(services)
    qtbot.addWidget(win)
    assert win.team.sync is not None
    assert win.team.sync.label.text().startswith("1 waiting to send")
    win.team.sync.sync_now()
    qtbot.waitUntil(lambda: "last sync" in win.team.sync.label.text(), timeout=15_000)  # type: ignore[union-attr]
    assert win.team.sync.label.text().startswith("0 waiting to send")
    services.close()


def test_an_unreachable_server_is_retried_later(
    qtbot: QtBot, connected_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = open_app(connected_kit, "kit", PW)

    def unreachable(_password: str | None = None) -> None:
        raise StorageError("The server cannot be reached; nothing was lost.")

    monkeypatch.setattr(services.sync, "sync", unreachable)
    win = MainWindow(services)
    qtbot.addWidget(win)
    assert win.team.sync is not None
    win.team.sync.sync_now()
    qtbot.waitUntil(lambda: "will retry" in win.team.sync.label.text())  # type: ignore[union-attr]
    assert "server unreachable" in win.team.sync.label.text()
    assert win.team.sync.wait.total_seconds() == 600  # the wait doubled
    assert win.team.sync.label.text().startswith("1 waiting to send")  # nothing lost
    services.close()


def test_a_sync_asked_for_says_how_it_ended_and_the_timer_s_do_not(
    qtbot: QtBot, connected_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File → Sync now is announced when it ends, failed or done (a screen reader user hears
    it; the status bar's words change quietly); a round of the timer's is only shown."""
    from screening_app.services.sync_report import SyncReport
    from screening_app.ui import sync_status

    heard: list[str] = []
    monkeypatch.setattr(sync_status, "announce", lambda _widget, text, **_: heard.append(text))
    services = open_app(connected_kit, "kit", PW)
    reachable = False

    def sync(_password: str | None = None) -> SyncReport:
        if not reachable:
            raise StorageError("The server cannot be reached; nothing was lost.")
        return SyncReport(sent=1)

    monkeypatch.setattr(services.sync, "sync", sync)
    win = MainWindow(services)
    qtbot.addWidget(win)
    sync_control = win.team.sync
    assert sync_control is not None
    sync_control.sync_now()  # as the timer does
    qtbot.waitUntil(lambda: "will retry" in sync_control.label.text())
    assert heard == []
    win.team.sync_now()  # File → Sync now
    qtbot.waitUntil(lambda: bool(heard))
    assert heard[0].startswith("The sync did not finish. The server cannot be reached")
    assert "Next try at" in heard[0]
    reachable = True
    win.team.sync_now()
    qtbot.waitUntil(lambda: len(heard) == 2)
    assert heard[1].startswith("Sent 1 screening(s)")
    services.close()


def test_a_supervisor_connects_from_the_window(
    qtbot: QtBot,
    server: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """File → Connect to a team server…: the first supervisor of the team sees its recovery
    key once, and the window starts syncing."""
    from PySide6.QtWidgets import QMessageBox

    from screening_app.services.access import create_database, grant_with_recovery
    from screening_app.ui.connect_dialog import ConnectDialog

    url, fingerprint = server
    database = tmp_path / "sol.db"
    recovery = create_database(database, "admin", PW, kdf=FAST_KDF)
    admin = open_app(database, "admin", PW)
    admin.accounts.add_user("sol", PW, role="supervisor", team="North")
    admin.close()
    grant_with_recovery(database, recovery, ["sol"], FAST_KDF)

    def fill(dialog: ConnectDialog) -> int:
        dialog.url.setText(url)
        dialog.fingerprint.setText(fingerprint)
        dialog.password.setText(PW)
        return 1

    shown: list[str] = []
    monkeypatch.setattr(ConnectDialog, "exec", fill)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    services = open_app(database, "sol", PW)
    win = MainWindow(services)
    qtbot.addWidget(win)
    assert win.team.sync is None
    win.team.connect_server()
    qtbot.waitUntil(lambda: win.team.sync is not None, timeout=15_000)
    assert shown and "recovery key" in shown[0]
    assert services.sync.connected()
    services.close()


def test_a_connected_supervisor_sees_the_organisations_figures_in_the_window(
    qtbot: QtBot, connected_kit: Path
) -> None:
    kit = open_app(connected_kit, "kit", PW)
    kit.sync.sync()
    kit.close()
    sol = open_app(connected_kit.with_name("sol.db"), "sol", PW)
    view = StatisticsView(sol, dt.date(2026, 11, 26))
    qtbot.addWidget(view)
    qtbot.waitUntil(view.show_button.isEnabled, timeout=10_000)
    assert view.whose.count() == 2  # connected: the organisation's figures are offered
    assert sum(int(row[1]) for row in view.model.rows) == 0  # sol's computer has not synced
    view.whose.setCurrentIndex(1)
    qtbot.waitUntil(view.show_button.isEnabled, timeout=10_000)
    assert "whole organisation" in view.heading.text()
    assert sum(int(row[1]) for row in view.model.rows) == 1  # kit's screening, on the server
    sol.close()


def test_what_a_round_found_is_said_in_the_status_bar(
    qtbot: QtBot, connected_kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link with another team's screenings (docs/SERVER.md) is not only in the command line's
    report: the window's status says it, and the full report is its tooltip."""
    from screening_app.services.sync_report import SyncReport

    services = open_app(connected_kit, "kit", PW)
    found = (
        "1 of your team's screenings share a phone, vehicle, place or account with screenings "
        "of other teams: see Review → Links."
    )
    monkeypatch.setattr(
        services.sync, "sync", lambda _password=None: SyncReport(notes=["Made a key.", found])
    )
    win = MainWindow(services)
    qtbot.addWidget(win)
    assert win.team.sync is not None
    win.team.sync.sync_now()
    qtbot.waitUntil(lambda: "last sync" in win.team.sync.label.text())  # type: ignore[union-attr]
    assert win.team.sync.label.text().endswith(found)
    assert "Made a key." in win.team.sync.label.toolTip()
    services.close()


def test_a_high_band_screening_arriving_shows_in_the_list_and_is_announced(
    qtbot: QtBot, connected_kit: Path
) -> None:
    """kit's screening (Significant: a child under 13 with a significant indicator) reaches
    sol's computer while sol's list is on screen: the list shows it without leaving the view,
    and the status bar says — and announces — that a high-band screening arrived."""
    tmp = connected_kit.parent
    kit = ["--db", str(connected_kit), "--user", "kit", "--password-file", str(tmp / "pw")]
    assert run(["sync", *kit]) == 0
    services = open_app(tmp / "sol.db", "sol", PW)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    assert win.stack.currentWidget() is win.list_page
    before = len(win.list_page.model.rows)
    assert win.team.sync is not None
    win.team.sync.sync_now()
    qtbot.waitUntil(lambda: len(win.list_page.model.rows) == before + 1, timeout=20_000)
    label = win.team.sync.label.text()
    assert "1 new screening to review at a high band:" in label and "Significant" in label
    services.close()


def test_a_supervisor_approves_a_computer_by_its_code_in_the_window(
    qtbot: QtBot, connected_kit: Path
) -> None:
    """Review → Team computers…: kit's computer waits; a wrong code is said in the dialog and
    approves nothing; kit's code approves it, and its state changes in the table."""
    from screening_app.ui.computers_dialog import TeamComputersDialog

    kit = open_app(connected_kit, "kit", PW)
    kit_code = kit.sync.computer_code()
    kit.close()
    services = open_app(connected_kit.parent / "sol.db", "sol", PW)
    win = MainWindow(services)
    qtbot.addWidget(win)
    dialog = TeamComputersDialog(win, services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "waiting for approval" in dialog.status.text(), timeout=15_000)

    def row_of(person: str) -> list[str]:
        for row in range(dialog.table.rowCount()):
            cells = [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]
            if cells[0] == person:
                return cells
        raise AssertionError(person)

    assert row_of("kit")[5:] == [kit_code, "Waiting for approval"]
    assert row_of("sol")[6] == "This computer"
    assert dialog.status.text() == "2 computer(s); 1 waiting for approval."

    dialog.code.setText("AAAA-BBBB-CCCC")
    dialog.approve_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15_000)
    assert "No computer of your team waiting for approval has the code" in dialog.error.text()

    dialog.code.setText(kit_code.lower())
    dialog.approve_button.click()
    qtbot.waitUntil(lambda: "Approved kit's computer" in dialog.status.text(), timeout=15_000)
    qtbot.waitUntil(lambda: row_of("kit")[6] == "Approved by sol", timeout=15_000)
    assert not dialog.error.isVisible() and dialog.code.text() == ""
    dialog.close()
    services.close()
