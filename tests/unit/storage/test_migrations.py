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
    with pytest.raises(NewerVersion):
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
