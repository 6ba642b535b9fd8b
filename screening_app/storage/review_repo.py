"""SQL for the review queue, review decisions and outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from screening_app.storage.driver import Database
from screening_app.storage.screenings_repo import ROW_COLUMNS, ListRow, Scope, require_visible


class QueueRow(NamedTuple):
    row: ListRow
    awaiting_approval: bool
    final_band: str
    judged_band: str
    submitted_at: str


class NewsRow(NamedTuple):
    screening_id: int
    reference: str
    decision: str
    comment: str
    at: str
    reviewer: str
    child_name: str  # blank once the content was removed under the retention period


class OutcomeRow(NamedTuple):
    id: int
    code: str
    date: str
    note: str
    recorded_by: str
    at: str


class ChildScreeningRow(NamedTuple):
    id: int
    reference: str
    screening_date: str | None
    status: str
    total: int | None
    operative_band: str | None
    submitted_at: str | None
    owner_name: str


class ChildRow(NamedTuple):
    id: int
    first_name: str
    last_name: str
    dob: str | None
    merged_into: int | None


class ReviewOfRow(NamedTuple):
    screening_id: int
    decision: str
    comment: str
    band: str | None
    at: str
    reviewer: str


class OutcomeOfRow(NamedTuple):
    screening_id: int
    code: str
    date: str
    note: str


class ExportRow(NamedTuple):
    reference: str
    action: str
    at: str
    user_name: str
    detail: str  # with whom, what for and on what basis, for a share (domain/disclosure.py)


class DuplicateRow(NamedTuple):
    id: int
    name: str
    dob: str | None
    screenings: int


class DecisionRow(NamedTuple):
    id: int
    team: str
    status: str
    operative_band: str | None
    submitted_at: str


_LIST_WIDTH = len(ListRow._fields)


def queue(db: Database, team: str) -> list[QueueRow]:
    """Submitted screenings of ``team``, oldest first, with whether the judgement was lowered."""
    cursor = db.execute(
        f"SELECT {ROW_COLUMNS}, s.awaiting_approval, s.final_band, s.judged_band, "
        "s.submitted_at FROM screenings s LEFT JOIN users u ON u.id = s.owner_id "
        "WHERE s.team = ? AND s.status = 'submitted' ORDER BY s.submitted_at, s.id",
        [team],
    )
    return [
        QueueRow(ListRow._make(r[:_LIST_WIDTH]), bool(r[_LIST_WIDTH]), *r[_LIST_WIDTH + 1 :])
        for r in cursor.fetchall()
    ]


def decided_and_waiting(db: Database) -> list[DecisionRow]:
    """Every submitted, approved or returned screening (for the demo data's reviews)."""
    cursor = db.execute(
        "SELECT id, team, status, operative_band, submitted_at FROM screenings "
        "WHERE status IN ('approved', 'returned', 'submitted') ORDER BY id"
    )
    return [DecisionRow._make(r) for r in cursor.fetchall()]


def add_review(
    db: Database,
    scope: Scope,
    screening_id: int,
    reviewer_id: int,
    decision: str,
    comment: str,
    band: str | None,
    at: str,
) -> int:
    require_visible(db, scope, screening_id)
    cursor = db.execute(
        "INSERT INTO reviews (screening_id, reviewer_id, decision, comment, band, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [screening_id, reviewer_id, decision, comment, band, at],
    )
    return int(cursor.lastrowid or 0)


def review(db: Database, review_id: int) -> tuple[int, str, str, str | None] | None:
    """(screening id, decision, comment, band) of one review."""
    row = db.execute(
        "SELECT screening_id, decision, comment, band FROM reviews WHERE id = ?", [review_id]
    ).fetchone()
    return (int(row[0]), str(row[1]), str(row[2]), row[3]) if row else None


def news_for_owner(db: Database, owner_id: int, since: str) -> list[NewsRow]:
    """Reviews of ``owner_id``'s screenings made after ``since`` (newest first)."""
    cursor = db.execute(
        "SELECT s.id, s.reference, r.decision, r.comment, r.at, "
        "COALESCE(u.display_name, u.name, ''), "
        "CASE WHEN s.content_removed_at IS NULL THEN s.child_name ELSE '' END FROM reviews r "
        "JOIN screenings s ON s.id = r.screening_id LEFT JOIN users u ON u.id = r.reviewer_id "
        "WHERE s.owner_id = ? AND r.at >= ? ORDER BY r.at DESC",
        [owner_id, since],
    )
    return [NewsRow._make(r) for r in cursor.fetchall()]


def last_sign_in(db: Database, user_id: int) -> str:
    """When the user signed in before this session ('' if never)."""
    rows = db.execute(
        "SELECT at FROM audit WHERE user_id = ? AND action = 'sign_in' ORDER BY id DESC LIMIT 2",
        [user_id],
    ).fetchall()
    return str(rows[1][0]) if len(rows) > 1 else ""


def add_outcome(
    db: Database,
    scope: Scope,
    screening_id: int,
    code: str,
    date: str,
    note: str,
    user_id: int,
    at: str,
) -> int:
    require_visible(db, scope, screening_id)
    cursor = db.execute(
        "INSERT INTO outcomes (screening_id, code, date, note, user_id, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [screening_id, code, date, note, user_id, at],
    )
    return int(cursor.lastrowid or 0)


def outcomes(db: Database, scope: Scope, screening_id: int) -> list[OutcomeRow]:
    clause, params = scope.clause()
    cursor = db.execute(
        "SELECT o.id, o.code, o.date, o.note, COALESCE(u.display_name, u.name, ''), o.at "
        "FROM outcomes o JOIN screenings s ON s.id = o.screening_id "
        f"LEFT JOIN users u ON u.id = o.user_id WHERE o.screening_id = ? AND {clause} "
        "ORDER BY o.date, o.id",
        [screening_id, *params],
    )
    return [OutcomeRow._make(r) for r in cursor.fetchall()]


def child_screenings(db: Database, scope: Scope, child_id: int) -> list[ChildScreeningRow]:
    """The child's submitted screenings that ``scope`` may see, oldest first."""
    clause, params = scope.clause()
    cursor = db.execute(
        "SELECT s.id, s.reference, s.screening_date, s.status, s.total, s.operative_band, "
        "s.submitted_at, COALESCE(u.display_name, u.name, '') FROM screenings s "
        "LEFT JOIN users u ON u.id = s.owner_id WHERE s.child_id IN "
        "(SELECT id FROM children WHERE id = ? OR merged_into = ?) "
        f"AND s.status != 'draft' AND {clause} ORDER BY s.screening_date, s.id",
        [child_id, child_id, *params],
    )
    return [ChildScreeningRow._make(r) for r in cursor.fetchall()]


def child(db: Database, child_id: int) -> ChildRow | None:
    row = db.execute(
        "SELECT id, first_name, last_name, dob, merged_into FROM children WHERE id = ?",
        [child_id],
    ).fetchone()
    return ChildRow._make(row) if row else None


def reviews_of(db: Database, screening_ids: list[int]) -> list[ReviewOfRow]:
    if not screening_ids:
        return []
    marks = ", ".join("?" for _ in screening_ids)
    cursor = db.execute(
        "SELECT r.screening_id, r.decision, r.comment, r.band, r.at, "
        f"COALESCE(u.display_name, u.name, '') FROM reviews r LEFT JOIN users u "
        f"ON u.id = r.reviewer_id WHERE r.screening_id IN ({marks})",
        screening_ids,
    )
    return [ReviewOfRow._make(r) for r in cursor.fetchall()]


def outcomes_of(db: Database, screening_ids: list[int]) -> list[OutcomeOfRow]:
    if not screening_ids:
        return []
    marks = ", ".join("?" for _ in screening_ids)
    cursor = db.execute(
        f"SELECT screening_id, code, date, note FROM outcomes WHERE screening_id IN ({marks})",
        screening_ids,
    )
    return [OutcomeOfRow._make(r) for r in cursor.fetchall()]


def exports_of(db: Database, references: list[str], actions: Sequence[str]) -> list[ExportRow]:
    """The audit rows of ``actions`` (exports) about ``references``."""
    if not references or not actions:
        return []
    marks = ", ".join("?" for _ in references)
    kinds = ", ".join("?" for _ in actions)
    cursor = db.execute(
        "SELECT record, action, at, user_name, detail FROM audit WHERE action IN "
        f"({kinds}) AND record IN ({marks})",
        [*actions, *references],
    )
    return [ExportRow._make(r) for r in cursor.fetchall()]


def merge_children(db: Database, keep_id: int, duplicate_id: int) -> int:
    """Move the duplicate's screenings to ``keep_id``; returns how many moved."""
    moved = db.execute(
        "UPDATE screenings SET child_id = ? WHERE child_id = ?", [keep_id, duplicate_id]
    ).rowcount
    db.execute("UPDATE children SET merged_into = ? WHERE id = ?", [keep_id, duplicate_id])
    db.execute("UPDATE children SET merged_into = ? WHERE merged_into = ?", [keep_id, duplicate_id])
    return int(moved)


def possible_duplicates(db: Database, child_id: int, team: str) -> list[DuplicateRow]:
    """Other child records with the same name seen by ``team``: (id, name, dob, screenings)."""
    cursor = db.execute(
        "SELECT c.id, c.first_name || ' ' || c.last_name, c.dob, count(s.id) FROM children c "
        "JOIN children me ON me.id = ? JOIN screenings s ON s.child_id = c.id "
        "WHERE c.name_fold = me.name_fold AND c.id != me.id AND c.merged_into IS NULL "
        "AND s.team = ? GROUP BY c.id ORDER BY c.dob",
        [child_id, team],
    )
    return [DuplicateRow._make(r) for r in cursor.fetchall()]
