"""The audit trail: one row per action, hash-chained so a changed or deleted row shows.

Each row's hash covers the previous row's hash and its own fields, so editing, deleting or
reordering any row breaks every link after it. Rows hold who, when, what and which record —
never answers or names of children.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from screening_app.storage.driver import Database

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    user_id: int | None
    user_name: str
    action: str
    record: str | None
    detail: str


def _digest(
    prev: str,
    at: str,
    user_id: int | None,
    user_name: str,
    action: str,
    record: str | None,
    detail: str,
) -> str:
    canonical = json.dumps(
        [prev, at, user_id, user_name, action, record, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(
    db: Database,
    *,
    at: str,
    user_id: int | None,
    user_name: str,
    action: str,
    record: str | None = None,
    detail: str = "",
) -> None:
    """Add one row (call inside the transaction of the change it records)."""
    row = db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    digest = _digest(prev, at, user_id, user_name, action, record, detail)
    db.execute(
        "INSERT INTO audit (at, user_id, user_name, action, record, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [at, user_id, user_name, action, record, detail, prev, digest],
    )


def verify(db: Database) -> str | None:
    """None when every link holds, else a sentence naming the first broken row."""
    prev = GENESIS
    cursor = db.execute(
        "SELECT id, at, user_id, user_name, action, record, detail, prev_hash, hash "
        "FROM audit ORDER BY id"
    )
    for row_id, at, user_id, user_name, action, record, detail, prev_hash, digest in cursor:
        if prev_hash != prev:
            return f"audit row {row_id}: the row before it was changed or removed"
        if _digest(prev, at, user_id, user_name, action, record, detail) != digest:
            return f"audit row {row_id}: its contents were changed after it was written"
        prev = digest
    return None


def rows(
    db: Database, *, record: str | None = None, team: str | None = None, limit: int = 500
) -> list[AuditRow]:
    """Newest first; ``team`` limits to actions by that team's members."""
    sql = "SELECT a.id, a.at, a.user_id, a.user_name, a.action, a.record, a.detail FROM audit a"
    where: list[str] = []
    params: list[object] = []
    if team is not None:
        sql += " JOIN users u ON u.id = a.user_id"
        where.append("u.team = ?")
        params.append(team)
    if record is not None:
        where.append("a.record = ?")
        params.append(record)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.id DESC LIMIT ?"
    params.append(limit)
    return [AuditRow(*r) for r in db.execute(sql, params).fetchall()]
