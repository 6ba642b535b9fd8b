"""SQL for the links between screenings: the normalised keys of their entities of concern
(docs/FORMS.md, "Entities"). Every read takes the caller's scope: a supervisor of another team
never meets this team's children through a link."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from screening_app.storage.driver import Database
from screening_app.storage.scope import Scope
from screening_app.storage.screenings_repo import require_visible

COUNTED = "s.status IN ('submitted', 'approved', 'returned')"


class KeyRow(NamedTuple):
    screening_id: int
    reference: str
    entity: int
    kind: str
    key: str
    exact: bool
    screening_date: str | None = None
    child_id: int | None = None
    child_name: str = ""  # the child's name, or a place or group's (form_id says which)
    form_id: str = ""


def set_keys(
    db: Database, scope: Scope, screening_id: int, keys: Iterable[tuple[int, str, str, bool]]
) -> None:
    """Replace a screening's keys by ``keys``: (entity index, kind, key, exact)."""
    require_visible(db, scope, screening_id)
    db.execute("DELETE FROM entity_keys WHERE screening_id = ?", [screening_id])
    for entity, kind, key, exact in keys:
        db.execute(
            "INSERT OR IGNORE INTO entity_keys (screening_id, entity, kind, key, exact) "
            "VALUES (?, ?, ?, ?, ?)",
            [screening_id, entity, kind, key, int(exact)],
        )


def _rows(db: Database, scope: Scope, where: str, params: list[object]) -> list[KeyRow]:
    clause, scoped = scope.clause(counting=True)
    sql = (
        "SELECT k.screening_id, s.reference, k.entity, k.kind, k.key, k.exact, s.screening_date, "
        "s.child_id, s.child_name, s.form_id "
        f"FROM entity_keys k JOIN screenings s ON s.id = k.screening_id "
        f"WHERE {COUNTED} AND {clause} AND {where}"
    )
    return [
        KeyRow(int(a), str(b), int(c), str(d), str(e), bool(f), g, h, str(i or ""), str(j))
        for a, b, c, d, e, f, g, h, i, j in db.execute(sql, [*scoped, *params]).fetchall()
    ]


def keys_of(db: Database, scope: Scope, screening_id: int) -> list[KeyRow]:
    return _rows(db, scope, "k.screening_id = ?", [screening_id])


def same_key(db: Database, scope: Scope, kind: str, key: str) -> list[KeyRow]:
    """Every visible screening with this exact key (one indexed lookup)."""
    return _rows(db, scope, "k.kind = ? AND k.key = ?", [kind, key])


def fitting(db: Database, scope: Scope, pattern: str) -> list[KeyRow]:
    """Registrations a partial one (``?`` for unknown characters) fits: ``_`` in LIKE."""
    like = pattern.replace("_", "").replace("?", "_")
    return _rows(db, scope, "k.kind = 'vehicle' AND k.key LIKE ?", [like])


def patterns(db: Database, scope: Scope, length: int) -> list[KeyRow]:
    """Partial registrations (``?`` for unknown characters) as long as ``length``."""
    return _rows(db, scope, "k.kind = 'vehicle' AND k.exact = 0 AND length(k.key) = ?", [length])


def all_keys(db: Database, scope: Scope, since: str | None = None) -> list[KeyRow]:
    """Every key the scope may see (of screenings dated from ``since`` on, when given)."""
    if since is None:
        return _rows(db, scope, "1", [])
    return _rows(db, scope, "s.screening_date >= ?", [since])


def names(db: Database, scope: Scope) -> list[str]:
    """The distinct folded names the scope may see (for fuzzy matching of one new name)."""
    clause, scoped = scope.clause(counting=True)
    rows = db.execute(
        "SELECT DISTINCT k.key FROM entity_keys k JOIN screenings s ON s.id = k.screening_id "
        f"WHERE k.kind = 'person' AND {COUNTED} AND {clause}",
        scoped,
    ).fetchall()
    return [str(r[0]) for r in rows]
