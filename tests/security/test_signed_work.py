"""A key holder edits the database behind the app's back (with the data key and SQLCipher):
every change to a signed decision or to the audit trail is named by `db check`, and the sign-in
checks warn at once — docs/SECURITY.md."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from screening_app import crypto
from screening_app.cli import run
from screening_app.services import access
from screening_app.services.model import FAST_KDF
from screening_app.storage import audit
from screening_app.storage.driver import Database, connect
from screening_app.storage.keyring import Keyring, key_path
from tests.conftest import USER_PW, open_app, submit_screening


@contextmanager
def behind_the_app(db_path: Path, user: str = "kit") -> Iterator[Database]:
    """The database opened outside the app with ``user``'s data key, as an insider could."""
    ring = Keyring.load(key_path(db_path))
    unlocked = ring.unlock(user, USER_PW, now=0.0)
    key = ring.data_key(unlocked.keys, unlocked.account.id)[0]
    db = connect(db_path, key)
    try:
        yield db
    finally:
        db.conn.commit()
        db.close()


def check(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    password = db_path.parent / "sol.pw"
    password.write_text(USER_PW)
    code = run(
        ["db", "check", "--db", str(db_path), "--user", "sol", "--password-file", str(password)]
    )
    return code, capsys.readouterr().err


@pytest.fixture
def reviewed(db_path: Path) -> Path:
    """Two submitted screenings by kit; sol approved the first and returned the second."""
    first = submit_screening(db_path, v_substance_use="yes")
    second = submit_screening(db_path)
    sol = open_app(db_path, "sol")
    sol.review.approve(first, USER_PW, "Agreed.")
    sol.review.return_for_changes(second, "Please add the school's view.")
    sol.close()
    return db_path


def test_an_untouched_database_passes_every_check(
    reviewed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check(reviewed, capsys, monkeypatch) == (0, "")


def test_changing_a_submitted_answer_is_named(
    reviewed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with behind_the_app(reviewed) as db:
        db.execute(
            "UPDATE answers SET value_json = ? WHERE question_id = 'v_substance_use' "
            "AND screening_id = 1",
            [json.dumps("no")],
        )
    code, err = check(reviewed, capsys, monkeypatch)
    assert code == 2
    assert "CSE-2026-000001: what kit signed" in err and "(submit) has since been changed" in err


def test_changing_a_review_comment_is_named(
    reviewed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with behind_the_app(reviewed) as db:
        db.execute("UPDATE reviews SET comment = 'Fine as it is.' WHERE decision = 'return'")
    code, err = check(reviewed, capsys, monkeypatch)
    assert code == 2 and "what sol signed" in err and "(return)" in err


def test_deleting_a_signature_to_hide_a_change_is_named(
    reviewed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with behind_the_app(reviewed) as db:
        db.execute("DELETE FROM signatures WHERE kind = 'submit' AND screening_id = 2")
    code, err = check(reviewed, capsys, monkeypatch)
    assert code == 2 and "CSE-2026-000002: submitted, but its submission is not signed" in err


def test_deleting_the_newest_audit_rows_is_caught_at_sign_in(
    reviewed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with behind_the_app(reviewed) as db:
        db.execute("DELETE FROM audit WHERE id > (SELECT max(id) - 3 FROM audit)")
    kit = open_app(reviewed)
    assert (
        kit.session.store.warnings == [kit.session.store.warnings[0]]
        and "its newest 3 were deleted" in kit.session.store.warnings[0]
    )
    kit.close()
    code, err = check(reviewed, capsys, monkeypatch)
    assert code == 2 and "its newest 3 were deleted" in err
    password = str(reviewed.parent / "sol.pw")
    signed_in = ["--db", str(reviewed), "--user", "sol", "--password-file", password]
    assert run(["db", "check", "--acknowledge", *signed_in]) == 0
    assert "was investigated" in capsys.readouterr().out
    assert run(["db", "check", *signed_in]) == 0  # the trail as it is now is vouched for


def test_wiping_the_audit_trail_is_caught(
    reviewed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with behind_the_app(reviewed) as db:
        db.execute("DELETE FROM audit")
    code, err = check(reviewed, capsys, monkeypatch)
    assert code == 2 and "all of them were deleted" in err


def test_editing_a_row_and_recomputing_the_chain_is_caught(
    reviewed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """kit hides a "view" of a record by renaming it and computes every hash again: the chain
    is whole, but the signatures are not kit's or sol's any more and the end is not the one the
    key file vouches for."""
    with behind_the_app(reviewed) as db:
        rows = db.execute(
            "SELECT id, at, user_id, user_name, action, record, detail FROM audit ORDER BY id"
        ).fetchall()
        prev = audit.GENESIS
        for row_id, at, user_id, user_name, action, record, detail in rows:
            if action == "review_return":
                action = "view"
            digest = audit._digest(prev, at, user_id, user_name, action, record, detail)
            db.execute(
                "UPDATE audit SET action = ?, prev_hash = ?, hash = ? WHERE id = ?",
                [action, prev, digest, row_id],
            )
            prev = digest
    code, err = check(reviewed, capsys, monkeypatch)
    assert code == 2
    assert "rows were changed or deleted (and the chain computed again)" in err
    assert "signature is not its author's" in err


def test_a_row_written_in_someone_else_s_name_is_caught(
    reviewed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """kit appends a row that says sol viewed a record, signed with kit's own key."""
    ring = Keyring.load(key_path(reviewed))
    kit_keys = ring.unlock("kit", USER_PW, now=0.0).keys
    with behind_the_app(reviewed) as db:
        audit.append(
            db,
            at="2026-11-24 11:00:00",
            user_id=5,
            user_name="sol",
            action="view",
            record="CSE-2026-000001",
            signer=(5, kit_keys.sign),
        )
    code, err = check(reviewed, capsys, monkeypatch)
    assert code == 2 and "signature is not its author's" in err
    assert crypto.SIGNATURE_BYTES == 64
