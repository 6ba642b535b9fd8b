"""Deletion at the end of a retention period: only what is due, never under a legal hold (the
refusal names the hold), always with a reason; the content goes, a signed tombstone stays, and
db check still passes over what is left. (The server's witness: tests/server/test_deletion.py.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.errors import InputFileError, PermissionDenied, WorkflowError
from tests.conftest import NOW, USER_PW, open_app, submit_screening
from tests.security.test_signed_work import check

LATER = dt.datetime(2036, 3, 11, 9, 0)  # a school's file of a child born 10/03/2011 is due


def test_a_due_record_is_deleted_and_leaves_a_signed_tombstone(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = submit_screening(db_path, practitioner_role="teacher")
    submit_screening(db_path, practitioner_role="teacher", child_first_name="Ash")
    sol = open_app(db_path, "sol", now=LATER)
    deletion = sol.retention.delete("cse-2026-000002", "The period ended; nothing is open.")
    assert (deletion.reference, deletion.kind, deletion.keep_until) == (
        "CSE-2026-000002",
        "School or college file",
        "2036-03-10",
    )
    assert deletion.state() == "deleted here (the team server never held it)"
    [listed] = sol.retention.deleted()
    assert (listed.reference, listed.decided_by, listed.reason) == (
        "CSE-2026-000002",
        "sol",
        "The period ended; nothing is open.",
    )
    row = sol.session.by_reference("CSE-2026-000002")
    assert row.content_removed_at is not None and row.child_name == ""
    with pytest.raises(WorkflowError, match="was deleted on 2036-03-11 at the end of its"):
        sol.screenings.get(row.id)
    assert sol.screenings.get(kept).answers["child_first_name"] == "Kit"  # the other stays
    assert [d.reference for d in sol.retention.due(LATER.date())] == ["CSE-2026-000001"]
    with pytest.raises(WorkflowError, match="already deleted or its content removed on 2036-03"):
        sol.retention.delete("CSE-2026-000002", "The period ended; nothing is open.")
    sol.close()
    code, err = check(db_path, capsys, monkeypatch)
    assert code == 0, err  # the tombstone's facts verify


def test_deletion_is_refused_before_its_time_under_a_hold_and_without_a_reason(
    db_path: Path,
) -> None:
    submit_screening(db_path, practitioner_role="teacher")
    sol = open_app(db_path, "sol", now=NOW)
    with pytest.raises(WorkflowError, match="kept until 10/03/2036: it is not due for deletion"):
        sol.retention.delete("CSE-2026-000001", "Asked by the family to delete it.")
    sol.close()
    sol = open_app(db_path, "sol", now=LATER)
    sol.retention.place_hold("CSE-2026-000001", "The Northvale inquiry asked for it.")
    with pytest.raises(
        WorkflowError,
        match=r"under a legal hold placed on 2036-03-11 by sol \(The Northvale inquiry asked "
        r"for it.\)\. Lift the hold first",
    ):
        sol.retention.delete("CSE-2026-000001", "The period ended; nothing is open.")
    sol.retention.lift_hold("CSE-2026-000001", "The inquiry has reported.")
    with pytest.raises(InputFileError, match="Give the reason for deleting the record"):
        sol.retention.delete("CSE-2026-000001", "ended")
    assert sol.screenings.get(1).answers["child_first_name"] == "Kit"  # nothing went
    sol.close()
    kit = open_app(db_path, now=LATER)
    with pytest.raises(
        PermissionDenied, match=r"Your account \(practitioner\) cannot delete a record: only"
    ):
        kit.retention.delete("CSE-2026-000001", "The period ended; nothing is open.")
    kit.close()


def test_deletion_from_the_command_line(
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    submit_screening(db_path, practitioner_role="teacher")
    pw = tmp_path / "pw"
    pw.write_text(USER_PW, encoding="utf-8")
    sol = ["--db", str(db_path), "--user", "sol", "--password-file", str(pw)]
    reason = ["--reason", "The period ended; nothing is open."]
    assert run(["retention", "delete", "CSE-2026-000001", *reason, *sol]) == 2
    assert "it is not due for deletion" in capsys.readouterr().err
    monkeypatch.setattr("screening_app.services.session.Session.today", lambda _s: LATER.date())
    assert run(["retention", "delete", "CSE-2026-000001", *reason, *sol]) == 0
    out = capsys.readouterr().out
    assert "Deleted CSE-2026-000001 (School or college file, kept until 2036-03-10)" in out
    assert run(["retention", "deleted", "--csv", *sol]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "reference,kind,keep_until,decided_by,at,reason,state"
    assert lines[1].startswith("CSE-2026-000001,School or college file,2036-03-10,sol,")
    assert lines[1].endswith(
        "The period ended; nothing is open.,deleted here (the team server never held it)"
    )
