"""The tamper suite: an insider who holds a data key (a practitioner or supervisor, with SQLCipher
and the files) edits what people see. Every case edits the database directly and expects
`db check` to name it (exit 2), and the window's sign-in checks to warn — docs/SECURITY.md,
"Signed facts"."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from screening_app import crypto
from screening_app.errors import StorageError
from screening_app.services import check_record, integrity, signing
from screening_app.storage.driver import Database
from tests.conftest import LOWERED_JUDGEMENT, USER_PW, open_app, submit_screening
from tests.security.test_signed_work import behind_the_app, check


@pytest.fixture
def team(db_path: Path) -> Path:
    """kit's three screenings: 1 approved by sol (with an outcome), 2 awaiting review, 3 a
    lowered judgement approved by sol."""
    first = submit_screening(db_path, v_substance_use="yes")
    submit_screening(db_path)
    third = submit_screening(db_path, **LOWERED_JUDGEMENT)
    sol = open_app(db_path, "sol")
    sol.review.approve(first, USER_PW, "Agreed.")
    sol.review.approve(third, USER_PW, "The judgement is sound.")
    sol.review.add_outcome(first, "referred_scu", sol.session.today(), "Sent to the SCU.")
    sol.close()
    return db_path


def sign_in_findings(path: Path) -> list[str]:
    """What the window shows at sign-in: the key file's checks, then the signed facts."""
    sol = open_app(path, "sol")
    try:
        return [*sol.session.store.warnings, *sol.backups.signed_findings()]
    finally:
        sol.close()


Edit = Callable[[Database], None]

