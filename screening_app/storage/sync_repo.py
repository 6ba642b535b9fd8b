"""SQL for the team server's queue: screenings and decisions to send, and what was received."""

from __future__ import annotations

from typing import NamedTuple

from screening_app.storage.driver import Database

REMOTE_USERS_FROM = 1_000_000


class SyncItem(NamedTuple):
    screening_id: int
    remote_id: str
    version: int
    direction: str
    state: str
    author_box: str | None


COLUMNS = "screening_id, remote_id, version, direction, state, author_box"


def queue(db: Database, screening_id: int, remote_id: str, version: int, at: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO sync_items (screening_id, remote_id, version, direction, state, "
        "updated_at) VALUES (?, ?, ?, 'out', 'queued', ?)",
        [screening_id, remote_id, version, at],
    )


def queued(db: Database) -> list[SyncItem]:
    rows = db.execute(
        f"SELECT {COLUMNS} FROM sync_items WHERE state = 'queued' ORDER BY screening_id"
    ).fetchall()
    return [SyncItem._make(r) for r in rows]


def mark(db: Database, screening_id: int, state: str, error: str, at: str) -> None:
    db.execute(
        "UPDATE sync_items SET state = ?, last_error = ?, updated_at = ?, "
        "attempts = attempts + (CASE WHEN ? = '' THEN 0 ELSE 1 END) WHERE screening_id = ?",
        [state, error[:300], at, error, screening_id],
    )


def forget(db: Database, screening_id: int) -> None:
    """A queued screening that is deleted before it was ever sent leaves the queue."""
    db.execute("DELETE FROM sync_items WHERE screening_id = ? AND state = 'queued'", [screening_id])


def by_remote(db: Database, remote_id: str, version: int) -> SyncItem | None:
    row = db.execute(
        f"SELECT {COLUMNS} FROM sync_items WHERE remote_id = ? AND version = ?",
        [remote_id, version],
    ).fetchone()
    return SyncItem._make(row) if row else None


def of_screening(db: Database, screening_id: int) -> SyncItem | None:
    row = db.execute(
        f"SELECT {COLUMNS} FROM sync_items WHERE screening_id = ?", [screening_id]
    ).fetchone()
    return SyncItem._make(row) if row else None


def received(
    db: Database, screening_id: int, remote_id: str, version: int, author_box: str, at: str
) -> None:
    db.execute(
        "INSERT INTO sync_items (screening_id, remote_id, version, direction, state, author_box, "
        "updated_at) VALUES (?, ?, ?, 'in', 'received', ?, ?)",
        [screening_id, remote_id, version, author_box, at],
    )


def counts(db: Database) -> tuple[int, int]:
    """(screenings and decisions waiting to be sent, of which failed at least once)."""
    row = db.execute(
        "SELECT count(*), sum(attempts > 0) FROM sync_items WHERE state = 'queued'"
    ).fetchone()
    others = db.execute(
        "SELECT (SELECT count(*) FROM sync_decisions WHERE state = 'queued') + "
        "(SELECT count(*) FROM sync_outcomes WHERE state = 'queued')"
    ).fetchone()
    return int(row[0]) + int(others[0]), int(row[1] or 0)


def queue_decision(db: Database, review_id: int) -> None:
    db.execute(
        "INSERT OR IGNORE INTO sync_decisions (review_id, state) VALUES (?, 'queued')", [review_id]
    )


def queued_decisions(db: Database) -> list[tuple[int, int, str, str, str | None]]:
    """(review id, screening id, decision, comment, band) of decisions waiting to be sent."""
    rows = db.execute(
        "SELECT r.id, r.screening_id, r.decision, r.comment, r.band FROM sync_decisions q "
        "JOIN reviews r ON r.id = q.review_id WHERE q.state = 'queued' ORDER BY r.id"
    ).fetchall()
    return [(int(a), int(b), str(c), str(d), e) for a, b, c, d, e in rows]


def mark_decision(db: Database, review_id: int, state: str, error: str = "") -> None:
    db.execute(
        "UPDATE sync_decisions SET state = ?, last_error = ? WHERE review_id = ?",
        [state, error[:300], review_id],
    )


def remote_user(db: Database, server_id: int, name: str, team: str, at: str) -> int:
    """The local ``users`` row standing for a colleague known only through the server."""
    local_id = REMOTE_USERS_FROM + server_id
    db.execute(
        "INSERT INTO users (id, name, name_fold, display_name, role, team, active, created_at) "
        "VALUES (?, ?, ?, ?, 'practitioner', ?, 0, ?) ON CONFLICT (id) DO UPDATE SET "
        "display_name = excluded.display_name",
        [local_id, f"{name} (server)", f"{name} (server)".casefold(), name, team, at],
    )
    return local_id


KEYS = {"sync_items": "screening_id", "sync_decisions": "review_id", "sync_outcomes": "outcome_id"}


def sealed_of(db: Database, table: str, key: int) -> tuple[bytes, bytes] | None:
    """The envelope and signature sealed for an item (``table``: one of :data:`KEYS`)."""
    column = KEYS[table]
    row = db.execute(
        f"SELECT envelope, signature FROM {table} WHERE {column} = ?", [key]
    ).fetchone()
    return (bytes(row[0]), bytes(row[1])) if row and row[0] is not None else None


def keep_sealed(db: Database, table: str, key: int, envelope: bytes, signature: bytes) -> None:
    column = KEYS[table]
    db.execute(
        f"UPDATE {table} SET envelope = ?, signature = ? WHERE {column} = ?",
        [envelope, signature, key],
    )


class OutcomeItem(NamedTuple):
    outcome_id: int
    remote_id: str
    screening_id: int
    code: str
    date: str
    note: str


def queue_outcome(db: Database, outcome_id: int, remote_id: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO sync_outcomes (outcome_id, remote_id, direction, state) "
        "VALUES (?, ?, 'out', 'queued')",
        [outcome_id, remote_id],
    )


def queued_outcomes(db: Database) -> list[OutcomeItem]:
    rows = db.execute(
        "SELECT q.outcome_id, q.remote_id, o.screening_id, o.code, o.date, o.note "
        "FROM sync_outcomes q JOIN outcomes o ON o.id = q.outcome_id "
        "WHERE q.state = 'queued' ORDER BY q.outcome_id"
    ).fetchall()
    return [OutcomeItem._make(r) for r in rows]


def mark_outcome(db: Database, outcome_id: int, state: str, error: str = "") -> None:
    db.execute(
        "UPDATE sync_outcomes SET state = ?, last_error = ? WHERE outcome_id = ?",
        [state, error[:300], outcome_id],
    )


def outcome_known(db: Database, remote_id: str) -> bool:
    row = db.execute("SELECT 1 FROM sync_outcomes WHERE remote_id = ?", [remote_id]).fetchone()
    return row is not None


def received_outcome(db: Database, outcome_id: int, remote_id: str) -> None:
    db.execute(
        "INSERT INTO sync_outcomes (outcome_id, remote_id, direction, state) "
        "VALUES (?, ?, 'in', 'received')",
        [outcome_id, remote_id],
    )
