"""Restoring a backup cannot lose data or undo account decisions (docs/SECURITY.md)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from screening_app.errors import AuthenticationError, StorageError
from screening_app.services.access import list_backups, restore_backup
from screening_app.services.model import FAST_KDF, ListQuery
from screening_app.storage import backup as backup_module
from screening_app.storage.keyring import key_path
from tests.conftest import ADMIN_PW, USER_PW, open_app, submit_screening


def references(db_path: Path) -> set[str]:
    sol = open_app(db_path, "sol")
    try:
        return {r.reference for r in sol.listing.list(ListQuery())}
    finally:
        sol.close()


@pytest.fixture
def with_backup(db_path: Path) -> Path:
    """One screening, a backup of it, then a second screening made after the backup."""
    submit_screening(db_path)
    kit = open_app(db_path)
    kit.backups.backup_now()
    kit.close()
    submit_screening(db_path)
    return list_backups(db_path)[0].path


def test_restoring_the_live_database_onto_itself_is_refused(db_path: Path) -> None:
    submit_screening(db_path)
    for source in (db_path, key_path(db_path)):
        with pytest.raises(StorageError, match="the database itself"):
            restore_backup(db_path, source, "sol", USER_PW, FAST_KDF)
    assert references(db_path) == {"CSE-2026-000001"}


def test_restore_keeps_every_replaced_database(db_path: Path, with_backup: Path) -> None:
    """Two restores in the same second each keep what they replaced, under its own name."""
    first = restore_backup(db_path, with_backup, "sol", USER_PW, FAST_KDF)
    second = restore_backup(db_path, with_backup, "sol", USER_PW, FAST_KDF)
    assert first is not None and second is not None and first != second
    assert first.exists() and second.exists()
    assert references(db_path) == {"CSE-2026-000001"}
    log = json.loads(key_path(db_path).read_text())["log"]
    assert [e["action"] for e in log][-2:] == ["restored", "restored"]


def test_restore_never_brings_back_a_disabled_account_or_an_old_password(
    db_path: Path, with_backup: Path
) -> None:
    admin = open_app(db_path, "admin", ADMIN_PW)
    rowan = next(u for u in admin.accounts.list_users() if u.name == "rowan")
    admin.accounts.set_active(rowan.id, False)
    admin.close()
    kit = open_app(db_path)
    kit.accounts.change_password(USER_PW, "kit-new-password-1")
    kit.close()
    fresh_backup = open_app(db_path, "sol")
    made = fresh_backup.backups.backup_now()  # under today's key (the old one was rotated)
    fresh_backup.close()
    restore_backup(db_path, made.path, "admin", ADMIN_PW, FAST_KDF)
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        open_app(db_path, "rowan")
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        open_app(db_path, "kit")
    open_app(db_path, "kit", "kit-new-password-1").close()


def test_a_backup_from_before_a_rotation_is_refused_with_a_reason(
    db_path: Path, with_backup: Path, tmp_path: Path
) -> None:
    kit = open_app(db_path)
    outside = kit.backups.backup_now(tmp_path / "kept-elsewhere.db")
    kit.close()
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.request_rotation()
    admin.close()
    open_app(db_path).close()  # rotates; the backups folder is re-encrypted, this copy is not
    with pytest.raises(StorageError, match="before the data key last changed"):
        restore_backup(db_path, outside.path, "sol", USER_PW, FAST_KDF)
    restore_backup(db_path, with_backup, "sol", USER_PW, FAST_KDF)  # re-encrypted: fine
    assert references(db_path) == {"CSE-2026-000001"}


def test_restore_is_throttled_like_a_sign_in(db_path: Path, with_backup: Path) -> None:
    delays = []
    for _ in range(6):
        with pytest.raises(AuthenticationError) as caught:
            restore_backup(db_path, with_backup, "sol", "guess-password", FAST_KDF)
        delays.append(caught.value.retry_after)
    assert delays[-1] > 0
    with pytest.raises(AuthenticationError, match="Wait"):
        restore_backup(db_path, with_backup, "sol", USER_PW, FAST_KDF)


def test_a_full_disk_during_restore_changes_nothing(
    db_path: Path, with_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_source: Path, _dest: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_module, "_copy_file", full)
    with pytest.raises(StorageError, match="disk is full"):
        restore_backup(db_path, with_backup, "sol", USER_PW, FAST_KDF)
    monkeypatch.undo()
    assert references(db_path) == {"CSE-2026-000001", "CSE-2026-000002"}
    assert not list(db_path.parent.glob("*.partial"))


def test_a_full_disk_at_sign_in_is_not_called_damage(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening_app.storage import migrations
    from screening_app.storage.driver import DatabaseError

    def full(*_args: object, **_kw: object) -> int:
        raise DatabaseError("database or disk is full")

    monkeypatch.setattr(migrations, "migrate", full)
    with pytest.raises(StorageError) as caught:
        open_app(db_path)
    assert "disk is full" in caught.value.message
    assert "damaged" not in caught.value.message and "restore" not in caught.value.message.lower()


def test_leftovers_of_killed_backups_are_cleaned_at_the_next_sign_in(db_path: Path) -> None:
    folder = backup_module.backup_dir(db_path)
    folder.mkdir(exist_ok=True)
    leftovers = [
        folder / "screenings-20261124-100000-000000.backup.db.partial",
        folder / "screenings-20261124-100000-000000.backup.db.partial-journal",
        db_path.with_name("screenings.db.restoring.partial"),
        db_path.with_name(".keys-abc123"),
    ]
    for item in leftovers:
        item.write_bytes(b"half a copy")
    open_app(db_path).close()
    assert [item for item in leftovers if item.exists()] == []


SLOW_RESTORE = """
import sys, time
from pathlib import Path
from screening_app.services.access import restore_backup
from screening_app.services.model import FAST_KDF
from screening_app.storage import backup

