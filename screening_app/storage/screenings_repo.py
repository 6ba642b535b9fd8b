"""SQL for screenings, their answers, children and CSE models. No rules here: services decide.

Answers are stored one row per question (``answers``), so autosave writes one small row; the
denormalised columns on ``screenings`` (child name, band, reassess-by …) make the list, filters
and statistics plain indexed SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from screening_app.domain import checklist
from screening_app.domain.forms import GivenAnswers
from screening_app.errors import NotFound
from screening_app.storage.driver import Database, safe_names
from screening_app.storage.scope import ALL, Scope

__all__ = ["ALL", "Scope"]


class ListRow(NamedTuple):
    """One line of the screenings list, as stored (dates are ISO text)."""

    id: int
    reference: str
    child_id: int | None
    child_name: str
    child_age: int | None
    la_area: str
    screening_date: str | None
    status: str
    operative_band: str | None
    reassess_by: str | None
    owner_id: int
    owner_name: str
    updated_at: str
    version: int
    latest: bool  # the child's newest screening (only that one can be due for reassessment)


class ScreeningRecord(NamedTuple):
    """Every column of one screening, and its owner's name."""

    id: int
    reference: str
    child_id: int | None
    owner_id: int
    team: str
    form_id: str
    form_version: int
    status: str
    version: int
    previous_id: int | None
    amend_reason: str | None
    page: str | None
    created_at: str
    updated_at: str
    submitted_at: str | None
    screening_date: str | None
    child_name: str
    child_name_fold: str
    child_dob: str | None
    child_age: int | None
    la_area: str
    practitioner_role: str
    total: int | None
    calculated_band: str | None
    final_band: str | None
    judged_band: str | None
    operative_band: str | None
    awaiting_approval: int
    judgement_approved: int
    reassess_by: str | None
    reviewed_at: str | None
    latest: int
    content_removed_at: str | None  # removed under the retention period (docs/SERVER.md)
    owner_name: str

    def as_list_row(self) -> ListRow:
        return ListRow(**{name: getattr(self, name) for name in ListRow._fields})


class CommentRow(NamedTuple):
    at: str
    author_name: str
    decision: str
    comment: str
    band: str | None


REMOVED = "(content removed from this computer)"  # in the list, instead of the child's name
ROW_COLUMNS = (
    "s.id, s.reference, s.child_id, "
    f"CASE WHEN s.content_removed_at IS NULL THEN s.child_name ELSE '{REMOVED}' END, "
    "s.child_age, s.la_area, s.screening_date, "
    "s.status, s.operative_band, s.reassess_by, s.owner_id, "
    "COALESCE(u.display_name, u.name, ''), s.updated_at, s.version, s.latest"
)
RECORD_COLUMNS = ", ".join(f"s.{name}" for name in ScreeningRecord._fields[:-1])
NOT_NULL_SORTS = frozenset({"s.updated_at", "s.child_name_fold", "s.status", "s.la_area"})
SORTS = {
    "child": "s.child_name_fold",
    "age": "s.child_age",
    "area": "s.la_area",
    "date": "s.screening_date",
    "status": "s.status",
    "band": "s.operative_band",
    "reassess": "s.reassess_by",
    "updated": "s.updated_at",
}


# A reassessment is due only on a child's newest screening: a later one replaces it. The
# ``latest`` column says which that is (kept by triggers: see migrations).
LATEST_FOR_CHILD = "s.latest = 1"


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    band: str | None = None
    area: str | None = None
    owner_id: int | None = None
    search: str = ""
    reassess_before: str | None = None  # ISO date: reassess_by < this
    reassess_from: str | None = None  # ISO date: reassess_by >= this


def require_visible(db: Database, scope: Scope, screening_id: int) -> None:
    """NotFound unless ``scope`` may see the screening (checked before every write)."""
    if not visible(db, scope, screening_id):
        raise NotFound("That screening does not exist or is not shared with you.")


def insert_screening(db: Database, values: Mapping[str, object]) -> int:
    columns = ", ".join(safe_names(values))
    marks = ", ".join("?" for _ in values)
    sql = f"INSERT INTO screenings ({columns}) VALUES ({marks})"
    return int(db.execute(sql, list(values.values())).lastrowid or 0)


def update(db: Database, scope: Scope, screening_id: int, values: Mapping[str, object]) -> None:
    require_visible(db, scope, screening_id)
    sets = ", ".join(f"{name} = ?" for name in safe_names(values))
    db.execute(f"UPDATE screenings SET {sets} WHERE id = ?", [*values.values(), screening_id])


def upsert_answer(
    db: Database, scope: Scope, screening_id: int, question_id: str, value: Any, at: str
) -> None:
    require_visible(db, scope, screening_id)
    db.execute(
        "INSERT INTO answers (screening_id, question_id, value_json, updated_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (screening_id, question_id) DO UPDATE SET "
        "value_json = excluded.value_json, updated_at = excluded.updated_at",
        [screening_id, question_id, json.dumps(value, ensure_ascii=False), at],
    )


