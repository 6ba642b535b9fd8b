"""Every text field of the command line, given hostile text, is exit 0 or 2 with a sentence —
never a traceback (exit 1): undecodable bytes (kept by Python as lone surrogates), NUL, 100 000
characters, a look-alike name, an empty string. User names are refused unless made of a–z, digits
and ``. _ -`` (docs/SECURITY.md, "User names")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screening_app.cli import run
from tests.forms.test_forms import all_examples
from tests.unit.test_cli_db import new_team, pw

pytestmark = pytest.mark.usefixtures("fast_kdf")
HOSTILE = ("ad\udcffmin", "a\x00b", "x" * 100_000, "ѕol", "", "-", "sol kit", "ﬁ", "\u202esol")


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from screening_app.services import access
    from screening_app.services.model import FAST_KDF

    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)


def test_every_text_field_exits_0_or_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, admin, sol, kit = new_team(tmp_path, capsys)
    as_admin = ["--db", db, "--user", "admin", "--password-file", admin]
    as_sol = ["--db", db, "--user", "sol", "--password-file", sol]
    new = ["--new-password-file", pw(tmp_path, "n.pw", "new-password-12")]
    comment = pw(tmp_path, "c.txt", "Please add the dates of the missing episodes.")
    example = str(all_examples()[0])
    commands = [
        lambda t: [
            "db",
            "init",
            "--db",
            str(tmp_path / "n.db"),
            "--admin",
            t,
            "--password-file",
            admin,
        ],
        lambda t: ["users", "add", t, "--role", "practitioner", "--team", "North", *as_admin, *new],
        lambda t: ["users", "add", "ash", "--role", t, "--team", "North", *as_admin, *new],
        lambda t: ["users", "add", "ash", "--role", "practitioner", "--team", t, *as_admin, *new],
        lambda t: ["users", "grant", t, *as_sol],
        lambda t: ["users", "disable", t, *as_admin],
        lambda t: ["list", "--db", db, "--user", t, "--password-file", kit],
        lambda t: ["review", "approve", t, *as_sol],
        lambda t: ["review", "return", t, "--comment-file", comment, *as_sol],
        lambda t: ["stats", "--from", t, "--to", "2026-12", *as_sol],
        lambda t: ["score", example, "--form", t],
        lambda t: ["connect", t, "--fingerprint", "ab" * 32, *as_sol],
        lambda t: ["connect", "https://127.0.0.1:1", "--fingerprint", t, *as_sol],
    ]
    for command in commands:
        for text in HOSTILE:
            argv = command(text)
            try:
                code = run(argv)
            except SystemExit as refused:  # argparse's own refusal: its usage line, exit 2
                code = int(refused.code or 0)
                capsys.readouterr()
                assert code == 2, argv[:3]
                continue
            err = capsys.readouterr().err
            assert code in (0, 2), (argv[:3], text[:20], err[-300:])
            if code == 2:
                assert "screening-app:" in err and "a bug" not in err


def test_a_look_alike_or_spaced_user_name_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, admin, _sol, _kit = new_team(tmp_path, capsys)
    for name in ("ѕol", "sol kit", "Sölvi", "\u202esol"):
        code = run(
            [
                "users",
                "add",
                name,
                "--role",
                "practitioner",
                "--team",
                "North",
                "--db",
                db,
                "--user",
                "admin",
                "--password-file",
                admin,
                "--new-password-file",
                pw(tmp_path, "n.pw", "new-password-12"),
            ]
        )
        assert code == 2
        assert "letters a to z, digits" in capsys.readouterr().err


def test_an_answers_file_with_a_lone_surrogate_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _admin, _sol, kit = new_team(tmp_path, capsys)
    document = json.loads(all_examples()[0].read_text(encoding="utf-8"))
    text = json.dumps(document).replace('"child_first_name": "', '"child_first_name": "\\ud800')
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    assert run(["import", str(bad), "--db", db, "--user", "kit", "--password-file", kit]) == 2
    assert "answers.child_first_name" in capsys.readouterr().err
    assert run(["list", "--json", "--db", db, "--user", "kit", "--password-file", kit]) == 0
    assert json.loads(capsys.readouterr().out) == []
