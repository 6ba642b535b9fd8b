"""The ``latest`` column (a child's newest screening, where reassessment is due) stays equal to
its definition whatever writes the table: bulk inserts, submit, amend, merging duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from screening_app.demo import generator as bulk
from screening_app.services.model import ListQuery
from screening_app.storage.migrations import IS_NEWEST
from tests.conftest import open_app, submit_screening

TODAY = dt.date(2026, 11, 24)


def wrong_rows(services: object) -> int:
    db = services.session.store.db  # type: ignore[attr-defined]
    sql = f"SELECT count(*) FROM screenings WHERE latest != ({IS_NEWEST})"
    return int(db.execute(sql).fetchone()[0])


def test_latest_matches_its_definition_after_every_kind_of_write(db_path: Path) -> None:
    kit = open_app(db_path)
    form = kit.registry.latest("cse-risk-screening")
    owner = bulk.Owner(kit.user.id, "North", "teacher", "Kit")
    bulk.generate(kit.session.store.db, form, [owner], n=300, seed=7, today=TODAY)
    assert wrong_rows(kit) == 0
    kit.close()
    # The same child three times: only the newest screening may be due.
    older = submit_screening(db_path, screening_date="2026-01-10", child_first_name="Tove")
    newer = submit_screening(db_path, screening_date="2026-03-10", child_first_name="Tove")
    kit = open_app(db_path)
    overdue = {r.id for r in kit.listing.list(ListQuery(due="overdue", limit=1000))}
    assert newer in overdue and older not in overdue
    # Amending the newer one back to an earlier date makes the older one the newest again.
    draft = kit.screenings.amend(newer, "Wrong screening date typed.")
    kit.screenings.save_answer(draft.row.id, "screening_date", "2025-12-01")
    kit.screenings.submit(draft.row.id)
    overdue = {r.id for r in kit.listing.list(ListQuery(due="overdue", limit=1000))}
    assert older in overdue and newer not in overdue and draft.row.id not in overdue
    assert wrong_rows(kit) == 0
    kit.close()
    # A duplicate record merged in: its screenings now compete with the kept child's.
    duplicate = submit_screening(
        db_path, screening_date="2026-06-01", child_first_name="Tove", child_dob="2011-03-11"
    )
    sol = open_app(db_path, "sol")
    keep = sol.screenings.get(older).row.child_id
    sol.children.merge(keep, sol.screenings.get(duplicate).row.child_id)
    overdue = {r.id for r in sol.listing.list(ListQuery(due="overdue", limit=1000))}
    assert duplicate in overdue and older not in overdue
    assert wrong_rows(sol) == 0
    sol.close()


def test_migration_fills_latest_for_screenings_written_before_it(tmp_path: Path) -> None:
    import secrets

    from screening_app.domain.registry import FormRegistry
    from screening_app.paths import forms_dir
    from screening_app.storage import migrations
    from screening_app.storage.driver import connect

    db = connect(tmp_path / "old.db", secrets.token_bytes(32))
    migrations.migrate(db, target=1)
    db.execute(
        "INSERT INTO users (id, name, name_fold, role, team, created_at) "
        "VALUES (1, 'kit', 'kit', 'practitioner', 'North', '2026-01-01')"
    )
    form = FormRegistry(forms_dir()).get("cse-risk-screening", 1)  # what schema 1 knew
    bulk.generate(db, form, [bulk.Owner(1, "North", "teacher", "Kit")], n=200, seed=3, today=TODAY)
    migrations.migrate(db)
    flags = [r[0] for r in db.execute("SELECT latest FROM screenings").fetchall()]
    assert 0 in flags and 1 in flags  # some children were screened more than once
    sql = f"SELECT count(*) FROM screenings WHERE latest != ({IS_NEWEST})"
    assert db.execute(sql).fetchone()[0] == 0
    db.close()
