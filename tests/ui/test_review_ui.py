"""Supervisors in the window: review queue approve/return, statistics dashboard, CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from screening_app.errors import PermissionDenied
from screening_app.storage import bulk
from screening_app.ui.accessibility import missing_accessible_names
from screening_app.ui.main_window import MainWindow
from tests.conftest import LOWERED_JUDGEMENT, USER_PW, open_app, submit_screening

pytestmark = pytest.mark.gui


def open_queue(qtbot: QtBot, db_path: Path) -> tuple[Any, MainWindow, Any]:
    """The supervisor Sol's window showing the review queue."""
    services = open_app(db_path, "sol")
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    win.show_queue()
    return services, win, win._pages["queue"]


def test_queue_approve_with_password_and_return_with_comment(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = submit_screening(db_path, **LOWERED_JUDGEMENT)
    second = submit_screening(db_path, child_first_name="Rowan")
    services, win, queue = open_queue(qtbot, db_path)
    assert [i.row.id for i in queue.model.items] == [first, second]  # type: ignore[attr-defined]
    assert "needs your approval" in queue.model.data(queue.model.index(0, 4))  # type: ignore[attr-defined]
    assert missing_accessible_names(queue) == []
    queue.table.selectRow(0)  # type: ignore[attr-defined]
    queue.open_selected()  # type: ignore[attr-defined]
    assert win.current is not None and win.current.row.id == first
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (USER_PW, True))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    win.approve()
    qtbot.waitUntil(lambda: win.current is not None and win.current.row.status == "approved")
    assert win.current.row.operative_band == "moderate"
    win.open_for_review(second)
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("Please add the child's words.", True)
    )
    win.return_it()
    assert win.current.row.status == "returned"
    win.show_queue()
    assert queue.model.items == []  # type: ignore[attr-defined]
    services.close()


def test_dashboard_shows_figures_and_exports_csv(
    qtbot: QtBot, db_path: Path, tmp_path: Path
) -> None:
    services = open_app(db_path, "sol")
    form = services.registry.latest("cse-risk-screening")
    owner = bulk.Owner(services.user.id, "North", "social_worker", "Sol")
    bulk.generate(
        services.session.store.db, form, [owner], n=300, seed=5, today=dt.date(2026, 11, 24)
    )
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    win.show_statistics()
    view = win._pages["stats"]  # the last twelve months are counted on opening
    qtbot.waitUntil(lambda: bool(view.model.rows))  # type: ignore[attr-defined]
    expected = services.statistics.monthly("2025-11", "2026-11")
    rows = view.model.rows  # type: ignore[attr-defined]
    assert [r[0] for r in rows] == [m.month for m in expected]
    assert [int(r[1]) for r in rows] == [m.screenings for m in expected]
    assert len(view.chart.series()) == 1  # type: ignore[attr-defined]
    assert missing_accessible_names(view) == []
    target = tmp_path / "stats.csv"
    view.write_csv(target)  # type: ignore[attr-defined]
    assert target.read_text().startswith("month,screenings,children,band_low")
    summary = tmp_path / "stats.pdf"
    view.write_pdf(summary)  # type: ignore[attr-defined]
    from pypdf import PdfReader

    text = PdfReader(summary).pages[0].extract_text()
    assert "CSE screening statistics" in text and expected[-1].month in text
    services.close()


