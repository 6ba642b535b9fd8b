"""SQL for signed work: one row per signed decision (submit, approve, return) — docs/SECURITY.md."""

from __future__ import annotations

from typing import NamedTuple

from screening_app.storage.driver import Database
from screening_app.storage.sync_repo import REMOTE_USERS_FROM


class SignatureRow(NamedTuple):
    id: int
    screening_id: int
    kind: str
    review_id: int | None
    signer_id: int
    at: str
    digest: str
    signature: str


COLUMNS = ", ".join(SignatureRow._fields)


def add(db: Database, row: dict[str, object]) -> None:
    db.execute(
        "INSERT INTO signatures (screening_id, kind, review_id, signer_id, at, digest, signature) "
        "VALUES (:screening_id, :kind, :review_id, :signer_id, :at, :digest, :signature)",
        row,
    )


def all_rows(db: Database) -> list[SignatureRow]:
    return [
        SignatureRow._make(r)
        for r in db.execute(f"SELECT {COLUMNS} FROM signatures ORDER BY id").fetchall()
    ]


def unsigned_submissions(db: Database, since_id: int) -> list[str]:
    """References of screenings submitted here (from id ``since_id`` on) with no signature.
    (A screening received from the team server was signed by its author's own device.)"""
    rows = db.execute(
        "SELECT s.reference FROM screenings s WHERE s.id >= ? AND s.status != 'draft' "
        "AND NOT EXISTS (SELECT 1 FROM signatures g WHERE g.screening_id = s.id "
        "AND g.kind = 'submit') AND NOT EXISTS (SELECT 1 FROM sync_items i "
        "WHERE i.screening_id = s.id AND i.direction = 'in') ORDER BY s.id",
        [since_id],
    ).fetchall()
    return [str(r[0]) for r in rows]


def unsigned_reviews(db: Database, since_id: int) -> list[int]:
    """Review ids (of screenings from ``since_id`` on) with no signature. (A decision received
    from the team server was checked against its reviewer's device signature on arrival; its
    reviewer is a colleague known only through the server.)"""
    rows = db.execute(
        "SELECT r.id FROM reviews r WHERE r.screening_id >= ? AND r.decision != 'comment' "
        "AND r.reviewer_id < ? "
        "AND NOT EXISTS (SELECT 1 FROM signatures g WHERE g.review_id = r.id) ORDER BY r.id",
        [since_id, REMOTE_USERS_FROM],
    ).fetchall()
    return [int(r[0]) for r in rows]