def insert_answers(db: Database, screening_id: int, answers: GivenAnswers, at: str) -> None:
    """Many answers of a new screening at once (one prepared statement)."""
    db.conn.executemany(
        "INSERT INTO answers (screening_id, question_id, value_json, updated_at) "
        "VALUES (?, ?, ?, ?)",
        [
            (screening_id, qid, json.dumps(value, ensure_ascii=False), at)
            for qid, value in answers.items()
        ],
    )


def set_score(db: Database, scope: Scope, screening_id: int, snapshot: dict[str, Any]) -> None:
    """The score as submitted, kept apart so the list's rows stay small and fast to scan."""
    require_visible(db, scope, screening_id)
    db.execute(
        "INSERT OR REPLACE INTO scores (screening_id, score_json) VALUES (?, ?)",
        [screening_id, json.dumps(snapshot, ensure_ascii=False)],
    )
    # the types of exploitation it shows (version 4 on), for the statistics' type_<code> (a
    # score is stored once, for a screening just submitted, received or imported: nothing to
    # replace; and a score with no types touches no table a schema-1 database lacks)
    for code in snapshot.get("types") or []:
        db.execute(
            "INSERT OR IGNORE INTO screening_types (screening_id, type) VALUES (?, ?)",
            [screening_id, str(code)],
        )


def types_of(db: Database, screening_id: int) -> list[str]:
    """The types of exploitation a submitted screening shows (none before form version 4)."""
    rows = db.execute(
        "SELECT type FROM screening_types WHERE screening_id = ? ORDER BY type", [screening_id]
    ).fetchall()
    return [str(r[0]) for r in rows]


def score_of(db: Database, scope: Scope, screening_id: int) -> dict[str, Any] | None:
    clause, params = scope.clause()
    row = db.execute(
        "SELECT c.score_json FROM scores c JOIN screenings s ON s.id = c.screening_id "
        f"WHERE c.screening_id = ? AND {clause}",
        [screening_id, *params],
    ).fetchone()
    return dict(json.loads(row[0])) if row else None


def delete_answer(db: Database, scope: Scope, screening_id: int, question_id: str) -> None:
    require_visible(db, scope, screening_id)
    db.execute(
        "DELETE FROM answers WHERE screening_id = ? AND question_id = ?",
        [screening_id, question_id],
    )


def copy_answers(
    db: Database, scope: Scope, source_id: int, target_id: int, at: str, asked: set[str]
) -> None:
    """Copy the answers of ``source_id`` to ``target_id``, those to questions in ``asked``."""
    require_visible(db, scope, source_id)
    require_visible(db, scope, target_id)
    for question_id, value_json in db.execute(
        "SELECT question_id, value_json FROM answers WHERE screening_id = ?", [source_id]
    ).fetchall():
        if question_id in asked:
            db.execute(
                "INSERT INTO answers (screening_id, question_id, value_json, updated_at) "
                "VALUES (?, ?, ?, ?)",
                [target_id, question_id, value_json, at],
            )


def answers(db: Database, scope: Scope, screening_id: int) -> dict[str, Any]:
    clause, params = scope.clause()
    cursor = db.execute(
        "SELECT a.question_id, a.value_json FROM answers a JOIN screenings s "
        f"ON s.id = a.screening_id WHERE a.screening_id = ? AND {clause}",
        [screening_id, *params],
    )
    return {qid: json.loads(value) for qid, value in cursor.fetchall()}


def own_submitted(db: Database, owner_id: int) -> list[int]:
    """Ids of ``owner_id``'s screenings that were submitted and not replaced."""
    rows = db.execute(
        "SELECT id FROM screenings WHERE owner_id = ? "
        "AND status IN ('submitted', 'approved', 'returned') ORDER BY id",
        [owner_id],
    ).fetchall()
    return [int(r[0]) for r in rows]


def id_of_reference(db: Database, reference: str) -> int | None:
    row = db.execute("SELECT id FROM screenings WHERE reference = ?", [reference]).fetchone()
    return int(row[0]) if row else None


def fetch(db: Database, scope: Scope, screening_id: int) -> ScreeningRecord | None:
    """The screening, or None when it does not exist or ``scope`` may not see it."""
    clause, params = scope.clause()
    row = db.execute(
        f"SELECT {RECORD_COLUMNS}, COALESCE(u.display_name, u.name, '') FROM screenings s "
        f"LEFT JOIN users u ON u.id = s.owner_id WHERE s.id = ? AND {clause}",
        [screening_id, *params],
    ).fetchone()
    return ScreeningRecord._make(row) if row else None


