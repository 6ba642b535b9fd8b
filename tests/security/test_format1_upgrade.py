"""A database made before per-account keys (key file format 1, made by that version of the app
and kept in tests/security/format1/) moves to the new model without losing anything."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.errors import AuthenticationError, NoAccess
from screening_app.services import access
from screening_app.services.access import upgrade_key_file
from screening_app.services.model import FAST_KDF, ListQuery
from screening_app.storage.keyring import KeyFileDamaged, key_path
from tests.conftest import ADMIN_PW, USER_PW, open_app

FIXTURE = Path(__file__).parent / "format1"


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    for item in FIXTURE.glob("format1.db*"):
        shutil.copy(item, tmp_path / item.name)
    return tmp_path / "format1.db"


def recovery() -> str:
    return (FIXTURE / "format1.recovery").read_text().strip()


def test_a_format_1_key_file_is_refused_with_the_way_forward(old_db: Path) -> None:
    before = old_db.read_bytes()
    with pytest.raises(KeyFileDamaged, match="db upgrade"):
        open_app(old_db)
    assert old_db.read_bytes() == before


def test_upgrade_keeps_every_record_password_and_account(old_db: Path) -> None:
    with pytest.raises(AuthenticationError, match="recovery key"):
        upgrade_key_file(old_db, "admin", ADMIN_PW, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", FAST_KDF)
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        upgrade_key_file(old_db, "admin", "wrong-password", recovery(), FAST_KDF)
    with pytest.raises(
        AuthenticationError, match=r"kit is not an active administrator of this database\."
    ):  # kit's password is right, but kit is no admin
        upgrade_key_file(old_db, "kit", USER_PW, recovery(), FAST_KDF)
    moved = upgrade_key_file(old_db, "admin", ADMIN_PW, recovery(), FAST_KDF)
    assert sorted(moved) == ["gone", "kit", "sol"]
    assert key_path(old_db).with_name("format1.db.keys.format1").exists()

    kit = open_app(old_db)  # the usual password; kit now gets keys of its own
    assert [r.reference for r in kit.listing.list(ListQuery())] == ["CSE-2026-000001"]
    kit.close()
    open_app(old_db).close()  # and again, now with those keys
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        open_app(old_db, "kit", "wrong-password")
    with pytest.raises(
        AuthenticationError, match=r"That user name and password do not match an account on this"
    ):
        open_app(old_db, "gone")  # disabled before the upgrade: still disabled
    admin = open_app(old_db, "admin", ADMIN_PW)
    assert admin.session.store.data_key is None  # the administrator no longer holds the key
    with pytest.raises(NoAccess, match=r"Your account holds no key to children's records\. An"):
        admin.session.db.execute("SELECT count(*) FROM screenings")
    admin.close()
    sol = open_app(old_db, "sol")
    assert sol.backups.check() == []
    sol.close()
    log = json.loads(key_path(old_db).read_text())["log"]
    assert [e["action"] for e in log].count("keys_set") == 2


def test_upgrade_from_the_command_line(
    old_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    admin = tmp_path / "a.pw"
    admin.write_text(ADMIN_PW)
    key = tmp_path / "r.key"
    key.write_text(recovery())
    args = ["db", "upgrade", "--db", str(old_db), "--user", "admin", "--password-file", str(admin)]
    assert run([*args, "--recovery-key-file", str(key)]) == 0
    assert "3 other account(s) carried over" in capsys.readouterr().out
    assert run([*args, "--recovery-key-file", str(key)]) == 2  # once only
    assert "not a format-1 key file" in capsys.readouterr().err
