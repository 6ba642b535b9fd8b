"""Supervisors in the window: review queue approve/return, statistics dashboard, CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

from screening_app.demo import generator
from screening_app.domain import checklist
from screening_app.errors import NoAccess, PermissionDenied
from screening_app.services.app_services import AppServices
from screening_app.services.model import ListQuery
from screening_app.ui.accessibility import missing_accessible_names
from screening_app.ui.child_page import ChildPage
from screening_app.ui.dialogs import TextDialog
from screening_app.ui.main_window import MainWindow
from screening_app.ui.review_view import ReviewQueue
from screening_app.ui.stats_view import StatisticsView
from tests.conftest import (
    ADMIN_PW,
    LOWERED_JUDGEMENT,
    USER_PW,
    open_app,
    recovery_key_of,
    submit_screening,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def sol(db_path: Path) -> Iterator[AppServices]:
    """The supervisor Sol, signed in (after the test has submitted what it needs)."""
    services = open_app(db_path, "sol")
    yield services
    services.close()


def shown(qtbot: QtBot, services: AppServices) -> MainWindow:
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    return win


def open_queue(qtbot: QtBot, services: AppServices) -> tuple[MainWindow, ReviewQueue]:
    """Sol's window showing the review queue."""
    win = shown(qtbot, services)
    win.show_queue()
    queue = win.page("queue")
    assert isinstance(queue, ReviewQueue)
    return win, queue


def page_of(win: MainWindow):  # type: ignore[no-untyped-def]
    assert win.screening_page is not None
    return win.screening_page


def test_queue_approve_with_password_and_return_with_comment(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = submit_screening(db_path, **LOWERED_JUDGEMENT)
    second = submit_screening(db_path, child_first_name="Rowan")
    raised = submit_screening(
        db_path,
        child_first_name="Robin",
        judged_band="moderate",
        judgement_rationale="Worrying adults seen near the school gate this week.",
    )
    services = open_app(db_path, "sol")
    try:
        win, queue = open_queue(qtbot, services)
        assert [i.row.id for i in queue.model.items] == [first, second, raised]
        assert "needs your approval" in str(queue.model.data(queue.model.index(0, 4)))
        assert queue.model.data(queue.model.index(1, 4)) == "Agrees with the band"
        assert queue.model.data(queue.model.index(2, 4)) == (
            "Raised from Low to Moderate by the practitioner"
        )
        assert missing_accessible_names(queue) == []
        queue.table.selectRow(0)
        queue.open_selected()
        assert win.current is not None and win.current.row.id == first
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (USER_PW, True))
        monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
        page_of(win).approve()
        qtbot.waitUntil(lambda: win.current is not None and win.current.row.status == "approved")
        assert win.current.row.operative_band == "moderate"
        win.open_screening(second)
        seen: list[str] = []

        def answer() -> None:  # the Return dialog, as a keyboard user meets it
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, TextDialog)
            assert dialog.text.accessibleName().startswith("What needs changing?")
            dialog._check()  # OK with nothing typed: said, and the dialog stays
            seen.append(dialog.error.text())
            qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)
            seen.append(repr(dialog.text.toPlainText()))  # Tab moved on, typed nothing
            dialog.text.setPlainText("Please add the child's words.")
            dialog._check()

        QTimer.singleShot(0, answer)
        page_of(win).return_it()
        assert seen == ["Say what needs changing, so the practitioner can act on it.", "''"]
        assert win.current.row.status == "returned"
        assert [i.row.id for i in queue.model.items] == [raised]  # it heard of both changes
    finally:
        services.close()


