"""SQL for a screening's reference and its twins: the next number, a reference free for one
received, and the screenings of one child on one day (a duplicate import)."""

from __future__ import annotations

from screening_app.storage.driver import Database
from screening_app.storage.scope import Scope


def same_child_and_day(
    db: Database, scope: Scope, name_fold: str, screening_date: str
) -> list[tuple[int, str]]:
    """(id, reference) of the screenings ``scope`` may see, not drafts, of that child's name on
    that day (the candidates for a duplicate import)."""
    clause, params = scope.clause()
    rows = db.execute(
        "SELECT s.id, s.reference FROM screenings s WHERE s.child_name_fold = ? AND "
        f"s.screening_date = ? AND s.status NOT IN ('draft', 'superseded') AND {clause}",
        [name_fold, screening_date, *params],
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def unused_reference(db: Database, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3`` … when a screening here already has it."""
    reference, n = wanted, 1
    while db.execute("SELECT 1 FROM screenings WHERE reference = ?", [reference]).fetchone():
        n += 1
        reference = f"{wanted}-{n}"
    return reference


def next_reference_number(db: Database) -> int:
    row = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM screenings").fetchone()
    return int(row[0])
