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
    """Replace a screening's keys by ``keys``: (entity index, kind, key, exact), each with the
    copies of its screening that matching reads (storage/migrations_links.py)."""
    require_visible(db, scope, screening_id)
    db.execute("DELETE FROM entity_keys WHERE screening_id = ?", [screening_id])
    for entity, kind, key, exact in keys:
        db.execute(
            "INSERT OR IGNORE INTO entity_keys (screening_id, entity, kind, key, exact, "
            "reference, owner_id, team, counted) SELECT s.id, ?, ?, ?, ?, s.reference, "
            f"s.owner_id, s.team, {COUNTED} FROM screenings s WHERE s.id = ?",
            [entity, kind, key, int(exact), screening_id],
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


def _scoped(scope: Scope) -> tuple[str, list[object]]:
    """The caller's scope over the keys' own copies, and only keys of counted screenings."""
    clause, scoped = scope.clause(counting=True, on="k", id_column="screening_id")
    return f"k.counted = 1 AND {clause}", scoped


def fitting_references(
    db: Database, scope: Scope, pattern: str, besides: str | None = None
) -> list[str]:
    """The references of the visible screenings with a registration ``pattern`` fits, in the
    index's order, a screening once for each of its registrations (a partial registration can
    fit hundreds); from the keys' index alone. ``besides``: a registration whose references the
    caller has read already."""
    clause, scoped = _scoped(scope)
    rows = db.execute(
        "SELECT k.reference FROM entity_keys k "
        f"WHERE k.kind = 'vehicle' AND k.key GLOB ? AND k.key IS NOT ? AND {clause}",
        [pattern, besides, *scoped],
    ).fetchall()
    return [reference for (reference,) in rows]  # TEXT: a str already


def references_of(
    db: Database, scope: Scope, kind: str, keys: Iterable[str]
) -> dict[str, list[str]]:
    """For each of ``keys`` of ``kind``, the references of the visible screenings holding it,
    in the index's order (lookups in the keys' covering index, a few hundred keys a
    statement)."""
    wanted = sorted(set(keys))
    found: dict[str, list[str]] = {key: [] for key in wanted}
    clause, scoped = _scoped(scope)
    for at in range(0, len(wanted), 500):
        chunk = wanted[at : at + 500]
        marks = ", ".join("?" for _ in chunk)
        for key, reference in db.execute(
            "SELECT k.key, k.reference FROM entity_keys k "
            f"WHERE k.kind = ? AND k.key IN ({marks}) AND {clause}",
            [kind, *chunk, *scoped],
        ).fetchall():
            found[key].append(reference)  # both TEXT: str already
    return found


def patterns_fitted_by(db: Database, scope: Scope, full: str) -> list[str]:
    """The visible partial registrations that the full registration ``full`` fits: each
    distinct pattern in turn from the patterns' own index (schema step 13), one step each."""
    clause, scoped = _scoped(scope)
    patterns = "entity_keys WHERE kind = 'vehicle' AND exact = 0"  # the patterns' index
    rows = db.execute(
        f"WITH RECURSIVE pattern(key) AS (SELECT min(key) FROM {patterns} "
        f"UNION ALL SELECT (SELECT min(key) FROM {patterns} AND key > pattern.key) "
        "FROM pattern WHERE pattern.key IS NOT NULL) "
        "SELECT p.key FROM pattern p WHERE p.key IS NOT NULL AND ? GLOB p.key AND EXISTS ("
        f"SELECT 1 FROM entity_keys k WHERE k.kind = 'vehicle' AND k.key = p.key AND {clause})",
        [full, *scoped],
    ).fetchall()
    return [str(r[0]) for r in rows]


def all_keys(db: Database, scope: Scope, since: str | None = None) -> list[KeyRow]:
    """Every key the scope may see (of screenings dated from ``since`` on, when given)."""
    if since is None:
        return _rows(db, scope, "1", [])
    return _rows(db, scope, "s.screening_date >= ?", [since])


def names(db: Database) -> list[str]:
    """Every distinct folded name of a person of concern, read from the index alone, for fuzzy
    matching of a new name. Not scoped: a name is only a candidate; what it links to is read
    with the caller's scope (``references_of``), so a name held only where the caller may not
    look links to nothing."""
    rows = db.execute("SELECT DISTINCT key FROM entity_keys WHERE kind = 'person'").fetchall()
    return [str(r[0]) for r in rows]


def stale_copies(db: Database) -> list[str]:
    """The screenings whose link keys carry another reference, owner, team or counted state
    than the screening itself (edited outside the app: matching would name the wrong record)."""
    rows = db.execute(
        "SELECT DISTINCT s.reference FROM entity_keys k JOIN screenings s ON s.id = "
        "k.screening_id WHERE k.reference != s.reference OR k.owner_id != s.owner_id "
        f"OR k.team != s.team OR k.counted != ({COUNTED}) ORDER BY s.reference"
    ).fetchall()
    return [str(r[0]) for r in rows]