def slow_copy(source, dest):
    with open(source, "rb") as src, open(dest, "wb") as out:
        while chunk := src.read(4096):
            out.write(chunk)
            time.sleep(0.002)
        out.flush()

backup._copy_file = slow_copy
print("ready", flush=True)
restore_backup(Path(sys.argv[1]), Path(sys.argv[2]), "sol", sys.argv[3], FAST_KDF)
print("done", flush=True)
"""


@pytest.mark.slow
def test_killed_inside_restore_the_database_is_always_the_old_or_the_new(
    db_path: Path, with_backup: Path
) -> None:
    rng = random.Random(3)
    old, new = {"CSE-2026-000001", "CSE-2026-000002"}, {"CSE-2026-000001"}
    seen = set()
    for _trial in range(30):
        child = subprocess.Popen(
            [sys.executable, "-c", SLOW_RESTORE, str(db_path), str(with_backup), USER_PW],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path.cwd())},
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        child.communicate()
        found = references(db_path)
        assert found in (old, new)
        sol = open_app(db_path, "sol")  # and the key file agrees with it: no false alarm
        assert sol.session.store.warnings == []
        sol.close()
        seen.add(frozenset(found))
        assert not list(db_path.parent.glob("*.partial"))
        if found == new:  # start again from the newer database for the next trial
            submit_screening(db_path)
            old = references(db_path)
    assert len(seen) >= 2, "the kills should land both before and after the rename"


@pytest.mark.parametrize("step", ["key file", "rename"])
def test_a_backup_killed_at_any_step_leaves_the_pair_whole_or_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """Killed before its key file or before its own rename (simulated by an interrupt there):
    after the next sign-in the backup folder holds whole pairs only, and no leftovers."""
    submit_screening(db_path)
    kit = open_app(db_path)
    kit.backups.backup_now()  # one whole backup, which must stay
    with monkeypatch.context() as patched:

        def killed(*_args: object, **_kwargs: object) -> None:
            raise KeyboardInterrupt

        if step == "key file":
            patched.setattr(backup_module.Keyring, "save", killed)
        else:
            patched.setattr(backup_module.os, "replace", killed)
        with pytest.raises(KeyboardInterrupt):
            kit.backups.backup_now()
    kit.session.store.lock.release()  # the killed process's lock goes with it
    open_app(db_path).close()  # the next sign-in
    folder = backup_module.backup_dir(db_path)
    names = sorted(p.name for p in folder.iterdir() if not p.name.endswith(".log"))
    backups = [n for n in names if n.endswith(backup_module.SUFFIX)]
    assert backups and names == sorted([*backups, *(b + ".keys" for b in backups)]), names
