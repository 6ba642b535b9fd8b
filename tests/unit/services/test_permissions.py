"""Who may do what: the decisions live in services.permissions, and services enforce them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screening_app.errors import NotFound, PermissionDenied, WorkflowError
from tests.conftest import open_app, submit_screening


def test_a_supervisor_cannot_merge_another_team_s_child_into_their_own(db_path: Path) -> None:
    north = submit_screening(db_path, "kit")
    south = submit_screening(db_path, "ari", child_first_name="Indy")
    ari = open_app(db_path, "ari")
    south_child = ari.screenings.get(south).row.child_id
    ari.close()
    sol = open_app(db_path, "sol")
    try:
        north_child = sol.screenings.get(north).row.child_id
        assert north_child is not None and south_child is not None
        with pytest.raises(
            NotFound, match=r"There is no such child record, or none of it is shared with"
        ):
            sol.children.merge(north_child, south_child)
        with pytest.raises(
            NotFound, match=r"There is no such child record, or none of it is shared with"
        ):
            sol.children.merge(south_child, north_child)
        assert len(sol.children.record(north_child).scores) == 1
    finally:
        sol.close()


def test_a_read_only_share_cannot_add_outcomes(db_path: Path) -> None:
    sid = submit_screening(db_path, "kit")
    kit = open_app(db_path)
    kit.screenings.share(sid, "ari")
    kit.close()
    ari = open_app(db_path, "ari")
    try:
        assert not ari.screenings.allowed(sid).add_outcome
        with pytest.raises(PermissionDenied, match="read-only"):
            ari.review.add_outcome(sid, "referred_scu", dt.date(2026, 11, 20))
        assert ari.review.outcomes(sid) == []
    finally:
        ari.close()


def test_what_the_window_is_offered_matches_what_the_services_allow(db_path: Path) -> None:
    sid = submit_screening(db_path, "kit")
    kit = open_app(db_path)
    draft = kit.screenings.start().row.id
    mine = kit.screenings.allowed(sid)
    assert (mine.amend, mine.share, mine.review, mine.edit) == (True, True, False, False)
    assert kit.screenings.allowed(draft).edit and not kit.screenings.allowed(draft).referral
    with pytest.raises(
        WorkflowError, match=r"A draft has no referral yet: submit the screening first\."
    ):
        kit.referrals.referral_input(draft)
    kit.close()
    sol = open_app(db_path, "sol")
    try:
        theirs = sol.screenings.allowed(sid)
        assert (theirs.review, theirs.add_outcome, theirs.amend) == (True, True, False)
        assert not sol.screenings.allowed(draft).edit  # a colleague's draft is the author's
        with pytest.raises(
            PermissionDenied, match=r"Only the practitioner who started this draft can change it\."
        ):
            sol.screenings.save_answer(draft, "child_first_name", "Changed")
    finally:
        sol.close()
