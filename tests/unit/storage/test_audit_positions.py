"""Positions in the audit chain: 0 is its start (GENESIS), n the n-th row's hash."""

from __future__ import annotations

import secrets
from pathlib import Path

from screening_app.storage import audit, migrations
from screening_app.storage.driver import connect


def test_position_zero_is_the_start_of_the_chain_not_the_first_row(tmp_path: Path) -> None:
    db = connect(tmp_path / "a.db", secrets.token_bytes(32))
    migrations.migrate(db)
    assert audit.hash_at(db, 0) == audit.GENESIS == audit.tail(db)[1]
    for action in ("first", "second"):
        audit.append(db, at="2026-11-26 10:00:00", user_id=None, user_name="x", action=action)
    count, head = audit.tail(db)
    assert count == 2 and audit.hash_at(db, 2) == head
    assert audit.hash_at(db, 0) == audit.GENESIS  # (SQLite's OFFSET -1 gave the first row)
    assert audit.hash_at(db, 1) != audit.GENESIS and audit.hash_at(db, 3) is None
    db.close()
