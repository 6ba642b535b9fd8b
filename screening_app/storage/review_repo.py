"""SQL for the review queue, review decisions and outcomes."""

from __future__ import annotations

from typing import Any

from screening_app.storage.driver import Database
from screening_app.storage.screenings_repo import ROW_COLUMNS


def queue(db: Database, team: str) -> list[tuple[Any, ...]]:
    """Submitted screenings of ``team``, oldest first, with whether the judgement was lowered."""
    cursor = db.execute(
        f"SELECT {ROW_COLUMNS}, s.awaiting_approval, s.final_band, s.judged_band, "
        "s.submitted_at FROM screenings s LEFT JOIN users u ON u.id = s.owner_id "
        "WHERE s.team = ? AND s.status = 'submitted' ORDER BY s.submitted_at, s.id",
        [team],
    )
    return [tuple(r) for r in cursor.fetchall()]


def add_review(
    db: Database,
    screening_id: int,
    reviewer_id: int,
    decision: str,
    comment: str,
    band: str | None,
    at: str,
) -> None:
    db.execute(
        "INSERT INTO reviews (screening_id, reviewer_id, decision, comment, band, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [screening_id, reviewer_id, decision, comment, band, at],
    )


def news_for_owner(db: Database, owner_id: int, since: str) -> list[tuple[Any, ...]]:
    """Reviews of ``owner_id``'s screenings made after ``since`` (newest first)."""
    cursor = db.execute(
        "SELECT s.id, s.reference, r.decision, r.comment, r.at, "
        "COALESCE(u.display_name, u.name, '') FROM reviews r "
        "JOIN screenings s ON s.id = r.screening_id LEFT JOIN users u ON u.id = r.reviewer_id "
        "WHERE s.owner_id = ? AND r.at >= ? ORDER BY r.at DESC",
        [owner_id, since],
    )
    return [tuple(r) for r in cursor.fetchall()]


def last_sign_in(db: Database, user_id: int) -> str:
    """When the user signed in before this session ('' if never)."""
    rows = db.execute(
        "SELECT at FROM audit WHERE user_id = ? AND action = 'sign_in' ORDER BY id DESC LIMIT 2",
        [user_id],
    ).fetchall()
    return str(rows[1][0]) if len(rows) > 1 else ""


def add_outcome(
    db: Database, screening_id: int, code: str, date: str, note: str, user_id: int, at: str
) -> int:
    cursor = db.execute(
        "INSERT INTO outcomes (screening_id, code, date, note, user_id, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [screening_id, code, date, note, user_id, at],
    )
    return int(cursor.lastrowid or 0)


def outcomes(db: Database, screening_id: int) -> list[tuple[Any, ...]]:
    cursor = db.execute(
        "SELECT o.id, o.code, o.date, o.note, COALESCE(u.display_name, u.name, ''), o.at "
        "FROM outcomes o LEFT JOIN users u ON u.id = o.user_id WHERE o.screening_id = ? "
        "ORDER BY o.date, o.id",
        [screening_id],
    )
    return [tuple(r) for r in cursor.fetchall()]
