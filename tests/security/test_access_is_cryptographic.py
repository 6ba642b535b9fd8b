"""Who can read what is decided by keys, not by the window: each test plays an attacker who has
the files (a leaver, a curious administrator, someone editing the key file) — docs/SECURITY.md."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from screening_app import crypto
from screening_app.app import sign_in
from screening_app.errors import AuthenticationError, NoAccess, PermissionDenied, StorageError
from screening_app.services.model import FAST_KDF, ListQuery
from screening_app.storage import account_log, rotation
from screening_app.storage.driver import DatabaseError, connect
from screening_app.storage.keyring import KeyFileDamaged, Keyring, key_path, log_copy_path
from tests.conftest import ADMIN_PW, USER_PW, open_app, recovery_key_of, submit_screening


def data_keys_of(keys_file: Path, user: str, password: str) -> list[bytes]:
    """Every data key ``user`` can unseal from a copy of a key file: what a person holding
    that copy and the password can do outside the app."""
    ring = Keyring.load(keys_file)
    unlocked = ring.unlock(user, password, now=0.0)
    return ring.data_key(unlocked.keys, unlocked.account.id)


def opens(db_file: Path, key: bytes) -> bool:
    db = connect(db_file, key)
    try:
        db.execute("SELECT count(*) FROM screenings").fetchone()
    except DatabaseError:
        return False
    finally:
        db.close()
    return True


def test_the_administrator_holds_no_data_key(db_path: Path) -> None:
    assert data_keys_of(key_path(db_path), "admin", ADMIN_PW) == []
    admin = open_app(db_path, "admin", ADMIN_PW)
    assert admin.session.store.data_key is None
    with pytest.raises(NoAccess, match=r"Your account holds no key to children's records\. An"):
        admin.session.db.execute("SELECT child_name FROM screenings")
    admin.close()


def test_an_account_the_administrator_adds_reads_nothing_until_granted(db_path: Path) -> None:
    submit_screening(db_path)
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.add_user("spy", "spy-password-1", role="supervisor", team="North")
    spy = next(u for u in admin.accounts.list_users() if u.name == "spy")
    with pytest.raises(
        PermissionDenied, match=r"Your account \(admin\) cannot grant access to records: only"
    ):  # the administrator cannot grant what they lack
        admin.accounts.grant(spy.id)
    admin.close()
    assert data_keys_of(key_path(db_path), "spy", "spy-password-1") == []
    with pytest.raises(NoAccess, match="not been given access"):
        open_app(db_path, "spy", "spy-password-1")
    sol = open_app(db_path, "sol")
    sol.accounts.grant(spy.id)
    sol.close()
    granted = open_app(db_path, "spy", "spy-password-1")
    assert granted.listing.count(ListQuery()) == 1
    granted.close()
    log = json.loads(key_path(db_path).read_text())["log"]
    assert [e["action"] for e in log][-1] == "access_granted"


def test_practitioners_and_other_teams_cannot_grant(db_path: Path) -> None:
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.add_user("newcomer", "newcomer-pw-1", role="practitioner", team="South")
    newcomer = next(u for u in admin.accounts.list_users() if u.name == "newcomer")
    admin.close()
    kit = open_app(db_path)
    with pytest.raises(
        PermissionDenied, match=r"Your account \(practitioner\) cannot grant access to records"
    ):
        kit.accounts.grant(newcomer.id)
    kit.close()
    sol = open_app(db_path, "sol")  # a supervisor of North, not of South
    with pytest.raises(PermissionDenied, match="own team"):
        sol.accounts.grant(newcomer.id)
    sol.close()


def test_editing_the_key_file_to_change_a_role_is_refused(db_path: Path) -> None:
    data = json.loads(key_path(db_path).read_text())
    for entry in data["log"]:
        if entry["data"].get("name") == "kit":
            entry["data"]["role"] = "supervisor"
    key_path(db_path).write_text(json.dumps(data))
    with pytest.raises(KeyFileDamaged, match="signature"):
        open_app(db_path)


def test_copying_a_sealed_data_key_to_another_account_gives_nothing(db_path: Path) -> None:
    """The administrator pastes sol's sealed key into their own vault: the file no longer
    matches what the signed log says the vaults hold, and even read by hand the key is sealed
    to sol's public key, which the administrator's private key cannot open."""
    ring = Keyring.load(key_path(db_path))
    admin_keys = ring.unlock("admin", ADMIN_PW, now=0.0).keys
    sols = bytes.fromhex(ring.vault(5)["data_key"])  # 1: admin, 5: sol
    assert crypto.unseal(sols, admin_keys, b"cse-screening account 1") is None
    assert crypto.unseal(sols, admin_keys, b"cse-screening account 5") is None
    data = json.loads(key_path(db_path).read_text())
    vaults = {v["id"]: v for v in data["vaults"]}
    vaults[1]["data_key"] = vaults[5]["data_key"]
    key_path(db_path).write_text(json.dumps(data))
    with pytest.raises(KeyFileDamaged, match="does not hold what the account log says"):
        open_app(db_path, "admin", ADMIN_PW)


def test_a_leaver_s_old_key_file_and_backups_open_nothing_written_after(
    db_path: Path, tmp_path: Path
) -> None:
    """Rowan copies the key file, the database and the backups, then leaves and is disabled.
    After the next sign-in of a colleague, none of Rowan's copies opens the live database or
    the backups the app keeps, and Rowan cannot sign in."""
    submit_screening(db_path, "rowan")
    kit = open_app(db_path)
    kit.backups.backup_now()
    kit.close()
    loot = tmp_path / "loot"
    loot.mkdir()
    shutil.copy(key_path(db_path), loot / "old.keys")
    old_keys = data_keys_of(loot / "old.keys", "rowan", USER_PW)
    assert old_keys and opens(db_path, old_keys[0])  # before: Rowan could read everything

    admin = open_app(db_path, "admin", ADMIN_PW)
    rowan = next(u for u in admin.accounts.list_users() if u.name == "rowan")
    admin.accounts.set_active(rowan.id, False)
    admin.close()
    kit = open_app(db_path)  # rotates the data key before anything is written
    after = kit.screenings.start().row.reference
    kit.close()

    assert not opens(db_path, old_keys[0])
    for copy in (db_path.parent / "screenings-backups").glob("*.backup.db"):
        assert not opens(copy, old_keys[0])
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        open_app(db_path, "rowan")
    assert data_keys_of(key_path(db_path), "kit", USER_PW)
    kit = open_app(db_path)
    assert after in {r.reference for r in kit.listing.list(ListQuery())}
    kit.close()
    actions = [e["action"] for e in json.loads(key_path(db_path).read_text())["log"]]
    assert actions[-2:] == ["account_disabled", "data_key_rotated"]


def test_a_leaver_who_puts_her_old_key_file_back_gets_nothing_written_under_her_key(
    db_path: Path, tmp_path: Path
) -> None:
    """Rowan copies the key file, is disabled, and puts her copy back before any colleague
    signs in. The next key holder is refused before the database is opened — nothing new is
    written under the data key Rowan holds — and told what to do; once the administrator
    disables Rowan again on that file, the next sign-in changes the data key."""
    submit_screening(db_path, "rowan")
    loot = tmp_path / "old.keys"
    shutil.copy(key_path(db_path), loot)
    old_key = data_keys_of(loot, "rowan", USER_PW)[0]
    admin = open_app(db_path, "admin", ADMIN_PW)
    rowan_id = next(u.id for u in admin.accounts.list_users() if u.name == "rowan")
    admin.accounts.set_active(rowan_id, False)
    admin.close()
    shutil.copy(loot, key_path(db_path))  # the old file put back
    before = db_path.read_bytes()
    with pytest.raises(KeyFileDamaged) as refused:
        open_app(db_path)
    assert "lacks 1 later decision(s) (account disabled on" in str(refused.value)
    assert "users disable NAME" in str(refused.value)
    assert db_path.read_bytes() == before  # not even opened
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.set_active(rowan_id, False)
    admin.close()
    kit = open_app(db_path)
    kit.screenings.start()
    kit.close()
    assert not opens(db_path, old_key)


def test_a_rotation_interrupted_after_the_rekey_is_finished_at_the_next_sign_in(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between re-encrypting the database and telling the key file: the next sign-in
    opens with the key being rotated to and completes the step. Nothing is lost."""
    sid = submit_screening(db_path)
    admin = open_app(db_path, "admin", ADMIN_PW)
    rowan = next(u for u in admin.accounts.list_users() if u.name == "rowan")
    admin.accounts.set_active(rowan.id, False)
    admin.close()

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(rotation, "finish", killed)
    with pytest.raises(KeyboardInterrupt):
        open_app(db_path)
    monkeypatch.undo()
    sol = open_app(db_path, "sol")
    assert sol.screenings.get(sid).row.status == "submitted"
    sol.close()
    ring = Keyring.load(key_path(db_path))
    assert not ring.directory.rotation_due and ring.directory.key_epoch == 1


