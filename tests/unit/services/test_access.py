"""Signing in: passwords, throttling, recovery key, password changes, locking, faults."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from screening_app.app import sign_in, sign_in_with_recovery
from screening_app.errors import (
    AuthenticationError,
    DatabaseLocked,
    NewerVersion,
    PermissionDenied,
    StorageError,
)
from screening_app.services.access import create_database, list_backups, restore_backup
from screening_app.services.model import FAST_KDF
from screening_app.storage import store
from screening_app.storage.keyring import KeyFileDamaged, key_path
from tests.conftest import ADMIN_PW, USER_PW, base_answers, open_app


def test_wrong_password_and_unknown_user_read_the_same(db_path: Path) -> None:
    with pytest.raises(AuthenticationError) as wrong:
        sign_in(db_path, "kit", "not-the-password", kdf=FAST_KDF)
    with pytest.raises(AuthenticationError) as unknown:
        sign_in(db_path, "nobody", "not-the-password", kdf=FAST_KDF)
    assert wrong.value.message == unknown.value.message
    assert "kit" not in wrong.value.message


class Clock:
    """Seconds for the sign-in throttle, moved on by the test instead of waiting."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def seconds(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(store, "now_seconds", clock)
    return clock


def test_delay_grows_after_five_failures_and_failures_are_audited(
    db_path: Path, seconds: Clock
) -> None:
    delays = []
    for _ in range(6):
        with pytest.raises(AuthenticationError) as caught:
            sign_in(db_path, "kit", "wrong-password", kdf=FAST_KDF)
        delays.append(caught.value.retry_after)
        seconds.now += 61  # the delay has passed
    assert delays[:4] == [0, 0, 0, 0] and 0 < delays[4] < delays[5] <= 60
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        sign_in(db_path, "kit", "wrong-password", kdf=FAST_KDF)
    with pytest.raises(AuthenticationError, match="Wait"):
        sign_in(db_path, "kit", USER_PW, kdf=FAST_KDF)  # even the right password waits
    seconds.now += 61
    open_app(db_path).close()
    sol = open_app(db_path, "sol")
    failed = [e for e in sol.audit.entries() if e.action == "failed_sign_ins"]
    sol.close()
    assert failed and failed[0].detail.startswith("7 since")


def test_failures_are_counted_per_account(db_path: Path, seconds: Clock) -> None:
    """Someone typing made-up names, or guessing kit's password, never delays the admin."""
    for name in ["kit"] * 8 + ["made-up"] * 8:
        with pytest.raises(AuthenticationError):
            sign_in(db_path, name, "wrong-password", kdf=FAST_KDF)
    with pytest.raises(AuthenticationError, match="Wait"):
        sign_in(db_path, "kit", USER_PW, kdf=FAST_KDF)
    with pytest.raises(AuthenticationError, match="Wait"):
        sign_in(db_path, "made-up", "wrong-password", kdf=FAST_KDF)
    sign_in(db_path, "admin", ADMIN_PW, kdf=FAST_KDF).close()
    open_app(db_path, "rowan").close()


def test_deleting_the_failure_counter_does_not_lift_the_delay(
    db_path: Path, seconds: Clock
) -> None:
    for _ in range(7):
        with pytest.raises(AuthenticationError):
            sign_in(db_path, "kit", "wrong-password", kdf=FAST_KDF)
    data = json.loads(key_path(db_path).read_text())
    for vault in data["vaults"]:
        del vault["failures"], vault["not_before"]
    key_path(db_path).write_text(json.dumps(data))
    with pytest.raises(KeyFileDamaged, match="damaged"):
        sign_in(db_path, "kit", USER_PW, kdf=FAST_KDF)


