"""Monthly statistics as GROUP BY queries: nothing is counted by loading rows into Python.

Every submitted screening of a child counts (submitted, approved or returned; not drafts, not
versions replaced by an amendment, not screenings of a place or group), by its screening date's
month and its operative band.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from screening_app.domain.checklist import FORM_ID
from screening_app.storage.driver import Database


class MonthTotal(NamedTuple):
    month: str
    screenings: int
    children: int


class MonthCount(NamedTuple):
    """How many screenings of ``month`` have ``code`` (a band, area, role, model or outcome)."""

    month: str
    code: str | None
    screenings: int


class MonthValue(NamedTuple):
    month: str
    value: float


# children's screenings only: a place or group screening (form context-screening) is no child
COUNTED = f"s.status IN ('submitted', 'approved', 'returned') AND s.form_id = '{FORM_ID}'"
MONTH = "substr(s.screening_date, 1, 7)"


def _where(team: str | None) -> tuple[str, list[Any]]:
    clause = f"{COUNTED} AND s.screening_date >= ? AND s.screening_date < ?"
    if team is None:
        return clause, []
    return clause + " AND s.team = ?", [team]


def _grouped(
    db: Database, select: str, join: str, group: str, start: str, end: str, team: str | None
) -> list[MonthCount]:
    where, extra = _where(team)
    sql = (
        f"SELECT {MONTH} AS m, {select} FROM screenings s {join} WHERE {where} "
        f"GROUP BY m{', ' + group if group else ''}"
    )
    return [MonthCount(*r) for r in db.execute(sql, [start, end, *extra]).fetchall()]


def totals(db: Database, start: str, end: str, team: str | None) -> list[MonthTotal]:
    """Screenings and distinct children per month."""
    where, extra = _where(team)
    sql = (
        f"SELECT {MONTH} AS m, count(*), count(DISTINCT s.child_id) FROM screenings s "
        f"WHERE {where} GROUP BY m"
    )
    return [MonthTotal(*r) for r in db.execute(sql, [start, end, *extra]).fetchall()]


def by_column(
    db: Database, column: str, start: str, end: str, team: str | None
) -> list[MonthCount]:
    """Per month and code, for operative_band, la_area or practitioner_role."""
    if column not in ("operative_band", "la_area", "practitioner_role"):
        raise ValueError(column)
    return _grouped(db, f"s.{column}, count(*)", "", f"s.{column}", start, end, team)


def by_model(db: Database, start: str, end: str, team: str | None) -> list[MonthCount]:
    return _by_code(db, "screening_models", "model", start, end, team)


def by_type(db: Database, start: str, end: str, team: str | None) -> list[MonthCount]:
    """Per month and type of exploitation (form version 4 on), the screenings showing it."""
    return _by_code(db, "screening_types", "type", start, end, team)


def _by_code(
    db: Database, table: str, column: str, start: str, end: str, team: str | None
) -> list[MonthCount]:
    """Per month and code, the screenings with that code in ``table`` (one row per screening
    and code: the models of CSE, the types of exploitation)."""
    if (table, column) not in {("screening_models", "model"), ("screening_types", "type")}:
        raise ValueError(table)
    return _grouped(
        db,
        f"c.{column}, count(*)",
        f"JOIN {table} c ON c.screening_id = s.id",
        f"c.{column}",
        start,
        end,
        team,
    )


def by_outcome(db: Database, start: str, end: str, team: str | None) -> list[MonthCount]:
    """Per month and outcome code, the screenings with that outcome."""
    return _grouped(
        db,
        "o.code, count(DISTINCT s.id)",
        "JOIN outcomes o ON o.screening_id = s.id",
        "o.code",
        start,
        end,
        team,
    )


def with_positive(
    db: Database, codes: list[str], start: str, end: str, team: str | None
) -> list[MonthValue]:
    """Per month, the screenings with at least one positive outcome."""
    if not codes:
        return []
    marks = ", ".join("?" for _ in codes)
    where, extra = _where(team)
    sql = (
        f"SELECT {MONTH} AS m, count(*) FROM screenings s WHERE {where} AND EXISTS "
        f"(SELECT 1 FROM outcomes o WHERE o.screening_id = s.id AND o.code IN ({marks})) "
        "GROUP BY m"
    )
    return [MonthValue(*r) for r in db.execute(sql, [start, end, *extra, *codes]).fetchall()]


def median_days_to_review(db: Database, start: str, end: str, team: str | None) -> list[MonthValue]:
    """Per month, the median days from screening date to review (window functions)."""
    where, extra = _where(team)
    sql = (
        f"WITH d AS (SELECT {MONTH} AS m, "
        "julianday(substr(s.reviewed_at, 1, 10)) - julianday(s.screening_date) AS days "
        f"FROM screenings s WHERE {where} AND s.reviewed_at IS NOT NULL), "
        "r AS (SELECT m, days, ROW_NUMBER() OVER (PARTITION BY m ORDER BY days) AS rn, "
        "COUNT(*) OVER (PARTITION BY m) AS c FROM d) "
        "SELECT m, AVG(days) FROM r WHERE rn IN ((c + 1) / 2, (c + 2) / 2) GROUP BY m"
    )
    return [MonthValue(*r) for r in db.execute(sql, [start, end, *extra]).fetchall()]


class OutcomeProfile(NamedTuple):
    """How many screenings of ``month`` share an operative band and a set of outcome codes."""

    month: str
    band: str | None
    codes: tuple[str, ...]
    screenings: int


def outcome_profiles(db: Database, start: str, end: str, team: str | None) -> list[OutcomeProfile]:
    """Per month, screenings grouped by band and the set of their outcome codes: all that
    the three outcome rates need (domain/measures.py), in one scan."""
    where, extra = _where(team)
    sql = (
        f"SELECT m, band, codes, count(*) FROM (SELECT {MONTH} AS m, s.operative_band AS band, "
        "(SELECT group_concat(code, ' ') FROM (SELECT DISTINCT o.code AS code FROM outcomes o "
        "WHERE o.screening_id = s.id ORDER BY o.code)) AS codes "
        f"FROM screenings s WHERE {where}) GROUP BY m, band, codes"
    )
    return [
        OutcomeProfile(m, band, tuple(codes.split()) if codes else (), int(n))
        for m, band, codes, n in db.execute(sql, [start, end, *extra]).fetchall()
    ]


def without_outcome(
    db: Database, bands: list[str], before: str, start: str, end: str, team: str | None
) -> list[MonthValue]:
    """Per month, screenings at one of ``bands`` dated before ``before`` with no outcome."""
    if not bands:
        return []
    marks = ", ".join("?" for _ in bands)
    where, extra = _where(team)
    sql = (
        f"SELECT {MONTH} AS m, count(*) FROM screenings s WHERE {where} "
        f"AND s.operative_band IN ({marks}) AND s.screening_date < ? AND NOT EXISTS "
        "(SELECT 1 FROM outcomes o WHERE o.screening_id = s.id) GROUP BY m"
    )
    rows = db.execute(sql, [start, end, *extra, *bands, before]).fetchall()
    return [MonthValue(*r) for r in rows]


def outcomes_before_screening(
    db: Database, start: str, end: str, team: str | None
) -> list[MonthValue]:
    """Per month, screenings with an outcome dated before the screening itself."""
    where, extra = _where(team)
    sql = (
        f"SELECT {MONTH} AS m, count(*) FROM screenings s WHERE {where} AND EXISTS "
        "(SELECT 1 FROM outcomes o WHERE o.screening_id = s.id AND o.date < s.screening_date) "
        "GROUP BY m"
    )
    return [MonthValue(*r) for r in db.execute(sql, [start, end, *extra]).fetchall()]


def mostly_not_known(
    db: Database, questions: list[str], share: float, start: str, end: str, team: str | None
) -> list[MonthValue]:
    """Per month, screenings with more than ``share`` of their answers to ``questions`` (the
    scored ones) "Not known"."""
    if not questions:
        return []
    marks = ", ".join("?" for _ in questions)
    where, extra = _where(team)
    sql = (
        f"SELECT m, count(*) FROM (SELECT {MONTH} AS m, "
        "sum(a.value_json IN ('\"unknown\"', '\"not_known\"')) AS unknown, count(*) AS n "
        f"FROM screenings s JOIN answers a ON a.screening_id = s.id AND a.question_id IN ({marks}) "
        f"WHERE {where} GROUP BY s.id) WHERE unknown > ? * n GROUP BY m"
    )
    rows = db.execute(sql, [*questions, start, end, *extra, share]).fetchall()
    return [MonthValue(*r) for r in rows]