CASES: dict[str, tuple[Edit, str]] = {
    "the list's child name changed alone": (
        lambda db: db.execute(
            "UPDATE screenings SET child_name = 'Alex Other', child_name_fold = 'alex other' "
            "WHERE id = 1"
        ),
        "CSE-2026-000001: its child's name reads 'Alex Other'",
    ),
    "a status set from submitted to approved with no review": (
        lambda db: db.execute("UPDATE screenings SET status = 'approved' WHERE id = 2"),
        "CSE-2026-000002: its status reads 'approved', but what kit signed",
    ),
    "the band that applies lowered": (
        lambda db: db.execute("UPDATE screenings SET operative_band = 'low' WHERE id = 3"),
        "CSE-2026-000003: its band that applies reads 'low', but what sol signed",
    ),
    "a review moved to another reviewer": (
        lambda db: db.execute("UPDATE reviews SET reviewer_id = 3 WHERE screening_id = 1"),
        "CSE-2026-000001: the review's reviewer reads rowan, but what sol signed",
    ),
    "the judgement-approved flag set by hand": (
        lambda db: db.execute(
            "UPDATE screenings SET judgement_approved = 1, awaiting_approval = 0 WHERE id = 2"
        ),
        "CSE-2026-000002: its judgement approved reads 1",
    ),
    "the reassessment date pushed back": (
        lambda db: db.execute("UPDATE screenings SET reassess_by = '2030-01-01' WHERE id = 1"),
        "CSE-2026-000001: its reassessment date reads '2030-01-01'",
    ),
    "an outcome's code changed": (
        lambda db: db.execute("UPDATE outcomes SET code = 'no_further_action'"),
        "CSE-2026-000001: an outcome's code reads 'no_further_action', but what sol signed",
    ),
    "an outcome deleted": (
        lambda db: db.execute("DELETE FROM outcomes"),
        "CSE-2026-000001: an outcome (referred_scu) signed on 2026-11-24 10:00:00 was deleted",
    ),
    "the stored score edited": (
        lambda db: db.execute(
            "UPDATE scores SET score_json = json_set(score_json, '$.total', 0) "
            "WHERE screening_id = 1"
        ),
        "CSE-2026-000001: its stored score is not the one sol signed",
    ),
    "an answer changed, its signatures deleted, the 'unsigned before' marker raised": (
        lambda db: (
            db.execute(
                "UPDATE answers SET value_json = '3' WHERE screening_id = 2 "
                "AND question_id = 'missing_count_3m'"
            ),
            db.execute("DELETE FROM signatures WHERE screening_id = 2"),
            db.execute("UPDATE meta SET value = '99' WHERE key = 'unsigned_before'"),
            db.execute("UPDATE meta SET value = '99' WHERE key = 'legacy_signatures_to'"),
        ),
        "CSE-2026-000002: submitted, but its submission is not signed",
    ),
    "an answer changed and a 'received from the server' row made up": (
        lambda db: (
            db.execute(
                "UPDATE answers SET value_json = '3' WHERE screening_id = 2 "
                "AND question_id = 'missing_count_3m'"
            ),
            db.execute(
                "INSERT INTO sync_items (screening_id, remote_id, version, direction, state, "
                "updated_at) VALUES (2, 'made-up', 1, 'in', 'received', '2026-11-24')"
            ),
        ),
        "CSE-2026-000002: what kit signed on 2026-11-24 10:00:00 (submit) has since been "
        "changed (its answers)",
    ),
    "an answer changed and a 'content removed' date set": (
        lambda db: (
            db.execute(
                "UPDATE answers SET value_json = '3' WHERE screening_id = 2 "
                "AND question_id = 'missing_count_3m'"
            ),
            db.execute("UPDATE screenings SET content_removed_at = '2026-11-24' WHERE id = 2"),
        ),
        "CSE-2026-000002: its date its content was removed reads '2026-11-24'",
    ),
    "an audit row forged and the 'unsigned audit before' marker raised": (
        lambda db: (
            db.execute("UPDATE meta SET value = '9999' WHERE key = 'unsigned_audit_before'"),
            db.execute("UPDATE audit SET signature = NULL, signer_id = NULL WHERE id = 3"),
        ),
        "audit row 3: it is not signed",
    ),
    "a whole screening deleted with its answers, signatures and reviews": (
        lambda db: (
            [
                db.execute(f"DELETE FROM {table} WHERE screening_id = 1")
                for table in ("answers", "signatures", "reviews", "outcomes", "scores")
            ]
            + [db.execute("DELETE FROM screenings WHERE id = 1")]
        ),
        "CSE-2026-000001: the audit trail records it, but it is no longer in the database",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_edit_is_named_by_db_check_and_at_sign_in(
    case: str, team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    edit, named = CASES[case]
    assert check(team, capsys, monkeypatch) == (0, "")  # untouched: nothing to say
    with behind_the_app(team) as db:
        edit(db)
    code, err = check(team, capsys, monkeypatch)
    assert code == 2 and named in err, err
    assert any(named in finding for finding in sign_in_findings(team))
    again = check(team, capsys, monkeypatch)  # nothing was "repaired": the evidence stays
    assert again[0] == 2 and named in again[1]


def test_a_deleted_screening_is_caught_at_sign_in_by_the_key_file(team: Path) -> None:
    with behind_the_app(team) as db:
        for table in ("answers", "signatures", "reviews", "outcomes", "scores"):
            db.execute(f"DELETE FROM {table} WHERE screening_id = 2")
        db.execute("DELETE FROM screenings WHERE id = 2")
    kit = open_app(team)
    warnings = kit.session.store.warnings
    kit.close()
    assert len(warnings) == 1 and "3 screenings were submitted here" in warnings[0]
    assert "and 2 are now (CSE-2026-000002)" in warnings[0]


def test_the_author_re_signing_her_approved_screening_is_named(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """kit edits her approved screening's answers with SQL and signs a new submission with her
    own key, as the app would: the approval no longer covers it."""
    kit = open_app(team)
    with kit.session.write("tamper") as db:
        db.execute(
            "UPDATE answers SET value_json = '\"no\"' WHERE screening_id = 1 "
            "AND question_id = 'v_substance_use'"
        )
        signing.record(kit.session, 1, "submit")
    kit.close()
    code, err = check(team, capsys, monkeypatch)
    assert code == 2
    assert "CSE-2026-000001: its submission was signed again by kit" in err


def test_a_fact_signed_in_someone_else_s_name_is_named(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """rowan signs an approval of screening 2 with her own key and writes sol's id as the
    signer and the reviewer."""
    rowan = open_app(team, "rowan")
    with rowan.session.write("tamper") as db:
        db.execute(
            "INSERT INTO reviews (screening_id, reviewer_id, decision, comment, band, at) "
            "VALUES (2, 5, 'approve', '', 'low', '2026-11-24 10:00:00')"
        )
        db.execute("UPDATE screenings SET status = 'approved' WHERE id = 2")
        signing.record(
            rowan.session,
            2,
            "approve",
            review_id=int(db.conn.execute("SELECT max(id) FROM reviews").fetchone()[0]),
        )
        db.execute(
            "UPDATE signatures SET signer_id = 5 WHERE id = (SELECT max(id) FROM signatures)"
        )
    rowan.close()
    code, err = check(team, capsys, monkeypatch)
    assert code == 2 and "CSE-2026-000002: the approve signature is not sol's" in err


def test_a_signed_fact_s_content_edited_is_named(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with behind_the_app(team) as db:
        row = db.execute(
            "SELECT id, content FROM signatures WHERE kind = 'approve' AND screening_id = 3"
        ).fetchone()
        content = json.loads(row[1])
        content["shown"]["operative_band"] = "low"
        db.execute("UPDATE signatures SET content = ? WHERE id = ?", [json.dumps(content), row[0]])
        db.execute("UPDATE screenings SET operative_band = 'low' WHERE id = 3")
    code, err = check(team, capsys, monkeypatch)
    assert code == 2 and "CSE-2026-000003: what sol signed on" in err and "was edited" in err


def test_the_upgrade_boundaries_come_from_the_audit_trail_not_meta(team: Path) -> None:
    with behind_the_app(team) as db:
        assert integrity.boundaries(db) == (0, 1)
        db.execute("UPDATE meta SET value = '50' WHERE key = 'legacy_signatures_to'")
        assert integrity.boundaries(db) == (0, 1)


@pytest.mark.gui
def test_the_window_warns_at_sign_in_naming_each_finding(qtbot: QtBot, team: Path) -> None:
    """Two edits: the window opens at once, then one warning names both (the check of the
    signed facts runs off the GUI thread)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from screening_app.ui.startup import main_window

    with behind_the_app(team) as db:
        CASES["the list's child name changed alone"][0](db)
        CASES["a status set from submitted to approved with no review"][0](db)
    kit = open_app(team)
    win = main_window(kit, demo=False)
    qtbot.addWidget(win)

    def warned() -> QMessageBox:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        assert boxes and boxes[0].isVisible()
        return boxes[0]

    qtbot.waitUntil(lambda: bool(warned()), timeout=10_000)
    text = warned().text()
    assert "CSE-2026-000001: its child's name reads 'Alex Other'" in text
    assert "CSE-2026-000002: its status reads 'approved'" in text
    assert win.isVisible()  # the window stays usable
    warned().close()
    kit.close()


def test_a_second_check_verifies_only_what_is_new_and_trusts_no_one_else_s_record(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sol's check remembers, under sol's signature, how far every signature verified; the next
    check verifies only newer ones. A signature changed since is verified (and named) again,
    and a record copied into kit's name is not trusted."""
    calls: list[int] = []
    real = crypto.verify
    monkeypatch.setattr(
        crypto,
        "verify",
        lambda *a: calls.append(1) or real(*a),  # type: ignore[func-returns-value]
    )
    sol = open_app(team, "sol")
    assert sol.backups.check() == []
    first = len(calls)
    calls.clear()
    assert sol.backups.check() == []
    assert first > 20 and len(calls) < 5  # the record's own signature, not every row again
    sol.close()
    with behind_the_app(team) as db:
        other = db.execute("SELECT signature FROM signatures WHERE id = 1").fetchone()[0]
        db.execute("UPDATE signatures SET signature = ? WHERE id = 2", [other])
        sol_record = db.execute("SELECT value FROM meta WHERE key = 'verified_by:5'").fetchone()
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('verified_by:2', ?)", [sol_record[0]]
        )
    sol = open_app(team, "sol")
    assert any("signature is not" in f for f in sol.backups.check())
    sol.close()
    kit = open_app(team)
    assert check_record.verified(kit.session) == integrity.Verified()
    kit.close()


GARBAGE = ("", "zz", "{}", "[]", '{"shown": [1]}', "9" * 30, None)


@pytest.mark.parametrize(
    "column", ["kind", "signer_id", "digest", "signature", "content", "review_id", "screening_id"]
)
def test_garbage_in_a_signature_row_is_named_and_never_crashes(
    column: str,
    team: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for value in GARBAGE:
        if value is None and column in ("kind", "signer_id", "digest", "signature", "screening_id"):
            continue  # NOT NULL columns
        with behind_the_app(team) as db:
            db.execute(
                f"UPDATE signatures SET {column} = ? WHERE id = "
                "(SELECT min(id) FROM signatures WHERE review_id IS NOT NULL)",
                [value],
            )
        code, err = check(team, capsys, monkeypatch)
        assert code == 2 and "Traceback" not in err and err.strip(), (column, value)


def test_garbage_in_audit_signatures_is_named_and_never_crashes(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with behind_the_app(team) as db:
        db.execute("UPDATE audit SET signer_id = 'x', signature = 'zz' WHERE id = 4")
        db.execute("UPDATE audit SET signature = '00' WHERE id = 5")
    code, err = check(team, capsys, monkeypatch)
    assert code == 2 and "audit row 4: its signature is not its author's" in err


def test_a_fact_moved_onto_another_screening_is_named(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with behind_the_app(team) as db:
        db.execute(
            "UPDATE signatures SET screening_id = 2 WHERE kind = 'approve' AND id = "
            "(SELECT min(id) FROM signatures WHERE kind = 'approve')"
        )
    code, err = check(team, capsys, monkeypatch)
    assert code == 2 and "CSE-2026-000002: a fact sol signed on" in err
    assert "about CSE-2026-000001 was moved onto it" in err


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (
            "UPDATE audit SET detail = replace(detail, 'consent_not_sought', 'consent_given') "
            "WHERE action = 'printed'",
            "its contents were changed after it was written",
        ),
        (
            "DELETE FROM audit WHERE action = 'hold_placed'",
            "the row before it was changed or removed",
        ),
    ],
    ids=["a share's basis rewritten", "a legal hold removed"],
)
def test_a_share_s_basis_or_a_legal_hold_edited_in_the_file_is_named(
    team: Path,
    edit: str,
    named: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The disclosure log and the holds are audit rows: an insider with the key cannot make a
    share look consented to, or slip a child out of a hold, without db check naming it."""
    from screening_app.domain import disclosure

    sol = open_app(team, "sol")
    share = disclosure.make("Northvale MASH", "a referral", "consent_not_sought")
    sol.referrals.record_export(1, "printed", share=share)
    sol.retention.place_hold("CSE-2026-000001", "The Northvale inquiry asked for it.")
    sol.close()
    assert_named_after(team, edit, named, capsys, monkeypatch)


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (
            "UPDATE audit SET detail = replace(detail, 'nothing is open', 'the family asked') "
            "WHERE action = 'record_deleted'",
            "its contents were changed after it was written",
        ),
        (
            "DELETE FROM audit WHERE action = 'record_deleted'",
            "the row before it was changed or removed",
        ),
        (
            "UPDATE screenings SET content_removed_at = NULL WHERE reference = 'CSE-2026-000002'",
            "CSE-2026-000002: its date its content was removed reads nothing",
        ),
    ],
    ids=["a deletion's reason rewritten", "a tombstone removed", "a deletion undone"],
)
def test_a_deletion_s_tombstone_edited_in_the_file_is_named(
    team: Path,
    edit: str,
    named: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A deletion is a supervisor's decision in the audit trail and a signed fact: an insider
    with the key cannot change why it was made, hide that it was made, or make the record look
    kept, without db check naming it."""
    import datetime as dt

    sol = open_app(team, "sol", now=dt.datetime(2080, 1, 2, 9, 0))
    sol.retention.delete("CSE-2026-000002", "The period ended; nothing is open.")
    sol.close()
    assert_named_after(team, edit, named, capsys, monkeypatch)


def test_a_referral_is_refused_when_the_answers_no_longer_give_the_signed_score(
    team: Path,
) -> None:
    """An insider changes an answer behind the app: the referral would print a score nobody
    signed, so it is refused and points at db check instead."""
    kit = open_app(team)
    before = kit.referrals.referral_input(1).result.total
    kit.close()
    with behind_the_app(team) as db:
        db.execute(
            "UPDATE answers SET value_json = '\"no\"' WHERE screening_id = 1 "
            "AND question_id = 'v_substance_use'"
        )
    kit = open_app(team)
    try:
        with pytest.raises(StorageError, match="no longer give the score stored") as refused:
            kit.referrals.referral_input(1)
        assert "db check" in refused.value.message and before > 0
        assert kit.referrals.referral_input(2).reference == "CSE-2026-000002"  # the others print
    finally:
        kit.close()


def assert_named_after(
    team: Path,
    edit: str,
    named: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``edit`` (one row changed behind the app) makes db check exit 2 naming ``named``."""
    with behind_the_app(team) as db:
        assert db.execute(edit).rowcount == 1
    code, err = check(team, capsys, monkeypatch)
    assert code == 2 and "Traceback" not in err
    assert named in err, err
