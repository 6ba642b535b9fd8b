"""The schema steps: from an empty database and from every earlier version to the latest."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from screening_app.errors import NewerVersion
from screening_app.storage import migrations
from screening_app.storage.driver import connect

EXPECTED_TABLES = {
    "meta",
    "users",
    "children",
    "screenings",
    "answers",
    "screening_models",
    "reviews",
    "outcomes",
    "shares",
    "audit",
    "settings",
}


@pytest.mark.parametrize("start", range(migrations.LATEST + 1))
def test_migrates_from_every_version(tmp_path: Path, start: int) -> None:
    db = connect(tmp_path / "m.db", secrets.token_bytes(32))
    if start:
        migrations.migrate(db, target=start)
        assert migrations.schema_version(db) == start
    assert migrations.migrate(db) == migrations.LATEST
    assert migrations.schema_version(db) == migrations.LATEST
    assert set(db.table_names()) >= EXPECTED_TABLES
    assert migrations.migrate(db) == migrations.LATEST  # running again changes nothing
    db.close()


def test_newer_version_is_refused(tmp_path: Path) -> None:
    db = connect(tmp_path / "m.db", secrets.token_bytes(32))
    migrations.migrate(db)
    db.execute(
        "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(migrations.LATEST + 1)]
    )
    with pytest.raises(NewerVersion, match=r"This database was written by a newer version of CSE"):
        migrations.migrate(db)
    db.close()


def test_a_failed_step_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = connect(tmp_path / "m.db", secrets.token_bytes(32))

    def broken(database: object) -> None:
        migrations._v1(database)  # type: ignore[arg-type]
        raise RuntimeError("simulated crash half-way")

    monkeypatch.setattr(migrations, "STEPS", (broken,))
    with pytest.raises(RuntimeError):
        migrations.migrate(db)
    assert "users" not in db.table_names()
    assert migrations.schema_version(db) == 0
    db.close()


def test_version_4_screenings_get_the_types_the_form_gives_them_at_the_upgrade(
    tmp_path: Path,
) -> None:
    """Screenings submitted before their scores listed types: step 10 derives them from the
    stored section scores and routes, and gets what scoring the answers gives, vignette by
    vignette."""
    import json

    from screening_app.domain.registry import FormRegistry
    from screening_app.domain.scoring import score
    from screening_app.paths import forms_dir
    from tests.conftest import base_answers
    from tests.forms.test_form_v4 import VIGNETTES

    four = FormRegistry(forms_dir()).get("cse-risk-screening", 4)
    db = connect(tmp_path / "m.db", secrets.token_bytes(32))
    migrations.migrate(db, target=9)
    db.execute(
        "INSERT INTO users (id, name, name_fold, display_name, role, created_at) "
        "VALUES (1, 'kit', 'kit', 'Kit', 'practitioner', '2026-11-01')"
    )
    expected = {}
    for number, vignette in enumerate(VIGNETTES, start=1):
        result = score(four, base_answers(**vignette["answers"]))
        snapshot = result.snapshot()
        del snapshot["types"]  # as stored before
        db.execute(
            "INSERT INTO screenings (id, reference, owner_id, form_id, form_version, status, "
            "created_at, updated_at) VALUES (?, ?, 1, 'cse-risk-screening', 4, 'submitted', "
            "'2026-11-01', '2026-11-01')",
            [number, f"CSE-2026-{number:06d}"],
        )
        db.execute(
            "INSERT INTO scores (screening_id, score_json) VALUES (?, ?)",
            [number, json.dumps(snapshot)],
        )
        expected[number] = sorted(result.types)
    assert any(expected.values())
    migrations.migrate(db)
    found: dict[int, list[str]] = {n: [] for n in expected}
    for screening_id, code in db.execute(
        "SELECT screening_id, type FROM screening_types ORDER BY type"
    ).fetchall():
        found[screening_id].append(code)
    assert found == expected
    db.close()


def test_link_keys_get_their_screening_s_copies_at_the_upgrade_and_follow_it(
    tmp_path: Path,
) -> None:
    """Step 12 fills each key's copy of its screening (reference, owner, team, whether it
    counts) and a trigger keeps it current; a draft's keys are never matched."""
    from screening_app.storage import links_repo
    from screening_app.storage.scope import Scope

    db = connect(tmp_path / "m.db", secrets.token_bytes(32))
    migrations.migrate(db, target=11)
    db.execute(
        "INSERT INTO users (id, name, name_fold, display_name, role, team, created_at) VALUES "
        "(1, 'kit', 'kit', 'Kit', 'practitioner', 'North', '2026-11-01'), "
        "(2, 'sol', 'sol', 'Sol', 'supervisor', 'North', '2026-11-01')"
    )
    for number, status in ((1, "submitted"), (2, "draft"), (3, "approved")):
        db.execute(
            "INSERT INTO screenings (id, reference, owner_id, team, form_id, form_version, "
            "status, created_at, updated_at) VALUES (?, ?, 1, 'North', 'cse-risk-screening', "
            "2, ?, '2026-11-01', '2026-11-01')",
            [number, f"CSE-2026-{number:06d}", status],
        )
        db.execute(
            "INSERT INTO entity_keys (screening_id, entity, kind, key, exact) "
            "VALUES (?, 0, 'vehicle', 'AB12CDE', 1)",
            [number],
        )
    migrations.migrate(db)
    team = Scope("team", 2, "North")
    found = links_repo.references_of(db, team, "vehicle", ["AB12CDE"])
    assert found == {"AB12CDE": ["CSE-2026-000001", "CSE-2026-000003"]}  # not the draft
    assert links_repo.stale_copies(db) == []
    db.execute("UPDATE screenings SET status = 'submitted' WHERE id = 2")
    db.execute("UPDATE screenings SET team = 'South' WHERE id = 3")
    found = links_repo.references_of(db, team, "vehicle", ["AB12CDE"])
    assert found == {"AB12CDE": ["CSE-2026-000001", "CSE-2026-000002"]}
    assert links_repo.stale_copies(db) == []
    db.execute("UPDATE entity_keys SET reference = 'CSE-2026-000009' WHERE screening_id = 1")
    assert links_repo.stale_copies(db) == ["CSE-2026-000001"]
    db.close()