def test_dashboard_shows_figures_and_exports_csv(
    qtbot: QtBot, sol: AppServices, tmp_path: Path
) -> None:
    services = sol
    form = services.registry.latest(checklist.FORM_ID)
    owner = generator.Owner(services.user.id, "North", "social_worker", "Sol")
    with services.session.write("add test data") as db:
        generator.generate(db, form, [owner], n=300, seed=5, today=dt.date(2026, 11, 24))
    win = shown(qtbot, services)
    win.show_statistics()
    view = win.page("stats")  # the last twelve months are counted on opening
    assert isinstance(view, StatisticsView)
    qtbot.waitUntil(lambda: bool(view.model.rows))
    expected = services.statistics.monthly("2025-11", "2026-11")
    rows = view.model.rows
    assert [r[0] for r in rows] == [m.month for m in expected]
    assert [int(r[1]) for r in rows] == [m.screenings for m in expected]
    # the page says what counts, so a month lower than the list's rows is not a surprise
    assert "a place or group screening is no child" in view.heading.text()
    assert len(view.chart.series()) == 1
    assert missing_accessible_names(view) == []
    target = tmp_path / "stats.csv"
    view.write_csv(target)
    assert target.read_text().startswith("month,screenings,children,band_low")
    summary = tmp_path / "stats.pdf"
    view.write_pdf(summary)
    from pypdf import PdfReader

    text = PdfReader(summary).pages[0].extract_text()
    assert "CSE screening statistics" in text and expected[-1].month in text
    assert "a place or group screening is no child" in " ".join(text.split())

    # the panel report of the same period: the tables shown, every control named, saved
    from screening_app.ui.panel_dialog import PanelReportDialog

    generator.add_reviews_and_outcomes(
        services.session.db, {"North": services.user.id}, seed=5, today=dt.date(2026, 11, 24)
    )
    dialog = PanelReportDialog(
        view, services, "2025-11", "2026-11", organisation=False, suppressed=True
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    report = services.statistics.panel("2025-11", "2026-11")
    assert dialog.status.text().startswith("Panel report of team North, 2025-11 to 2026-11:")
    tables = dialog.findChildren(QTableWidget)
    months = next(t for t in tables if t.accessibleName().startswith("Screenings by month"))
    assert months.item(months.rowCount() - 1, 0).text() == "Total"
    assert [months.item(months.rowCount() - 1, c).text() for c in (1, 2)] == report.table().totals
    rates = next(t for t in tables if t.accessibleName() == "Outcome rates by year")
    assert rates.item(0, 0).text() == "Investigation outcome rate"
    assert rates.item(0, 2).text() == report.rate_cells("investigation_outcome_rate")[1]
    assert missing_accessible_names(dialog) == []
    dialog.write(tmp_path / "panel.pdf", as_csv=False)
    panel_text = " ".join(PdfReader(tmp_path / "panel.pdf").pages[0].extract_text().split())
    assert "panel report" in panel_text
    assert "(a place or group screening is not counted)" in panel_text
    assert dialog.saved.text().startswith("Saved as panel.pdf")
    dialog.close()

    # an area profile of the same period: made, shown suppressed, every control named, saved
    from screening_app.ui.profile_dialog import AreaProfileDialog

    profile = AreaProfileDialog(view, services, "2025-11", "2026-11", organisation=False)
    qtbot.addWidget(profile)
    profile.show()
    assert missing_accessible_names(profile) == []
    profile.area.setCurrentIndex(profile.area.findData("bristol"))
    profile.make_button.click()
    qtbot.waitUntil(lambda: profile.shown is not None, timeout=10_000)
    expected_profile = services.profiles.profile("bristol", "2025-11", "2026-11")
    first = profile.tree.topLevelItem(0)
    assert (first.text(0), first.text(1)) == ("Children screened", expected_profile.children)
    assert profile.status.text().startswith("Profile of Bristol, 2025-11 to 2026-11")
    profile.write(tmp_path / "profile.csv", as_csv=True)
    assert (tmp_path / "profile.csv").read_text().startswith("area,from,to,dimension")
    profile.close()


def test_child_record_chronology_in_date_order_and_merge(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = submit_screening(db_path, screening_date="2026-10-01")
    second = submit_screening(db_path, screening_date="2026-11-20", v_education="yes")
    other = submit_screening(db_path, child_first_name="Kitt", screening_date="2026-11-01")
    sol = open_app(db_path, "sol")
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
    win = shown(qtbot, sol)
    win.open_screening(second)
    page_of(win).open_child()
    page = win.page("child")
    assert page is not None and win.stack.currentWidget() is page
    assert missing_accessible_names(page) == []
    sol.close()
    kit = open_app(db_path)
    with pytest.raises(
        PermissionDenied, match=r"Your account \(practitioner\) cannot merge child records"
    ):
        kit.children.merge(child_id, duplicate)
    kit.close()


def test_admin_window_manages_accounts_and_sees_no_records(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening_app.ui.admin_view import AddUserDialog
    from screening_app.ui.admin_window import AdminWindow

    submit_screening(db_path)
    admin = open_app(db_path, "admin", "admin-password-1")
    win = AdminWindow(admin)
    qtbot.addWidget(win)
    win.show()
    view = win.admin_page
    assert view.users.rowCount() == 5
    assert "intact" in view.chain.text()
    assert missing_accessible_names(view) == []

    def fill(dialog: AddUserDialog) -> int:
        dialog.name.setText("newbie")
        dialog.password.setText("a-long-first-password")
        dialog.team.setText("North")
        return 1

    monkeypatch.setattr(AddUserDialog, "exec", fill)
    view.add_user()  # the key derivation runs off the GUI thread
    qtbot.waitUntil(lambda: view.users.rowCount() == 6)
    newbie = next(r for r in range(6) if view.users.item(r, 0).text() == "newbie")
    assert view.users.item(newbie, 4).text() == "Active – waiting for access"
    with pytest.raises(
        PermissionDenied, match=r"Your account \(admin\) cannot see children's screenings: only"
    ):  # the services, not only the window, refuse
        admin.listing.count(ListQuery())
    with pytest.raises(
        NoAccess, match=r"Your account holds no key to children's records\. An"
    ):  # and below them, the administrator holds no data key
        admin.session.db.execute("SELECT count(*) FROM screenings")
    view.users.selectRow(newbie)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("WRONG-RECOVERY-KEY", True))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    view.grant_with_recovery()
    qtbot.waitUntil(lambda: len(warned) == 1)
    assert "not the recovery key" in warned[0]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (recovery_key_of(db_path), True))
    view.grant_with_recovery()
    qtbot.waitUntil(lambda: view.users.item(newbie, 4).text() == "Active")
    admin.close()
    newbie_session = open_app(db_path, "newbie", "a-long-first-password")
    assert newbie_session.listing.count(ListQuery()) == 0  # reads now; sees only its own
    newbie_session.close()


def test_add_outcome_from_the_screening(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening_app.ui.outcome_dialog import OutcomeDialog

    sid = submit_screening(db_path)
    services = open_app(db_path)
    win = shown(qtbot, services)
    win.open_screening(sid)

    def choose(dialog: OutcomeDialog) -> int:
        dialog.code.setCurrentIndex(dialog.code.findData("disruption_activity"))
        dialog.note.setText("Warning notice served")
        assert missing_accessible_names(dialog) == []
        return 1

    monkeypatch.setattr(OutcomeDialog, "exec", choose)
    page_of(win).add_outcome()
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
    assert [(c.name, c.dob) for c in candidates] == [("Kit Fictional", dt.date(2011, 10, 3))]
    win = shown(qtbot, sol)
    win.open_screening(first)
    page_of(win).open_child()
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a: (items[0], True))
    child_page = win.page("child")
    assert isinstance(child_page, ChildPage)
    child_page.merge_duplicate()
    assert len(sol.children.record(child_id).scores) == 2
    assert sol.children.possible_duplicates(child_id) == []
    sol.close()


def test_queue_marks_the_supervisor_s_own_screening_for_another_to_review(
    qtbot: QtBot, db_path: Path
) -> None:
    theirs = submit_screening(db_path)
    mine = submit_screening(db_path, user="sol", child_first_name="Rowan")
    services = open_app(db_path, "sol")
    try:
        win, queue = open_queue(qtbot, services)
        model = queue.model
        owners = {i.row.id: str(model.data(model.index(n, 2))) for n, i in enumerate(model.items)}
        assert "another supervisor" in owners[mine]
        assert "you" not in owners[theirs]
        queue.table.selectRow([i.row.id for i in model.items].index(mine))
        queue.open_selected()
        texts = [b.text() for b in win.findChildren(QPushButton) if b.isVisible()]
        assert "A&pprove…" not in texts and "R&eturn for changes…" not in texts
        assert not services.screenings.allowed(mine).review
        win.open_screening(theirs)
        texts = [b.text() for b in win.findChildren(QPushButton) if b.isVisible()]
        assert "A&pprove…" in texts and "R&eturn for changes…" in texts
    finally:
        services.close()


def test_a_supervisor_grants_access_from_the_review_menu(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = open_app(db_path, "admin", "admin-password-1")
    admin.accounts.add_user(
        "newbie", "a-long-first-password", role="practitioner", team="North", display_name="Nia New"
    )
    admin.accounts.add_user("elsewhere", "a-long-first-password", role="practitioner", team="South")
    admin.close()
    sol = open_app(db_path, "sol")
    win = shown(qtbot, sol)
    offered: list[list[str]] = []

    def choose(
        _parent: object, _title: str, _label: str, items: list[str], *_a: object
    ) -> tuple[str, bool]:
        offered.append(list(items))
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    win.team.grant_access()
    assert offered == [["Nia New (newbie, Practitioner)"]]  # South's newcomer is not sol's to grant
    assert "can now read records" in win.statusBar().currentMessage()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    win.team.grant_access()
    assert told == ["Nobody in your team is waiting for access to records."]
    sol.close()
    open_app(db_path, "newbie", "a-long-first-password").close()


def test_the_child_page_saves_the_mace_pack(
    qtbot: QtBot, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screening_app.ui.child_page as child_page_module

    first = submit_screening(db_path, harm_carrying="yes")
    sol = open_app(db_path, "sol")
    win = shown(qtbot, sol)
    win.open_screening(first)
    page_of(win).open_child()
    child_page = win.page("child")
    assert isinstance(child_page, ChildPage)
    asked: list[str] = []
    out = tmp_path / "pack.pdf"

    def where(_parent: object, _title: str, name: str, _kinds: str) -> Path:
        asked.append(name)
        return out

    monkeypatch.setattr(child_page_module, "save_path", where)
    from screening_app.domain import disclosure

    share = disclosure.make("the MACE meeting", "its December meeting", "consent_not_sought")
    monkeypatch.setattr(child_page_module, "ask_share", lambda *_a: share)
    button = next(b for b in child_page.findChildren(QPushButton) if "MACE" in b.accessibleName())
    button.click()
    qtbot.waitUntil(lambda: child_page.saved.isVisible(), timeout=10_000)
    assert asked == ["MACE-pack-CSE-2026-000001.pdf"]  # a reference, not the child's name
    assert out.read_bytes().startswith(b"%PDF")
    assert child_page.saved.text() == f"Saved as pack.pdf in {tmp_path}."
    assert missing_accessible_names(child_page) == []
    sol.close()


def test_a_share_needs_its_basis_and_the_log_lists_it_by_child(
    qtbot: QtBot, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening_app.ui.disclosure_dialog import DisclosureDialog
    from screening_app.ui.share_dialog import ShareDialog

    dialog = ShareDialog("the referral", "a referral")
    qtbot.addWidget(dialog)
    dialog.recipient.setText("Northvale MASH")
    dialog._check()  # no basis chosen
    assert "Choose the lawful basis" in dialog.error.text() and dialog.share is None
    dialog.choose("consent_overridden")
    dialog.reason.setPlainText("too short")
    dialog._check()
    assert "Say why the refusal of consent is overridden" in dialog.error.text()
    dialog.reason.setPlainText("The parent's partner is the adult of concern in this referral.")
    dialog._check()
    assert dialog.share is not None and dialog.share.basis == "consent_overridden"
    assert missing_accessible_names(dialog) == []

    first = submit_screening(db_path)
    submit_screening(db_path, child_first_name="Robin")
    sol = open_app(db_path, "sol")
    sol.referrals.save_referral(first, tmp_path / "one.pdf", dialog.share)
    win = shown(qtbot, sol)
    opened: list[DisclosureDialog] = []
    monkeypatch.setattr(DisclosureDialog, "exec", lambda self: opened.append(self) or 0)
    win.show_disclosures()
    log = opened[0]
    qtbot.waitUntil(lambda: log.table.rowCount() == 1, timeout=10_000)
    cells = [log.table.item(0, c).text() for c in range(log.table.columnCount())]
    assert cells[2:7] == [
        "Referral PDF saved",
        "CSE-2026-000001",
        "Kit Fictional",
        "Northvale MASH",
        "a referral",
    ]
    assert cells[7].startswith("Consent refused and overridden (The parent's partner")
    log.child.setText("Robin")
    qtbot.waitUntil(lambda: log.table.rowCount() == 0, timeout=10_000)
    assert log.status.text() == "0 share(s)."
    assert missing_accessible_names(log) == []
    sol.close()


def test_a_supervisor_makes_a_subject_access_export_from_the_child_s_record(
    qtbot: QtBot, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screening_app.ui.sar_dialog as sar_module
    from screening_app.ui.sar_dialog import SubjectAccessDialog
    from tests.unit.export.test_referral_pdf import flat, pages_text

    people = [{"kind": "person", "name": "Jay-Jay"}, {"kind": "person", "name": "Ricky Roe"}]
    first = submit_screening(db_path, entities_of_concern=people)
    sol = open_app(db_path, "sol")
    win = shown(qtbot, sol)
    win.open_screening(first)
    page_of(win).open_child()
    child_page = win.page("child")
    assert isinstance(child_page, ChildPage)
    opened: list[SubjectAccessDialog] = []
    monkeypatch.setattr(SubjectAccessDialog, "exec", lambda self: opened.append(self) or 0)
    button = next(
        b for b in child_page.findChildren(QPushButton) if "Subject access" in b.accessibleName()
    )
    button.click()
    dialog = opened[0]
    assert list(dialog.boxes) == ["R1", "R2"]
    assert missing_accessible_names(dialog) == []
    dialog.boxes["R2"].setChecked(True)  # Ricky Roe may be disclosed; Jay-Jay may not
    out = tmp_path / "sar.pdf"
    monkeypatch.setattr(sar_module, "save_path", lambda *_a: out)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.status.isVisibleTo(dialog), timeout=10_000)
    text = flat(" ".join(pages_text(out.read_bytes())))
    assert "Ricky Roe" in text and "Jay-Jay" not in text and "[R1]" in text
    sol.close()


def test_the_due_list_in_the_window_holds_and_lifts_with_a_reason(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening_app.ui.retention_dialog import RetentionDialog

    submit_screening(db_path, practitioner_role="social_worker")
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.settings.set_int("retain_social_care_years", 1)  # so that it is due now
    admin.close()
    sol = open_app(db_path, "sol")
    win = shown(qtbot, sol)
    opened: list[RetentionDialog] = []
    monkeypatch.setattr(RetentionDialog, "exec", lambda self: opened.append(self) or 0)
    win.show_retention()
    dialog = opened[0]
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert dialog.table.item(0, 1).text() == "Kit Fictional"
    assert dialog.table.item(0, 4).text() == "due for review or deletion"
    assert missing_accessible_names(dialog) == []
    dialog.hold()  # nothing chosen yet: said, nothing asked
    assert dialog.status.text() == "Choose a record in the table first."
    dialog.table.selectRow(0)
    reasons = iter([("The Northvale inquiry asked for it.", True), ("It has reported.", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: next(reasons))
    dialog.hold()
    qtbot.waitUntil(lambda: "held since" in dialog.table.item(0, 4).text(), timeout=10_000)
    assert dialog.table.item(0, 4).text().endswith("The Northvale inquiry asked for it.")
    dialog.table.selectRow(0)
    dialog.lift()
    qtbot.waitUntil(
        lambda: dialog.table.item(0, 4).text() == "due for review or deletion", timeout=10_000
    )
    # deleting: asked for a reason and to confirm; cancelling the confirmation deletes nothing
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: next(answers))
    reasons = iter([("The period ended; nothing is open.", True)] * 2)
    dialog.table.selectRow(0)
    dialog.delete()
    assert dialog.table.rowCount() == 1 and dialog.deleted.rowCount() == 0
    dialog.delete()
    qtbot.waitUntil(lambda: dialog.deleted.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10_000)
    assert dialog.deleted.item(0, 3).text() == "sol"
    assert dialog.deleted.item(0, 6).text() == "deleted here (the team server never held it)"
    assert dialog.status.text().startswith("Deleted CSE-2026-000001: its tombstone stays")
    sol.close()