def test_child_record_chronology_in_date_order_and_merge(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = submit_screening(db_path, screening_date="2026-10-01")
    second = submit_screening(db_path, screening_date="2026-11-20", v_education="yes")
    other = submit_screening(db_path, child_first_name="Kitt", screening_date="2026-11-01")
    sol = open_app(db_path, "sol")
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Add words.", True))
    sol.review.return_for_changes(first, "Add the child's words.")
    sol.review.add_outcome(second, "strategy_discussion", dt.date(2026, 11, 22))
    child_id = sol.screenings.get(first).row.child_id
    assert sol.screenings.get(second).row.child_id == child_id
    record = sol.children.record(child_id)
    days = [e.at for e in record.events]
    assert days == sorted(days)
    kinds = [e.kind for e in record.events]
    assert kinds.count("screening") == 2 and "review" in kinds and "outcome" in kinds
    assert [p.reference for p in record.scores] == ["CSE-2026-000001", "CSE-2026-000002"]
    duplicate = sol.screenings.get(other).row.child_id
    assert duplicate != child_id
    assert sol.children.possible_duplicates(child_id) == []  # "Kitt" is another name
    assert sol.children.merge(child_id, duplicate) == 1
    assert len(sol.children.record(child_id).scores) == 3
    actions = [e.action for e in sol.audit.entries()]
    assert "merge_children" in actions and "view_child" in actions
    win = MainWindow(sol)
    qtbot.addWidget(win)
    win.show()
    win.open_for_review(second)
    win.show_child()
    page = win._pages["child"]
    assert win.stack.currentWidget() is page
    assert missing_accessible_names(page) == []
    sol.close()
    kit = open_app(db_path)
    with pytest.raises(PermissionDenied):
        kit.children.merge(child_id, duplicate)
    kit.close()


def test_admin_window_manages_accounts_and_sees_no_records(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening_app.ui.admin_view import AddUserDialog

    submit_screening(db_path)
    admin = open_app(db_path, "admin", "admin-password-1")
    win = MainWindow(admin)
    qtbot.addWidget(win)
    win.show()
    view = win.list_page
    assert view.users.rowCount() == 5  # type: ignore[attr-defined]
    assert "intact" in view.chain.text()  # type: ignore[attr-defined]
    assert missing_accessible_names(view) == []

    def fill(dialog: AddUserDialog) -> int:
        dialog.name.setText("newbie")
        dialog.password.setText("a-long-first-password")
        dialog.team.setText("North")
        return 1

    monkeypatch.setattr(AddUserDialog, "exec", fill)
    view.add_user()  # type: ignore[attr-defined]
    assert view.users.rowCount() == 6  # type: ignore[attr-defined]
    assert not hasattr(win, "model")  # no list of children's screenings at all
    admin.close()
    open_app(db_path, "newbie", "a-long-first-password").close()


def test_add_outcome_from_the_screening(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening_app.ui.outcome_dialog import OutcomeDialog

    sid = submit_screening(db_path)
    services = open_app(db_path)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    win.show_screening(services.screenings.get(sid))

    def choose(dialog: OutcomeDialog) -> int:
        dialog.code.setCurrentIndex(dialog.code.findData("disruption_activity"))
        dialog.note.setText("Warning notice served")
        assert missing_accessible_names(dialog) == []
        return 1

    monkeypatch.setattr(OutcomeDialog, "exec", choose)
    win.add_outcome()
    entries = services.review.outcomes(sid)
    assert [(e.code, e.note) for e in entries] == [("disruption_activity", "Warning notice served")]
    services.close()


def test_merge_a_same_name_record_from_the_child_view(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = submit_screening(db_path, child_dob="2011-03-10")
    submit_screening(db_path, child_dob="2011-10-03")  # the same child, day and month swapped
    sol = open_app(db_path, "sol")
    child_id = sol.screenings.get(first).row.child_id
    candidates = sol.children.possible_duplicates(child_id)
    assert [(name, dob) for _id, name, dob, _n in candidates] == [
        ("Kit Fictional", dt.date(2011, 10, 3))
    ]
    win = MainWindow(sol)
    qtbot.addWidget(win)
    win.show()
    win.open_for_review(first)
    win.show_child()
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a: (items[0], True))
    win.merge_duplicate(child_id)
    assert len(sol.children.record(child_id).scores) == 2
    assert sol.children.possible_duplicates(child_id) == []
    sol.close()


def test_queue_marks_the_supervisor_s_own_screening_for_another_to_review(
    qtbot: QtBot, db_path: Path
) -> None:
    theirs = submit_screening(db_path)
    mine = submit_screening(db_path, user="sol", child_first_name="Rowan")
    services, win, queue = open_queue(qtbot, db_path)
    model = queue.model  # type: ignore[attr-defined]
    owners = {item.row.id: model.data(model.index(n, 2)) for n, item in enumerate(model.items)}
    assert "another supervisor" in owners[mine]
    assert "you" not in owners[theirs]
    queue.table.selectRow([i.row.id for i in model.items].index(mine))  # type: ignore[attr-defined]
    queue.open_selected()  # type: ignore[attr-defined]
    texts = [b.text() for b in win.findChildren(QPushButton) if b.isVisible()]
    assert "A&pprove…" not in texts and "R&eturn for changes…" not in texts
    services.close()