def test_the_recovery_key_grants_and_a_wrong_one_is_counted(db_path: Path) -> None:
    from screening_app.services.access import grant_with_recovery

    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.add_user("lead", "lead-password-1", role="supervisor", team="South")
    admin.close()
    with pytest.raises(AuthenticationError, match="not the recovery key"):
        grant_with_recovery(db_path, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", ["lead"], FAST_KDF)
    granted = grant_with_recovery(db_path, recovery_key_of(db_path), ["lead"], FAST_KDF)
    assert granted[0].has_access
    sign_in(db_path, "lead", "lead-password-1", kdf=FAST_KDF).close()


def test_a_password_reset_by_the_administrator_ends_access_until_granted_again(
    db_path: Path,
) -> None:
    admin = open_app(db_path, "admin", ADMIN_PW)
    kit = next(u for u in admin.accounts.list_users() if u.name == "kit")
    admin.accounts.reset_password(kit.id, "a-fresh-password-1")
    admin.close()
    with pytest.raises(NoAccess, match=r"Your account kit has not been given access to children's"):
        open_app(db_path, "kit", "a-fresh-password-1")
    sol = open_app(db_path, "sol")  # also rotates: kit's old keys held the data key
    sol.accounts.grant(kit.id)
    sol.close()
    open_app(db_path, "kit", "a-fresh-password-1").close()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["vaults"][1]["wrap"]["kdf"].update(t=100_000), "out of range"),
        (lambda d: d["vaults"][1]["wrap"]["kdf"].update(m=2**31), "out of range"),
        (lambda d: d["vaults"][1].update(failures=-1), "out of range"),
        (lambda d: d["vaults"][1]["wrap"].update(salt="zz" * 16), "not hexadecimal"),
        (lambda d: d["log"].pop(2), "out of order"),
        (lambda d: d["vaults"].pop(), "no vault"),
        (lambda d: d.update(format=3), "unknown format"),
        (lambda d: d.update(log=[]), "empty"),
    ],
)
def test_a_tampered_key_file_is_refused_by_name(
    db_path: Path, change: object, expected: str
) -> None:
    data = json.loads(key_path(db_path).read_text())
    change(data)  # type: ignore[operator]
    key_path(db_path).write_text(json.dumps(data))
    with pytest.raises(KeyFileDamaged, match=expected):
        open_app(db_path)


