"""``db init|check|backup|restore``, ``users add`` and ``import`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.cli import run
from tests.forms.test_forms import all_examples

pytestmark = pytest.mark.usefixtures("fast_kdf")


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI uses production key derivation; tests swap in the fast parameters."""
    from screening_app.services import access
    from screening_app.services.model import FAST_KDF

    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)


def pw(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_init_users_import_check_backup_restore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    admin = pw(tmp_path, "a.pw", "admin-password-1")
    kit = pw(tmp_path, "k.pw", "kit-password-1")
    assert run(["db", "init", "--db", db, "--admin", "admin", "--password-file", admin]) == 0
    out = capsys.readouterr().out
    assert "Recovery key:" in out and "only once" in out
    assert (
        run(
            [
                "users",
                "add",
                "kit",
                "--role",
                "practitioner",
                "--db",
                db,
                "--user",
                "admin",
                "--password-file",
                admin,
                "--new-password-file",
                kit,
            ]
        )
        == 0
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"form_id": "cse-risk-screening", "form_version": 1, "answers": {}}')
    good = [str(p) for p in all_examples()]
    assert (
        run(["import", *good, str(bad), "--db", db, "--user", "kit", "--password-file", kit]) == 2
    )
    captured = capsys.readouterr()
    assert captured.out.count("stored as CSE-") == len(good)
    assert "bad.json: child_first_name" in captured.err
    assert run(["db", "check", "--db", db, "--user", "kit", "--password-file", kit]) == 0
    backup = str(tmp_path / "b.db")
    assert (
        run(["db", "backup", "-o", backup, "--db", db, "--user", "kit", "--password-file", kit])
        == 0
    )
    Path(db).write_bytes(Path(db).read_bytes()[:5000])
    assert run(["db", "check", "--db", db, "--user", "kit", "--password-file", kit]) == 2
    assert "backup" in capsys.readouterr().err
    assert run(["db", "restore", backup, "--db", db, "--user", "kit", "--password-file", kit]) == 0
    assert run(["db", "check", "--db", db, "--user", "kit", "--password-file", kit]) == 0


def test_wrong_password_and_missing_password_file_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    admin = pw(tmp_path, "a.pw", "admin-password-1")
    assert run(["db", "init", "--db", db, "--admin", "admin", "--password-file", admin]) == 0
    wrong = pw(tmp_path, "w.pw", "wrong-password")
    assert run(["db", "check", "--db", db, "--user", "admin", "--password-file", wrong]) == 2
    assert "do not match" in capsys.readouterr().err
    assert (
        run(
            [
                "db",
                "check",
                "--db",
                db,
                "--user",
                "admin",
                "--password-file",
                str(tmp_path / "nope.pw"),
            ]
        )
        == 2
    )
    assert "not found" in capsys.readouterr().err
    assert run(["db", "init", "--db", db, "--admin", "x", "--password-file", admin]) == 2
    assert "already exists" in capsys.readouterr().err
