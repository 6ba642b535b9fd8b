"""SQL for the subject access export: the names it must not disclose."""

from __future__ import annotations

from screening_app.domain.checklist import FORM_ID
from screening_app.storage.driver import Database


def other_children(db: Database, child_id: int) -> list[tuple[str, str]]:
    """(first, last) of every child record but ``child_id`` and the records merged into it:
    every other child this database knows, whether or not the reader may see them (a name
    must be redacted even when its screenings are another team's)."""
    rows = db.execute(
        "SELECT first_name, last_name FROM children WHERE id != ? "
        "AND coalesce(merged_into, 0) != ?",
        [child_id, child_id],
    ).fetchall()
    found = [(str(first or ""), str(last or "")) for first, last in rows]
    # and the children of screenings with no child record yet (no date of birth given)
    loose = db.execute(
        "SELECT DISTINCT child_name FROM screenings WHERE child_id IS NULL AND form_id = ? "
        "AND child_name != ''",
        [FORM_ID],
    ).fetchall()
    for (name,) in loose:
        first, _, last = str(name).partition(" ")
        found.append((first, last))
    return found