def visible(db: Database, scope: Scope, screening_id: int) -> bool:
    clause, params = scope.clause()
    row = db.execute(
        f"SELECT 1 FROM screenings s WHERE s.id = ? AND {clause}", [screening_id, *params]
    ).fetchone()
    return row is not None


def _where(scope: Scope, filters: Filters, *, counting: bool = False) -> tuple[str, list[object]]:
    clause, params = scope.clause(counting=counting)
    parts = [clause]
    if filters.status:
        parts.append("s.status = ?")
        params.append(filters.status)
    else:
        parts.append("s.status != 'superseded'")
    for column, value in (
        ("s.operative_band", filters.band),
        ("s.la_area", filters.area),
        ("s.owner_id", filters.owner_id),
    ):
        if value is not None and value != "":
            parts.append(f"{column} = ?")
            params.append(value)
    if filters.search.strip():
        parts.append("s.child_name_fold LIKE ? ESCAPE '\\'")
        params.append("%" + _like_escape(filters.search.strip().casefold()) + "%")
    if filters.reassess_before or filters.reassess_from:
        parts.append(LATEST_FOR_CHILD)
    if filters.reassess_before:
        parts.append("s.reassess_by < ?")
        params.append(filters.reassess_before)
    if filters.reassess_from:
        parts.append("s.reassess_by >= ?")
        params.append(filters.reassess_from)
    return " AND ".join(parts), params


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_rows(
    db: Database,
    scope: Scope,
    filters: Filters,
    *,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[ListRow]:
    where, params = _where(scope, filters)
    order = SORTS.get(sort, "s.updated_at")
    direction = "DESC" if descending else "ASC"
    # Empty values last. SQLite sorts NULL lowest, so newest-first (the usual way) puts them
    # last by itself and a page is read straight from an index; only oldest-first must ask.
    nulls_last = "" if order in NOT_NULL_SORTS or descending else " NULLS LAST"
    sql = (
        f"SELECT {ROW_COLUMNS} FROM screenings s LEFT JOIN users u ON u.id = s.owner_id "
        f"WHERE {where} ORDER BY {order} {direction}{nulls_last}, s.id {direction} "
        "LIMIT ? OFFSET ?"
    )
    return [ListRow._make(r) for r in db.execute(sql, [*params, limit, offset]).fetchall()]


def count_rows(db: Database, scope: Scope, filters: Filters) -> int:
    where, params = _where(scope, filters, counting=True)
    row = db.execute(f"SELECT count(*) FROM screenings s WHERE {where}", params).fetchone()
    return int(row[0])


def find_or_create_child(db: Database, first: str, last: str, dob: str, at: str) -> int:
    row = db.execute(
        "SELECT id, merged_into FROM children WHERE name_fold = ? AND dob = ? ORDER BY id LIMIT 1",
        [checklist.name_fold(first, last), dob],
    ).fetchone()
    if row:
        return int(row[1] or row[0])
    return add_child(db, first, last, dob, at)


def add_child(db: Database, first: str, last: str, dob: str, at: str) -> int:
    cursor = db.execute(
        "INSERT INTO children (first_name, last_name, name_fold, dob, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [first, last, checklist.name_fold(first, last), dob, at],
    )
    return int(cursor.lastrowid or 0)


def set_models(db: Database, scope: Scope, screening_id: int, models: Iterable[str]) -> None:
    require_visible(db, scope, screening_id)
    db.execute("DELETE FROM screening_models WHERE screening_id = ?", [screening_id])
    for model in models:
        db.execute(
            "INSERT OR IGNORE INTO screening_models (screening_id, model) VALUES (?, ?)",
            [screening_id, model],
        )


def add_share(db: Database, scope: Scope, screening_id: int, user_id: int) -> None:
    require_visible(db, scope, screening_id)
    db.execute(
        "INSERT OR IGNORE INTO shares (screening_id, user_id) VALUES (?, ?)",
        [screening_id, user_id],
    )


def delete_draft(db: Database, scope: Scope, screening_id: int) -> None:
    require_visible(db, scope, screening_id)
    db.execute("DELETE FROM answers WHERE screening_id = ?", [screening_id])
    db.execute("DELETE FROM screenings WHERE id = ? AND status = 'draft'", [screening_id])


def review_comments(db: Database, scope: Scope, screening_id: int) -> list[CommentRow]:
    clause, params = scope.clause()
    cursor = db.execute(
        "SELECT r.at, COALESCE(u.display_name, u.name, ''), r.decision, r.comment, r.band "
        "FROM reviews r JOIN screenings s ON s.id = r.screening_id "
        "LEFT JOIN users u ON u.id = r.reviewer_id "
        f"WHERE r.screening_id = ? AND {clause} ORDER BY r.at, r.id",
        [screening_id, *params],
    )
    return [CommentRow._make(r) for r in cursor.fetchall()]
