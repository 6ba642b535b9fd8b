"""Screenings through the services: autosave, submit, amend, discard, roles, list and audit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screening_app.errors import (
    AnswersError,
    NotFound,
    PermissionDenied,
    StorageError,
    WorkflowError,
)
from screening_app.services.model import ListQuery
from tests.conftest import USER_PW, base_answers, open_app, submit_screening

TODAY = dt.date(2026, 11, 24)


def fill(app: object, screening_id: int, answers: dict[str, object]) -> None:
    for qid, value in answers.items():
        app.screenings.save_answer(screening_id, qid, value)  # type: ignore[attr-defined]


def test_start_prefills_defaults_and_reference(db_path: Path) -> None:
    app = open_app(db_path)
    draft = app.screenings.start()
    app.close()
    assert draft.row.status == "draft"
    assert draft.row.reference == "CSE-2026-000001"
    assert draft.answers["screening_date"] == "2026-11-24"
    assert draft.answers["practitioner_name"] == "kit"
    assert draft.answers["practitioner_role"] == "teacher"


def test_every_answer_and_the_page_survive_closing(db_path: Path) -> None:
    app = open_app(db_path)
    draft = app.screenings.start()
    fill(
        app,
        draft.row.id,
        {
            "child_first_name": "Kit",
            "child_last_name": "Fictional",
            "missing_count_3m": 2,
            "cse_models": ["online_physical_meeting"],
        },
    )
    app.screenings.save_answer(draft.row.id, "missing_count_3m", None)
    app.screenings.save_page(draft.row.id, "vulnerabilities")
    app.close()
    app = open_app(db_path)
    again = app.screenings.get(draft.row.id)
    rows = app.listing.list(ListQuery(search="fict"))
    app.close()
    assert again.page == "vulnerabilities"
    assert again.answers["cse_models"] == ["online_physical_meeting"]
    assert "missing_count_3m" not in again.answers
    assert [r.id for r in rows] == [draft.row.id] and rows[0].child_name == "Kit Fictional"


def test_an_answer_that_hides_others_removes_them_in_the_same_save(db_path: Path) -> None:
    """The rule is the service's, not the window's: an import or a second window cannot leave
    a hidden answer behind (domain.answers.apply)."""
    app = open_app(db_path)
    sid = app.screenings.start().row.id
    fill(app, sid, {"missing_count_12m": 2, "missing_last_date": "2026-10-01"})
    assert app.screenings.save_answer(sid, "missing_count_12m", 0) == ["missing_last_date"]
    app.screenings.save_answer(sid, "child_first_name", "   ")  # only spaces: no answer
    app.close()
    app = open_app(db_path)
    answers = app.screenings.get(sid).answers
    assert answers["missing_count_12m"] == 0
    assert "missing_last_date" not in answers and "child_first_name" not in answers


def test_submit_refuses_invalid_answers_listing_each(db_path: Path) -> None:
    app = open_app(db_path)
    draft = app.screenings.start()
    app.screenings.save_answer(draft.row.id, "child_first_name", "Kit")
    with pytest.raises(AnswersError) as caught:
        app.screenings.submit(draft.row.id, today=TODAY)
    assert {"child_last_name", "child_dob", "concern_summary"} <= {
        p.where for p in caught.value.problems
    }
    assert app.screenings.get(draft.row.id).row.status == "draft"
    app.close()


def test_submit_scores_and_makes_it_immutable(db_path: Path) -> None:
    sid = submit_screening(db_path, v_substance_use="yes", g_older_associates="earlier")
    app = open_app(db_path)
    screening = app.screenings.get(sid)
    assert screening.row.status == "submitted"
    assert screening.score is not None and screening.score.total == 2
    assert screening.row.operative_band == "low"  # 2 points: the lowest band, no rule fired
    assert screening.row.child_id is not None
    with pytest.raises(WorkflowError, match="Amend"):
        app.screenings.save_answer(sid, "child_first_name", "Changed")
    app.close()


def test_amend_makes_a_linked_version_and_supersedes_on_submit(db_path: Path) -> None:
    sid = submit_screening(db_path)
    app = open_app(db_path)
    with pytest.raises(AnswersError, match=r"reason needed"):
        app.screenings.amend(sid, "")
    new = app.screenings.amend(sid, "Wrong date of birth")
    assert (new.row.version, new.previous_id, new.amend_reason) == (2, sid, "Wrong date of birth")
    assert new.answers["child_first_name"] == "Kit"
    app.screenings.save_answer(new.row.id, "child_dob", "2011-03-11")
    app.screenings.submit(new.row.id, today=TODAY)
    assert app.screenings.get(sid).row.status == "superseded"
    visible = app.listing.list(ListQuery())
    assert [r.id for r in visible] == [new.row.id]
    app.close()


def test_discard_removes_the_draft_and_is_audited(db_path: Path) -> None:
    app = open_app(db_path)
    draft = app.screenings.start()
    app.screenings.discard(draft.row.id)
    assert app.listing.count(ListQuery()) == 0
    app.close()
    sol = open_app(db_path, "sol")
    actions = [e.action for e in sol.audit.entries(record=draft.row.reference)]
    sol.close()
    assert actions == ["discard", "create"]


def test_roles_decide_who_sees_what(db_path: Path) -> None:
    sid = submit_screening(db_path, "kit")
    other_team = submit_screening(db_path, "ari")
    rowan = open_app(db_path, "rowan")
    with pytest.raises(
        NotFound, match=r"That screening does not exist or is not shared with you\."
    ):
        rowan.screenings.get(sid)
    assert rowan.listing.count(ListQuery()) == 0
    rowan.close()
    sol = open_app(db_path, "sol")
    assert sol.screenings.get(sid).row.id == sid
    assert [r.id for r in sol.listing.list(ListQuery())] == [sid]
    with pytest.raises(
        NotFound, match=r"That screening does not exist or is not shared with you\."
    ):
        sol.screenings.get(other_team)
    with pytest.raises(
        PermissionDenied, match=r"Only the practitioner who started this draft can change it\."
    ):
        sol.screenings.save_answer(sid, "child_first_name", "x")
    sol.close()
    admin = open_app(db_path, "admin", "admin-password-1")
    with pytest.raises(
        PermissionDenied, match=r"Your account \(admin\) cannot see children's screenings: only"
    ):
        admin.listing.list(ListQuery())
    with pytest.raises(
        PermissionDenied, match=r"Your account \(admin\) cannot see children's screenings: only"
    ):
        admin.screenings.get(sid)
    admin.close()


def test_list_filters_sorts_and_counts_in_sql(db_path: Path) -> None:
    for name, band_answers in (
        ("Ari", {}),
        (
            "Blair",
            {
                "sx_controlling_adult": "recent",
                "cr_gang_association": "recent",
                "cr_county_lines": "recent",
                "sx_places_of_concern": "recent",
            },
        ),
        ("Cass", {}),
    ):
        submit_screening(db_path, child_first_name=name, **band_answers)
    app = open_app(db_path)
    names = [r.child_name for r in app.listing.list(ListQuery(sort="child", descending=False))]
    assert names == ["Ari Fictional", "Blair Fictional", "Cass Fictional"]
    high = app.listing.list(ListQuery(band="significant"))
    assert [r.child_name for r in high] == ["Blair Fictional"]
    assert app.listing.count(ListQuery(search="CASS")) == 1
    assert app.listing.count(ListQuery(search="%")) == 0
    assert app.listing.count(ListQuery(status="draft")) == 0
    page = app.listing.list(ListQuery(sort="child", descending=False, offset=1, limit=1))
    assert [r.child_name for r in page] == ["Blair Fictional"]
    app.close()


@pytest.mark.parametrize("descending", [True, False])
def test_sorting_puts_empty_values_last_both_ways(db_path: Path, descending: bool) -> None:
    early = submit_screening(db_path, child_first_name="Ari", screening_date="2026-02-01")
    late = submit_screening(db_path, child_first_name="Blair", screening_date="2026-05-01")
    app = open_app(db_path)
    draft = app.screenings.start().row.id  # not submitted: no reassessment date yet
    rows = app.listing.list(ListQuery(sort="reassess", descending=descending))
    order = [early, late] if not descending else [late, early]
    assert [r.id for r in rows] == [*order, draft]
    app.close()


def test_reassessment_due_and_overdue_only_on_the_newest(db_path: Path) -> None:
    # low band: reassess in 6 months (2027-05-20 from 2026-11-20)
    sid = submit_screening(db_path)
    app = open_app(db_path)
    reassess = app.screenings.get(sid).row.reassess_by
    assert reassess is not None
    assert app.listing.reassessment_counts(reassess - dt.timedelta(days=20)) == (0, 0)
    assert app.listing.reassessment_counts(reassess - dt.timedelta(days=14)) == (1, 0)
    assert app.listing.reassessment_counts(reassess + dt.timedelta(days=1)) == (0, 1)
    app.close()
    submit_screening(db_path, screening_date="2026-11-23")  # a newer screening of the same child
    app = open_app(db_path)
    due, overdue = app.listing.reassessment_counts(reassess + dt.timedelta(days=1))
    app.close()
    # The old screening no longer counts; the newer one (3 days later) is due, not overdue.
    assert (due, overdue) == (1, 0)


def test_disk_full_during_autosave_keeps_earlier_answers(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlcipher3.dbapi2

    from screening_app.storage import screenings_repo

    app = open_app(db_path)
    draft = app.screenings.start()
    app.screenings.save_answer(draft.row.id, "child_first_name", "Kit")

    def full(*_args: object) -> None:
        raise sqlcipher3.dbapi2.OperationalError("database or disk is full")

    monkeypatch.setattr(screenings_repo, "upsert_answer", full)
    with pytest.raises(StorageError, match="disk is full") as caught:
        app.screenings.save_answer(draft.row.id, "child_last_name", "Fictional")
    assert "still on screen" in caught.value.message
    monkeypatch.undo()
    assert app.screenings.get(draft.row.id).answers["child_first_name"] == "Kit"
    app.screenings.save_answer(draft.row.id, "child_last_name", "Fictional")
    assert app.screenings.get(draft.row.id).answers["child_last_name"] == "Fictional"
    app.close()


def test_referral_input_has_no_review_until_a_supervisor_decides(db_path: Path) -> None:
    sid = submit_screening(db_path)
    app = open_app(db_path)
    data = app.referrals.referral_input(sid)
    app.close()
    assert data.reference == "CSE-2026-000001" and data.review is None
    assert data.result.total == 0


def test_referral_input_carries_the_review(db_path: Path) -> None:
    sid = submit_screening(db_path)
    sol = open_app(db_path, "sol")
    sol.review.approve(sid, USER_PW, "Checked with the school; agreed.")
    sol.close()
    kit = open_app(db_path)
    review = kit.referrals.referral_input(sid).review
    kit.close()
    assert review is not None
    assert (review.reviewer, review.status) == ("sol", "approved")
    assert review.comment == "Checked with the school; agreed."


def test_sharing_lets_one_colleague_see_a_screening(db_path: Path) -> None:
    sid = submit_screening(db_path)
    kit = open_app(db_path)
    with pytest.raises(NotFound):
        kit.screenings.share(sid, "nobody")
    kit.screenings.share(sid, "ari")
    kit.close()
    ari = open_app(db_path, "ari")
    assert [r.id for r in ari.listing.list(ListQuery())] == [sid]
    with pytest.raises(
        PermissionDenied, match=r"Only the practitioner who wrote a screening can share it\."
    ):
        ari.screenings.share(sid, "rowan")
    ari.close()
    rowan = open_app(db_path, "rowan")
    assert rowan.listing.count(ListQuery()) == 0
    rowan.close()


def test_a_version_1_screening_is_amended_in_version_1_unless_moved(db_path: Path) -> None:
    """Saved v1 screenings stay v1; amending one continues in v1, or moves to the newest
    version when asked, keeping every answer and the score."""
    app = open_app(db_path)
    v1 = app.registry.get("cse-risk-screening", 1)
    old = app.screenings.import_answers(v1, base_answers())
    assert old.form_version == 1
    stayed = app.screenings.amend(old.row.id, "Wrong date of birth")
    assert stayed.form_version == 1 and stayed.answers == old.answers
    app.screenings.discard(stayed.row.id)
    moved = app.screenings.amend(old.row.id, "Adding the car the school saw", newest_form=True)
    assert moved.form_version == 4 and moved.answers == old.answers
    app.screenings.save_answer(
        moved.row.id, "entities_of_concern", [{"kind": "vehicle", "registration": "AB12 CDE"}]
    )
    done = app.screenings.submit(moved.row.id, today=TODAY)
    assert done.form_version == 4 and done.row.operative_band == old.row.operative_band
    assert done.score is not None and old.score is not None
    assert done.score.total == old.score.total
    assert app.screenings.get(old.row.id).row.status == "superseded"
    app.close()
