"""Subject access: everything held about one child, with other children's and third parties'
names redacted by default (searched for in the PDF's text: 0 hits), a reviewer's choice per
item, refused and audited for a child the supervisor may not see."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.domain import disclosure, sar
from screening_app.errors import NotFound, PermissionDenied
from screening_app.services.access import grant_with_recovery
from screening_app.services.model import FAST_KDF
from tests.conftest import ADMIN_PW, USER_PW, open_app, recovery_key_of, submit_screening
from tests.unit.export.test_referral_pdf import flat, pages_text

ENTITIES = [
    {"kind": "person", "name": "Jay-Jay", "relationship": "adult"},
    {"kind": "online_account", "platform": "Snapchat", "handle": "jay_fake_99"},
]
CONCERN = "Kit was seen with Robin Fictional and Jay-Jay; Robin said jay_fake_99 sends messages."


def test_the_redactor_marks_each_name_once_and_keeps_the_child_s_own() -> None:
    redact = sar.redactor(
        [("Robin", "Fictional"), ("Kit", "Other")],
        ["Jay-Jay"],
        ["jay_fake_99"],
        keep=["Kit", "Fictional", "Kit Fictional"],
    )
    text = redact("Kit Fictional met robin fictional, then Robin and JAY-JAY; a robin sang.")
    assert text == "Kit Fictional met [R1], then [R2] and [R3]; a robin sang."
    assert redact("Jay-Jay again") == "[R3] again"  # the same name is the same item
    assert redact.schedule() == [
        ("R1", "another child: redacted"),
        ("R2", "another child: redacted"),
        ("R3", "a person of concern: redacted"),
    ]
    shown = sar.redactor([], ["Jay-Jay"], [], reveal=["r1"])
    assert shown("Jay-Jay came") == "Jay-Jay came"
    assert shown.schedule() == [("R1", "a person of concern (revealed by the reviewer: Jay-Jay)")]


def test_a_subject_access_export_hides_other_people_unless_revealed(
    db_path: Path, tmp_path: Path
) -> None:
    first = submit_screening(db_path, entities_of_concern=ENTITIES, concern_summary=CONCERN)
    submit_screening(db_path, child_first_name="Robin", screening_date="2026-11-21")
    sol = open_app(db_path, "sol")
    share = disclosure.make("the SCU", "a referral", "consent_not_sought")
    sol.referrals.save_referral(first, tmp_path / "referral.pdf", share)
    out = tmp_path / "sar.pdf"
    sol.subject_access.export("CSE-2026-000001", out)
    text = flat(" ".join(pages_text(out.read_bytes())))
    assert "Subject access: information held about Kit Fictional" in text
    for other in ("Robin", "Jay-Jay", "jay_fake_99"):
        assert text.count(other) == 0, other
    assert "Kit was seen with [R1] and [R2]; [R3] said [R4] sends messages." in text
    assert "Referral PDF saved on" in text and "with the SCU for a referral" in text
    items = {i.name: i.id for i in sol.subject_access.items("CSE-2026-000001")}
    assert items == {"Robin Fictional": "R1", "Jay-Jay": "R2", "Robin": "R3", "jay_fake_99": "R4"}
    revealed = tmp_path / "revealed.pdf"
    sol.subject_access.export("CSE-2026-000001", revealed, reveal=["R2"])
    again = flat(" ".join(pages_text(revealed.read_bytes())))
    assert "Jay-Jay" in again and "Robin" not in again
    actions = [(e.action, e.record) for e in sol.audit.entries() if e.action == "sar_exported"]
    assert actions == [("sar_exported", "CSE-2026-000001")] * 2
    sol.close()


def test_a_child_the_supervisor_may_not_see_gets_nothing_and_is_audited(
    db_path: Path, tmp_path: Path
) -> None:
    submit_screening(db_path)
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.accounts.add_user("lou", "supervisor-pw-1", role="supervisor", team="South")
    admin.close()
    grant_with_recovery(db_path, recovery_key_of(db_path), ["lou"], FAST_KDF)
    lou = open_app(db_path, "lou", "supervisor-pw-1")
    out = tmp_path / "sar.pdf"
    with pytest.raises(NotFound, match="There is no child's screening CSE-2026-000001 that you"):
        lou.subject_access.export("CSE-2026-000001", out)
    assert not out.exists()
    refused = [(e.action, e.record) for e in lou.audit.entries() if e.action == "sar_refused"]
    assert refused == [("sar_refused", "CSE-2026-000001")]
    lou.close()
    kit = open_app(db_path)
    with pytest.raises(PermissionDenied, match="subject access"):
        kit.subject_access.export("CSE-2026-000001", out)
    kit.close()


def test_export_sar_on_the_command_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submit_screening(db_path, entities_of_concern=ENTITIES, concern_summary=CONCERN)
    pw = tmp_path / "pw"
    pw.write_text(USER_PW, encoding="utf-8")
    signed = ["--db", str(db_path), "--user", "sol", "--password-file", str(pw)]
    out = tmp_path / "sar.pdf"
    assert run(["export", "sar", "CSE-2026-000001", "--list-items", *signed]) == 0
    listed = capsys.readouterr().out
    assert "R1\ta person of concern\tJay-Jay" in listed and not out.exists()
    assert run(["export", "sar", "CSE-2026-000001", "-o", str(out), "--reveal", "R1", *signed]) == 0
    assert "1 of 2 item(s) revealed" in capsys.readouterr().out  # no other child here
    text = flat(" ".join(pages_text(out.read_bytes())))
    assert "Jay-Jay" in text and "jay_fake_99" not in text
    assert run(["export", "sar", "CSE-2026-000009", "-o", str(tmp_path / "x.pdf"), *signed]) == 2
    assert "nothing exported" in capsys.readouterr().err