def test_an_older_copy_of_the_key_file_put_back_is_noticed(db_path: Path, tmp_path: Path) -> None:
    """An account is disabled; someone puts back the key file from before, in which it was
    still active. The database remembers how far the account log had got."""
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.add_user("temp", "temp-password-1", role="practitioner", team="North")
    temp = next(u for u in admin.accounts.list_users() if u.name == "temp")
    admin.close()
    open_app(db_path).close()
    older = tmp_path / "older.keys"
    shutil.copy(key_path(db_path), older)
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.set_active(temp.id, False)
    admin.close()
    open_app(db_path).close()  # kit's sign-in: the database notes where the log ends now
    shutil.copy(older, key_path(db_path))
    with pytest.raises(KeyFileDamaged, match="lacks 1 later decision"):
        open_app(db_path)  # the copy of the log beside the backups says so first
    log_copy_path(key_path(db_path)).unlink()  # and with that copy gone too, the database does
    with pytest.raises(KeyFileDamaged, match="lost 1 entries"):
        open_app(db_path)


def test_a_key_file_from_before_a_rotation_does_not_fit(db_path: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.keys"
    shutil.copy(key_path(db_path), older)
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.request_rotation()
    admin.close()
    open_app(db_path).close()  # rotates
    shutil.copy(older, key_path(db_path))
    with pytest.raises(StorageError, match="older copy"):
        open_app(db_path)


def test_rewriting_the_end_of_the_account_log_is_noticed(db_path: Path) -> None:
    """The administrator re-signs their own last entry with different contents: the log still
    verifies, but no longer ends the way the database saw it end."""
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.settings.set_int("idle_lock_minutes", 10)
    admin.close()
    open_app(db_path).close()  # the database notes the log's end
    ring = Keyring.load(key_path(db_path))
    admin_keys = ring.unlock("admin", ADMIN_PW, now=0.0).keys
    entry = ring.data["log"].pop()
    ring.directory = account_log.fold(ring.data["log"])
    data = {"key": "idle_lock_minutes", "value": 240}
    ring.append(1, admin_keys, "setting_changed", None, data, entry["at"])
    ring.save()
    with pytest.raises(KeyFileDamaged, match="rewritten"):
        open_app(db_path)


def test_a_key_file_that_is_a_fifo_or_huge_is_refused_without_waiting(
    db_path: Path, tmp_path: Path
) -> None:
    import os

    keys = key_path(db_path)
    keys.unlink()
    os.mkfifo(keys)
    with pytest.raises(KeyFileDamaged, match="not a regular file"):
        open_app(db_path)
    keys.unlink()
    with open(keys, "wb") as huge:
        huge.truncate(9 * 1024 * 1024)
    with pytest.raises(KeyFileDamaged, match="larger than"):
        open_app(db_path)
    keys.unlink()
    with pytest.raises(StorageError, match="missing"):
        open_app(db_path)
