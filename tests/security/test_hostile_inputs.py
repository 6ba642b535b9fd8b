"""Files handed to the command line cannot hang it, exhaust memory or crash it: each is exit 2
with a line naming the file and what is wrong (docs/SECURITY.md, "A malicious file")."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.services import access
from screening_app.services.access import create_database
from screening_app.services.model import FAST_KDF


def answers_with(tmp_path: Path, count: str) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(
        '{"form_id": "cse-risk-screening", "form_version": 1, '
        f'"answers": {{"missing_count_3m": {count}}}}}'
    )
    return path


def test_a_5000_digit_number_is_refused_before_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["score", str(answers_with(tmp_path, "9" * 5000))]) == 2
    assert "more than 12 digits" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "huge"])
def test_an_answers_file_that_is_not_a_small_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "answers.json"
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would wait for a writer for ever
    elif kind == "dev-zero":
        path = Path("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        with open(path, "wb") as out:
            out.truncate(50_000_000)
    assert run(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert ("not a regular file" in err) if kind != "huge" else ("larger than 5 MB" in err)


def test_a_billion_laughs_form_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    form = tmp_path / "laughs.yaml"
    form.write_text("\n".join(levels) + "\n")
    assert run(["validate-form", str(form)]) == 2
    assert "aliases" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("levels", "said"),
    [
        (41, "nested more than 40 levels"),  # the loader's own limit
        (20_000, "exceeded maximum nesting depth"),  # libyaml's, met while it reads ahead
    ],
)
def test_a_deeply_nested_form_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], levels: int, said: str
) -> None:
    form = tmp_path / "deep.yaml"
    form.write_text("x: " + "[" * levels + "]" * levels + "\n")
    assert run(["validate-form", str(form)]) == 2
    assert said in capsys.readouterr().err


def test_a_50_mb_password_file_is_refused_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    db = tmp_path / "s.db"
    create_database(db, "admin", "admin-password-1", kdf=FAST_KDF)
    huge = tmp_path / "huge.pw"
    with open(huge, "wb") as out:
        out.truncate(50_000_000)
    assert (
        run(["db", "check", "--db", str(db), "--user", "admin", "--password-file", str(huge)]) == 2
    )
    assert "larger than 4 kB" in capsys.readouterr().err
