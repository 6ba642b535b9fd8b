"""SQL for the retention period on a practitioner's computer (docs/SERVER.md, "Retention"): once
the server holds an approved screening and the period has passed since its review, its content
is removed here; the reference, status, dates and the clear figures stay."""

from __future__ import annotations

from screening_app.storage.driver import Database
from screening_app.storage.scope import Scope


def due(db: Database, owner_id: int, reviewed_before: str) -> list[int]:
    """This owner's screenings, sent and acknowledged, approved (or replaced by an approved
    amendment) and reviewed before ``reviewed_before``, whose content is still here."""
    rows = db.execute(
        "SELECT s.id FROM screenings s JOIN sync_items i ON i.screening_id = s.id "
        "WHERE s.owner_id = ? AND i.direction = 'out' AND i.state = 'sent' "
        "AND s.content_removed_at IS NULL AND s.reviewed_at IS NOT NULL AND s.reviewed_at < ? "
        "AND (s.status = 'approved' OR (s.status = 'superseded' AND EXISTS (SELECT 1 FROM "
        "sync_items j JOIN screenings n ON n.id = j.screening_id WHERE j.remote_id = i.remote_id "
        "AND n.status = 'approved'))) ORDER BY s.id",
        [owner_id, reviewed_before],
    ).fetchall()
    return [int(r[0]) for r in rows]


def remove_content(db: Database, screening_id: int, at: str) -> None:
    """Answers, score, names, comments, notes and what was sealed for the server go; the
    reference, status, dates, band, area and role stay."""
    child = db.execute("SELECT child_id FROM screenings WHERE id = ?", [screening_id]).fetchone()
    for statement in (
        "DELETE FROM answers WHERE screening_id = ?",
        "DELETE FROM scores WHERE screening_id = ?",
        "DELETE FROM entity_keys WHERE screening_id = ?",
        "DELETE FROM organisation_links WHERE screening_id = ?",
        "UPDATE reviews SET comment = '' WHERE screening_id = ?",
        "UPDATE outcomes SET note = '' WHERE screening_id = ?",
        "UPDATE sync_items SET envelope = NULL, signature = NULL WHERE screening_id = ?",
    ):
        db.execute(statement, [screening_id])
    db.execute(
        "UPDATE screenings SET child_id = NULL, child_name = '', child_name_fold = '', "
        "child_dob = NULL, child_age = NULL, amend_reason = NULL, page = NULL, "
        "content_removed_at = ? WHERE id = ?",
        [at, screening_id],
    )
    if child and child[0] is not None:
        db.execute(
            "DELETE FROM children WHERE id = ? AND NOT EXISTS (SELECT 1 FROM screenings "
            "WHERE child_id = ?) AND NOT EXISTS (SELECT 1 FROM children WHERE merged_into = ?)",
            [child[0], child[0], child[0]],
        )


def records(
    db: Database, scope: Scope, reference: str | None = None
) -> list[tuple[str, int | None, str, str, str | None, str | None, str, str]]:
    """What the due list needs of each screening ``scope`` may see whose content is here (the
    one of ``reference`` only, when given): (reference, child id, status, practitioner role,
    date of birth, screening date, last change, the child's or place's name)."""
    clause, params = scope.clause(counting=True)
    one = "AND s.reference = ? " if reference is not None else ""
    rows = db.execute(
        "SELECT s.reference, s.child_id, s.status, s.practitioner_role, s.child_dob, "
        f"s.screening_date, s.updated_at, s.child_name FROM screenings s WHERE {clause} "
        f"AND s.content_removed_at IS NULL {one}ORDER BY s.id",
        [*params, *([reference] if reference is not None else [])],
    ).fetchall()
    return [
        (str(a), b, str(c), str(d or ""), e, f, str(g), str(h or ""))
        for a, b, c, d, e, f, g, h in rows
    ]
