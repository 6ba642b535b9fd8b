"""Retention by record type and legal holds: the periods, the monthly due list, holds placed and
lifted with their reasons (signed in the audit trail), and nothing of a held child removed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.domain import record_retention as rules
from screening_app.errors import InputFileError, PermissionDenied, WorkflowError
from screening_app.services import retention
from tests.conftest import ADMIN_PW, USER_PW, open_app, submit_screening

BORN = dt.date(2011, 3, 10)


def record(**kw: object) -> rules.Record:
    facts: dict[str, object] = dict(
        reference="CSE-2026-000001",
        child_id=1,
        status="approved",
        role="teacher",
        dob=BORN,
        screening_date=dt.date(2026, 11, 20),
        last_change=dt.date(2026, 11, 20),
    )
    facts.update(kw)
    return rules.Record(**facts)  # type: ignore[arg-type]


def test_each_kind_of_record_is_kept_for_its_own_period() -> None:
    periods = {"retain_health_years": 26, "retain_draft_days": 30}
    assert rules.keep_until(record(), periods) == dt.date(2036, 3, 10)  # a school's: DOB + 25
    assert rules.keep_until(record(role="school_nurse"), periods) == dt.date(2037, 3, 10)
    assert rules.keep_until(record(dob=None), periods) == dt.date(2051, 11, 20)  # no DOB known
    draft = record(status="draft", last_change=dt.date(2026, 11, 1))
    assert rules.keep_until(draft, periods) == dt.date(2026, 12, 1)
    hold = rules.Hold(1, "An inquiry into the Northvale placements.", "sol", "2026-11-24T10:00")
    found = rules.due([record(), draft], {1: hold}, periods, dt.date(2036, 3, 10))
    assert [(d.reference, d.kind, d.held is not None) for d in found] == [
        ("CSE-2026-000001", "Draft never submitted", True),
        ("CSE-2026-000001", "School or college file", True),
    ]
    assert found[0].words().startswith("held since 2026-11-24 by sol: An inquiry")
    assert rules.due([record()], {}, periods, dt.date(2036, 3, 9)) == []


def test_a_supervisor_holds_and_releases_and_the_due_list_says_so(db_path: Path) -> None:
    submit_screening(db_path, practitioner_role="teacher")
    sol = open_app(db_path, "sol")
    later = dt.date(2036, 3, 10)
    [due] = sol.retention.due(later)
    assert (due.reference, due.subject, due.kind, due.held) == (
        "CSE-2026-000001",
        "Kit Fictional",
        "School or college file",
        None,
    )
    assert sol.retention.due(dt.date(2036, 3, 9)) == []
    with pytest.raises(InputFileError, match="Give the reason for the hold"):
        sol.retention.place_hold("CSE-2026-000001", "inquiry")
    hold = sol.retention.place_hold("cse-2026-000001", "The Northvale inquiry asked for it.")
    assert hold.placed_by == "sol"
    with pytest.raises(WorkflowError, match=r"already held since .* by sol: The Northvale"):
        sol.retention.place_hold("CSE-2026-000001", "A second hold on the same child.")
    [held] = sol.retention.due(later)
    assert held.words().endswith("The Northvale inquiry asked for it.")
    sol.retention.lift_hold("CSE-2026-000001", "The inquiry has reported.")
    assert sol.retention.due(later)[0].held is None
    actions = [e.action for e in sol.audit.entries() if e.action.startswith("hold_")]
    assert actions == ["hold_lifted", "hold_placed"]
    sol.close()
    kit = open_app(db_path)
    with pytest.raises(
        PermissionDenied, match=r"Your account \(practitioner\) cannot see what is due for"
    ):
        kit.retention.due()
    kit.close()


def test_nothing_of_a_held_child_is_removed_from_a_practitioner_s_computer(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screening = submit_screening(db_path)
    sol = open_app(db_path, "sol")
    sol.retention.place_hold("CSE-2026-000001", "The Northvale inquiry asked for it.")
    sol.close()
    kit = open_app(db_path)  # on one computer here: the hold is in this database's trail
    monkeypatch.setattr(retention.retention_repo, "due", lambda *_a: [screening])
    assert retention.apply(kit.session, 30) == 0
    assert kit.screenings.get(screening).answers["child_first_name"] == "Kit"
    kit.close()


def test_retention_from_the_command_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submit_screening(db_path, practitioner_role="social_worker")
    admin_pw, pw = tmp_path / "admin", tmp_path / "pw"
    admin_pw.write_text(ADMIN_PW, encoding="utf-8")
    pw.write_text(USER_PW, encoding="utf-8")
    admin = ["--db", str(db_path), "--user", "admin", "--password-file", str(admin_pw)]
    sol = ["--db", str(db_path), "--user", "sol", "--password-file", str(pw)]
    assert run(["settings", "retention", "--social-care-years", "1", *admin]) == 0
    assert "Children's social care record: kept 1 years" in capsys.readouterr().out
    assert run(["settings", "retention", "--draft-days", "2", *admin]) == 2  # below 7 days
    capsys.readouterr()
    assert run(["retention", "due", "--csv", *sol]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "reference,child,kind,keep_until,state"
    assert lines[1] == (
        "CSE-2026-000001,Kit Fictional,Children's social care record,2012-03-10,"
        "due for review or deletion"
    )
    reason = ["--reason", "A complaint is being investigated."]
    assert run(["retention", "hold", "CSE-2026-000001", *reason, *sol]) == 0
    assert run(["retention", "hold", "CSE-2026-000001", *reason, *sol]) == 2
    assert "already held" in capsys.readouterr().err
    assert run(["retention", "release", "CSE-2026-000001", *reason, *sol]) == 0
