"""The MACE pack: what is open for a child, who may make it, what it shows and what it hides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.domain import disclosure
from screening_app.domain.mace import PackScreening, open_actions
from screening_app.errors import NotFound
from tests.conftest import USER_PW, open_app, submit_screening
from tests.unit.export.test_referral_pdf import flat, pages_text

PHONE = [{"kind": "phone", "number": "07700 900123"}]
SHARE = disclosure.make(
    "the Northvale MACE meeting", "the meeting of 1 December", "consent_not_sought"
)
HARM = dict(harm_carrying="yes", tr_moved="recent", cr_county_lines="recent")


def _screening(**kw: object) -> PackScreening:
    facts: dict[str, object] = dict(
        reference="CSE-2026-000001",
        day=dt.date(2026, 11, 1),
        status="approved",
        status_words="Approved",
        band="Moderate",
        high=True,
        total=9,
        types=(),
        refer_now=(),
        not_known=0,
        provisional=False,
        prompts=(),
        awaiting_approval=False,
        reassess_by=None,
        outcomes=(("strategy_discussion", "safeguarding"),),
    )
    facts.update(kw)
    return PackScreening(**facts)  # type: ignore[arg-type]


def test_what_is_open_and_what_closes_it() -> None:
    today = dt.date(2026, 11, 24)
    harm = _screening(refer_now=("carrying",), prompts=("NRM",), outcomes=())
    assert open_actions([harm], today) == [
        "CSE-2026-000001: refer now (harm already happening); no referral is recorded yet.",
        "CSE-2026-000001: a National Referral Mechanism referral is due; none is recorded.",
        "CSE-2026-000001: no outcome recorded yet (Moderate).",
    ]
    referred = _screening(
        refer_now=("carrying",),
        prompts=("NRM",),
        outcomes=(("referred_scu", "scu_referral"), ("nrm_referral", "safeguarding")),
        reassess_by=dt.date(2026, 11, 20),
    )
    assert open_actions([referred], today) == ["Screen again: overdue since 20 Nov 2026."]
    waiting = _screening(
        reference="CSE-2026-000002", status="submitted", awaiting_approval=True, high=False
    )
    replaced = _screening(reference="CSE-2026-000003", status="superseded", outcomes=())
    assert open_actions([replaced, waiting], today) == [
        "CSE-2026-000002: waiting for a supervisor's review.",
        "CSE-2026-000002: a lower judgement waits for a supervisor's approval.",
    ]


def test_a_pack_shows_the_child_the_links_and_the_actions_but_no_other_child_s_name(
    db_path: Path, tmp_path: Path
) -> None:
    first = submit_screening(
        db_path, screening_date="2026-10-01", entities_of_concern=PHONE, **HARM
    )
    second = submit_screening(db_path, screening_date="2026-11-20", v_education="unknown")
    submit_screening(db_path, child_first_name="Robin", entities_of_concern=PHONE)
    sol = open_app(db_path, "sol")
    sol.review.approve(first, USER_PW)
    reference = sol.screenings.get(second).row.reference
    out = tmp_path / "pack.pdf"
    pack = sol.mace.save([reference], out, SHARE)
    child = pack.children[0]
    assert [s.reference for s in child.screenings] == ["CSE-2026-000001", "CSE-2026-000002"]
    assert [(link.kind, link.words, link.others) for link in child.links] == [
        ("phone", "07700 900123", ("CSE-2026-000003",))
    ]
    assert child.actions[:3] == (
        "CSE-2026-000001: refer now (harm already happening); no referral is recorded yet.",
        "CSE-2026-000001: a National Referral Mechanism referral is due; none is recorded.",
        "CSE-2026-000002: waiting for a supervisor's review.",
    )
    text = flat(" ".join(pages_text(out.read_bytes())))
    assert "Kit Fictional (born 10 Mar 2011)" in text
    assert "CSE-2026-000003" in text and "Robin" not in text  # the link, not the other child
    assert "Types of exploitation" in text and "1 question not known" in text
    assert text.count("Open actions") == 1 and "MACE meeting pack" in text
    assert (
        "Shared with the Northvale MACE meeting for the meeting of 1 December. Basis: Consent "
        "not sought: seeking it would put the child at risk." in text
    )
    audited = [(e.action, e.record) for e in sol.audit.entries() if "mace" in e.action]
    assert sorted(audited) == [
        ("mace_pack_saved", "CSE-2026-000001"),
        ("mace_pack_saved", "CSE-2026-000002"),
    ]
    logged = sol.disclosures.log("kit")
    assert [(d.what, d.reference, d.recipient) for d in logged] == [
        ("MACE pack saved", "CSE-2026-000002", "the Northvale MACE meeting"),
        ("MACE pack saved", "CSE-2026-000001", "the Northvale MACE meeting"),
    ]
    assert sol.disclosures.log("Robin") == []
    sol.review.add_outcome(first, "referred_scu", dt.date(2026, 11, 21))
    sol.review.add_outcome(first, "nrm_referral", dt.date(2026, 11, 22))
    again = sol.mace.pack([reference]).children[0].actions
    assert not any("refer now" in a or "National Referral" in a for a in again)


def test_another_team_gets_no_pack_and_no_file(db_path: Path, tmp_path: Path) -> None:
    submit_screening(db_path)
    ari = open_app(db_path, "ari")  # a practitioner of team South
    out = tmp_path / "pack.pdf"
    with pytest.raises(NotFound, match="There is no screening CSE-2026-000001 that you can see"):
        ari.mace.save(["CSE-2026-000001"], out, SHARE)
    assert not out.exists()


def test_export_mace_on_the_command_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submit_screening(db_path)
    submit_screening(db_path, child_first_name="Robin")
    pw, pdf_pw = tmp_path / "pw", tmp_path / "pdf-pw"
    pw.write_text(USER_PW, encoding="utf-8")
    pdf_pw.write_text("meeting-password", encoding="utf-8")
    out = tmp_path / "pack.pdf"
    signed = ["--db", str(db_path), "--user", "kit", "--password-file", str(pw)]
    bare = ["export", "mace", "CSE-2026-000001", "cse-2026-000002", "-o", str(out), *signed]
    assert run(bare) == 2  # no basis: refused, nothing written
    said = capsys.readouterr().err
    assert "This export is a share and needs its lawful basis: Say who receives it" in said
    assert not out.exists()
    basis = ["--shared-with", "the MACE meeting", "--purpose", "its December meeting"]
    overridden = [*basis, "--basis", "consent_overridden", "--reason", "too short"]
    assert run([*bare, *overridden]) == 2
    assert "Say why the refusal of consent is overridden" in capsys.readouterr().err
    args = [*bare, *basis, "--basis", "consent_given"]
    assert run([*args, "--pdf-password-file", str(pdf_pw)]) == 0
    assert "2 child(ren), one page each" in capsys.readouterr().out
    pages = pages_text(out.read_bytes(), "meeting-password")
    assert len(pages) == 2 and "Kit Fictional" in pages[0] and "Robin Fictional" in pages[1]
    assert run(args) == 2  # never over an existing file without --force
    assert "exists" in capsys.readouterr().err
    missing = ["export", "mace", "CSE-2026-000009", "-o", str(tmp_path / "x.pdf"), *signed]
    assert run([*missing, *basis, "--basis", "consent_given"]) == 2
    assert "There is no screening CSE-2026-000009" in capsys.readouterr().err
