"""``db init|check|backup|restore``, ``users add`` and ``import`` from the command line."""

from __future__ import annotations

import json
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


def add_user(db: str, admin: str, name: str, role: str, password_file: str) -> int:
    signed_in = ["--db", db, "--user", "admin", "--password-file", admin]
    new = ["--new-password-file", password_file]
    return run(["users", "add", name, "--role", role, "--team", "North", *signed_in, *new])


def new_team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str, str, str]:
    """A database with admin, supervisor sol (granted with the recovery key) and practitioner
    kit (granted by sol): (db, admin's, sol's and kit's password files)."""
    db = str(tmp_path / "s.db")
    admin = pw(tmp_path, "a.pw", "admin-password-1")
    sol = pw(tmp_path, "s.pw", "sol-password-1")
    kit = pw(tmp_path, "k.pw", "kit-password-1")
    assert run(["db", "init", "--db", db, "--admin", "admin", "--password-file", admin]) == 0
    out = capsys.readouterr().out
    assert "only once" in out
    recovery = pw(tmp_path, "r.key", out.split("Recovery key: ")[1].split()[0])
    assert add_user(db, admin, "sol", "supervisor", sol) == 0
    assert add_user(db, admin, "kit", "practitioner", kit) == 0
    assert "can read no records until a supervisor grants access" in capsys.readouterr().out
    assert run(["list", "--db", db, "--user", "kit", "--password-file", kit]) == 2
    refused = capsys.readouterr().err
    assert "has not been given access" in refused  # and no supervisor can give it yet: the way
    assert "users grant kit --recovery-key-file FILE" in " ".join(refused.split())
    assert run(["users", "grant", "sol", "--db", db, "--recovery-key-file", recovery]) == 0
    assert run(["list", "--db", db, "--user", "kit", "--password-file", kit]) == 2
    assert "Ask a supervisor of your team (sol)" in " ".join(capsys.readouterr().err.split())
    assert run(["users", "grant", "kit", "--db", db, "--user", "sol", "--password-file", sol]) == 0
    return db, admin, sol, kit


def test_init_users_import_check_backup_restore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _admin, sol, kit = new_team(tmp_path, capsys)
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
    assert run(["db", "restore", backup, "--db", db, "--user", "kit", "--password-file", kit]) == 2
    assert "only supervisors and administrators can" in capsys.readouterr().err
    assert run(["db", "restore", backup, "--db", db, "--user", "sol", "--password-file", sol]) == 0
    assert run(["db", "check", "--db", db, "--user", "kit", "--password-file", kit]) == 0


def test_list_and_review_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, admin, sol, kit = new_team(tmp_path, capsys)
    good = [str(p) for p in all_examples()]
    assert run(["import", *good, "--db", db, "--user", "kit", "--password-file", kit]) == 0
    capsys.readouterr()
    assert run(["list", "--json", "--db", db, "--user", "sol", "--password-file", sol]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["status"] for r in rows} == {"submitted"} and len(rows) == len(good)
    assert {"reference", "status", "operative_band", "child_name"} <= set(rows[0])
    first, second = rows[0]["reference"], rows[1]["reference"]
    signed_in = ["--db", db, "--user", "sol", "--password-file", sol]
    assert run(["review", "approve", first, *signed_in]) == 0
    comment = pw(tmp_path, "c.txt", "Please add the date of the last missing episode.")
    assert run(["review", "return", second, "--comment-file", comment, *signed_in]) == 0
    assert run(["review", "approve", first, *signed_in]) == 2  # already decided
    assert "only a submitted screening" in capsys.readouterr().err.lower()
    # kit sees the outcome of both; kit may not review; the admin sees no records at all
    assert run(["list", "--json", "--db", db, "--user", "kit", "--password-file", kit]) == 0
    statuses = {r["reference"]: r["status"] for r in json.loads(capsys.readouterr().out)}
    assert (statuses[first], statuses[second]) == ("approved", "returned")
    kit_in = ["--db", db, "--user", "kit", "--password-file", kit]
    assert run(["review", "approve", second, *kit_in]) == 2
    assert run(["list", "--db", db, "--user", "admin", "--password-file", admin]) == 2
    assert "(admin) cannot see children's screenings" in capsys.readouterr().err
    assert run(["review", "approve", "CSE-1999-000001", *signed_in]) == 2


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


def test_disable_and_rotate_key_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, admin, sol, kit = new_team(tmp_path, capsys)
    admin_in = ["--db", db, "--user", "admin", "--password-file", admin]
    assert run(["users", "list", *admin_in]) == 0
    listed = capsys.readouterr().out
    assert "kit\tPractitioner, team North (active)" in listed
    assert run(["users", "disable", "kit", *admin_in]) == 0
    assert "next sign-in" in capsys.readouterr().out
    assert run(["list", "--db", db, "--user", "kit", "--password-file", kit]) == 2
    assert "do not match" in capsys.readouterr().err
    sol_in = ["--db", db, "--user", "sol", "--password-file", sol]
    assert run(["db", "rotate-key", *sol_in]) == 0
    assert "was changed" in capsys.readouterr().out
    assert run(["db", "rotate-key", *admin_in]) == 0
    assert "next sign-in" in capsys.readouterr().out
    assert run(["users", "disable", "nobody", *admin_in]) == 2
    assert run(["users", "grant", "kit", "--db", db]) == 2  # neither --user nor a recovery key
    assert "either --user SUPERVISOR or --recovery-key-file" in capsys.readouterr().err


def test_importing_the_same_file_twice_is_refused_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A duplicate import was accepted silently: two screenings of one referral."""
    db, _admin, _sol, kit = new_team(tmp_path, capsys)
    signed_in = ["--db", db, "--user", "kit", "--password-file", kit]
    one = str(all_examples()[0])
    assert run(["import", one, *signed_in]) == 0
    first = capsys.readouterr().out.split("stored as ")[1].split()[0]
    assert run(["import", one, *signed_in]) == 2
    refused = " ".join(capsys.readouterr().err.split())
    assert f"these answers are already stored as {first}; nothing was stored" in refused
    assert "--allow-duplicate" in refused
    assert run(["import", one, "--allow-duplicate", *signed_in]) == 0
    assert "stored as CSE-" in capsys.readouterr().out
