"""Authorisation below the services: the storage functions that read or write one screening
take the caller's scope and act only within it, so a service that forgot to ask could still not
hand out another team's record (docs/SECURITY.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.errors import NotFound
from screening_app.storage import review_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.screenings_repo import Scope
from tests.conftest import open_app, submit_screening

KIT, ROWAN, ARI, SOL = 2, 3, 4, 5  # kit, rowan, sol: North; ari: South


@pytest.fixture
def kits_screening(db_path: Path) -> tuple[Path, int]:
    return db_path, submit_screening(db_path, "kit")


@pytest.mark.parametrize(
    ("scope", "sees"),
    [
        (Scope("own", KIT), True),
        (Scope("team", SOL, "North"), True),
        (Scope("own", ROWAN), False),  # a colleague it was not shared with
        (Scope("team", 0, "South"), False),  # another team's supervisor
        (Scope("none", 1), False),  # the administrator
    ],
)
def test_reads_return_nothing_outside_the_scope(
    kits_screening: tuple[Path, int], scope: Scope, sees: bool
) -> None:
    db_path, sid = kits_screening
    sol = open_app(db_path, "sol")  # any session holding the key; the scope is what counts
    db = sol.session.db
    try:
        assert (repo.fetch(db, scope, sid) is not None) is sees
        assert bool(repo.answers(db, scope, sid)) is sees
        assert (repo.score_of(db, scope, sid) is not None) is sees
        child_id = repo.fetch(db, repo.ALL, sid).child_id  # type: ignore[union-attr]
        assert bool(review_repo.child_screenings(db, scope, child_id)) is sees
    finally:
        sol.close()


def test_writes_outside_the_scope_are_refused(kits_screening: tuple[Path, int]) -> None:
    db_path, sid = kits_screening
    sol = open_app(db_path, "sol")
    db = sol.session.db
    south = Scope("team", 0, "South")
    try:
        with sol.session.write("test"):
            with pytest.raises(
                NotFound, match=r"That screening does not exist or is not shared with you\."
            ):
                repo.update(db, south, sid, {"page": "x"})
            with pytest.raises(
                NotFound, match=r"That screening does not exist or is not shared with you\."
            ):
                repo.upsert_answer(db, south, sid, "child_first_name", "Changed", "2026-11-24")
            with pytest.raises(
                NotFound, match=r"That screening does not exist or is not shared with you\."
            ):
                review_repo.add_outcome(db, south, sid, "referred_scu", "2026-11-24", "", 4, "x")
            with pytest.raises(
                NotFound, match=r"That screening does not exist or is not shared with you\."
            ):
                repo.add_share(db, Scope("own", ROWAN), sid, ROWAN)
        assert repo.answers(db, repo.ALL, sid)["child_first_name"] != "Changed"
    finally:
        sol.close()
