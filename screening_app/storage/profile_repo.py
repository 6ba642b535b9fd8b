"""Counts of children for an area profile (services/profiles.py), as GROUP BY queries.

A child is counted once per row of a dimension: by its latest counted screening in the period
for age, sex and band (each child in one row), and as "any screening in the period" for models,
vulnerabilities, outcome measures and links. A screening with no child record counts as a child
of its own.
"""

from __future__ import annotations

from typing import Any

from screening_app.storage.driver import Database
from screening_app.storage.stats_repo import COUNTED

CHILD = "coalesce(s.child_id, -s.id)"
AGE_BAND = (
    "CASE WHEN s.child_age IS NULL THEN 'not_known' WHEN s.child_age < 10 THEN 'under_10' "
    "WHEN s.child_age < 13 THEN '10_12' WHEN s.child_age < 16 THEN '13_15' "
    "WHEN s.child_age < 18 THEN '16_17' ELSE '18_over' END"
)


def _scope(area: str, start: str, end: str, team: str | None) -> tuple[str, list[Any]]:
    clause = f"{COUNTED} AND s.la_area = ? AND s.screening_date >= ? AND s.screening_date < ?"
    params: list[Any] = [area, start, end]
    if team is not None:
        clause += " AND s.team = ?"
        params.append(team)
    return clause, params


def totals(db: Database, area: str, start: str, end: str, team: str | None) -> tuple[int, int]:
    """(children, screenings) in the area and period."""
    where, params = _scope(area, start, end, team)
    row = db.execute(
        f"SELECT count(DISTINCT {CHILD}), count(*) FROM screenings s WHERE {where}", params
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def by_latest(
    db: Database, what: str, area: str, start: str, end: str, team: str | None
) -> dict[str, int]:
    """Children by their latest screening's age band, sex (``child_gender``) or band."""
    column = {
        "age": AGE_BAND,
        "band": "coalesce(s.operative_band, 'not_known')",
        "sex": "coalesce((SELECT json_extract(a.value_json, '$') FROM answers a WHERE "
        "a.screening_id = s.id AND a.question_id = 'child_gender'), 'not_known')",
    }[what]
    where, params = _scope(area, start, end, team)
    sql = (
        f"WITH ranked AS (SELECT {column} AS code, ROW_NUMBER() OVER (PARTITION BY {CHILD} "
        f"ORDER BY s.screening_date DESC, s.id DESC) AS n FROM screenings s WHERE {where}) "
        "SELECT code, count(*) FROM ranked WHERE n = 1 GROUP BY code"
    )
    return {str(code): int(n) for code, n in db.execute(sql, params).fetchall()}


def with_model(db: Database, area: str, start: str, end: str, team: str | None) -> dict[str, int]:
    where, params = _scope(area, start, end, team)
    sql = (
        f"SELECT m.model, count(DISTINCT {CHILD}) FROM screenings s JOIN screening_models m "
        f"ON m.screening_id = s.id WHERE {where} GROUP BY m.model"
    )
    return {str(code): int(n) for code, n in db.execute(sql, params).fetchall()}


def answered_yes(
    db: Database, questions: list[str], area: str, start: str, end: str, team: str | None
) -> dict[str, int]:
    """Children with a "yes" to each of ``questions`` in any screening of the period."""
    if not questions:
        return {}
    where, params = _scope(area, start, end, team)
    marks = ", ".join("?" for _ in questions)
    sql = (
        f"SELECT a.question_id, count(DISTINCT {CHILD}) FROM screenings s JOIN answers a "
        f"ON a.screening_id = s.id WHERE {where} AND a.question_id IN ({marks}) "
        "AND a.value_json = '\"yes\"' GROUP BY a.question_id"
    )
    return {str(q): int(n) for q, n in db.execute(sql, [*params, *questions]).fetchall()}


def with_outcome(
    db: Database, pairs: list[tuple[str, str]], area: str, start: str, end: str, team: str | None
) -> dict[str, int]:
    """Children with an outcome of each measure; ``pairs`` of (code, measure), a code under as
    many measures as it counts for."""
    if not pairs:
        return {}
    where, params = _scope(area, start, end, team)
    mapping = " UNION ALL ".join("SELECT ? AS code, ? AS measure" for _ in pairs)
    sql = (
        f"SELECT m.measure, count(DISTINCT {CHILD}) FROM screenings s "
        f"JOIN outcomes o ON o.screening_id = s.id JOIN ({mapping}) m ON m.code = o.code "
        f"WHERE {where} GROUP BY m.measure"
    )
    values = [v for pair in pairs for v in pair]
    return {str(m): int(n) for m, n in db.execute(sql, [*values, *params]).fetchall()}


def linked(db: Database, area: str, start: str, end: str, team: str | None) -> int:
    """Children whose screenings share an exact entity key (a phone, a car…) with another
    child's counted screening that this scope sees."""
    where, params = _scope(area, start, end, team)
    other = "s2.team = ?" if team is not None else "1 = 1"
    sql = (
        f"SELECT count(DISTINCT {CHILD}) FROM screenings s JOIN entity_keys k "
        f"ON k.screening_id = s.id AND k.exact = 1 WHERE {where} AND EXISTS ("
        "SELECT 1 FROM entity_keys k2 JOIN screenings s2 ON s2.id = k2.screening_id "
        "WHERE k2.kind = k.kind AND k2.key = k.key AND k2.exact = 1 "
        "AND s2.status IN ('submitted', 'approved', 'returned') "
        f"AND coalesce(s2.child_id, -s2.id) <> {CHILD} AND {other})"
    )
    extra = [team] if team is not None else []
    row = db.execute(sql, [*params, *extra]).fetchone()
    return int(row[0]) if row else 0