def test_recovery_key_resets_the_admin_password(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    recovery = create_database(path, "admin", ADMIN_PW, kdf=FAST_KDF)
    with pytest.raises(
        AuthenticationError, match=r"That is not the recovery key of this database\. Type it as"
    ):
        sign_in_with_recovery(
            path, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", "admin", "brand-new-pw-1", kdf=FAST_KDF
        )
    sign_in_with_recovery(path, recovery.lower(), "admin", "brand-new-pw-1", kdf=FAST_KDF).close()
    sign_in(path, "admin", "brand-new-pw-1", kdf=FAST_KDF).close()
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        sign_in(path, "admin", ADMIN_PW, kdf=FAST_KDF)


def test_change_password_relocks_only_that_account_s_keys(db_path: Path) -> None:
    def wraps() -> dict[int, object]:
        data = json.loads(key_path(db_path).read_text())
        return {v["id"]: v["wrap"] for v in data["vaults"]}

    before = wraps()
    app = open_app(db_path)
    with pytest.raises(
        AuthenticationError, match=r"Your current password is not right; nothing was changed\."
    ):
        app.accounts.change_password("wrong", "a-new-password-1")
    app.accounts.change_password(USER_PW, "a-new-password-1")
    assert app.accounts.verify_password("a-new-password-1")
    app.close()
    after = wraps()
    assert [n for n in before if before[n] != after[n]] == [app.user.id]
    open_app(db_path, "kit", "a-new-password-1").close()
    open_app(db_path, "rowan").close()


def test_only_admins_manage_accounts_and_disabled_cannot_sign_in(db_path: Path) -> None:
    kit = open_app(db_path)
    with pytest.raises(
        PermissionDenied, match=r"Your account \(practitioner\) cannot add accounts: only"
    ):
        kit.accounts.add_user("eve", "long-password-1", role="admin")
    kit.close()
    admin = open_app(db_path, "admin", ADMIN_PW)
    rowan = next(u for u in admin.accounts.list_users() if u.name == "rowan")
    admin.accounts.set_active(rowan.id, False)
    assert not next(u for u in admin.accounts.list_users() if u.name == "rowan").active
    admin.close()
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        open_app(db_path, "rowan")


def test_a_deleted_lock_file_stops_the_first_copy_writing(db_path: Path) -> None:
    """Deleting ``.lock`` under an open session lets a second copy in; the first then refuses
    to write anything, the key file included, instead of overwriting the second's work."""
    first = open_app(db_path)
    draft = first.screenings.start()
    Path(str(db_path) + ".lock").unlink()
    second = sign_in(db_path, "admin", ADMIN_PW, kdf=FAST_KDF)
    second.accounts.add_user("newcomer", "newcomer-pw-1", role="practitioner", team="North")
    second.close()
    with pytest.raises(DatabaseLocked, match="lock file"):
        first.screenings.save_answer(draft.row.id, "child_first_name", "Kit")
    with pytest.raises(
        DatabaseLocked, match=r"The lock file of this database was removed while it was"
    ):
        first.accounts.change_password(USER_PW, "another-password-1")
    first.close()
    sign_in(db_path, "admin", ADMIN_PW, kdf=FAST_KDF).close()
    admin = sign_in(db_path, "admin", ADMIN_PW, kdf=FAST_KDF)
    assert "newcomer" in [u.name for u in admin.accounts.list_users()]
    admin.close()
    open_app(db_path).close()  # kit's password did not change


def test_a_second_copy_is_refused_at_once(db_path: Path) -> None:
    """Refused, not queued: the lock is taken without waiting (a wait would trip the suite's
    faulthandler timeout rather than pass slowly)."""
    app = open_app(db_path)
    with pytest.raises(DatabaseLocked, match="already open"):
        open_app(db_path, "rowan")
    app.close()
    open_app(db_path, "rowan").close()


def test_a_lock_held_by_another_process_is_refused(db_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl,sys,time; f=open(sys.argv[1],'a+b'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
            str(db_path) + ".lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(
            DatabaseLocked, match=r"This screening database is already open in another copy of"
        ):
            open_app(db_path)
    finally:
        holder.kill()
        holder.communicate()
    open_app(db_path).close()


def test_a_file_that_is_not_a_database(tmp_path: Path, db_path: Path) -> None:
    fake = tmp_path / "fake.db"
    fake.write_bytes(b"this is a shopping list, not a database" * 100)
    key_path(fake).write_bytes(key_path(db_path).read_bytes())
    with pytest.raises(StorageError, match="not a screening database"):
        open_app(fake)


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_damaged_database_is_reported_and_restorable(db_path: Path, damage: str) -> None:
    app = open_app(db_path)
    draft = app.screenings.start()
    app.screenings.save_answer(draft.row.id, "child_first_name", "Kit")
    app.backups.backup_now()
    app.close()
    data = bytearray(db_path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 3]
    else:
        for offset in range(0, len(data), 4096):
            data[offset + 100] ^= 0xFF
    db_path.write_bytes(bytes(data))
    with pytest.raises(StorageError) as caught:
        app = open_app(db_path)
        app.screenings.get(draft.row.id)
    assert "backup" in caught.value.message
    backups = list_backups(db_path)
    assert backups
    aside = restore_backup(db_path, backups[0].path, "sol", USER_PW, FAST_KDF)
    assert aside is not None and aside.exists()
    app = open_app(db_path)
    assert app.screenings.get(draft.row.id).answers["child_first_name"] == "Kit"
    app.close()


def test_restore_needs_a_supervisor_or_an_administrator(db_path: Path, tmp_path: Path) -> None:
    app = open_app(db_path)
    made = app.backups.backup_now(tmp_path / "copy.db")
    app.close()
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        restore_backup(db_path, made.path, "sol", "wrong-password", FAST_KDF)
    with pytest.raises(PermissionDenied, match="only supervisors and administrators can"):
        restore_backup(db_path, made.path, "kit", USER_PW, FAST_KDF)


def test_newer_schema_is_refused_and_left_alone(db_path: Path) -> None:
    app = open_app(db_path)
    app.session.store.db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    app.close()
    before = db_path.read_bytes()
    with pytest.raises(NewerVersion, match="newer version"):
        open_app(db_path)
    assert db_path.read_bytes() == before


def test_audit_chain_reports_the_first_changed_row(db_path: Path) -> None:
    app = open_app(db_path)
    for _ in range(2):
        app.screenings.start()
    db = app.session.store.db
    assert app.audit.verify() is None
    rows = db.execute("SELECT id FROM audit ORDER BY id").fetchall()
    target = rows[len(rows) // 2][0]
    db.execute("UPDATE audit SET action = 'nothing' WHERE id = ?", [target])
    broken = app.audit.verify()
    app.close()
    assert broken is not None and broken.startswith(f"audit row {target}:")


def test_answers_never_reach_the_audit_trail(db_path: Path) -> None:
    app = open_app(db_path)
    draft = app.screenings.start()
    for qid, value in base_answers(child_last_name="Quillfeather").items():
        app.screenings.save_answer(draft.row.id, qid, value)
    app.screenings.submit(draft.row.id)
    app.close()
    sol = open_app(db_path, "sol")
    text = " ".join(f"{e.action} {e.record} {e.detail}" for e in sol.audit.entries())
    sol.close()
    assert "submit CSE-2026-000001" in text
    assert "Quillfeather" not in text and "Kit" not in text
