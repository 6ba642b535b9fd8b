"""The command line: score / validate-form / forms, exit codes and the README's coverage."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from screening_app.cli import build_parser, run
from tests.forms.test_forms import all_examples

ROOT = Path(__file__).resolve().parents[2]


def example(stem: str) -> Path:
    return next(p for p in all_examples() if p.stem == stem)


def test_score_json_worked_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["score", str(example("worked-check")), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["final_band"], data["fired_rules"]) == (11, "moderate", [])


def test_score_json_under_13(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["score", str(example("under-13-rule")), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fired_rules"] == ["R3", "R4"]
    assert data["final_band"] == "significant"


def test_plain_output_ends_with_the_final_band(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["score", str(example("worked-check"))]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].split() == ["Final", "band", "MODERATE"]


def test_plain_output_is_in_words_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    """No question id, the SCU spelt out, and the unanswered indicators counted."""
    assert run(["score", str(example("worked-check"))]) == 0
    out = capsys.readouterr().out
    assert "v_substance_use" not in out and "s_controlling_adult" not in out
    assert "5  In a relationship with a controlling or much older person — Yes, within" in out
    assert "Safeguarding Coordination Unit (SCU)" in out
    assert "24 indicators not answered" in out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "must hold a JSON object"),
        (
            '{"form_id": "cse-risk-screening", "form_version": 9, "answers": {}}',
            "version 9 is not installed",
        ),
        (
            '{"form_id": "cse-risk-screening", "form_version": 1, "answers": {"child_dob": '
            '"2026-02-30", "v_missing": "yes", "nope": 1}}',
            "child_dob: '2026-02-30' is not a real",
        ),
    ],
)
def test_bad_answers_files_exit_2_with_a_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fragment: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    assert run(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert "Traceback" not in err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["score", str(tmp_path / "absent.json")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_validate_form_ok_and_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = ROOT / "forms" / "cse-risk-screening" / "v1.yaml"
    assert run(["validate-form", str(good)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        good.read_text(encoding="utf-8").replace("type: yes_no", "type: yesno", 1), encoding="utf-8"
    )
    assert run(["validate-form", str(bad)]) == 2
    assert "unknown question type 'yesno'" in capsys.readouterr().err


def test_forms_lists_installed_forms(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["forms"]) == 0
    assert "cse-risk-screening\tv1" in capsys.readouterr().out


def test_entry_point_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "screening_app", "score", str(example("worked-check")), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 11


def subcommands() -> list[str]:
    parser = build_parser()
    names: list[str] = []
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in getattr(action, "choices", {}).items():
            nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
            if nested:
                names += [f"{name} {child}" for child in nested[0].choices]
            else:
                names.append(name)
    return names


def test_readme_documents_every_subcommand() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`screening-app ([a-z-]+(?: [a-z][a-z-]*)?)", readme))
    missing = [
        name
        for name in subcommands()
        if name not in documented and name.split()[0] not in documented
    ]
    assert subcommands()
    assert not missing, f"README lacks: {missing}"


@pytest.mark.parametrize(
    ("argv", "opens_window"),
    [
        ([], True),
        (["--demo"], True),
        (["--db", "a.db"], True),
        (["--db=a.db", "--demo"], True),
        (["--db", "--demo"], False),  # argparse's own error: "expected one argument"
        (["--version"], False),
        (["score", "a.json"], False),  # a command: the full parser
        (["--db"], False),  # an error: the full parser reports it with the whole usage
        (["--bogus"], False),
        (["-h"], False),
    ],
)
def test_window_fast_path_only_takes_plain_window_arguments(
    argv: list[str], opens_window: bool
) -> None:
    from screening_app.cli import _window_arguments

    args = _window_arguments(argv)
    assert (args is not None) == opens_window
    if args is not None:
        full = build_parser().parse_args(argv)
        assert (args.db, args.demo, args.command) == (full.db, full.demo, full.command)


def test_bad_window_option_exits_2_with_the_full_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["--db"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "expected one argument" in err and "COMMAND" in err


def test_a_new_password_typed_at_the_terminal_is_asked_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`server init` and `server users add` set a password nobody has seen: a typing mistake
    would lock its owner out, so it is typed twice and two that differ change nothing."""
    import getpass

    from screening_app.cli.passwords import new_password_from
    from screening_app.errors import InputFileError

    typed = iter(["server-password-1", "server-password-1", "server-password-1", "typo"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt: next(typed))
    assert new_password_from(None, "New password: ") == "server-password-1"
    with pytest.raises(InputFileError) as differ:
        new_password_from(None, "New password: ")
    assert "the two new passwords you typed differ" in differ.value.problems[0].message


def test_a_reader_that_stops_reading_is_not_a_bug() -> None:
    """``screening-app forms | head -0``: the pipe closes before anything is read; the command
    ends quietly with 0, never "a bug" and a traceback in the log."""
    import subprocess
    import sys

    with subprocess.Popen(
        [sys.executable, "-m", "screening_app", "forms"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader is gone
        said = process.stderr.read().decode()
        code = process.wait(timeout=60)
    assert code == 0, said
    assert "a bug" not in said and "Traceback" not in said and "BrokenPipe" not in said
